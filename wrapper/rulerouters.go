package wrapper

import (
	"context"
	"net/http"

	"github.com/dnsep/dnsep/gen"
)

// AssociateResolverRuleRouter associates a VPC with a resolver rule (POST
// /v2.1/resolverrules/{resolverrule_id}/associaterouter, operationId
// AssociateResolverRuleRouter), so that the VPC's queries for the rule's
// domain are forwarded, and returns the association in PENDING_CREATE. Use
// WaitRouterAssociated to wait until it is ACTIVE. An unknown VPC is a 404
// with code DNS.0711. It is never retried automatically.
func (c *Client) AssociateResolverRuleRouter(ctx context.Context, ruleID, vpcID string) (*RouterAssociation, error) {
	body, err := routerBody(ruleID, vpcID)
	if err != nil {
		return nil, err
	}
	resp, err := c.api(opAssociateResolverRuleRouter).AssociateResolverRuleRouter(ctx, ruleID, body)
	r, err := parsed(opAssociateResolverRuleRouter, resp, err, gen.ParseAssociateResolverRuleRouterResponse)
	if err != nil {
		return nil, err
	}
	return associationOf(opAssociateResolverRuleRouter, r.JSON202, r.HTTPResponse, r.Body)
}

// DisassociateResolverRuleRouter disassociates a VPC from a resolver rule
// (POST /v2.1/resolverrules/{resolverrule_id}/disassociaterouter,
// operationId DisassociateResolverRuleRouter) and returns the association in
// PENDING_DELETE. Use WaitRouterDisassociated to wait until the VPC has left
// the rule's routers. It is never retried automatically.
func (c *Client) DisassociateResolverRuleRouter(ctx context.Context, ruleID, vpcID string) (*RouterAssociation, error) {
	body, err := routerBody(ruleID, vpcID)
	if err != nil {
		return nil, err
	}
	resp, err := c.api(opDisassociateResolverRuleRouter).DisassociateResolverRuleRouter(ctx, ruleID, body)
	r, err := parsed(opDisassociateResolverRuleRouter, resp, err, gen.ParseDisassociateResolverRuleRouterResponse)
	if err != nil {
		return nil, err
	}
	return associationOf(opDisassociateResolverRuleRouter, r.JSON202, r.HTTPResponse, r.Body)
}

// routerBody checks the IDs of an association and builds its body. The VPC
// ID travels in the body, not the path, but an empty or malformed one can
// only be a mistake of the caller: it is caught before a request is sent.
func routerBody(ruleID, vpcID string) (gen.AssociateOrDisassociateRouterWithRuleRequestBody, error) {
	if err := checkID("resolverrule_id", ruleID); err != nil {
		return gen.AssociateOrDisassociateRouterWithRuleRequestBody{}, err
	}
	if err := checkID("router_id", vpcID); err != nil {
		return gen.AssociateOrDisassociateRouterWithRuleRequestBody{}, err
	}
	return gen.AssociateOrDisassociateRouterWithRuleRequestBody{Router: gen.RouterForRule{RouterID: vpcID}}, nil
}

// associationOf is payload for the association writes. Every association
// names its VPC: one without is no association.
func associationOf(op operation, a *RouterAssociation, resp *http.Response, body []byte) (*RouterAssociation, error) {
	a, err := payload(op, a, resp, body)
	if err != nil {
		return nil, err
	}
	if a.RouterID == "" {
		return nil, missing(op, resp, body, "router")
	}
	return a, nil
}
