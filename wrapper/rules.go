package wrapper

import (
	"context"
	"net/http"

	"github.com/dnsep/dnsep/gen"
)

// CreateResolverRule creates a resolver rule (POST /v2.1/resolverrules,
// operationId CreateResolverRule): queries for req.DomainName that reach the
// endpoint req.EndpointID are forwarded to the 1 to 5 target addresses of
// req.Ipaddresses. It returns the rule as the service accepted it; use
// WaitResolverRuleActive to wait until it is ACTIVE. The service adds a
// trailing dot to the domain name. CreateResolverRule is never retried
// automatically.
func (c *Client) CreateResolverRule(ctx context.Context, req CreateResolverRuleRequest) (*ResolverRuleBrief, error) {
	resp, err := c.api(opCreateResolverRule).CreateResolverRule(ctx, req)
	r, err := parsed(opCreateResolverRule, resp, err, gen.ParseCreateResolverRuleResponse)
	if err != nil {
		return nil, err
	}
	return ruleOf(opCreateResolverRule, r.JSON202, r.HTTPResponse, r.Body)
}

// ListResolverRules returns one page of resolver rules, with their VPCs (GET
// /v2.1/resolverrules, operationId ListResolverRules). Every filter of params
// is optional. A page is chosen by params.Offset, or by params.Marker (the
// ID of the last rule of the previous page), which the service prefers when
// both are set. To walk every page, use AllResolverRules or
// ListAllResolverRules.
func (c *Client) ListResolverRules(ctx context.Context, params ListResolverRulesParams) (*ResolverRuleList, error) {
	resp, err := c.api(opListResolverRules).ListResolverRules(ctx, &params)
	r, err := parsed(opListResolverRules, resp, err, gen.ParseListResolverRulesResponse)
	if err != nil {
		return nil, err
	}
	list, err := payload(opListResolverRules, r.JSON200, r.HTTPResponse, r.Body)
	if err == nil && list.ResolverRules == nil {
		return nil, missing(opListResolverRules, r.HTTPResponse, r.Body, "resolver rule list")
	}
	return list, err
}

// ShowResolverRule returns a resolver rule with its target addresses and its
// VPCs (GET /v2.1/resolverrules/{resolverrule_id}, operationId
// ShowResolverRule). An unknown ID is an error matching ErrNotFound. A rule
// deleted a moment ago may still be answered, with status RuleStatusDeleted.
func (c *Client) ShowResolverRule(ctx context.Context, ruleID string) (*ResolverRule, error) {
	if err := checkID("resolverrule_id", ruleID); err != nil {
		return nil, err
	}
	resp, err := c.api(opShowResolverRule).ShowResolverRule(ctx, ruleID)
	r, err := parsed(opShowResolverRule, resp, err, gen.ParseShowResolverRuleResponse)
	if err != nil {
		return nil, err
	}
	env, err := payload(opShowResolverRule, r.JSON200, r.HTTPResponse, r.Body)
	if err != nil {
		return nil, err
	}
	if env.ResolverRule.ID == "" {
		return nil, missing(opShowResolverRule, r.HTTPResponse, r.Body, "resolver rule")
	}
	return &env.ResolverRule, nil
}

// UpdateResolverRule renames a resolver rule, replaces its target addresses,
// or both (PUT /v2.1/resolverrules/{resolverrule_id}, operationId
// UpdateResolverRule): a field of req left empty keeps its value. The domain
// name and the endpoint of a rule cannot change.
func (c *Client) UpdateResolverRule(ctx context.Context, ruleID string, req UpdateResolverRuleRequest) (*ResolverRuleBrief, error) {
	if err := checkID("resolverrule_id", ruleID); err != nil {
		return nil, err
	}
	resp, err := c.api(opUpdateResolverRule).UpdateResolverRule(ctx, ruleID, req)
	r, err := parsed(opUpdateResolverRule, resp, err, gen.ParseUpdateResolverRuleResponse)
	if err != nil {
		return nil, err
	}
	return ruleOf(opUpdateResolverRule, r.JSON202, r.HTTPResponse, r.Body)
}

// DeleteResolverRule deletes a resolver rule (DELETE
// /v2.1/resolverrules/{resolverrule_id}, operationId DeleteResolverRule) and
// returns it in PENDING_DELETE. Use WaitResolverRuleDeleted to wait until it
// is gone. As with DeleteEndpoint, an ErrNotFound whose APIError.Attempts is
// above 1 means that the rule is deleted, maybe by the first attempt.
func (c *Client) DeleteResolverRule(ctx context.Context, ruleID string) (*ResolverRuleBrief, error) {
	if err := checkID("resolverrule_id", ruleID); err != nil {
		return nil, err
	}
	resp, err := c.api(opDeleteResolverRule).DeleteResolverRule(ctx, ruleID)
	r, err := parsed(opDeleteResolverRule, resp, err, gen.ParseDeleteResolverRuleResponse)
	if err != nil {
		return nil, err
	}
	return ruleOf(opDeleteResolverRule, r.JSON202, r.HTTPResponse, r.Body)
}

// ruleOf is payload for the writes that answer {"resolver_rule": ...}. Every
// rule has an ID: one without is no rule.
func ruleOf(op operation, env *gen.ResolverRuleEnvelope, resp *http.Response, body []byte) (*ResolverRuleBrief, error) {
	env, err := payload(op, env, resp, body)
	if err != nil {
		return nil, err
	}
	if env.ResolverRule.ID == "" {
		return nil, missing(op, resp, body, "resolver rule")
	}
	return &env.ResolverRule, nil
}
