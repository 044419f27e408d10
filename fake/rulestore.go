package fake

import (
	"net/netip"
	"slices"
	"time"

	"github.com/dnsep/dnsep/gen"
	"github.com/dnsep/dnsep/openapi/apitime"
)

// rule is a resolver rule in the store. A deleted rule stays as a
// tombstone (status DELETED, no VPCs) for ShowResolverRule.
type rule struct {
	id, name         string
	domain           string // with its trailing dot
	endpointID       string
	status           gen.ResolverRuleStatus
	due              time.Time // when a PENDING_* status settles
	targets          []netip.Addr
	routers          []*router // in association order
	created, updated time.Time
}

// router is the association of a VPC with a rule.
type router struct {
	vpcID  string
	status gen.Status
	due    time.Time
}

// live reports whether r counts: every rule but a tombstone.
func (r *rule) live() bool { return r.status != gen.ResolverRuleStatusDeleted }

// busy reports whether r or one of its associations has a change pending,
// during which the service refuses writes to it (409).
func (r *rule) busy() bool {
	if r.status != gen.ResolverRuleStatusActive {
		return true
	}
	for _, rt := range r.routers {
		if rt.status != gen.StatusActive {
			return true
		}
	}
	return false
}

func (r *rule) router(vpcID string) *router {
	for _, rt := range r.routers {
		if rt.vpcID == vpcID {
			return rt
		}
	}
	return nil
}

// findRule returns the rule with the ID, tombstones included, or nil.
func (st *store) findRule(id string) *rule {
	for _, r := range st.rules {
		if r.id == id {
			return r
		}
	}
	return nil
}

// liveRules counts the rules that are not deleted, for the quota.
func (st *store) liveRules() int {
	n := 0
	for _, r := range st.rules {
		if r.live() {
			n++
		}
	}
	return n
}

// settleRules applies the rule and association transitions due at now. A
// rule whose deletion settles leaves its endpoint's count and its VPCs; the
// oldest tombstones beyond maxTombstones are dropped.
func (st *store) settleRules(now time.Time) {
	deleted := 0
	for _, r := range st.rules {
		r.routers = slices.DeleteFunc(r.routers, func(rt *router) bool {
			if rt.status == gen.StatusActive || rt.due.After(now) {
				return false
			}
			if rt.status == gen.StatusPendingDelete {
				return true
			}
			rt.status = gen.StatusActive
			return false
		})
		if r.status != gen.ResolverRuleStatusActive && r.status != gen.ResolverRuleStatusDeleted && !r.due.After(now) {
			switch r.status {
			case gen.ResolverRuleStatusPendingCreate:
				r.status, r.updated = gen.ResolverRuleStatusActive, r.due
			case gen.ResolverRuleStatusPendingDelete:
				r.status, r.updated, r.routers = gen.ResolverRuleStatusDeleted, r.due, nil
				if ep := st.find(r.endpointID); ep != nil {
					ep.rules--
				}
			}
		}
		if !r.live() {
			deleted++
		}
	}
	for drop := deleted - maxTombstones; drop > 0; {
		i := slices.IndexFunc(st.rules, func(r *rule) bool { return !r.live() })
		st.rules = slices.Delete(st.rules, i, i+1)
		drop--
	}
}

// param renders r as the writes answer it.
func (r *rule) param() gen.ResolverRuleParam {
	return gen.ResolverRuleParam{
		ID: r.id, Name: r.name, DomainName: r.domain, EndpointID: r.endpointID, Status: r.status,
		RuleType: "FORWARD", IpaddressCount: len(r.targets),
		CreateTime: apitime.New(r.created), UpdateTime: apitime.New(r.updated),
	}
}

// routerViews renders r's associations; the service reports the VPCs of
// the caller's region, the fake's.
func (r *rule) routerViews(region string) []gen.Router {
	out := make([]gen.Router, 0, len(r.routers)) // never null: the field is required
	for _, rt := range r.routers {
		out = append(out, gen.Router{RouterID: rt.vpcID, RouterRegion: region, Status: rt.status})
	}
	return out
}

// listed renders r as ListResolverRules shows it.
func (r *rule) listed(region string) gen.ListResolverRuleParam {
	p := r.param()
	return gen.ListResolverRuleParam{
		ID: p.ID, Name: p.Name, DomainName: p.DomainName, EndpointID: p.EndpointID, Status: p.Status,
		RuleType: p.RuleType, IpaddressCount: p.IpaddressCount, Routers: r.routerViews(region),
		CreateTime: p.CreateTime, UpdateTime: p.UpdateTime,
	}
}

// shown renders r as ShowResolverRule shows it.
func (r *rule) shown(region string) gen.ShowResolverRuleRespParam {
	p := r.param()
	ips := make([]gen.IPValue, 0, len(r.targets))
	for _, a := range r.targets {
		ips = append(ips, gen.IPValue{IP: a.String()})
	}
	return gen.ShowResolverRuleRespParam{
		ID: p.ID, Name: p.Name, DomainName: p.DomainName, EndpointID: p.EndpointID, Status: p.Status,
		RuleType: p.RuleType, IpaddressCount: p.IpaddressCount, Ipaddresses: ips, Routers: r.routerViews(region),
		CreateTime: p.CreateTime, UpdateTime: p.UpdateTime,
	}
}

// clone returns a deep copy of r, for Check to settle.
func (r *rule) clone() *rule {
	c := *r
	c.targets = slices.Clone(r.targets)
	c.routers = make([]*router, len(r.routers))
	for i, rt := range r.routers {
		cp := *rt
		c.routers[i] = &cp
	}
	return &c
}
