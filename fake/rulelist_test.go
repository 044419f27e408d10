package fake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/gen"
)

func ids(rules []gen.ListResolverRuleParam) []string {
	out := make([]string, 0, len(rules))
	for _, r := range rules {
		out = append(out, r.ID)
	}
	return out
}

// pagingFixture creates 7 rules at creation times out of order, two at the
// same instant, and returns their IDs in the order the list must give:
// by creation time, then ID.
func pagingFixture(t *testing.T) (*ruleAPI, []string) {
	t.Helper()
	a, clk := ruleServer(t, 0)
	type made struct {
		at time.Time
		id string
	}
	var all []made
	for i, step := range []time.Duration{3 * time.Second, -2 * time.Second, time.Second, 0, -3 * time.Second, 5 * time.Second, 0} {
		clk.Add(step)
		domain := []string{"a.example.com", "b.example.com"}[i%2]
		all = append(all, made{clk.Now(), a.mustCreate("rule-"+string(rune('a'+i)), domain, "10.0.0.2").ID})
	}
	slices.SortFunc(all, func(x, y made) int {
		if c := x.at.Compare(y.at); c != 0 {
			return c
		}
		return strings.Compare(x.id, y.id)
	})
	var want []string
	for _, m := range all {
		want = append(want, m.id)
	}
	return a, want
}

// TestListResolverRulesByOffset pages through the rules by offset.
func TestListResolverRulesByOffset(t *testing.T) {
	t.Parallel()
	a, wantIDs := pagingFixture(t)
	var got []string
	for off := 0; off < 20; off += 3 {
		page := a.list(gen.ListResolverRulesParams{Limit: ptr(3), Offset: ptr(off)})
		if page.Metadata.TotalCount != 7 {
			t.Fatalf("offset %d: total_count %d, want 7", off, page.Metadata.TotalCount)
		}
		if len(page.ResolverRules) == 0 {
			break
		}
		got = append(got, ids(page.ResolverRules)...)
	}
	if diff := cmp.Diff(wantIDs, got); diff != "" {
		t.Errorf("rules by offset (-want +got):\n%s", diff)
	}
	// No limit, and limit 0, mean the service's default of 500.
	if all := a.list(gen.ListResolverRulesParams{Limit: ptr(0)}); len(all.ResolverRules) != 7 {
		t.Errorf("limit 0 gave %d rules, want 7", len(all.ResolverRules))
	}
}

// TestListResolverRulesByMarker pages through the rules by marker, with
// page_info and with links.next, and refuses an unknown marker.
func TestListResolverRulesByMarker(t *testing.T) {
	t.Parallel()
	a, wantIDs := pagingFixture(t)
	var got, prevs []string
	marker := ""
	for range 10 {
		p := gen.ListResolverRulesParams{Limit: ptr(3)}
		if marker != "" {
			// The offset is ignored once a marker is given.
			p.Marker, p.Offset = &marker, ptr(5)
		}
		page := a.list(p)
		got = append(got, ids(page.ResolverRules)...)
		if page.PageInfo == nil || page.PageInfo.CurrentCount != len(page.ResolverRules) {
			t.Fatalf("page_info %+v for %d rules", page.PageInfo, len(page.ResolverRules))
		}
		prevs = append(prevs, page.PageInfo.PreviousMarker)
		marker = page.PageInfo.NextMarker
		if (marker == "") != (page.Links == nil || page.Links.Next == "") {
			t.Fatalf("next_marker %q but links %+v", marker, page.Links)
		}
		if marker == "" {
			break
		}
		if marker != got[len(got)-1] {
			t.Fatalf("next_marker %s, want the page's last rule %s", marker, got[len(got)-1])
		}
	}
	if diff := cmp.Diff(wantIDs, got); diff != "" {
		t.Errorf("rules by marker (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", "", wantIDs[2]}, prevs); diff != "" {
		t.Errorf("previous markers (-want +got):\n%s", diff)
	}

	bad := "0123456789abcdef0123456789abcdef"
	r, err := a.c.ListResolverRulesWithResponse(t.Context(), &gen.ListResolverRulesParams{Marker: &bad})
	want(t, r, err, http.StatusBadRequest, codeBadMarker)
}

// TestListResolverRulesNextLink follows links.next as a client that knows
// nothing of markers would.
func TestListResolverRulesNextLink(t *testing.T) {
	t.Parallel()
	a, wantIDs := pagingFixture(t)
	first := a.list(gen.ListResolverRulesParams{Limit: ptr(4)})
	if first.Links == nil || !strings.HasPrefix(first.Links.Self, a.srv.URL+"/v2.1/resolverrules?") {
		t.Fatalf("links %+v, want self under %s", first.Links, a.srv.URL)
	}
	u, err := url.Parse(first.Links.Next)
	if err != nil || u.Query().Get("limit") != "4" {
		t.Fatalf("links.next %q does not keep the limit", first.Links.Next)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, first.Links.Next, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Auth-Token", a.srv.Token)
	resp, err := a.srv.HTTPClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var next gen.ResolverRuleList
	if err := json.NewDecoder(resp.Body).Decode(&next); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET links.next: %d %v", resp.StatusCode, err)
	}
	got := append(ids(first.ResolverRules), ids(next.ResolverRules)...)
	if diff := cmp.Diff(wantIDs, got); diff != "" {
		t.Errorf("rules by links.next (-want +got):\n%s", diff)
	}
	if next.Links.Next != "" {
		t.Errorf("last page has links.next %q", next.Links.Next)
	}
}

// TestListResolverRulesFilters checks that each filter matches exactly,
// the domain name with or without its trailing dot.
func TestListResolverRulesFilters(t *testing.T) {
	t.Parallel()
	a, wantIDs := pagingFixture(t)
	count := func(t *testing.T, p gen.ListResolverRulesParams) int {
		t.Helper()
		l := a.list(p)
		if l.Metadata.TotalCount != len(l.ResolverRules) {
			t.Fatalf("total_count %d for %d rules", l.Metadata.TotalCount, len(l.ResolverRules))
		}
		return l.Metadata.TotalCount
	}
	tests := []struct {
		name string
		p    gen.ListResolverRulesParams
		want int
	}{
		{"domain", gen.ListResolverRulesParams{DomainName: ptr("a.example.com")}, 4},
		{"domain with its dot", gen.ListResolverRulesParams{DomainName: ptr("b.example.com.")}, 3},
		{"parent domain", gen.ListResolverRulesParams{DomainName: ptr("example.com")}, 0},
		{"name", gen.ListResolverRulesParams{Name: ptr("rule-c")}, 1},
		{"name prefix", gen.ListResolverRulesParams{Name: ptr("rule")}, 0},
		{"endpoint", gen.ListResolverRulesParams{EndpointID: ptr(a.ep)}, 7},
		{"other endpoint", gen.ListResolverRulesParams{EndpointID: ptr("0123456789abcdef0123456789abcdef")}, 0},
		{"id", gen.ListResolverRulesParams{ID: ptr(wantIDs[3])}, 1},
		{"domain and name", gen.ListResolverRulesParams{DomainName: ptr("a.example.com"), Name: ptr("rule-b")}, 0},
	}
	for _, tt := range tests { // no subtests: a.list fails the test it was made with
		if got := count(t, tt.p); got != tt.want {
			t.Errorf("%s: %d rules, want %d", tt.name, got, tt.want)
		}
	}
}
