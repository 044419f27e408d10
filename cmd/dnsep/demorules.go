package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// demoRules is the second part of the demo: a domain forwarded to
// on-premises resolvers through an outbound endpoint, and the clean-up in
// the order the service requires.
func (a *app) demoRules(ctx context.Context, client *wrapper.Client, step, say func(string, ...any), block func(func(io.Writer)) error) error {
	step("Create an outbound endpoint to forward queries out of the VPC: POST /v2.1/endpoints")
	ep, err := client.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{
		Name: "demo-outbound", Direction: wrapper.Outbound, Region: "cn-north-4",
		Ipaddresses: []wrapper.IPAddressInfo{{SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnet2ID}},
	})
	if err != nil {
		return err
	}
	err = a.wait("    endpoint "+ep.ID, func(opts ...wrapper.WaitOption) (err error) {
		ep, err = client.WaitEndpointActive(ctx, ep.ID, opts...)
		return err
	})
	if err != nil {
		return err
	}

	step("Create a rule forwarding corp.example. to two on-premises resolvers: POST /v2.1/resolverrules")
	b, err := client.CreateResolverRule(ctx, wrapper.CreateResolverRuleRequest{
		Name: "corp", DomainName: "corp.example", EndpointID: ep.ID,
		Ipaddresses: []wrapper.TargetIP{{IP: "10.1.0.53"}, {IP: "10.1.1.53"}},
	})
	if err != nil {
		return err
	}
	say("202 Accepted: rule %s for %s (the service added the dot) is %s.", b.ID, b.DomainName, b.Status)
	err = a.wait("    resolver rule "+b.ID, func(opts ...wrapper.WaitOption) error {
		_, err := client.WaitResolverRuleActive(ctx, b.ID, opts...)
		return err
	})
	if err != nil {
		return err
	}

	step("Associate the VPC with the rule: POST /v2.1/resolverrules/%s/associaterouter", b.ID)
	as, err := client.AssociateResolverRuleRouter(ctx, b.ID, fake.DefaultVPCID)
	if err != nil {
		return err
	}
	say("202 Accepted: the association is %s.", as.Status)
	var r *wrapper.ResolverRule
	err = a.wait("    VPC "+as.RouterID, func(opts ...wrapper.WaitOption) (err error) {
		r, err = client.WaitRouterAssociated(ctx, b.ID, fake.DefaultVPCID, opts...)
		return err
	})
	if err != nil {
		return err
	}
	if err := block(func(w io.Writer) { a.ruleDetail(w, r) }); err != nil {
		return err
	}

	step("The endpoint counts its rule: GET /v2.1/endpoints/%s", ep.ID)
	if ep, err = client.ShowEndpoint(ctx, ep.ID); err != nil {
		return err
	}
	say("resolver_rule_count %d.", ep.ResolverRuleCount)

	step("Try to delete the endpoint while the rule uses it")
	_, err = client.DeleteEndpoint(ctx, ep.ID)
	apiErr, ok := errors.AsType[*wrapper.APIError](err)
	if !ok {
		return fmt.Errorf("demo: expected the API to refuse the delete, got %v", err)
	}
	say("Refused, as it should be: %d %s: %s", apiErr.StatusCode, apiErr.Code, apiErr.Message)

	step("Clean up in order: the VPC, the rule, then the endpoint")
	if _, err := client.DisassociateResolverRuleRouter(ctx, b.ID, fake.DefaultVPCID); err != nil {
		return err
	}
	err = a.wait("    VPC "+fake.DefaultVPCID, func(opts ...wrapper.WaitOption) error {
		_, err := client.WaitRouterDisassociated(ctx, b.ID, fake.DefaultVPCID, opts...)
		return err
	})
	if err != nil {
		return err
	}
	say("POST .../disassociaterouter: the VPC has left the rule.")
	if _, err := client.DeleteResolverRule(ctx, b.ID); err != nil {
		return err
	}
	var last *wrapper.ResolverRule
	err = a.wait("    resolver rule "+b.ID, func(opts ...wrapper.WaitOption) (err error) {
		last, err = client.WaitResolverRuleDeleted(ctx, b.ID, opts...)
		return err
	})
	if err != nil {
		return err
	}
	gone := "404"
	if last != nil && last.Status == wrapper.RuleStatusDeleted {
		gone = "status " + string(last.Status)
	}
	say("DELETE /v2.1/resolverrules/%s: the rule is gone (GET answers %s).", b.ID, gone)
	if _, err := client.DeleteEndpoint(ctx, ep.ID); err != nil {
		return err
	}
	err = a.wait("    endpoint "+ep.ID, func(opts ...wrapper.WaitOption) error {
		_, err := client.WaitEndpointDeleted(ctx, ep.ID, opts...)
		return err
	})
	if err != nil {
		return err
	}
	say("DELETE /v2.1/endpoints/%s: the endpoint is gone.", ep.ID)
	return nil
}
