package wrapper

import (
	"context"
	"fmt"
)

// ruleDeleted is the error of a waiter that needs the rule and finds it
// DELETED: the tombstone means what a 404 means, so it matches ErrNotFound.
func ruleDeleted(ruleID string) error {
	return fmt.Errorf("dnsep: resolver rule %s is %s: %w", ruleID, RuleStatusDeleted, ErrNotFound)
}

// WaitResolverRuleActive polls ShowResolverRule until the rule is ACTIVE and
// returns it. It fails fast when the rule reaches ERROR (ErrResourceFailed),
// turns out deleted (a 404, or the DELETED status: both match ErrNotFound)
// or a poll fails for a reason that will not go away; a retryable failure is
// polled through. The wait ends with ctx: give it a deadline. On error it
// returns the last rule it saw, if any.
func (c *Client) WaitResolverRuleActive(ctx context.Context, ruleID string, opts ...WaitOption) (*ResolverRule, error) {
	var last *ResolverRule
	err := poll(ctx, "resolver rule "+ruleID+" to be ACTIVE", opts, func(ctx context.Context) (Status, bool, error) {
		r, err := c.ShowResolverRule(ctx, ruleID)
		if err != nil {
			return "", false, err
		}
		last = r
		if r.Status == RuleStatusDeleted {
			return Status(r.Status), false, ruleDeleted(ruleID)
		}
		return Status(r.Status), r.Status == RuleStatusActive, nil
	})
	return last, err
}

// WaitResolverRuleDeleted polls ShowResolverRule until the rule is gone and
// returns the last rule it saw before (nil if none). Gone is what the
// service says in either of its two ways: a 404 with a DNS.* code (see
// IsNotFound), or the rule in status DELETED, which the service answers for
// a while after a delete. It fails fast like WaitEndpointDeleted.
func (c *Client) WaitResolverRuleDeleted(ctx context.Context, ruleID string, opts ...WaitOption) (*ResolverRule, error) {
	var last *ResolverRule
	err := poll(ctx, "resolver rule "+ruleID+" to be deleted", opts, func(ctx context.Context) (Status, bool, error) {
		r, err := c.ShowResolverRule(ctx, ruleID)
		if IsNotFound(err) {
			return "", true, nil
		}
		if err != nil {
			return "", false, err
		}
		last = r
		return Status(r.Status), r.Status == RuleStatusDeleted, nil
	})
	return last, err
}

// router returns the entry of vpcID in the routers of r, or nil.
func router(r *ResolverRule, vpcID string) *Router {
	for i := range r.Routers {
		if r.Routers[i].RouterID == vpcID {
			return &r.Routers[i]
		}
	}
	return nil
}

// WaitRouterAssociated polls ShowResolverRule until the VPC is among the
// rule's routers with status ACTIVE, as after AssociateResolverRuleRouter,
// and returns the rule. A VPC not listed yet is polled for, since the
// service may list a new association late. It fails fast when the
// association reaches ERROR (ErrResourceFailed), when the rule is gone
// (ErrNotFound, the DELETED status included), or like WaitEndpointActive.
func (c *Client) WaitRouterAssociated(ctx context.Context, ruleID, vpcID string, opts ...WaitOption) (*ResolverRule, error) {
	if err := checkID("router_id", vpcID); err != nil {
		return nil, err
	}
	var last *ResolverRule
	err := poll(ctx, "VPC "+vpcID+" to be associated with resolver rule "+ruleID, opts, func(ctx context.Context) (Status, bool, error) {
		r, err := c.ShowResolverRule(ctx, ruleID)
		if err != nil {
			return "", false, err
		}
		last = r
		if r.Status == RuleStatusDeleted {
			return "", false, ruleDeleted(ruleID)
		}
		rt := router(r, vpcID)
		if rt == nil {
			return "", false, nil
		}
		return rt.Status, rt.Status == StatusActive, nil
	})
	return last, err
}

// WaitRouterDisassociated polls ShowResolverRule until the VPC has left the
// rule's routers, as after DisassociateResolverRuleRouter, and returns the
// last rule it saw. A rule that is gone (404 or DELETED) holds no VPC: that
// is success too. It fails fast when the association reaches ERROR
// (ErrResourceFailed), or like WaitEndpointDeleted.
func (c *Client) WaitRouterDisassociated(ctx context.Context, ruleID, vpcID string, opts ...WaitOption) (*ResolverRule, error) {
	if err := checkID("router_id", vpcID); err != nil {
		return nil, err
	}
	var last *ResolverRule
	err := poll(ctx, "VPC "+vpcID+" to leave resolver rule "+ruleID, opts, func(ctx context.Context) (Status, bool, error) {
		r, err := c.ShowResolverRule(ctx, ruleID)
		if IsNotFound(err) {
			return "", true, nil
		}
		if err != nil {
			return "", false, err
		}
		last = r
		if r.Status == RuleStatusDeleted {
			return "", true, nil
		}
		rt := router(r, vpcID)
		if rt == nil {
			return "", true, nil
		}
		return rt.Status, false, nil
	})
	return last, err
}
