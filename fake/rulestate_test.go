package fake

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/gen"
)

// ruleStateFixture builds, through the API, rules in every state a saved
// file can hold: ACTIVE with an ACTIVE and a pending association, pending
// creation, pending deletion, and a tombstone. It returns the API, the
// clock and the state.
func ruleStateFixture(t *testing.T) (*ruleAPI, *TestClock, []byte) {
	t.Helper()
	a, clk := ruleServer(t, time.Minute)
	r1 := a.mustCreate("r1", "a.example.com", "10.0.0.2", "10.0.0.3").ID
	gone := a.mustCreate("gone", "b.example.com", "10.0.0.4").ID
	leaving := a.mustCreate("leaving", "c.example.com", "10.0.0.5").ID
	clk.Add(time.Minute)
	for _, step := range []func() (answer, error){
		func() (answer, error) { return a.associate(r1, ruleVPC.ID) },
		func() (answer, error) { return a.del(gone) },
	} {
		r, err := step()
		want(t, r, err, 202, "")
	}
	clk.Add(time.Minute)
	for _, step := range []func() (answer, error){
		func() (answer, error) { return a.associate(r1, DefaultVPCID) },
		func() (answer, error) { return a.del(leaving) },
	} {
		r, err := step()
		want(t, r, err, 202, "")
	}
	a.mustCreate("new", "d.example.com", "10.0.0.6")
	a.mustShow(gone) // settles the first deletion
	data, err := a.srv.Server.State()
	if err != nil {
		t.Fatal(err)
	}
	return a, clk, data
}

// readRules is what the API shows of the rules: each one by ID (deleted
// ones included), the list and the endpoint's count.
func readRules(a *ruleAPI, ruleIDs []string) map[string]any {
	out := map[string]any{"list": a.list(gen.ListResolverRulesParams{}).ResolverRules, "count": a.ruleCount(a.ep)}
	for _, id := range ruleIDs {
		out[id] = a.mustShow(id)
	}
	return out
}

// TestRuleStateRoundTrip saves rules in every state, starts a new fake from
// the file and checks that both show the same, now and once the pending
// changes settle, and that the new fake saves the same file.
func TestRuleStateRoundTrip(t *testing.T) {
	t.Parallel()
	a, clk, data := ruleStateFixture(t)
	if !strings.Contains(string(data), `"resolver_rules"`) || !strings.Contains(string(data), `"DELETED"`) {
		t.Fatalf("state without the rules or the tombstone:\n%s", data)
	}
	b, clk2 := ruleServer(t, time.Minute, WithState(data))
	clk2.Add(clk.Now().Sub(t0))
	var ruleIDs []string
	for _, r := range a.srv.Server.st.rules {
		ruleIDs = append(ruleIDs, r.id)
	}
	if again, err := b.srv.Server.State(); err != nil || string(again) != string(data) {
		t.Fatalf("the restored fake saves another state (%v):\n%s", err, cmp.Diff(string(data), string(again)))
	}
	if diff := cmp.Diff(readRules(a, ruleIDs), readRules(b, ruleIDs)); diff != "" {
		t.Errorf("restored rules (-saved +restored):\n%s", diff)
	}
	clk.Add(time.Minute)
	clk2.Add(time.Minute)
	if diff := cmp.Diff(readRules(a, ruleIDs), readRules(b, ruleIDs)); diff != "" {
		t.Errorf("restored rules once settled (-saved +restored):\n%s", diff)
	}
	if err := b.srv.Server.Check(); err != nil {
		t.Error(err)
	}
}

// TestRuleStateWithoutRules loads a version 1 file written before rules
// existed: it has no resolver_rules field.
func TestRuleStateWithoutRules(t *testing.T) {
	t.Parallel()
	const old = `{"version": 1, "token": "tok", "endpoints": []}`
	s, err := New(WithState([]byte(old)))
	if err != nil {
		t.Fatal(err)
	}
	data, err := s.State()
	if err != nil || strings.Contains(string(data), "resolver_rules") {
		t.Errorf("a fake without rules saves %s (%v), want no resolver_rules field", data, err)
	}
}

// TestRuleStateErrors breaks the rules of a good state one way each.
func TestRuleStateErrors(t *testing.T) {
	t.Parallel()
	_, _, good := ruleStateFixture(t)
	edit := func(f func(doc map[string]any, r map[string]any)) []byte {
		var doc map[string]any
		if err := json.Unmarshal(good, &doc); err != nil {
			t.Fatal(err)
		}
		f(doc, doc["resolver_rules"].([]any)[0].(map[string]any))
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name  string
		state []byte
		want  string
	}{
		{"missing endpoint", edit(func(_, r map[string]any) { r["endpoint_id"] = "0123456789abcdef0123456789abcdef" }), "is not in the state"},
		{"endpoint gone", edit(func(doc, _ map[string]any) { doc["endpoints"] = []any{} }), "is not in the state"},
		{"bad status", edit(func(_, r map[string]any) { r["status"] = "ERROR" }), `status "ERROR"`},
		{"pending without due time", edit(func(_, r map[string]any) { r["status"] = "PENDING_DELETE" }), "no due_time"},
		{"bad target", edit(func(_, r map[string]any) { r["ipaddresses"] = []any{"fe80::1"} }), "not an IPv4 address"},
		{"six targets", edit(func(_, r map[string]any) {
			r["ipaddresses"] = []any{"1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6"}
		}), "6 target IP addresses"},
		{"unknown VPC", edit(func(_, r map[string]any) {
			r["routers"].([]any)[0].(map[string]any)["router_id"] = "0b0b0b0b-0000-4000-8000-000000000000"
		}), "not in the inventory"},
		{"VPC twice", edit(func(_, r map[string]any) {
			rs := r["routers"].([]any)
			r["routers"] = append(rs, rs[0])
		}), "associated twice"},
		{"bad name", edit(func(_, r map[string]any) { r["name"] = "a b" }), "invalid name"},
		{"no dot", edit(func(_, r map[string]any) { r["domain_name"] = "a.example.com" }), "trailing dot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(WithVPC(ruleVPC), WithState(tt.state))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error with %q", err, tt.want)
			}
		})
	}
}
