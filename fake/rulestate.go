package fake

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/dnsep/dnsep/gen"
)

type savedRule struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	DomainName  string        `json:"domain_name"`
	EndpointID  string        `json:"endpoint_id"`
	Status      string        `json:"status"`
	DueTime     string        `json:"due_time,omitempty"`
	CreateTime  string        `json:"create_time"`
	UpdateTime  string        `json:"update_time"`
	Ipaddresses []string      `json:"ipaddresses"`
	Routers     []savedRouter `json:"routers,omitempty"`
}

type savedRouter struct {
	RouterID string `json:"router_id"`
	Status   string `json:"status"`
	DueTime  string `json:"due_time,omitempty"`
}

func saveRule(r *rule) savedRule {
	sr := savedRule{
		ID: r.id, Name: r.name, DomainName: r.domain, EndpointID: r.endpointID, Status: string(r.status),
		CreateTime: formatStateTime(r.created), UpdateTime: formatStateTime(r.updated),
		Ipaddresses: make([]string, 0, len(r.targets)),
	}
	if r.status == gen.ResolverRuleStatusPendingCreate || r.status == gen.ResolverRuleStatusPendingDelete {
		sr.DueTime = formatStateTime(r.due)
	}
	for _, a := range r.targets {
		sr.Ipaddresses = append(sr.Ipaddresses, a.String())
	}
	for _, rt := range r.routers {
		sv := savedRouter{RouterID: rt.vpcID, Status: string(rt.status)}
		if rt.status != gen.StatusActive {
			sv.DueTime = formatStateTime(rt.due)
		}
		sr.Routers = append(sr.Routers, sv)
	}
	return sr
}

// loadRules converts saved rules and counts the live ones of each endpoint.
// It checks what a conversion needs; the store's check does the rest.
func loadRules(saved []savedRule, endpoints []*endpoint) ([]*rule, error) {
	byID := map[string]*endpoint{}
	for _, ep := range endpoints {
		byID[ep.id] = ep
	}
	rules := make([]*rule, 0, len(saved))
	for i, sr := range saved {
		where := fmt.Sprintf("resolver rule %d (%s)", i, sr.ID)
		r, err := loadRule(sr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if r.live() {
			ep := byID[r.endpointID]
			if ep == nil {
				return nil, fmt.Errorf("%s: endpoint %q is not in the state", where, r.endpointID)
			}
			ep.rules++
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func loadRule(sr savedRule) (*rule, error) {
	if !validName(sr.Name) {
		return nil, fmt.Errorf("invalid name %q", sr.Name)
	}
	r := &rule{id: sr.ID, name: sr.Name, domain: sr.DomainName, endpointID: sr.EndpointID, status: gen.ResolverRuleStatus(sr.Status)}
	var err error
	if r.due, err = parseRuleDue(r.status, sr.DueTime); err != nil {
		return nil, err
	}
	if r.created, r.updated, err = parseTimes(sr.CreateTime, sr.UpdateTime); err != nil {
		return nil, err
	}
	for _, s := range sr.Ipaddresses {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return nil, fmt.Errorf("target %q is not an IPv4 address", s)
		}
		r.targets = append(r.targets, a)
	}
	for _, sv := range sr.Routers {
		rt := &router{vpcID: sv.RouterID, status: gen.Status(sv.Status)}
		if rt.due, err = parseDue(rt.status, sv.DueTime); err != nil {
			return nil, fmt.Errorf("VPC %s: %w", sv.RouterID, err)
		}
		if r.router(rt.vpcID) != nil {
			return nil, fmt.Errorf("VPC %s associated twice", rt.vpcID)
		}
		r.routers = append(r.routers, rt)
	}
	return r, nil
}

// parseRuleDue checks a rule's status and reads the due time that a
// pending one needs.
func parseRuleDue(status gen.ResolverRuleStatus, due string) (time.Time, error) {
	switch status {
	case gen.ResolverRuleStatusActive, gen.ResolverRuleStatusDeleted:
		if due != "" {
			return time.Time{}, fmt.Errorf("%s with a due time", status)
		}
		return time.Time{}, nil
	case gen.ResolverRuleStatusPendingCreate, gen.ResolverRuleStatusPendingDelete:
		return parseStateTime("due_time", due)
	}
	return time.Time{}, fmt.Errorf("status %q is not ACTIVE, PENDING_CREATE, PENDING_DELETE or DELETED", status)
}
