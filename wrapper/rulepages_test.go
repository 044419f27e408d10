package wrapper_test

import (
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

// rulesFake starts a fake with an outbound endpoint holding n rules and
// returns a client of it, the endpoint and the rules' IDs in the fake's
// list order.
func rulesFake(t *testing.T, n int, opts ...wrapper.Option) (*wrapper.Client, *fake.Server, string, []string) {
	t.Helper()
	in := wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}
	c, srv := fakeClient(t, []fake.Option{fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "out", Direction: wrapper.Outbound, IPs: []wrapper.IPAddressInfo{in, in}})}, opts...)
	list, err := c.ListEndpoints(t.Context(), wrapper.ListEndpointsParams{Direction: wrapper.Outbound})
	if err != nil {
		t.Fatal(err)
	}
	ep := list.Endpoints[0].ID
	for i := range n {
		_, err := c.CreateResolverRule(t.Context(), wrapper.CreateResolverRuleRequest{Name: fmt.Sprintf("r-%d", i), DomainName: fmt.Sprintf("d%d.example.", i),
			EndpointID: ep, Ipaddresses: []wrapper.TargetIP{{IP: "10.0.0.2"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	page, err := c.ListResolverRules(t.Context(), wrapper.ListResolverRulesParams{})
	if err != nil || len(page.ResolverRules) != n {
		t.Fatalf("one page of every rule: %v, %v", page, err)
	}
	var ids []string
	for _, r := range page.ResolverRules {
		ids = append(ids, r.ID)
	}
	srv.ResetRequests()
	return c, srv, ep, ids
}

func ruleIDs(rules []wrapper.ListedResolverRule) []string {
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	return ids
}

// TestAllResolverRules walks the fake's rules by offset and by marker, as
// the caller chooses with params.Marker.
func TestAllResolverRules(t *testing.T) {
	t.Parallel()
	c, srv, ep, ids := rulesFake(t, 7)
	tests := []struct {
		name        string
		params      wrapper.ListResolverRulesParams
		want        []string
		wantQueries []string
	}{
		{"by offset, pages of 3", wrapper.ListResolverRulesParams{Limit: ptr(3)}, ids,
			[]string{"limit=3&offset=0", "limit=3&offset=3", "limit=3&offset=6"}},
		{"by offset, from an offset", wrapper.ListResolverRulesParams{Limit: ptr(3), Offset: ptr(5)}, ids[5:],
			[]string{"limit=3&offset=5"}},
		{"by marker, pages of 3", wrapper.ListResolverRulesParams{Limit: ptr(3), Marker: ptr("")}, ids,
			[]string{"limit=3", "limit=3&marker=" + ids[2], "limit=3&marker=" + ids[5]}},
		{"by marker, after a rule; offset left out", wrapper.ListResolverRulesParams{Limit: ptr(4), Offset: ptr(1), Marker: ptr(ids[1])}, ids[2:],
			[]string{"limit=4&marker=" + ids[1], "limit=4&marker=" + ids[5]}},
		{"by marker, exact multiple ends on the service's word", wrapper.ListResolverRulesParams{Limit: ptr(7), Marker: ptr("")}, ids,
			[]string{"limit=7"}},
		{"by marker, filtered", wrapper.ListResolverRulesParams{EndpointID: ptr(ep), Name: ptr("r-3"), Marker: ptr("")}, []string{ids[3]},
			[]string{"name=r-3&endpoint_id=" + ep}},
	}
	for _, tt := range tests {
		srv.ResetRequests()
		params := tt.params
		all, err := c.ListAllResolverRules(t.Context(), params)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, ruleIDs(all)); diff != "" {
			t.Errorf("%s: rules (-want +got):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(tt.wantQueries, queries(srv, "ListResolverRules")); diff != "" {
			t.Errorf("%s: queries (-want +got):\n%s", tt.name, diff)
		}
		if params != tt.params {
			t.Errorf("%s: the caller's params changed", tt.name)
		}
	}
}

// rulePages is a step that answers a list of n rules (n < 0: endlessly
// many) with marker paging and metadata.total_count total; with
// ignoreMarker always from the first rule, without pageInfo with no
// page_info: the servers the fake does not play.
func rulePages(n, total int, ignoreMarker, pageInfo bool) wrapper.Step {
	return func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		start := 0
		if m, ok := strings.CutPrefix(q.Get("marker"), "rule-"); ok && !ignoreMarker {
			i, _ := strconv.Atoi(m)
			start = i + 1
		}
		limit := 500
		if v := q.Get("limit"); v != "" {
			limit, _ = strconv.Atoi(v)
		}
		end := start + limit
		if n >= 0 {
			start, end = min(start, n), min(end, n)
		}
		rules := []map[string]any{}
		for i := start; i < end; i++ {
			rules = append(rules, map[string]any{"id": fmt.Sprintf("rule-%d", i), "name": "n", "domain_name": "d.", "endpoint_id": "e",
				"status": "ACTIVE", "rule_type": "FORWARD", "ipaddress_count": 1, "routers": []any{},
				"create_time": "2019-03-27T11:45:41.724", "update_time": "2019-03-27T11:45:41.724"})
		}
		body := map[string]any{"resolver_rules": rules, "metadata": map[string]any{"total_count": total}}
		if pageInfo {
			info := map[string]any{"current_count": len(rules)}
			if len(rules) > 0 && (n < 0 || end < n) {
				info["next_marker"] = fmt.Sprintf("rule-%d", end-1)
			}
			body["page_info"] = info
		}
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		return wrapper.Reply(200, string(b))(req)
	}
}

// TestResolverRuleMarkerWalks: the marker walk follows page_info, falls
// back to the last ID without it, and ends with ErrBadPaging, after a
// bounded number of requests, on a server that ignores the marker or lists
// without end.
func TestResolverRuleMarkerWalks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		answer    wrapper.Step
		opts      []wrapper.Option
		wantItems int
		wantReqs  int
		wantErr   error
	}{
		{"page_info leads", rulePages(7, 7, false, true), nil, 7, 3, nil},
		{"no page_info: after the last ID, until a short page", rulePages(7, 7, false, false), nil, 7, 3, nil},
		{"no page_info: until the total", rulePages(6, 6, false, false), nil, 6, 2, nil},
		{"marker ignored: the second page repeats the first", rulePages(7, 7, true, true), nil, 3, 2, wrapper.ErrBadPaging},
		{"endless list with a small total", rulePages(-1, 1, false, true), []wrapper.Option{wrapper.WithMaxListItems(10)}, 9, 4, wrapper.ErrBadPaging},
		{"a total above the cap", rulePages(-1, 11, false, true), []wrapper.Option{wrapper.WithMaxListItems(10)}, 0, 1, wrapper.ErrBadPaging},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := append([]wrapper.Option{wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1})}, tt.opts...)
			c, rec := scripted(t, wrapper.WithToken(testToken), []wrapper.Step{tt.answer}, opts...)
			all, err := c.ListAllResolverRules(t.Context(), wrapper.ListResolverRulesParams{Limit: ptr(3), Marker: ptr("")})
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "ListResolverRules") {
				t.Errorf("error %q does not name the operation", err)
			}
			if len(all) != tt.wantItems || len(rec.Requests()) != tt.wantReqs {
				t.Errorf("%d rules from %d requests, want %d from %d", len(all), len(rec.Requests()), tt.wantItems, tt.wantReqs)
			}
		})
	}
}

// TestResolverRuleOffsetRunaway: the offset walk has the endpoints' guard.
func TestResolverRuleOffsetRunaway(t *testing.T) {
	t.Parallel()
	c, rec := scripted(t, wrapper.WithToken(testToken), []wrapper.Step{rulePages(7, 7, true, false)}, wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1}))
	all, err := c.ListAllResolverRules(t.Context(), wrapper.ListResolverRulesParams{Limit: ptr(3)})
	if !errors.Is(err, wrapper.ErrBadPaging) || len(all) != 3 || len(rec.Requests()) != 2 {
		t.Errorf("%d rules from %d requests, err %v; want 3 from 2 and ErrBadPaging", len(all), len(rec.Requests()), err)
	}
}
