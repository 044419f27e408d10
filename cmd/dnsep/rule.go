package main

import (
	"context"
	"io"
	"net/netip"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/wrapper"
)

// The rule commands take the endpoint as --endpoint-id: --endpoint is the
// global flag of the API's base URL, and a local flag of the same name would
// hide it.
func (a *app) ruleCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "rule",
		Aliases: []string{"rules", "resolver-rule"},
		Short:   "Forward a domain's queries through an outbound endpoint: resolver rules and their VPCs",
		Example: `  dnsep rule create --name corp --domain corp.example. --endpoint-id ENDPOINT_ID --target 10.1.0.53 --target 10.1.1.53 --wait
  dnsep rule associate RULE_ID --vpc dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b --wait
  dnsep rule list --endpoint-id ENDPOINT_ID`,
	}
	cmd.AddCommand(a.ruleListCmd(), a.ruleShowCmd(), a.ruleCreateCmd(), a.ruleUpdateCmd(), a.ruleDeleteCmd(),
		a.ruleAssociateCmd(), a.ruleDisassociateCmd())
	return cmd
}

// parseTargets checks the --target values: 1 to 5 IPv4 addresses.
func parseTargets(vs []string) ([]wrapper.TargetIP, error) {
	if n := len(vs); n < 1 || n > 5 {
		return nil, usagef("a rule needs 1 to 5 --target flags, got %d", n)
	}
	out := make([]wrapper.TargetIP, 0, len(vs))
	for _, v := range vs {
		if addr, err := netip.ParseAddr(v); err != nil || !addr.Is4() {
			return nil, usagef("--target %q is not an IPv4 address", v)
		}
		out = append(out, wrapper.TargetIP{IP: v})
	}
	return out, nil
}

func (a *app) ruleListCmd() *cobra.Command {
	var endpointID, domain, name, marker string
	var limit, offset int
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List resolver rules, with their VPCs (ListResolverRules)",
		Long: `List resolver rules, optionally only those of one endpoint, domain or name. The
domain matches with or without its trailing dot. One page is chosen by --offset
or by --marker (the ID of the last rule of the previous page); --all walks
every page.`,
		Example: `  dnsep rule list
  dnsep rule list --endpoint-id ENDPOINT_ID --all -o json | jq -r '.resolver_rules[].id'
  dnsep rule list --limit 20 --marker 8a36f60a753badb401753bade3400002`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			flags := cmd.Flags()
			paging := flags.Changed("limit") || flags.Changed("offset") || flags.Changed("marker")
			switch {
			case all && paging:
				return usagef("--all walks every page: leave out --limit, --offset and --marker")
			case flags.Changed("offset") && flags.Changed("marker"):
				return usagef("page by --offset or by --marker, not both")
			case limit < 0 || limit > 500 || offset < 0:
				return usagef("--limit must be 0 to 500 and --offset 0 or more")
			}
			var params wrapper.ListResolverRulesParams
			for _, f := range []struct {
				v   string
				dst **string
			}{{endpointID, &params.EndpointID}, {domain, &params.DomainName}, {name, &params.Name}} {
				if f.v != "" {
					*f.dst = &f.v
				}
			}
			if flags.Changed("limit") {
				params.Limit = &limit
			}
			if flags.Changed("offset") {
				params.Offset = &offset
			}
			if flags.Changed("marker") {
				params.Marker = &marker
			}
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) (err error) {
				if params.EndpointID != nil {
					if *params.EndpointID, err = resolveEndpoint(ctx, c, endpointID); err != nil {
						return err
					}
				}
				var list *wrapper.ResolverRuleList
				if all {
					rules, err := c.ListAllResolverRules(ctx, params)
					if err != nil {
						return err
					}
					list = &wrapper.ResolverRuleList{ResolverRules: rules, Metadata: wrapper.Metadata{TotalCount: len(rules)}}
				} else if list, err = c.ListResolverRules(ctx, params); err != nil {
					return err
				}
				if list.ResolverRules == nil {
					list.ResolverRules = []wrapper.ListedResolverRule{}
				}
				n := len(list.ResolverRules)
				switch {
				case all:
				case params.Marker != nil && list.PageInfo != nil:
					a.markerHint("rules", n, list.Metadata.TotalCount, list.PageInfo.NextMarker)
				case params.Marker == nil:
					a.offsetHint("rules", offset, n, list.Metadata.TotalCount)
				}
				return a.renderList(list, n, "rules", func(w io.Writer) { a.ruleRows(w, list.ResolverRules) })
			})
		},
		Annotations: calls("ListResolverRules"),
	}
	f := cmd.Flags()
	f.StringVar(&endpointID, "endpoint-id", "", "only the rules of this endpoint (ID or name)")
	f.StringVar(&domain, "domain", "", "only the rules for this domain name")
	f.StringVar(&name, "name", "", "only the rules with this name")
	f.IntVar(&limit, "limit", 500, "page size, 0 to 500")
	f.IntVar(&offset, "offset", 0, "rules to skip")
	f.StringVar(&marker, "marker", "", "start after this rule ID")
	f.BoolVar(&all, "all", false, "walk every page")
	return cmd
}

func (a *app) ruleShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show RULE",
		Short: "Show a resolver rule, its targets and its VPCs (ShowResolverRule)",
		Long:  "Show a resolver rule, given by its ID or by its name, its targets and its VPCs.",
		Example: `  dnsep rule show 8a36f60a753badb401753bade3400002 -o yaml
  dnsep rule show corp`,
		Args: exactArgs("RULE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				id, err := resolveRule(ctx, c, args[0])
				if err != nil {
					return err
				}
				r, err := c.ShowResolverRule(ctx, id)
				if err != nil {
					return err
				}
				return a.showRule(r)
			})
		},
		Annotations: calls("ShowResolverRule"),
	}
}

func (a *app) ruleCreateCmd() *cobra.Command {
	var name, domain, endpointID string
	var targets []string
	var wait bool
	cmd := &cobra.Command{
		Use:   "create --name NAME --domain DOMAIN --endpoint-id ENDPOINT_ID --target IP (1 to 5 times)",
		Short: "Create a resolver rule (CreateResolverRule)",
		Long: `Create a resolver rule: queries for DOMAIN (and the names below it) that reach
the endpoint are forwarded to the target DNS servers, on port 53. The endpoint
should be outbound and must be ACTIVE. The service adds a trailing dot to the
domain; domain and endpoint cannot change later. Add --wait to wait until the
rule is ACTIVE, then 'dnsep rule associate' the VPCs whose queries it serves.`,
		Example: `  dnsep rule create --name corp --domain corp.example. --endpoint-id ff80808169be2efb0169bef85d720013 \
    --target 10.1.0.53 --target 10.1.1.53 --wait`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkName("--name", name); err != nil {
				return err
			}
			ips, err := parseTargets(targets)
			if err != nil {
				return err
			}
			req := wrapper.CreateResolverRuleRequest{Name: name, DomainName: domain, Ipaddresses: ips}
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				var err error
				if req.EndpointID, err = resolveEndpoint(ctx, c, endpointID); err != nil {
					return err
				}
				r, err := c.CreateResolverRule(ctx, req)
				if err != nil {
					return err
				}
				return a.ruleSettled(ctx, c, r, wait)
			})
		},
		Annotations: calls("CreateResolverRule"),
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "rule name: 1 to 64 letters, digits, Chinese characters, _ - . (required)")
	f.StringVar(&domain, "domain", "", "the domain name to forward, e.g. corp.example. (required)")
	f.StringVar(&endpointID, "endpoint-id", "", "the endpoint that forwards the queries, by ID or name (required)")
	f.StringArrayVar(&targets, "target", nil, "a target DNS server's IPv4 address; give 1 to 5")
	f.BoolVar(&wait, "wait", false, "wait until the rule is ACTIVE")
	for _, req := range []string{"name", "domain", "endpoint-id"} {
		_ = cmd.MarkFlagRequired(req)
	}
	return cmd
}

func (a *app) ruleUpdateCmd() *cobra.Command {
	var name string
	var targets []string
	var wait bool
	cmd := &cobra.Command{
		Use:   "update RULE [--name NAME] [--target IP ...]",
		Short: "Rename a resolver rule or replace its targets (UpdateResolverRule)",
		Long: `Rename a resolver rule, replace its target DNS servers, or both. The --target
flags give the whole new list, 1 to 5 addresses: the old ones are dropped.`,
		Example: `  dnsep rule update 8a36f60a753badb401753bade3400002 --target 10.1.0.53 --target 10.1.2.53 --wait`,
		Args:    exactArgs("RULE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var req wrapper.UpdateResolverRuleRequest
			if !cmd.Flags().Changed("name") && len(targets) == 0 {
				return usagef("nothing to change: give --name, --target or both")
			}
			if cmd.Flags().Changed("name") {
				if err := checkName("--name", name); err != nil {
					return err
				}
			}
			req.Name = name
			if len(targets) > 0 {
				ips, err := parseTargets(targets)
				if err != nil {
					return err
				}
				req.Ipaddresses = ips
			}
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				id, err := resolveRule(ctx, c, args[0])
				if err != nil {
					return err
				}
				r, err := c.UpdateResolverRule(ctx, id, req)
				if err != nil {
					return err
				}
				return a.ruleSettled(ctx, c, r, wait)
			})
		},
		Annotations: calls("UpdateResolverRule"),
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "the new name: 1 to 64 letters, digits, Chinese characters, _ - .")
	f.StringArrayVar(&targets, "target", nil, "a new target's IPv4 address; give 1 to 5, replacing the old ones")
	f.BoolVar(&wait, "wait", false, "wait until the rule is ACTIVE")
	return cmd
}

func (a *app) ruleDeleteCmd() *cobra.Command {
	var wait, yes bool
	cmd := &cobra.Command{
		Use:   "delete RULE",
		Short: "Delete a resolver rule (DeleteResolverRule)",
		Long: `Delete a resolver rule. An endpoint cannot be deleted while it has rules: delete
them first. The service may answer for a while with the rule in status DELETED;
--wait takes that, or a 404, as gone.`,
		Example: `  dnsep rule delete 8a36f60a753badb401753bade3400002 --wait`,
		Args:    exactArgs("RULE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				id, err := resolveRule(ctx, c, args[0])
				if err != nil {
					return err
				}
				if err := a.confirmUnless(ctx, yes, "Delete resolver rule "+args[0]+"?"); err != nil {
					return err
				}
				r, err := c.DeleteResolverRule(ctx, id)
				if err != nil {
					return err
				}
				if !wait {
					a.note("resolver rule %s is %s; add --wait to wait until it is gone", r.ID, r.Status)
					return a.showRule(fromBrief(r))
				}
				err = a.wait("resolver rule "+r.ID, func(opts ...wrapper.WaitOption) error {
					_, err := c.WaitResolverRuleDeleted(ctx, r.ID, opts...)
					return err
				})
				if err != nil {
					return err
				}
				a.note("resolver rule %s deleted", r.ID)
				return a.render(nil, func(io.Writer) {}) // JSON and YAML say null: nothing is left
			})
		},
		Annotations: calls("DeleteResolverRule"),
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the rule is gone")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete without asking on a terminal")
	return cmd
}
