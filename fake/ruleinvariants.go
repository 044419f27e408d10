package fake

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/dnsep/dnsep/gen"
)

// checkRules checks the invariants of the resolver rules, as the store
// stands and at each instant a pending change (of a rule, an association,
// an endpoint or an address) settles: ids holds the IDs of the endpoints and
// addresses, which rule IDs must not repeat.
func (st *store) checkRules(ids map[string]bool) error {
	if err := st.checkRulesNow(ids); err != nil {
		return err
	}
	if len(st.rules) == 0 {
		return nil
	}
	for _, t := range st.allDues() {
		tmp := st.cloneForRules()
		tmp.settle(t)
		if err := tmp.checkRulesNow(nil); err != nil {
			return fmt.Errorf("%w, once the changes due at %s settle", err, t.Format(time.RFC3339Nano))
		}
	}
	return nil
}

// checkRulesNow checks the rules as the store stands: well-formed unique
// IDs; 1 to 5 distinct targets; a domain name with its trailing dot; a live
// rule sits on an endpoint that exists and has been created; each
// endpoint's count equals its live rules; a tombstone has no VPCs; a VPC is
// in the inventory, once on a rule and on one live rule per domain name.
func (st *store) checkRulesNow(ids map[string]bool) error {
	if ids == nil {
		ids = map[string]bool{}
	}
	counts := map[string]int{}
	owner := map[string]string{} // domain + " " + VPC -> rule ID
	for _, r := range st.rules {
		if !isID(r.id) || ids[r.id] {
			return fmt.Errorf("fake: resolver rule ID %q is malformed or not unique", r.id)
		}
		ids[r.id] = true
		if !strings.HasSuffix(r.domain, ".") {
			return fmt.Errorf("fake: resolver rule %s has domain name %q without its trailing dot", r.id, r.domain)
		}
		if err := checkTargets(r); err != nil {
			return err
		}
		switch r.status {
		case gen.ResolverRuleStatusDeleted:
			if len(r.routers) > 0 {
				return fmt.Errorf("fake: deleted resolver rule %s has %d VPCs", r.id, len(r.routers))
			}
			continue
		case gen.ResolverRuleStatusPendingCreate, gen.ResolverRuleStatusActive, gen.ResolverRuleStatusPendingDelete:
		default:
			return fmt.Errorf("fake: resolver rule %s is %s", r.id, r.status)
		}
		ep := st.find(r.endpointID)
		switch {
		case ep == nil:
			return fmt.Errorf("fake: resolver rule %s is on endpoint %s, which does not exist", r.id, r.endpointID)
		case ep.fresh:
			return fmt.Errorf("fake: resolver rule %s is on endpoint %s, which is still being created", r.id, ep.id)
		}
		counts[ep.id]++
		for _, rt := range r.routers {
			key := r.domain + " " + rt.vpcID
			switch {
			case !st.vpcs[rt.vpcID]:
				return fmt.Errorf("fake: resolver rule %s is associated with VPC %s, which is not in the inventory", r.id, rt.vpcID)
			case owner[key] != "":
				return fmt.Errorf("fake: VPC %s is associated twice with domain name %s (rules %s and %s)", rt.vpcID, r.domain, owner[key], r.id)
			case rt.status != gen.StatusPendingCreate && rt.status != gen.StatusActive && rt.status != gen.StatusPendingDelete:
				return fmt.Errorf("fake: VPC %s of resolver rule %s is %s", rt.vpcID, r.id, rt.status)
			}
			owner[key] = r.id
		}
	}
	for _, ep := range st.endpoints {
		if ep.rules != counts[ep.id] {
			return fmt.Errorf("fake: endpoint %s reports %d resolver rules and has %d", ep.id, ep.rules, counts[ep.id])
		}
	}
	return nil
}

func checkTargets(r *rule) error {
	if n := len(r.targets); n < 1 || n > 5 {
		return fmt.Errorf("fake: resolver rule %s has %d target IP addresses, want 1 to 5", r.id, n)
	}
	for i, a := range r.targets {
		if !a.Is4() || slices.Contains(r.targets[:i], a) {
			return fmt.Errorf("fake: resolver rule %s has target %s twice or not IPv4", r.id, a)
		}
	}
	return nil
}

// allDues returns every instant a pending change of the store settles, in
// order.
func (st *store) allDues() []time.Time {
	var ts []time.Time
	for _, ep := range st.endpoints {
		ts = append(ts, ep.dues()...)
	}
	for _, r := range st.rules {
		if r.status != gen.ResolverRuleStatusActive && r.live() {
			ts = append(ts, r.due)
		}
		for _, rt := range r.routers {
			if rt.status != gen.StatusActive {
				ts = append(ts, rt.due)
			}
		}
	}
	slices.SortFunc(ts, time.Time.Compare)
	return slices.CompactFunc(ts, time.Time.Equal)
}

// cloneForRules returns a deep copy of the endpoints and rules of st, for
// checkRules to settle; the addresses' bookkeeping is copied too, since
// settling endpoints updates it.
func (st *store) cloneForRules() *store {
	c := &store{vpcs: st.vpcs, used: make(map[netip.Addr]bool, len(st.used))}
	for a := range st.used {
		c.used[a] = true
	}
	for _, ep := range st.endpoints {
		c.endpoints = append(c.endpoints, ep.clone())
	}
	for _, r := range st.rules {
		c.rules = append(c.rules, r.clone())
	}
	return c
}
