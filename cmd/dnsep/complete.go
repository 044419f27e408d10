package main

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/wrapper"
)

// defaultCompleteTimeout bounds the API calls of one completion: a shell
// waits for it at every Tab.
const defaultCompleteTimeout = 2 * time.Second

// outputFormats are the values of --output.
var outputFormats = []string{"table", "json", "yaml", "name"}

// A lister completes one kind of argument from the API.
type lister func(ctx context.Context, c *wrapper.Client, args []string) ([]cobra.Completion, error)

// argCompletions lists, per command, what each positional argument names.
// ip unbind's second argument is an address of the endpoint of the first.
func (a *app) argCompletions() map[string][]lister {
	ep, rule := listEndpointChoices, listRuleChoices
	return map[string][]lister{
		"dnsep endpoint show":     {ep},
		"dnsep endpoint update":   {ep},
		"dnsep endpoint delete":   {ep},
		"dnsep ip list":           {ep},
		"dnsep ip bind":           {ep},
		"dnsep ip unbind":         {ep, listAddressChoices},
		"dnsep rule show":         {rule},
		"dnsep rule update":       {rule},
		"dnsep rule delete":       {rule},
		"dnsep rule associate":    {rule},
		"dnsep rule disassociate": {rule},
	}
}

// addCompletions gives the commands of the tree their dynamic completions:
// the arguments of argCompletions, --endpoint-id, and the enum flags
// --direction and --output.
func (a *app) addCompletions(root *cobra.Command) {
	args := a.argCompletions()
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(outputFormats, cobra.ShellCompDirectiveNoFileComp))
	for _, cmd := range allCommandsOf(root) {
		if kinds, ok := args[cmd.CommandPath()]; ok {
			cmd.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
				if len(args) >= len(kinds) {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return a.complete(cmd, args, toComplete, kinds[len(args)])
			}
		}
		if cmd.LocalFlags().Lookup("direction") != nil {
			_ = cmd.RegisterFlagCompletionFunc("direction", cobra.FixedCompletions([]string{"inbound", "outbound"}, cobra.ShellCompDirectiveNoFileComp))
		}
		if cmd.LocalFlags().Lookup("endpoint-id") != nil {
			_ = cmd.RegisterFlagCompletionFunc("endpoint-id", func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
				return a.complete(cmd, args, toComplete, listEndpointChoices)
			})
		}
	}
}

// complete runs list with a client from the flags on the line, within
// completeTimeout. It never prompts and never logs, and on any error it
// offers nothing: a shell shows a completion's output as it is.
func (a *app) complete(cmd *cobra.Command, args []string, toComplete string, list lister) ([]cobra.Completion, cobra.ShellCompDirective) {
	a.debug = false
	c, err := a.client()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, a.completeTimeout)
	defer cancel()
	all, err := list(ctx, c, args)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, s := range all {
		if strings.HasPrefix(s, toComplete) {
			out = append(out, s)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// listEndpointChoices offers the ID and the name of every endpoint, both
// directions.
func listEndpointChoices(ctx context.Context, c *wrapper.Client, _ []string) ([]cobra.Completion, error) {
	var out []cobra.Completion
	for _, d := range []wrapper.Direction{wrapper.Inbound, wrapper.Outbound} {
		eps, err := c.ListAllEndpoints(ctx, wrapper.ListEndpointsParams{Direction: d})
		if err != nil {
			return nil, err
		}
		for _, ep := range eps {
			out = append(out, cobra.CompletionWithDesc(ep.ID, ep.Name+" ("+string(ep.Direction)+")"))
			if ep.Name != "" && !looksLikeID(ep.Name) {
				out = append(out, cobra.CompletionWithDesc(ep.Name, ep.ID))
			}
		}
	}
	return out, nil
}

// listAddressChoices offers the address IDs of the endpoint in args[0],
// given by ID or name.
func listAddressChoices(ctx context.Context, c *wrapper.Client, args []string) ([]cobra.Completion, error) {
	id, err := resolveEndpoint(ctx, c, args[0])
	if err != nil {
		return nil, err
	}
	ips, err := c.ListEndpointIpaddresses(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]cobra.Completion, 0, len(ips))
	for _, ip := range ips {
		out = append(out, cobra.CompletionWithDesc(ip.ID, ip.IP+" "+string(ip.Status)))
	}
	return out, nil
}

// listRuleChoices offers the ID and the name of every resolver rule.
func listRuleChoices(ctx context.Context, c *wrapper.Client, _ []string) ([]cobra.Completion, error) {
	rules, err := c.ListAllResolverRules(ctx, wrapper.ListResolverRulesParams{})
	if err != nil {
		return nil, err
	}
	var out []cobra.Completion
	for _, r := range rules {
		out = append(out, cobra.CompletionWithDesc(r.ID, r.Name+" "+r.DomainName))
		if r.Name != "" && !looksLikeID(r.Name) {
			out = append(out, cobra.CompletionWithDesc(r.Name, r.ID))
		}
	}
	return out, nil
}

// allCommandsOf returns cmd and every command below it.
func allCommandsOf(cmd *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{cmd}
	for _, sub := range cmd.Commands() {
		out = append(out, allCommandsOf(sub)...)
	}
	return out
}
