package wrapper_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dnsep/dnsep/wrapper"
)

var (
	accepted  = wrapper.Reply(202, `{"endpoint":`+endpointJSON+`}`)
	ok200     = wrapper.Reply(200, `{"endpoint":`+endpointJSON+`}`)
	busy      = wrapper.Reply(500, `{"code":"DNS.0000","message":"The system is busy. Try again later."}`)
	internal  = wrapper.Reply(500, `{"code":"DNS.0001","message":"Internal error."}`)
	throttled = func(retryAfter string) wrapper.Step {
		return wrapper.Reply(429, `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached","request_id":"r"}`, "Retry-After", retryAfter)
	}
	unavailable = wrapper.Reply(503, "<html><title>Service Unavailable</title></html>", "Content-Type", "text/html")
	refused     = wrapper.Fail(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")})
)

func TestRetries(t *testing.T) {
	t.Parallel()
	policy := wrapper.RetryPolicy{MaxAttempts: 4, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second, MaxRetryAfter: time.Minute}
	update := func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.UpdateEndpoint(ctx, "ep1", wrapper.UpdateEndpointRequest{Name: "n1"})
		return err
	}
	show := func(ctx context.Context, c *wrapper.Client) error { _, err := c.ShowEndpoint(ctx, "ep1"); return err }
	unbind := func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.DisassociateEndpointIpaddress(ctx, "ep1", "ip1")
		return err
	}
	create := func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{Name: "n", Direction: wrapper.Inbound, Region: "r",
			Ipaddresses: []wrapper.IPAddressInfo{{SubnetID: "s"}, {SubnetID: "s"}}})
		return err
	}
	bind := func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.AssociateEndpointIpaddress(ctx, "ep1", wrapper.IPAddressInfo{SubnetID: "s"})
		return err
	}
	tests := []struct {
		name      string
		call      func(context.Context, *wrapper.Client) error
		script    []wrapper.Step
		attempts  int
		wantErr   error         // nil for success
		minWaited time.Duration // simulated time between the first and last attempt
		maxWaited time.Duration
	}{
		{"503 twice, then success; body re-sent", update, []wrapper.Step{unavailable, unavailable, accepted}, 3, nil, 150 * time.Millisecond, 300 * time.Millisecond},
		{"busy DNS.0000 then success", unbind, []wrapper.Step{busy, accepted}, 2, nil, 50 * time.Millisecond, 100 * time.Millisecond},
		{"DNS.0001 is not retried", unbind, []wrapper.Step{internal}, 1, wrapper.ErrServer, 0, 0},
		{"429 Retry-After in seconds", show, []wrapper.Step{throttled("7"), ok200}, 2, nil, 7 * time.Second, 7 * time.Second},
		{"429 Retry-After as an HTTP date", show, []wrapper.Step{
			func(r *http.Request) (*http.Response, error) {
				return throttled(time.Now().Add(5 * time.Second).UTC().Format(http.TimeFormat))(r)
			}, ok200}, 2, nil, 4 * time.Second, 5 * time.Second},
		{"Retry-After beyond the policy ends the retries", show, []wrapper.Step{throttled("120")}, 1, wrapper.ErrRateLimited, 0, 0},
		{"a Retry-After too large for a Duration ends the retries", show, []wrapper.Step{throttled("9223372037"), ok200}, 1, wrapper.ErrRateLimited, 0, 0},
		{"a Retry-After beyond 64 bits ends the retries", show, []wrapper.Step{throttled("99999999999999999999"), ok200}, 1, wrapper.ErrRateLimited, 0, 0},
		{"attempts run out", show, []wrapper.Step{unavailable}, 4, wrapper.ErrServer, 350 * time.Millisecond, 1400 * time.Millisecond},
		{"connection refused, then success", show, []wrapper.Step{refused, refused, ok200}, 3, nil, 150 * time.Millisecond, 300 * time.Millisecond},
		{"create is never retried on 503", create, []wrapper.Step{unavailable, accepted}, 1, wrapper.ErrServer, 0, 0},
		{"create is never retried on a connection error", create, []wrapper.Step{refused, accepted}, 1, errRefused, 0, 0},
		{"bind is never retried on 429", bind, []wrapper.Step{throttled("1"), accepted}, 1, wrapper.ErrRateLimited, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				c, ft := scripted(t, wrapper.WithToken(testToken), tt.script, wrapper.WithRetryPolicy(policy))
				err := tt.call(context.Background(), c)
				switch {
				case tt.wantErr == nil && err != nil:
					t.Fatalf("err = %v, want success", err)
				case tt.wantErr == errRefused:
					if err == nil || !strings.Contains(err.Error(), "connection refused") {
						t.Fatalf("err = %v, want the connection error", err)
					}
				case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				seen := ft.Requests()
				if len(seen) != tt.attempts {
					t.Fatalf("%d attempts, want %d", len(seen), tt.attempts)
				}
				if apiErr, ok := errors.AsType[*wrapper.APIError](err); ok && apiErr.Attempts != tt.attempts {
					t.Errorf("APIError.Attempts = %d, want %d", apiErr.Attempts, tt.attempts)
				}
				waited := seen[len(seen)-1].At.Sub(seen[0].At)
				if waited < tt.minWaited || waited > tt.maxWaited {
					t.Errorf("waited %v between first and last attempt, want %v..%v", waited, tt.minWaited, tt.maxWaited)
				}
				for i, s := range seen {
					if len(s.Header.Values("X-Auth-Token")) != 1 || s.Header.Values("X-Auth-Token")[0] != testToken {
						t.Errorf("attempt %d: X-Auth-Token %q, want exactly one", i+1, s.Header.Values("X-Auth-Token"))
					}
					if s.Body != seen[0].Body {
						t.Errorf("attempt %d sent body %q, the first sent %q", i+1, s.Body, seen[0].Body)
					}
				}
			})
		})
	}
}

// errRefused marks the test rows that expect the transport's error.
var errRefused = errors.New("connection refused")

// TestRetryWaitAbortsOnCancel: a long Retry-After wait ends with the
// caller's deadline, and the error keeps both the deadline and the answer.
func TestRetryWaitAbortsOnCancel(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, ft := scripted(t, wrapper.WithToken(testToken), []wrapper.Step{throttled("20"), ok200})
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		_, err := c.ShowEndpoint(ctx, "ep1")
		if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, wrapper.ErrRateLimited) {
			t.Fatalf("err = %v, want DeadlineExceeded and ErrRateLimited", err)
		}
		if d := time.Since(start); d != time.Second {
			t.Errorf("returned after %v, want at the 1 s deadline", d)
		}
		if n := len(ft.Requests()); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
	})
}

func TestRetryBackoffWaitAbortsOnCancel(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, ft := scripted(t, wrapper.WithToken(testToken), []wrapper.Step{refused}, wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 10, BaseDelay: time.Hour, MaxDelay: time.Hour}))
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(3 * time.Second)
			cancel()
		}()
		_, err := c.ShowEndpoint(ctx, "ep1")
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if n := len(ft.Requests()); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
	})
}
