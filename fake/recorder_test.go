package fake

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// recordedHeaderBytes counts the header bytes that r keeps.
func recordedHeaderBytes(reqs []Request) int {
	n := 0
	for _, r := range reqs {
		for k, vs := range r.Header {
			n += len(k)
			for _, v := range vs {
				n += len(v)
			}
		}
	}
	return n
}

// TestRecorderBytes floods the recorder with big requests: it keeps the
// newest within its byte budget, and of a refused request only what a test
// needs.
func TestRecorderBytes(t *testing.T) {
	t.Parallel()
	srv, err := New(WithToken("T"), WithValidation(false))
	if err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("x", 256<<10)
	var lastID string
	for range 100 { // 25 MiB of headers
		r := httptest.NewRequest(http.MethodGet, "/v2.1/endpoints?direction=inbound", nil)
		r.Header.Set("X-Auth-Token", "T")
		r.Header.Set("X-Padding", pad)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		lastID = w.Header().Get("X-Request-Id")
	}
	reqs := srv.Requests()
	if n := recordedHeaderBytes(reqs); n > 16<<20 || len(reqs) == 0 {
		t.Fatalf("%d requests with %d header bytes recorded, want at least one and at most 16 MiB", len(reqs), n)
	}
	if got := reqs[len(reqs)-1]; got.RequestID != lastID || got.Header.Get("X-Padding") != pad || got.Status != http.StatusOK {
		t.Errorf("the newest request is not the last one, in full: %s %d", got.RequestID, got.Status)
	}

	srv.ResetRequests()
	for _, tok := range []string{"", "wrong"} {
		r := httptest.NewRequest(http.MethodGet, "/v2.1/endpoints?direction=inbound", nil)
		if tok != "" {
			r.Header.Set("X-Auth-Token", tok)
		}
		r.Header.Set("X-Padding", pad)
		srv.ServeHTTP(httptest.NewRecorder(), r)
	}
	reqs = srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests recorded, want 2", len(reqs))
	}
	for i, r := range reqs {
		if r.Status != http.StatusUnauthorized || r.Operation != "ListEndpoints" || r.Path != "/v2.1/endpoints" || r.Query != "direction=inbound" {
			t.Errorf("refused request %d recorded as %+v", i, r)
		}
		if r.Header.Get("X-Padding") != "" {
			t.Errorf("refused request %d: its headers were kept", i)
		}
	}
	if reqs[1].Header.Get("X-Auth-Token") != "REDACTED" {
		t.Errorf("refused request with a token: header %v, want X-Auth-Token REDACTED", reqs[1].Header)
	}
}

// TestRecorderLimits keeps the newest requests within a custom count.
func TestRecorderLimits(t *testing.T) {
	t.Parallel()
	if _, err := New(WithRecorderLimits(-1, 0)); err == nil {
		t.Error("a negative limit was accepted")
	}
	srv, err := New(WithToken("T"), WithRecorderLimits(4, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for range 10 {
		r := httptest.NewRequest(http.MethodGet, "/v2.1/vpcs", nil)
		r.Header.Set("X-Auth-Token", "T")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		ids = append(ids, w.Header().Get("X-Request-Id"))
	}
	reqs := srv.Requests()
	if len(reqs) == 0 || len(reqs) > 4 || reqs[len(reqs)-1].RequestID != ids[9] {
		t.Errorf("%d requests kept, the newest %+v; want at most 4, the newest last", len(reqs), reqs)
	}
}
