package wrapper_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/wrapper"
)

// answerCalls calls each operation; status is its success status.
var answerCalls = []struct {
	op     string
	status int
	call   func(context.Context, *wrapper.Client) error
}{
	{"ShowEndpoint", 200, func(ctx context.Context, c *wrapper.Client) error { _, err := c.ShowEndpoint(ctx, "ep1"); return err }},
	{"CreateEndpoint", 202, func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{Name: "n", Direction: wrapper.Inbound, Region: "r",
			Ipaddresses: []wrapper.IPAddressInfo{{SubnetID: "s"}, {SubnetID: "s"}}})
		return err
	}},
	{"UpdateEndpoint", 202, func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.UpdateEndpoint(ctx, "ep1", wrapper.UpdateEndpointRequest{Name: "n"})
		return err
	}},
	{"DeleteEndpoint", 202, func(ctx context.Context, c *wrapper.Client) error { _, err := c.DeleteEndpoint(ctx, "ep1"); return err }},
	{"AssociateEndpointIpaddress", 202, func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.AssociateEndpointIpaddress(ctx, "ep1", wrapper.IPAddressInfo{SubnetID: "s"})
		return err
	}},
	{"DisassociateEndpointIpaddress", 202, func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.DisassociateEndpointIpaddress(ctx, "ep1", "ip1")
		return err
	}},
	{"ListEndpoints", 200, func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.ListEndpoints(ctx, wrapper.ListEndpointsParams{Direction: wrapper.Inbound})
		return err
	}},
	{"ListEndpointIpaddresses", 200, func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.ListEndpointIpaddresses(ctx, "ep1")
		return err
	}},
	{"ListEndpointVpcs", 200, func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.ListEndpointVpcs(ctx, wrapper.ListEndpointVpcsParams{})
		return err
	}},
}

// TestEmptySuccessIsAnError: a success whose body is null, or an object
// without what the operation returns, is an error naming the operation and
// the request ID, not an empty result.
func TestEmptySuccessIsAnError(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"null", "{}"} {
		for _, ac := range answerCalls {
			t.Run(body+"/"+ac.op, func(t *testing.T) {
				t.Parallel()
				c, _ := setup(t, wrapper.Reply(ac.status, body, "X-Request-Id", "req-empty"))
				err := ac.call(t.Context(), c)
				e, ok := errors.AsType[*wrapper.APIError](err)
				if !ok || e.StatusCode != ac.status || e.Operation != ac.op || e.RequestID != "req-empty" {
					t.Fatalf("err = %v, want an *APIError of %s with status %d and the request ID", err, ac.op, ac.status)
				}
				if msg := err.Error(); !strings.Contains(msg, "holds no") || !strings.Contains(msg, "req-empty") {
					t.Errorf("error %q does not say what is missing", msg)
				}
				if wrapper.IsRetryable(err) || wrapper.IsNotFound(err) {
					t.Errorf("%v is retryable or not found", err)
				}
			})
		}
	}
}

// TestDecodeFailureNamesTheCall: a success whose body does not decode fails
// with the operation, the status and the request ID, and the decoder's error
// is still there for errors.As.
func TestDecodeFailureNamesTheCall(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"ListEndpointVpcs":        `{"vpcs":"not a list","metadata":{"total_count":1}}`,
		"ListEndpoints":           `{"endpoints":"not a list","metadata":{"total_count":1}}`,
		"ListEndpointIpaddresses": `{"ipaddresses":"not a list"}`,
	}
	for _, ac := range answerCalls {
		body, ok := bodies[ac.op]
		if !ok {
			body = `{"endpoint":{"id":7}}`
		}
		t.Run(ac.op, func(t *testing.T) {
			t.Parallel()
			c, _ := setup(t, wrapper.Reply(ac.status, body, "X-Request-Id", "req-decode"))
			err := ac.call(t.Context(), c)
			if _, ok := errors.AsType[*json.UnmarshalTypeError](err); !ok {
				t.Fatalf("err = %T %v, want a *json.UnmarshalTypeError inside", err, err)
			}
			msg := err.Error()
			for _, part := range []string{ac.op, " " + strconv.Itoa(ac.status) + " ", "req-decode"} {
				if !strings.Contains(msg, part) {
					t.Errorf("error %q does not hold %q", msg, part)
				}
			}
		})
	}
}

// TestRetryPolicyBounds: a policy that would hammer the server is refused.
func TestRetryPolicyBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		policy wrapper.RetryPolicy
		ok     bool
	}{
		{wrapper.RetryPolicy{MaxAttempts: 1 << 30, BaseDelay: time.Millisecond, MaxDelay: time.Second}, false},
		{wrapper.RetryPolicy{MaxAttempts: wrapper.MaxRetryAttempts + 1, BaseDelay: time.Millisecond, MaxDelay: time.Second}, false},
		{wrapper.RetryPolicy{MaxAttempts: 3}, false},
		{wrapper.RetryPolicy{MaxAttempts: 3, MaxDelay: time.Second}, false},
		{wrapper.RetryPolicy{MaxAttempts: wrapper.MaxRetryAttempts, BaseDelay: time.Millisecond, MaxDelay: time.Second}, true},
		{wrapper.RetryPolicy{MaxAttempts: 1}, true},
		{wrapper.DefaultRetryPolicy(), true},
	}
	for _, tt := range tests {
		_, err := wrapper.New("https://h", wrapper.WithToken("t"), wrapper.WithRetryPolicy(tt.policy))
		if (err == nil) != tt.ok {
			t.Errorf("WithRetryPolicy(%+v): err = %v, want ok %v", tt.policy, err, tt.ok)
		}
	}
}
