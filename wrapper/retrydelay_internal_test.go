package wrapper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// invalidatingSource is a TokenSource that can be told its token was
// refused, and counts how often it was.
type invalidatingSource struct{ invalidated []string }

func (s *invalidatingSource) Token(context.Context) (string, error) { return "tok", nil }
func (s *invalidatingSource) Invalidate(tok string)                 { s.invalidated = append(s.invalidated, tok) }

// TestRetryDelay checks the one retry decision of the transport directly:
// method × failure × attempts used → retry or not, and the wait.
func TestRetryDelay(t *testing.T) {
	t.Parallel()
	// Ceilings by retry: 100 ms, 200 ms, 400 ms, then 400 ms; each wait is
	// between half the ceiling and all of it.
	policy := RetryPolicy{MaxAttempts: 5, BaseDelay: 100 * time.Millisecond, MaxDelay: 400 * time.Millisecond, MaxRetryAfter: 10 * time.Second}
	api := func(status int, code string) *APIError { return &APIError{StatusCode: status, Code: code} }
	throttled := func(after time.Duration) *APIError { return &APIError{StatusCode: 429, RetryAfter: after} }
	transport := func(err error) *transportError { return &transportError{op: "Op", err: err} }
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: timeoutErr{}}
	const ms = time.Millisecond
	type want struct {
		again    bool
		min, max time.Duration
	}
	no := want{}
	tests := []struct {
		method   string
		err      error
		retries  int  // retries already made; the policy allows 4
		rotating bool // the token comes from a source that can be invalidated
		reauthed bool // a 401 already made the client fetch a new token
		canceled bool // the call's context is done
		want     want
	}{
		// Status answers, first retry.
		{method: "GET", err: api(503, ""), want: want{true, 50 * ms, 100 * ms}},
		{method: "PUT", err: api(502, ""), want: want{true, 50 * ms, 100 * ms}},
		{method: "DELETE", err: api(504, ""), want: want{true, 50 * ms, 100 * ms}},
		{method: "POST", err: api(503, ""), want: no},
		{method: "GET", err: api(500, "DNS.0000"), want: want{true, 50 * ms, 100 * ms}},
		{method: "DELETE", err: api(409, "DNS.0021"), want: want{true, 50 * ms, 100 * ms}},
		{method: "POST", err: api(500, "DNS.0000"), want: no}, // busy, but a POST is never re-sent
		{method: "GET", err: api(500, "DNS.0001"), want: no},
		{method: "GET", err: api(400, "DNS.1514"), want: no},
		{method: "GET", err: api(404, "DNS.1510"), want: no},
		{method: "GET", err: api(307, ""), want: no},
		// Retry-After raises the wait, up to MaxRetryAfter.
		{method: "GET", err: throttled(2 * time.Second), want: want{true, 2 * time.Second, 2 * time.Second}},
		{method: "GET", err: throttled(10 * time.Second), want: want{true, 10 * time.Second, 10 * time.Second}},
		{method: "GET", err: throttled(11 * time.Second), want: no},
		{method: "GET", err: throttled(0), retries: 2, want: want{true, 200 * ms, 400 * ms}},
		{method: "POST", err: throttled(time.Second), want: no},
		// The backoff grows with the retries made, capped at MaxDelay.
		{method: "GET", err: api(503, ""), retries: 1, want: want{true, 100 * ms, 200 * ms}},
		{method: "GET", err: api(503, ""), retries: 2, want: want{true, 200 * ms, 400 * ms}},
		{method: "GET", err: api(503, ""), retries: 3, want: want{true, 200 * ms, 400 * ms}},
		// The attempt budget: 5 attempts are 4 retries.
		{method: "GET", err: api(503, ""), retries: 4, want: no},
		{method: "GET", err: transport(refused), retries: 4, want: no},
		// Transport errors.
		{method: "GET", err: transport(refused), want: want{true, 50 * ms, 100 * ms}},
		{method: "GET", err: transport(io.EOF), want: want{true, 50 * ms, 100 * ms}},
		{method: "PUT", err: transport(io.ErrUnexpectedEOF), retries: 1, want: want{true, 100 * ms, 200 * ms}},
		{method: "GET", err: transport(timeout), want: want{true, 50 * ms, 100 * ms}},
		{method: "GET", err: transport(fmt.Errorf("wrapped: %w", syscall.ECONNRESET)), want: want{true, 50 * ms, 100 * ms}},
		{method: "POST", err: transport(refused), want: no},
		{method: "GET", err: transport(ErrResponseTooLarge), want: no},
		{method: "GET", err: transport(errors.New("x509: certificate signed by unknown authority")), want: no},
		{method: "GET", err: transport(refused), canceled: true, want: no},
		{method: "GET", err: errors.New("neither kind"), want: no},
		// 401: a rotating token is fetched anew once, at once, whatever the
		// method and the budget; a static token is not.
		{method: "POST", err: api(401, "APIGW.0301"), rotating: true, want: want{true, 0, 0}},
		{method: "GET", err: api(401, "APIGW.0301"), rotating: true, retries: 4, want: want{true, 0, 0}},
		{method: "GET", err: api(401, "APIGW.0301"), rotating: true, reauthed: true, want: no},
		{method: "GET", err: api(401, "APIGW.0301"), want: no},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s %v retries=%d rotating=%v reauthed=%v canceled=%v", tt.method, tt.err, tt.retries, tt.rotating, tt.reauthed, tt.canceled)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := &invalidatingSource{}
			cred := WithToken("tok")
			if tt.rotating {
				cred = WithTokenSource(src)
			}
			c, err := New("https://dns.example.test", cred, WithRetryPolicy(policy))
			if err != nil {
				t.Fatal(err)
			}
			req, err := http.NewRequest(tt.method, "https://dns.example.test/v2.1/endpoints", nil)
			if err != nil {
				t.Fatal(err)
			}
			if e, ok := tt.err.(*APIError); ok {
				e.Method = tt.method
			}
			ctx, cancel := context.WithCancel(t.Context())
			if tt.canceled {
				cancel()
			}
			defer cancel()
			s := &retryState{retries: tt.retries, reauthed: tt.reauthed}
			before := *s
			// The wait is random: ask often enough to see both ends of the
			// jitter go wrong, if they do.
			for range 50 {
				*s = before
				wait, again := c.retryDelay(ctx, req, tt.err, "tok", s)
				if again != tt.want.again || wait < tt.want.min || wait > tt.want.max {
					t.Fatalf("retryDelay = %v, %v; want %v in [%v, %v]", wait, again, tt.want.again, tt.want.min, tt.want.max)
				}
			}
			reauth := tt.rotating && !tt.reauthed && tt.want.again
			switch {
			case reauth && (s.retries != before.retries || !s.reauthed):
				t.Errorf("after re-authentication the state is %+v, want a spent re-authentication and no retry counted", *s)
			case !reauth && tt.want.again && s.retries != before.retries+1:
				t.Errorf("after a retry the state is %+v, want %d retries", *s, before.retries+1)
			case !tt.want.again && *s != before:
				t.Errorf("no retry, yet the state changed from %+v to %+v", before, *s)
			}
			if reauth != (len(src.invalidated) > 0) {
				t.Errorf("the token source was told %v of a refused token, want %v", src.invalidated, reauth)
			}
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }
