package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dnsep/dnsep/wrapper"
)

func (a *app) ruleRows(w io.Writer, rules []wrapper.ListedResolverRule) {
	fmt.Fprintln(w, "ID\tNAME\tDOMAIN\tENDPOINT\tSTATUS\tTARGETS\tVPCS\t"+a.timeHeader())
	for _, r := range rules {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", r.ID, r.Name, r.DomainName, r.EndpointID, r.Status, r.IpaddressCount, len(r.Routers), a.when(r.CreateTime))
	}
}

// ruleDetail writes one rule as aligned "Key: value" lines. A rule as the
// writes answer it has no target or VPC list: those lines are left out.
func (a *app) ruleDetail(w io.Writer, r *wrapper.ResolverRule) {
	lines := [][2]string{
		{"ID", r.ID},
		{"Name", r.Name},
		{"Domain", r.DomainName},
		{"Endpoint", r.EndpointID},
		{"Type", r.RuleType},
		{"Status", string(r.Status)},
		{"Target count", strconv.Itoa(r.IpaddressCount)},
	}
	if r.Ipaddresses != nil {
		var ips []string
		for _, ip := range r.Ipaddresses {
			ips = append(ips, ip.IP)
		}
		lines = append(lines, [2]string{"Targets", orNone(strings.Join(ips, ", "))})
	}
	if r.Routers != nil {
		var vpcs []string
		for _, rt := range r.Routers {
			vpcs = append(vpcs, rt.RouterID+" ("+string(rt.Status)+")")
		}
		lines = append(lines, [2]string{"VPCs", orNone(strings.Join(vpcs, ", "))})
	}
	lines = append(lines,
		[2]string{"Created", a.stamp(r.CreateTime)},
		[2]string{"Updated", a.stamp(r.UpdateTime)})
	for _, kv := range lines {
		fmt.Fprintf(w, "%s:\t%s\n", kv[0], kv[1])
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func routerDetail(w io.Writer, as *wrapper.RouterAssociation) {
	fmt.Fprintf(w, "VPC:\t%s\nRegion:\t%s\nStatus:\t%s\n", as.RouterID, as.RouterRegion, as.Status)
}

// showRule prints a rule in the chosen format.
func (a *app) showRule(r *wrapper.ResolverRule) error {
	return a.render(r, func(w io.Writer) { a.ruleDetail(w, r) })
}

// fromBrief returns a rule as the writes answer it in the shape of
// ShowResolverRule's, without targets or VPCs; JSON and YAML leave them out.
func fromBrief(b *wrapper.ResolverRuleBrief) *wrapper.ResolverRule {
	return &wrapper.ResolverRule{ID: b.ID, Name: b.Name, DomainName: b.DomainName, EndpointID: b.EndpointID, RuleType: b.RuleType,
		Status: b.Status, IpaddressCount: b.IpaddressCount, CreateTime: b.CreateTime, UpdateTime: b.UpdateTime}
}

// ruleSettled shows a rule after a write. With wait it first waits until the
// rule is ACTIVE; without, it says on stderr how to wait.
func (a *app) ruleSettled(ctx context.Context, c *wrapper.Client, b *wrapper.ResolverRuleBrief, wait bool) error {
	if !wait {
		a.note("resolver rule %s is %s; add --wait to wait until it is ACTIVE", b.ID, b.Status)
		return a.render(b, func(w io.Writer) { a.ruleDetail(w, fromBrief(b)) })
	}
	var r *wrapper.ResolverRule
	err := a.wait("resolver rule "+b.ID, func(opts ...wrapper.WaitOption) (err error) {
		r, err = c.WaitResolverRuleActive(ctx, b.ID, opts...)
		return err
	})
	if err != nil {
		return err
	}
	return a.showRule(r)
}
