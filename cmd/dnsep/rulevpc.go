package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/wrapper"
)

// routerCmd builds rule associate and rule disassociate, which differ in
// the operation, the waiter and the words.
func (a *app) routerCmd(use, short, long, example, op, until string,
	write func(*wrapper.Client, context.Context, string, string) (*wrapper.RouterAssociation, error),
	waiter func(*wrapper.Client, context.Context, string, string, ...wrapper.WaitOption) (*wrapper.ResolverRule, error),
) *cobra.Command {
	var vpcID string
	var wait bool
	cmd := &cobra.Command{
		Use:     use + " RULE --vpc VPC_ID",
		Short:   short + " (" + op + ")",
		Long:    long,
		Example: example,
		Args:    exactArgs("RULE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				id, err := resolveRule(ctx, c, args[0])
				if err != nil {
					return err
				}
				as, err := write(c, ctx, id, vpcID)
				if err != nil {
					return err
				}
				if !wait {
					a.note("VPC %s of resolver rule %s is %s; add --wait to wait until %s", as.RouterID, id, as.Status, until)
					return a.render(as, func(w io.Writer) { routerDetail(w, as) })
				}
				var r *wrapper.ResolverRule
				err = a.wait("VPC "+vpcID+" of resolver rule "+id, func(opts ...wrapper.WaitOption) (err error) {
					r, err = waiter(c, ctx, id, vpcID, opts...)
					return err
				})
				if err != nil {
					return err
				}
				return a.showRule(r)
			})
		},
		Annotations: calls(op),
	}
	cmd.Flags().StringVar(&vpcID, "vpc", "", "the VPC ID (required)")
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until "+until+", then show the rule")
	_ = cmd.MarkFlagRequired("vpc")
	return cmd
}

func (a *app) ruleAssociateCmd() *cobra.Command {
	return a.routerCmd("associate", "Associate a VPC with a resolver rule",
		`Associate a VPC with a resolver rule: the VPC's queries for the rule's domain are
then forwarded. A VPC takes one rule per domain name.`,
		`  dnsep rule associate 8a36f60a753badb401753bade3400002 --vpc dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b --wait`,
		"AssociateResolverRuleRouter", "it is ACTIVE",
		(*wrapper.Client).AssociateResolverRuleRouter, (*wrapper.Client).WaitRouterAssociated)
}

func (a *app) ruleDisassociateCmd() *cobra.Command {
	return a.routerCmd("disassociate", "Disassociate a VPC from a resolver rule",
		`Disassociate a VPC from a resolver rule: the VPC's queries for the rule's domain
are no longer forwarded. --wait waits until the VPC has left the rule's list.`,
		`  dnsep rule disassociate 8a36f60a753badb401753bade3400002 --vpc dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b --wait`,
		"DisassociateResolverRuleRouter", "it is gone",
		(*wrapper.Client).DisassociateResolverRuleRouter, (*wrapper.Client).WaitRouterDisassociated)
}
