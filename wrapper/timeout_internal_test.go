package wrapper

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

// TestDefaultTimeouts: with no context deadline, a server that never sends
// its headers, or trickles its body, is given up on after the documented
// timeouts of the client's own transport and of each attempt. The test runs
// in fake time, on the default transport dialing an in-memory network.
func TestDefaultTimeouts(t *testing.T) {
	t.Parallel()
	silent := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	trickle := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"endpoint":`))
		for {
			http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
				_, _ = w.Write([]byte(" "))
			}
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		opts    []Option
		want    time.Duration
	}{
		{"no headers", silent, nil, DefaultResponseHeaderTimeout},
		{"trickled body", trickle, nil, DefaultAttemptTimeout},
		{"trickled body, attempt timeout overridden", trickle, []Option{WithAttemptTimeout(5 * time.Second)}, 5 * time.Second},
		{"no headers, attempt timeout below the header timeout", silent, []Option{WithAttemptTimeout(7 * time.Second)}, 7 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				mn := NewMemNet()
				url := mn.Serve(t, "dns.test", tt.handler)
				opts := append([]Option{WithToken("t"), WithRetryPolicy(RetryPolicy{MaxAttempts: 1})}, tt.opts...)
				c, err := New(url, opts...)
				if err != nil {
					t.Fatal(err)
				}
				tr := c.http.Transport.(*http.Transport)
				tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) { return mn.dial(ctx, network, addr) }
				t.Cleanup(tr.CloseIdleConnections)

				start := time.Now()
				_, err = c.ShowEndpoint(context.Background(), "ep1")
				took := time.Since(start)
				var netErr net.Error
				if !errors.As(err, &netErr) || !netErr.Timeout() {
					t.Errorf("err = %v, want a timeout", err)
				}
				if took != tt.want {
					t.Errorf("gave up after %v, want %v", took, tt.want)
				}
			})
		})
	}
}
