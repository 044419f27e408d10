package wrapper_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/wrapper"
)

// listServer serves n endpoints and n VPCs with offset/limit paging, and
// records the query of every request.
type listServer struct {
	n             int
	ignoreOffset  bool // a broken server that always answers from offset 0
	total         int  // the total_count reported, if not n
	failAtRequest int  // answer 500 DNS.0001 to this request (1-based), 0 for never
	mu            sync.Mutex
	queries       []string
}

func (s *listServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.queries = append(s.queries, r.URL.RawQuery)
	n := len(s.queries)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if n == s.failAtRequest {
		w.WriteHeader(500)
		fmt.Fprint(w, `{"code":"DNS.0001","message":"Internal error."}`)
		return
	}
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit := 500
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	if s.ignoreOffset {
		offset = 0
	}
	lo, hi := min(offset, s.n), min(offset+limit, s.n)
	total := s.n
	if s.total != 0 {
		total = s.total
	}
	var body map[string]any
	if r.URL.Path == "/v2.1/vpcs" {
		vpcs := []map[string]any{}
		for i := lo; i < hi; i++ {
			vpcs = append(vpcs, map[string]any{"id": fmt.Sprintf("vpc-%d", i), "inbound_endpoint_count": 1})
		}
		body = map[string]any{"vpcs": vpcs, "metadata": map[string]any{"total_count": total}}
	} else {
		eps := []map[string]any{}
		for i := lo; i < hi; i++ {
			eps = append(eps, map[string]any{"id": fmt.Sprintf("ep-%d", i), "name": "n", "direction": "inbound", "status": "ACTIVE",
				"vpc_id": "v", "ipaddress_count": 2, "resolver_rule_count": 0, "create_time": "2019-03-27T11:45:41.724", "update_time": "2019-03-27T11:45:41.724"})
		}
		body = map[string]any{"endpoints": eps, "metadata": map[string]any{"total_count": total}}
	}
	json.NewEncoder(w).Encode(body)
}

func (s *listServer) client(t *testing.T, opts ...wrapper.Option) *wrapper.Client {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := wrapper.New(srv.URL, append([]wrapper.Option{wrapper.WithToken("t"), wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ids(n, from int, prefix string) []string {
	var out []string
	for i := from; i < n; i++ {
		out = append(out, fmt.Sprintf("%s-%d", prefix, i))
	}
	return out
}

func TestAllEndpoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		n            int
		limit        *int
		offset       *int
		ignoreOffset bool
		want         []string
		wantQueries  []string
	}{
		{"pages of 3", 7, ptr(3), nil, false, ids(7, 0, "ep"),
			[]string{"direction=inbound&limit=3&offset=0", "direction=inbound&limit=3&offset=3", "direction=inbound&limit=3&offset=6"}},
		{"exact multiple ends on the total", 6, ptr(3), nil, false, ids(6, 0, "ep"),
			[]string{"direction=inbound&limit=3&offset=0", "direction=inbound&limit=3&offset=3"}},
		{"default page size", 7, nil, nil, false, ids(7, 0, "ep"), []string{"direction=inbound&offset=0"}},
		{"limit 0 means the default", 7, ptr(0), nil, false, ids(7, 0, "ep"), []string{"direction=inbound&offset=0"}},
		{"from an offset", 7, ptr(3), ptr(2), false, ids(7, 2, "ep"),
			[]string{"direction=inbound&limit=3&offset=2", "direction=inbound&limit=3&offset=5"}},
		{"empty", 0, ptr(3), nil, false, nil, []string{"direction=inbound&limit=3&offset=0"}},
		{"offset past the end", 4, ptr(3), ptr(10), false, nil, []string{"direction=inbound&limit=3&offset=10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &listServer{n: tt.n, ignoreOffset: tt.ignoreOffset}
			c := s.client(t)
			params := wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: tt.limit, Offset: tt.offset}
			before := fmt.Sprint(params.Limit, params.Offset, deref(params.Limit), deref(params.Offset))
			all, err := c.ListAllEndpoints(context.Background(), params)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ep := range all {
				got = append(got, ep.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("endpoints (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantQueries, s.queries); diff != "" {
				t.Errorf("queries (-want +got):\n%s", diff)
			}
			if after := fmt.Sprint(params.Limit, params.Offset, deref(params.Limit), deref(params.Offset)); after != before {
				t.Errorf("the caller's params changed: %s -> %s", before, after)
			}
		})
	}
}

func deref(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

func TestAllEndpointsStopsEarly(t *testing.T) {
	t.Parallel()
	s := &listServer{n: 10}
	c := s.client(t)
	var got []string
	for ep, err := range c.AllEndpoints(context.Background(), wrapper.ListEndpointsParams{Direction: wrapper.Outbound, Limit: ptr(2)}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ep.ID)
		if len(got) == 3 {
			break
		}
	}
	if len(got) != 3 || len(s.queries) != 2 {
		t.Errorf("read %v with %d requests, want 3 endpoints from 2 requests", got, len(s.queries))
	}
}

func TestAllEndpointsError(t *testing.T) {
	t.Parallel()
	s := &listServer{n: 10, failAtRequest: 2}
	c := s.client(t)
	all, err := c.ListAllEndpoints(context.Background(), wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: ptr(4)})
	if !errors.Is(err, wrapper.ErrServer) {
		t.Fatalf("err = %v, want the 500 of the second page", err)
	}
	if len(all) != 4 || len(s.queries) != 2 {
		t.Errorf("got %d endpoints after %d requests, want the first page (4) and 2 requests", len(all), len(s.queries))
	}
}

func TestAllEndpointVpcs(t *testing.T) {
	t.Parallel()
	s := &listServer{n: 5}
	c := s.client(t)
	all, err := c.ListAllEndpointVpcs(context.Background(), wrapper.ListEndpointVpcsParams{Limit: ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range all {
		got = append(got, v.ID)
	}
	if diff := cmp.Diff(ids(5, 0, "vpc"), got); diff != "" {
		t.Errorf("VPCs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"limit=2&offset=0", "limit=2&offset=2", "limit=2&offset=4"}, s.queries); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
}

// TestRunawayLists: a server that ignores offset, or reports a total no
// real project has, ends the walk with ErrBadPaging after a bounded number
// of requests, instead of filling memory.
func TestRunawayLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		server    *listServer
		limit     *int
		opts      []wrapper.Option
		wantItems int
		wantReqs  int
		wantErr   error
	}{
		{"offset ignored: the second page repeats the first", &listServer{n: 7, ignoreOffset: true}, ptr(3), nil, 3, 2, wrapper.ErrBadPaging},
		{"offset ignored with a huge total", &listServer{n: 1 << 30, ignoreOffset: true, total: 1 << 30}, nil, nil, 0, 1, wrapper.ErrBadPaging},
		{"more than the default cap", &listServer{n: wrapper.DefaultMaxListItems + 1}, nil, nil, 0, 1, wrapper.ErrBadPaging},
		{"exactly the default cap", &listServer{n: wrapper.DefaultMaxListItems}, nil, nil, wrapper.DefaultMaxListItems, wrapper.DefaultMaxListItems / 500, nil},
		{"a raised cap", &listServer{n: wrapper.DefaultMaxListItems + 1}, nil, []wrapper.Option{wrapper.WithMaxListItems(wrapper.DefaultMaxListItems + 1)}, wrapper.DefaultMaxListItems + 1, wrapper.DefaultMaxListItems/500 + 1, nil},
		{"a lowered cap", &listServer{n: 5}, ptr(2), []wrapper.Option{wrapper.WithMaxListItems(4)}, 0, 1, wrapper.ErrBadPaging},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tt.server
			c := s.client(t, tt.opts...)
			all, err := c.ListAllEndpoints(t.Context(), wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: tt.limit})
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "ListEndpoints") {
				t.Errorf("error %q does not name the operation", err)
			}
			if len(all) != tt.wantItems || len(s.queries) != tt.wantReqs {
				t.Errorf("%d endpoints from %d requests, want %d from %d", len(all), len(s.queries), tt.wantItems, tt.wantReqs)
			}
		})
	}
}
