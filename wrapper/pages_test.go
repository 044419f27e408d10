package wrapper_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// pagedFake starts a fake holding n endpoints of direction d, named ep-0,
// ep-1, ..., in that order, and returns a client of it without retries.
func pagedFake(t *testing.T, n int, d wrapper.Direction, opts ...wrapper.Option) (*wrapper.Client, *fake.Server) {
	t.Helper()
	in := wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}
	fopts := []fake.Option{fake.WithQuota(n, n)}
	for i := range n {
		fopts = append(fopts, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: fmt.Sprintf("ep-%d", i), Direction: d, IPs: []wrapper.IPAddressInfo{in, in}}))
	}
	return fakeClient(t, fopts, opts...)
}

// fakeClient starts a fake on loopback and returns a client of it, without
// retries, that checks every exchange against the API contract.
func fakeClient(t *testing.T, fopts []fake.Option, opts ...wrapper.Option) (*wrapper.Client, *fake.Server) {
	t.Helper()
	srv := fake.NewTestServer(t, fopts...)
	opts = append([]wrapper.Option{wrapper.WithToken(srv.Token), wrapper.WithHTTPClient(srv.HTTPClient(t)),
		wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1})}, opts...)
	c, err := wrapper.New(srv.URL, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv.Server
}

// queries returns the query of every request of op the fake received.
func queries(srv *fake.Server, op string) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.Operation == op {
			out = append(out, r.Query)
		}
	}
	return out
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
		name        string
		n           int
		limit       *int
		offset      *int
		want        []string // names
		wantQueries []string
	}{
		{"pages of 3", 7, ptr(3), nil, ids(7, 0, "ep"),
			[]string{"direction=inbound&limit=3&offset=0", "direction=inbound&limit=3&offset=3", "direction=inbound&limit=3&offset=6"}},
		{"exact multiple ends on the total", 6, ptr(3), nil, ids(6, 0, "ep"),
			[]string{"direction=inbound&limit=3&offset=0", "direction=inbound&limit=3&offset=3"}},
		{"default page size", 7, nil, nil, ids(7, 0, "ep"), []string{"direction=inbound&offset=0"}},
		{"limit 0 means the default", 7, ptr(0), nil, ids(7, 0, "ep"), []string{"direction=inbound&offset=0"}},
		{"from an offset", 7, ptr(3), ptr(2), ids(7, 2, "ep"),
			[]string{"direction=inbound&limit=3&offset=2", "direction=inbound&limit=3&offset=5"}},
		{"empty", 0, ptr(3), nil, nil, []string{"direction=inbound&limit=3&offset=0"}},
		{"offset past the end", 4, ptr(3), ptr(10), nil, []string{"direction=inbound&limit=3&offset=10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := pagedFake(t, tt.n, wrapper.Inbound)
			params := wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: tt.limit, Offset: tt.offset}
			before := fmt.Sprint(params.Limit, params.Offset, deref(params.Limit), deref(params.Offset))
			all, err := c.ListAllEndpoints(context.Background(), params)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ep := range all {
				got = append(got, ep.Name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("endpoints (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantQueries, queries(srv, "ListEndpoints")); diff != "" {
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
	c, srv := pagedFake(t, 10, wrapper.Outbound)
	var got []string
	for ep, err := range c.AllEndpoints(context.Background(), wrapper.ListEndpointsParams{Direction: wrapper.Outbound, Limit: ptr(2)}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ep.Name)
		if len(got) == 3 {
			break
		}
	}
	if n := len(queries(srv, "ListEndpoints")); len(got) != 3 || n != 2 {
		t.Errorf("read %v with %d requests, want 3 endpoints from 2 requests", got, n)
	}
}

func TestAllEndpointsError(t *testing.T) {
	t.Parallel()
	c, srv := pagedFake(t, 10, wrapper.Inbound)
	srv.InjectFault("ListEndpoints", 1, fake.Fault{}) // the first page as usual
	srv.InjectFault("ListEndpoints", 1, fake.ServiceError(500, "DNS.0001", "Internal error."))
	all, err := c.ListAllEndpoints(context.Background(), wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: ptr(4)})
	if !errors.Is(err, wrapper.ErrServer) {
		t.Fatalf("err = %v, want the 500 of the second page", err)
	}
	if n := len(queries(srv, "ListEndpoints")); len(all) != 4 || n != 2 {
		t.Errorf("got %d endpoints after %d requests, want the first page (4) and 2 requests", len(all), n)
	}
}

func TestAllEndpointVpcs(t *testing.T) {
	t.Parallel()
	// Five VPCs with one endpoint each; the fake lists VPCs in ID order.
	var fopts []fake.Option
	var want []string
	for i := range 5 {
		vpc := fmt.Sprintf("00000000-0000-4000-8000-00000000000%d", i)
		sn := fmt.Sprintf("00000000-0000-4000-9000-00000000000%d", i)
		in := wrapper.IPAddressInfo{SubnetID: sn}
		fopts = append(fopts, fake.WithVPC(fake.VPC{ID: vpc, Subnets: []fake.Subnet{{ID: sn, CIDR: fmt.Sprintf("10.0.%d.0/24", i)}}}),
			fake.WithSeedEndpoint(fake.SeedEndpoint{Name: fmt.Sprintf("ep-%d", i), Direction: wrapper.Inbound, IPs: []wrapper.IPAddressInfo{in, in}}))
		want = append(want, vpc)
	}
	c, srv := fakeClient(t, fopts)
	all, err := c.ListAllEndpointVpcs(context.Background(), wrapper.ListEndpointVpcsParams{Limit: ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range all {
		got = append(got, v.ID)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("VPCs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"limit=2&offset=0", "limit=2&offset=2", "limit=2&offset=4"}, queries(srv, "ListEndpointVpcs")); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
}

// pages is a step that answers a list of n endpoints with offset/limit
// paging and metadata.total_count total, or, with ignoreOffset, always from
// offset 0: the broken servers the fake does not play, and lists longer
// than the fake's address space holds.
func pages(n, total int, ignoreOffset bool) wrapper.Step {
	return func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		offset, _ := strconv.Atoi(q.Get("offset"))
		limit := 500
		if v := q.Get("limit"); v != "" {
			limit, _ = strconv.Atoi(v)
		}
		if ignoreOffset {
			offset = 0
		}
		eps := []map[string]any{}
		for i := min(offset, n); i < min(offset+limit, n); i++ {
			eps = append(eps, map[string]any{"id": fmt.Sprintf("ep-%d", i), "name": "n", "direction": "inbound", "status": "ACTIVE",
				"vpc_id": "v", "ipaddress_count": 2, "resolver_rule_count": 0, "create_time": "2019-03-27T11:45:41.724", "update_time": "2019-03-27T11:45:41.724"})
		}
		body, err := json.Marshal(map[string]any{"endpoints": eps, "metadata": map[string]any{"total_count": total}})
		if err != nil {
			return nil, err
		}
		return wrapper.Reply(200, string(body))(req)
	}
}

// TestRunawayLists: a server that ignores offset, or reports a total no
// real project has, ends the walk with ErrBadPaging after a bounded number
// of requests, instead of filling memory.
func TestRunawayLists(t *testing.T) {
	t.Parallel()
	const most = wrapper.DefaultMaxListItems
	tests := []struct {
		name      string
		answer    wrapper.Step
		limit     *int
		opts      []wrapper.Option
		wantItems int
		wantReqs  int
		wantErr   error
	}{
		{"offset ignored: the second page repeats the first", pages(7, 7, true), ptr(3), nil, 3, 2, wrapper.ErrBadPaging},
		{"offset ignored with a huge total", pages(1<<30, 1<<30, true), nil, nil, 0, 1, wrapper.ErrBadPaging},
		{"more than the default cap", pages(most+1, most+1, false), nil, nil, 0, 1, wrapper.ErrBadPaging},
		{"exactly the default cap", pages(most, most, false), nil, nil, most, most / 500, nil},
		{"a raised cap", pages(most+1, most+1, false), nil, []wrapper.Option{wrapper.WithMaxListItems(most + 1)}, most + 1, most/500 + 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := append([]wrapper.Option{wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1})}, tt.opts...)
			c, rec := scripted(t, wrapper.WithToken(testToken), []wrapper.Step{tt.answer}, opts...)
			all, err := c.ListAllEndpoints(t.Context(), wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: tt.limit})
			checkRunaway(t, all, err, len(rec.Requests()), tt.wantItems, tt.wantReqs, tt.wantErr)
		})
	}
}

// TestLoweredListCap: a cap below the total the server reports ends the
// walk at the first page.
func TestLoweredListCap(t *testing.T) {
	t.Parallel()
	c, srv := pagedFake(t, 5, wrapper.Inbound, wrapper.WithMaxListItems(4))
	all, err := c.ListAllEndpoints(t.Context(), wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: ptr(2)})
	checkRunaway(t, all, err, len(queries(srv, "ListEndpoints")), 0, 1, wrapper.ErrBadPaging)
}

func checkRunaway(t *testing.T, all []wrapper.Endpoint, err error, reqs, wantItems, wantReqs int, wantErr error) {
	t.Helper()
	if wantErr == nil && err != nil || wantErr != nil && !errors.Is(err, wantErr) {
		t.Fatalf("err = %v, want %v", err, wantErr)
	}
	if err != nil && !strings.Contains(err.Error(), "ListEndpoints") {
		t.Errorf("error %q does not name the operation", err)
	}
	if len(all) != wantItems || reqs != wantReqs {
		t.Errorf("%d endpoints from %d requests, want %d from %d", len(all), reqs, wantItems, wantReqs)
	}
}
