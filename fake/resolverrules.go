package fake

import (
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/dnsep/dnsep/gen"
)

// parseTargets reads a rule's target IP addresses. The validator has
// checked their count and format; the handler keeps the rule it cannot
// state, that no address is given twice, and the others for a caller that
// bypasses the validator.
func parseTargets(in []gen.IPInfo) ([]netip.Addr, error) {
	if len(in) < 1 || len(in) > 5 {
		return nil, errIPCount
	}
	out := make([]netip.Addr, 0, len(in))
	for _, t := range in {
		a, err := netip.ParseAddr(t.IP)
		if err != nil || !a.Is4() {
			return nil, errInvalidIP
		}
		if slices.Contains(out, a) {
			return nil, errTargetRepeated
		}
		out = append(out, a)
	}
	return out, nil
}

// fqdn gives a domain name its trailing dot, as the service does.
func fqdn(name string) string {
	if strings.HasSuffix(name, ".") {
		return name
	}
	return name + "."
}

// liveRule finds the rule a request names: 404 for an unknown or deleted
// one. An ID of another shape names no rule: the document has no pattern
// for it and the service no code for a malformed rule ID. The caller holds
// s.mu and has settled the store.
func (s *Server) liveRule(id string) (*rule, error) {
	r := s.st.findRule(id)
	if r == nil || !r.live() {
		return nil, errNoRule
	}
	return r, nil
}

// idleRule finds a live rule that has no change pending: 409 while it or
// one of its associations has one.
func (s *Server) idleRule(id string) (*rule, error) {
	r, err := s.liveRule(id)
	if err != nil {
		return nil, err
	}
	if r.busy() {
		return nil, errBusy
	}
	return r, nil
}

// CreateResolverRule implements POST /v2.1/resolverrules.
func (s *Server) CreateResolverRule(_ context.Context, req gen.CreateResolverRuleRequestObject) (gen.CreateResolverRuleResponseObject, error) {
	b := req.Body
	if b == nil { // for a caller that bypasses the validator
		return nil, errInvalidRequest
	}
	targets, err := parseTargets(b.Ipaddresses)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.settle()
	st := &s.st
	ep, err := s.lookup(b.EndpointID)
	if err != nil {
		return nil, err
	}
	if ep.status != gen.StatusActive || ep.fresh {
		return nil, errEndpointNotActive
	}
	if st.liveRules() >= s.cfg.ruleQuota {
		return nil, errRuleQuota
	}
	r := &rule{
		id: st.newID(), name: b.Name, domain: fqdn(b.DomainName), endpointID: ep.id,
		status: gen.ResolverRuleStatusPendingCreate, due: now.Add(st.delay), targets: targets,
		created: now, updated: now,
	}
	st.rules = append(st.rules, r)
	ep.rules++
	return gen.CreateResolverRule202JSONResponse{Body: gen.ResolverRuleEnvelope{ResolverRule: r.param()}}, nil
}

// ShowResolverRule implements GET /v2.1/resolverrules/{resolverrule_id}. A
// deleted rule answers as a tombstone, status DELETED and no VPCs, as the
// service does for a while.
func (s *Server) ShowResolverRule(_ context.Context, req gen.ShowResolverRuleRequestObject) (gen.ShowResolverRuleResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	r := s.st.findRule(req.ResolverruleID)
	if r == nil {
		return nil, errNoRule
	}
	return gen.ShowResolverRule200JSONResponse{Body: gen.ShowResolverRuleEnvelope{ResolverRule: r.shown(s.cfg.region)}}, nil
}

// UpdateResolverRule implements PUT /v2.1/resolverrules/{resolverrule_id}:
// a new name, a new list of targets that replaces the old one, or both. The
// rule stays ACTIVE, as on the API page's example.
func (s *Server) UpdateResolverRule(_ context.Context, req gen.UpdateResolverRuleRequestObject) (gen.UpdateResolverRuleResponseObject, error) {
	b := req.Body
	if b == nil { // for a caller that bypasses the validator
		return nil, errInvalidRequest
	}
	var targets []netip.Addr
	if b.Ipaddresses != nil {
		var err error
		if targets, err = parseTargets(b.Ipaddresses); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.settle()
	r, err := s.idleRule(req.ResolverruleID)
	if err != nil {
		return nil, err
	}
	if b.Name != "" {
		r.name = b.Name
	}
	if targets != nil {
		r.targets = targets
	}
	r.updated = now
	return gen.UpdateResolverRule202JSONResponse{Body: gen.ResolverRuleEnvelope{ResolverRule: r.param()}}, nil
}

// DeleteResolverRule implements DELETE /v2.1/resolverrules/{resolverrule_id}.
// The rule is PENDING_DELETE, then a DELETED tombstone; it counts against
// its endpoint and the quota until then. Deleting a rule that is already
// being deleted answers the same again, as for endpoints.
func (s *Server) DeleteResolverRule(_ context.Context, req gen.DeleteResolverRuleRequestObject) (gen.DeleteResolverRuleResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.settle()
	r, err := s.liveRule(req.ResolverruleID)
	if err != nil {
		return nil, err
	}
	if r.status != gen.ResolverRuleStatusPendingDelete {
		if r.busy() {
			return nil, errBusy
		}
		r.status, r.due, r.updated = gen.ResolverRuleStatusPendingDelete, now.Add(s.st.delay), now
	}
	return gen.DeleteResolverRule202JSONResponse{Body: gen.ResolverRuleEnvelope{ResolverRule: r.param()}}, nil
}
