package fake

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/gen"
)

// addRule puts a rule on ep by hand, bypassing the rules, with one target
// and the VPCs given, ACTIVE.
func addRule(s *Server, ep *endpoint, domain string, status gen.ResolverRuleStatus, due time.Time, vpcs ...string) *rule {
	r := &rule{id: s.st.newID(), name: "r", domain: domain, endpointID: ep.id, status: status, due: due,
		targets: []netip.Addr{netip.MustParseAddr("10.0.0.2")}, created: t0, updated: t0}
	for _, v := range vpcs {
		r.routers = append(r.routers, &router{vpcID: v, status: gen.StatusActive})
	}
	s.st.rules = append(s.st.rules, r)
	if r.live() {
		ep.rules++
	}
	return r
}

// TestCheckCatchesBrokenRules builds stores that break one rule invariant
// each and expects Check to name it.
func TestCheckCatchesBrokenRules(t *testing.T) {
	t.Parallel()
	later := t0.Add(time.Minute)
	tests := []struct {
		name   string
		mutate func(s *Server, ep *endpoint)
		want   string // in the error; "" for a store that keeps the rules
	}{
		{"intact", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusActive, time.Time{}, DefaultVPCID)
			addRule(s, ep, "b.example.com.", gen.ResolverRuleStatusPendingDelete, later, DefaultVPCID)
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusDeleted, time.Time{})
		}, ""},
		{"count too high", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusActive, time.Time{})
			ep.rules++
		}, "reports 2 resolver rules and has 1"},
		{"tombstone counted", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusDeleted, time.Time{})
			ep.rules++
		}, "reports 1 resolver rules and has 0"},
		{"rule on a missing endpoint", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusActive, time.Time{}).endpointID = "0123456789abcdef0123456789abcdef"
			ep.rules--
		}, "which does not exist"},
		{"rule on an endpoint being deleted", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusActive, time.Time{})
			ep.status, ep.due = gen.StatusPendingDelete, later
		}, "which does not exist, once the changes due at"},
		{"rule on an endpoint being created", func(s *Server, ep *endpoint) {
			ep.status, ep.due, ep.fresh = gen.StatusPendingCreate, later, true
			for _, ip := range ep.ips {
				ip.status, ip.due = gen.StatusPendingCreate, later
			}
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusPendingCreate, later)
		}, "still being created"},
		{"missing VPC", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusActive, time.Time{}, "0b0b0b0b-0000-4000-8000-000000000000")
		}, "not in the inventory"},
		{"VPC twice for a domain", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusActive, time.Time{}, DefaultVPCID)
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusActive, time.Time{}, DefaultVPCID)
		}, "associated twice with domain name a.example.com."},
		{"VPC twice on a rule", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusActive, time.Time{}, DefaultVPCID, DefaultVPCID)
		}, "associated twice"},
		{"tombstone with a VPC", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusDeleted, time.Time{}, DefaultVPCID)
		}, "deleted resolver rule"},
		{"no target", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusActive, time.Time{}).targets = nil
		}, "has 0 target IP addresses"},
		{"target twice", func(s *Server, ep *endpoint) {
			r := addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusActive, time.Time{})
			r.targets = append(r.targets, r.targets[0])
		}, "twice or not IPv4"},
		{"domain without its dot", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com", gen.ResolverRuleStatusActive, time.Time{})
		}, "without its trailing dot"},
		{"rule ID of an endpoint", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusActive, time.Time{}).id = ep.id
		}, "malformed or not unique"},
		{"unknown status", func(s *Server, ep *endpoint) {
			addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusError, time.Time{})
		}, "is ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, ep := brokenFixture(t)
			tt.mutate(s, ep)
			err := s.Check()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Check() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Check() = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestTombstonesAreBounded deletes more rules than maxTombstones keeps and
// checks that the oldest tombstones go, and the live rules stay.
func TestTombstonesAreBounded(t *testing.T) {
	t.Parallel()
	s, ep := brokenFixture(t)
	live := addRule(s, ep, "live.example.com.", gen.ResolverRuleStatusActive, time.Time{})
	var first, last *rule
	for i := range maxTombstones + 2 {
		r := addRule(s, ep, "a.example.com.", gen.ResolverRuleStatusPendingDelete, t0)
		if i == 0 {
			first = r
		}
		last = r
	}
	s.st.settle(t0)
	switch {
	case len(s.st.rules) != maxTombstones+1:
		t.Errorf("%d rules kept, want %d tombstones and the live rule", len(s.st.rules), maxTombstones)
	case s.st.findRule(first.id) != nil:
		t.Error("the oldest tombstone is kept")
	case s.st.findRule(last.id) == nil || s.st.findRule(live.id) == nil:
		t.Error("the newest tombstone or the live rule is gone")
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}
