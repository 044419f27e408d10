package openapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dnsep/dnsep/gen"
	"github.com/dnsep/dnsep/openapi"
)

// violations is an openapi.Reporter that collects what it is told.
type violations struct {
	mu  sync.Mutex
	got []string
}

func (v *violations) Helper() {}

func (v *violations) Errorf(format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.got = append(v.got, fmt.Sprintf(format, args...))
}

// answer is an http.RoundTripper that answers every request with status,
// body and header, without a network.
type answer struct {
	status int
	body   string
	header http.Header
}

func (a answer) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: a.status, Header: a.header, Request: req,
		Body: io.NopCloser(strings.NewReader(a.body)), ContentLength: int64(len(a.body)),
	}, nil
}

// validateAnswer sends GET path through the validating RoundTripper to an
// answer of status 200 with body and header, and returns the violations.
func validateAnswer(t *testing.T, path string, body map[string]any, header http.Header) []string {
	t.Helper()
	v, err := openapi.NewValidator(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	var r violations
	client := &http.Client{Transport: v.RoundTripper(answer{http.StatusOK, string(data), header}, &r)}
	resp, err := client.Get("http://127.0.0.1" + path)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return r.got
}

// TestResponseRequiredness pins, field by field, which fields a real answer
// may leave out. A field is required only where a source backs it (see the
// descriptions in the document); the others must not fail validation.
func TestResponseRequiredness(t *testing.T) {
	t.Parallel()
	endpoint := func() map[string]any {
		return map[string]any{
			"id": "ff80808169bf16c70169bf1d02270000", "name": "endpoint-inbound-1", "direction": "inbound",
			"status": "ACTIVE", "vpc_id": "dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b", "ipaddress_count": 3,
			"resolver_rule_count": 0, "create_time": "2019-03-27T12:25:43.181", "update_time": "2019-03-27T12:26:05.402",
		}
	}
	ipaddress := func() map[string]any {
		return map[string]any{
			"id": "ff80808169bf16c70169bf1d04ba0001", "ip": "192.168.0.10", "subnet_id": "7c4f8a1e-3b2d-4e6f-8a9b-0c1d2e3f4a5b",
			"status": "ACTIVE", "error_info": nil, "create_time": "2019-03-27T12:25:43.181", "update_time": "2019-03-27T12:26:05.402",
		}
	}
	vpc := func() map[string]any {
		return map[string]any{"id": "dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b", "inbound_endpoint_count": 1, "outbound_endpoint_count": 2}
	}
	rule := func() map[string]any {
		return map[string]any{
			"id": "8a36f60a753badb401753bade3400002", "name": "rule-xxx", "domain_name": "www.example.com.",
			"endpoint_id": "8a36f60a753badb401753bade3400001", "status": "ACTIVE", "rule_type": "FORWARD",
			"ipaddress_count": 1, "ipaddresses": []any{map[string]any{"ip": "10.0.0.2"}},
			"routers":     []any{map[string]any{"router_id": "ff7bd47f-3f12-4f24-a078-e6064abaa670", "router_region": "eu-de", "status": "ACTIVE"}},
			"create_time": "2020-10-18T12:27:31.448", "update_time": "2020-10-18T12:27:31.448",
		}
	}
	listedRule := func() map[string]any {
		r := rule()
		delete(r, "ipaddresses")
		return r
	}
	const (
		showRule  = "/v2.1/resolverrules/8a36f60a753badb401753bade3400002"
		listRules = "/v2.1/resolverrules"
		show      = "/v2.1/endpoints/ff80808169bf16c70169bf1d02270000"
		ips       = show + "/ipaddresses"
		vpcs      = "/v2.1/vpcs"
	)
	tests := []struct {
		path     string
		wrap     func(map[string]any) map[string]any
		item     func() map[string]any
		optional []string // every other field is required
	}{
		{show, func(e map[string]any) map[string]any { return map[string]any{"endpoint": e} }, endpoint, []string{"resolver_rule_count"}},
		{ips, func(a map[string]any) map[string]any { return map[string]any{"ipaddresses": []any{a}} }, ipaddress, nil},
		{vpcs, func(v map[string]any) map[string]any {
			return map[string]any{"vpcs": []any{v}, "metadata": map[string]any{"total_count": 1}}
		}, vpc, []string{"inbound_endpoint_count", "outbound_endpoint_count"}},
		{showRule, func(r map[string]any) map[string]any { return map[string]any{"resolver_rule": r} }, rule, nil},
		// links and page_info are documented but on no example: a list
		// without them is valid.
		{listRules, func(r map[string]any) map[string]any {
			return map[string]any{"resolver_rules": []any{r}, "metadata": map[string]any{"total_count": 1}}
		}, listedRule, nil},
	}
	header := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"d59058a3efc5f8ca152d53154f90444b"}}
	for _, tt := range tests {
		if got := validateAnswer(t, tt.path, tt.wrap(tt.item()), header); len(got) != 0 {
			t.Fatalf("GET %s, every field present: %q", tt.path, got)
		}
		for field := range tt.item() {
			item := tt.item()
			delete(item, field)
			got := validateAnswer(t, tt.path, tt.wrap(item), header)
			wantOptional := slices.Contains(tt.optional, field)
			switch {
			case wantOptional && len(got) != 0:
				t.Errorf("GET %s without %s: %q, want no violation: no source says it is always sent", tt.path, field, got)
			case !wantOptional && len(got) == 0:
				t.Errorf("GET %s without %s: no violation, want one: the sources back it", tt.path, field)
			}
		}
	}
	// The gateway's X-Request-Id is not on the API pages: its absence is valid.
	if got := validateAnswer(t, show, map[string]any{"endpoint": endpoint()}, http.Header{"Content-Type": {"application/json"}}); len(got) != 0 {
		t.Errorf("GET %s without X-Request-Id: %q, want no violation", show, got)
	}
}

// TestResolverRuleCountStaysAValue checks that the optional field kept its
// ergonomic Go type: absent reads as 0, and 0 is still sent, as the API
// pages' examples show.
func TestResolverRuleCountStaysAValue(t *testing.T) {
	t.Parallel()
	var ep gen.EndpointResp
	if err := json.Unmarshal([]byte(`{"id":"a","ipaddress_count":2}`), &ep); err != nil {
		t.Fatal(err)
	}
	n := ep.ResolverRuleCount // comparing it with 0 does not compile if it became a pointer
	if n != 0 {
		t.Errorf("absent resolver_rule_count reads as %d, want 0", n)
	}
	data, err := json.Marshal(ep)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"resolver_rule_count":0`) {
		t.Errorf("a zero resolver_rule_count is left out: %s", data)
	}
}
