package fake

import (
	"context"

	"github.com/dnsep/dnsep/gen"
)

// AssociateResolverRuleRouter implements POST
// /v2.1/resolverrules/{resolverrule_id}/associaterouter. The VPC must be in
// the fake's inventory (404 DNS.0711), not already associated with the rule,
// nor with another rule for the same domain name (400 DNS.0212). The
// association is PENDING_CREATE until WithDelay has passed.
func (s *Server) AssociateResolverRuleRouter(_ context.Context, req gen.AssociateResolverRuleRouterRequestObject) (gen.AssociateResolverRuleRouterResponseObject, error) {
	if req.Body == nil { // for a caller that bypasses the validator
		return nil, errInvalidRequest
	}
	vpcID := req.Body.Router.RouterID
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.settle()
	r, err := s.idleRule(req.ResolverruleID)
	if err != nil {
		return nil, err
	}
	if !s.st.vpcs[vpcID] {
		return nil, errNoVPC
	}
	if s.st.vpcTaken(r.domain, vpcID) {
		return nil, errVPCAssociated
	}
	rt := &router{vpcID: vpcID, status: gen.StatusPendingCreate, due: now.Add(s.st.delay)}
	r.routers = append(r.routers, rt)
	return gen.AssociateResolverRuleRouter202JSONResponse{Body: s.routerResp(rt)}, nil
}

// DisassociateResolverRuleRouter implements POST
// /v2.1/resolverrules/{resolverrule_id}/disassociaterouter. A VPC that the
// rule does not have is 400 DNS.0707. The association is PENDING_DELETE,
// and still listed, until WithDelay has passed.
func (s *Server) DisassociateResolverRuleRouter(_ context.Context, req gen.DisassociateResolverRuleRouterRequestObject) (gen.DisassociateResolverRuleRouterResponseObject, error) {
	if req.Body == nil { // for a caller that bypasses the validator
		return nil, errInvalidRequest
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.settle()
	r, err := s.idleRule(req.ResolverruleID)
	if err != nil {
		return nil, err
	}
	rt := r.router(req.Body.Router.RouterID)
	if rt == nil {
		return nil, errVPCNotAssociated
	}
	rt.status, rt.due = gen.StatusPendingDelete, now.Add(s.st.delay)
	return gen.DisassociateResolverRuleRouter202JSONResponse{Body: s.routerResp(rt)}, nil
}

// vpcTaken reports whether a live rule for the domain name has the VPC, in
// any state: a VPC's queries for one name go to one rule.
func (st *store) vpcTaken(domain, vpcID string) bool {
	for _, r := range st.rules {
		if r.live() && r.domain == domain && r.router(vpcID) != nil {
			return true
		}
	}
	return false
}

func (s *Server) routerResp(rt *router) gen.RouterWithRuleResp {
	return gen.RouterWithRuleResp{RouterID: rt.vpcID, RouterRegion: s.cfg.region, Status: rt.status}
}
