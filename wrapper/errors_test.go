package wrapper_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// TestErrorMapping sends every error shape the API and the network between
// can produce through one operation and checks the *APIError it becomes.
func TestErrorMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		answer   wrapper.Step
		want     wrapper.APIError
		sentinel error
	}{
		{
			name:     "service error",
			answer:   wrapper.Reply(400, `{"code":"DNS.1514","message":"Invalid number of ipaddress."}`, "X-Request-Id", "req-1"),
			want:     wrapper.APIError{StatusCode: 400, Code: "DNS.1514", Message: "Invalid number of ipaddress.", RequestID: "req-1"},
			sentinel: wrapper.ErrBadRequest,
		},
		{
			name:     "not found",
			answer:   wrapper.Reply(404, `{"code":"DNS.1511","message":"Ipaddress not exist."}`, "X-Request-Id", "req-2"),
			want:     wrapper.APIError{StatusCode: 404, Code: "DNS.1511", Message: "Ipaddress not exist.", RequestID: "req-2"},
			sentinel: wrapper.ErrNotFound,
		},
		{
			name:     "gateway error with the request ID in the body only",
			answer:   wrapper.Reply(401, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: token expires","request_id":"req-3"}`),
			want:     wrapper.APIError{StatusCode: 401, Code: "APIGW.0301", Message: "Incorrect IAM authentication information: token expires", RequestID: "req-3"},
			sentinel: wrapper.ErrUnauthorized,
		},
		{
			name:     "forbidden quota",
			answer:   wrapper.Reply(403, `{"code":"DNS.0406","message":"Insufficient inbound endpoint quota."}`),
			want:     wrapper.APIError{StatusCode: 403, Code: "DNS.0406", Message: "Insufficient inbound endpoint quota."},
			sentinel: wrapper.ErrForbidden,
		},
		{
			name:     "HTML page from a proxy",
			answer:   wrapper.Reply(502, "<html><head><title>502 Bad Gateway</title></head><body>\n<h1>nginx</h1></body></html>", "Content-Type", "text/html", "X-Request-Id", "req-4"),
			want:     wrapper.APIError{StatusCode: 502, Message: "502 Bad Gateway", RequestID: "req-4"},
			sentinel: wrapper.ErrServer,
		},
		{
			name:     "empty body",
			answer:   wrapper.Reply(500, ""),
			want:     wrapper.APIError{StatusCode: 500},
			sentinel: wrapper.ErrServer,
		},
		{
			name:   "status the document does not declare",
			answer: wrapper.Reply(418, `{"code":"X.1","message":"teapot"}`),
			want:   wrapper.APIError{StatusCode: 418, Code: "X.1", Message: "teapot"},
		},
		{
			name:     "conflict",
			answer:   wrapper.Reply(409, `{"code":"DNS.0021","message":"Could not acquire the lock, please try again later."}`),
			want:     wrapper.APIError{StatusCode: 409, Code: "DNS.0021", Message: "Could not acquire the lock, please try again later."},
			sentinel: wrapper.ErrConflict,
		},
		{
			name:   "2xx the document does not declare",
			answer: wrapper.Reply(200, `{"endpoint":`+endpointJSON+`}`),
			want:   wrapper.APIError{StatusCode: 200, Message: `unexpected answer: status 200, Content-Type "application/json"`},
		},
		{
			name:   "declared 2xx that is not JSON",
			answer: wrapper.Reply(202, "accepted", "Content-Type", "text/plain"),
			want:   wrapper.APIError{StatusCode: 202, Message: `unexpected answer: status 202, Content-Type "text/plain"`},
		},
		{
			name:   "text with control characters",
			answer: wrapper.Reply(400, "bad\r\n\x1b[31mthing\x00", "Content-Type", "text/plain"),
			want:   wrapper.APIError{StatusCode: 400, Message: "bad [31mthing"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := setup(t, tt.answer)
			_, err := c.DisassociateEndpointIpaddress(context.Background(), "ep1", "ip1")
			apiErr, ok := errors.AsType[*wrapper.APIError](err)
			if !ok {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			want := tt.want
			want.Operation, want.Method, want.Path = "DisassociateEndpointIpaddress", "DELETE", "/v2.1/endpoints/ep1/ipaddresses/ip1"
			got := *apiErr
			got.Attempts = 0 // checked by the retry tests
			if got != want {
				t.Errorf("APIError\n got  %+v\n want %+v", got, want)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(err, %v) = false", tt.sentinel)
			}
			msg := err.Error()
			for _, part := range []string{"DisassociateEndpointIpaddress", "DELETE", "/v2.1/endpoints/ep1/ipaddresses/ip1", want.Code, want.Message, want.RequestID} {
				if !strings.Contains(msg, part) {
					t.Errorf("error %q does not name %q", msg, part)
				}
			}
			if strings.Contains(msg, testToken) || strings.ContainsAny(msg, "\r\n\x00") {
				t.Errorf("error %q leaks the token or holds control characters", msg)
			}
		})
	}
}

func TestPredicates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err                                      error
		notFound, unauthorized, limited, transit bool
	}{
		{&wrapper.APIError{StatusCode: 404, Code: "DNS.1510"}, true, false, false, false},
		{&wrapper.APIError{StatusCode: 404, Code: "APIGW.0101"}, false, false, false, false},
		{&wrapper.APIError{StatusCode: 404}, false, false, false, false},
		{&wrapper.APIError{StatusCode: 401}, false, true, false, false},
		{&wrapper.APIError{StatusCode: 429}, false, false, true, true},
		{&wrapper.APIError{StatusCode: 503}, false, false, false, true},
		// A POST behind a 5xx may have been acted on; a refused one was not.
		{&wrapper.APIError{StatusCode: 503, Method: "POST"}, false, false, false, false},
		{&wrapper.APIError{StatusCode: 504, Method: "POST"}, false, false, false, false},
		{&wrapper.APIError{StatusCode: 502, Method: "DELETE"}, false, false, false, true},
		{&wrapper.APIError{StatusCode: 429, Method: "POST"}, false, false, true, true},
		{&wrapper.APIError{StatusCode: 500, Code: "DNS.0000", Method: "POST"}, false, false, false, true},
		{&wrapper.APIError{StatusCode: 500, Code: "DNS.0000"}, false, false, false, true},
		{&wrapper.APIError{StatusCode: 500, Code: "DNS.0003"}, false, false, false, true},
		{&wrapper.APIError{StatusCode: 409, Code: "DNS.0021"}, false, false, false, true},
		{&wrapper.APIError{StatusCode: 500, Code: "DNS.0001"}, false, false, false, false},
		{&wrapper.APIError{StatusCode: 400, Code: "DNS.1514"}, false, false, false, false},
		{context.DeadlineExceeded, false, false, false, false},
		{errors.New("other"), false, false, false, false},
		{nil, false, false, false, false},
	}
	for _, tt := range tests {
		if got := wrapper.IsNotFound(tt.err); got != tt.notFound {
			t.Errorf("IsNotFound(%v) = %v", tt.err, got)
		}
		if got := wrapper.IsUnauthorized(tt.err); got != tt.unauthorized {
			t.Errorf("IsUnauthorized(%v) = %v", tt.err, got)
		}
		if got := wrapper.IsRateLimited(tt.err); got != tt.limited {
			t.Errorf("IsRateLimited(%v) = %v", tt.err, got)
		}
		if got := wrapper.IsRetryable(tt.err); got != tt.transit {
			t.Errorf("IsRetryable(%v) = %v", tt.err, got)
		}
	}
}

// TestIDGuard checks that IDs that could change the request's path are
// refused, with the parameter named, before anything is sent.
func TestIDGuard(t *testing.T) {
	t.Parallel()
	c, rec := setup(t, wrapper.Reply(202, `{"endpoint":`+endpointJSON+`}`))
	ctx := context.Background()
	bad := []string{"", ".", "..", "a/b", "../x", "a\x00b", "a\nb", "a?b", "a#b", "%2e%2e", "a b", "a\\b", strings.Repeat("a", 129)}
	for _, id := range bad {
		for _, call := range []struct {
			param string
			fn    func() error
		}{
			{"endpoint_id", func() error { _, err := c.ShowEndpoint(ctx, id); return err }},
			{"endpoint_id", func() error { _, err := c.DeleteEndpoint(ctx, id); return err }},
			{"endpoint_id", func() error {
				_, err := c.UpdateEndpoint(ctx, id, wrapper.UpdateEndpointRequest{Name: "n"})
				return err
			}},
			{"endpoint_id", func() error { _, err := c.ListEndpointIpaddresses(ctx, id); return err }},
			{"endpoint_id", func() error {
				_, err := c.AssociateEndpointIpaddress(ctx, id, wrapper.IPAddressInfo{SubnetID: "s"})
				return err
			}},
			{"endpoint_id", func() error { _, err := c.DisassociateEndpointIpaddress(ctx, id, "ip1"); return err }},
			{"ipaddress_id", func() error { _, err := c.DisassociateEndpointIpaddress(ctx, "ep1", id); return err }},
		} {
			err := call.fn()
			argErr, ok := errors.AsType[*wrapper.InvalidArgumentError](err)
			if !ok || argErr.Param != call.param || !errors.Is(err, wrapper.ErrInvalidArgument) {
				t.Errorf("id %q: err = %v, want an InvalidArgumentError for %s", id, err, call.param)
			}
		}
	}
	if n := len(rec.Requests()); n != 0 {
		t.Errorf("%d requests were sent for bad IDs", n)
	}
	// IDs of the API's own shapes pass.
	for _, id := range []string{"ff80808169be2efb0169bef85d720013", "dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b", "a.b", "..."} {
		if _, err := c.DeleteEndpoint(ctx, id); err != nil {
			t.Errorf("id %q: %v", id, err)
		}
	}
}

// TestCrossHostRedirect: a redirect to another host is not followed, so the
// token never reaches it.
func TestCrossHostRedirect(t *testing.T) {
	t.Parallel()
	c, rec := setup(t, wrapper.Reply(307, "", "Location", "http://elsewhere.test/steal"))
	_, err := c.DisassociateEndpointIpaddress(context.Background(), "ep1", "ip1")
	if !errors.Is(err, wrapper.ErrRedirect) {
		t.Fatalf("err = %v, want ErrRedirect", err)
	}
	if !strings.Contains(err.Error(), "elsewhere.test") {
		t.Errorf("error %q does not name the redirect target", err)
	}
	// The script is the client's only transport: every request, to any
	// host, passes through it.
	sent := rec.Requests()
	for _, r := range sent {
		if r.URL.Host != "dns.cn-north-4.myhuaweicloud.com" {
			t.Errorf("the other host received a request: %s", r.URL)
		}
	}
	if len(sent) != 1 {
		t.Errorf("%d requests, want 1 (no retry of a redirect)", len(sent))
	}
}

// oversize is a 202 with a body over the default cap of 8 MiB, its length
// declared or not.
func oversize(declared bool) wrapper.Step {
	body := `{"endpoint":{"name":"` + strings.Repeat("x", 9<<20) + `"}}`
	return func(req *http.Request) (*http.Response, error) {
		resp, err := wrapper.Reply(202, body)(req)
		if err == nil && !declared {
			resp.ContentLength = -1
		}
		return resp, err
	}
}

func TestOversizeBody(t *testing.T) {
	t.Parallel()
	for _, declared := range []bool{true, false} {
		c, _ := setup(t, oversize(declared))
		_, err := c.DisassociateEndpointIpaddress(context.Background(), "ep1", "ip1")
		if !errors.Is(err, wrapper.ErrResponseTooLarge) {
			t.Errorf("declared length %v: err = %v, want ErrResponseTooLarge", declared, err)
		}
		if wrapper.IsRetryable(err) {
			t.Errorf("an oversize body is reported as retryable")
		}
	}
}

// TestContextDeadlineIsWrapped: the fake holds its answer back past the
// call's deadline, in fake time.
func TestContextDeadlineIsWrapped(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const ep = "ff80808169be2efb0169bef85d720013"
		c, srv := onFake(t, nil)
		srv.InjectFault("ShowEndpoint", 1, fake.Fault{Delay: time.Hour})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := c.ShowEndpoint(ctx, ep)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
		if !strings.Contains(err.Error(), "ShowEndpoint GET /v2.1/endpoints/"+ep) || strings.Contains(err.Error(), testToken) {
			t.Errorf("error %q: want the operation named and no token", err)
		}
	})
}

// TestIsRetryableAfterRefusedConnection: a connection that could not be
// opened carried no request, so even a POST may be sent again.
func TestIsRetryableAfterRefusedConnection(t *testing.T) {
	t.Parallel()
	mn := wrapper.NewMemNet() // nothing listens on it
	c, err := wrapper.New("http://nowhere.test", wrapper.WithToken(testToken),
		wrapper.WithHTTPClient(&http.Client{Transport: mn.Transport(t)}), wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateEndpoint(t.Context(), wrapper.CreateEndpointRequest{Name: "n", Direction: wrapper.Inbound, Region: "r",
		Ipaddresses: []wrapper.IPAddressInfo{{SubnetID: "s"}, {SubnetID: "s"}}})
	if err == nil || !wrapper.IsRetryable(err) {
		t.Errorf("CreateEndpoint on a refused connection: IsRetryable(%v) = false", err)
	}
}
