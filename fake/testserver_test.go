package fake_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/dnsep/dnsep/fake"
)

// reports collects what a client-side contract check reports.
type reports struct {
	mu   sync.Mutex
	msgs []string
}

func (r *reports) Helper() {}

func (r *reports) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func TestHTTPClientChecksExchanges(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t)
	var got reports
	hc := srv.HTTPClient(&got)
	get := func(target string) int {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+target, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Auth-Token", srv.Token)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if status := get("/v2.1/vpcs"); status != http.StatusOK || len(got.msgs) != 0 {
		t.Fatalf("a valid exchange: %d, reported %q", status, got.msgs)
	}
	// The request lacks the required direction: reported, and still sent.
	if status := get("/v2.1/endpoints"); status != http.StatusBadRequest {
		t.Errorf("request without direction: %d, want the fake's 400", status)
	}
	if len(got.msgs) != 1 || !strings.Contains(got.msgs[0], "ListEndpoints") {
		t.Errorf("reported %q, want one violation of ListEndpoints", got.msgs)
	}
}
