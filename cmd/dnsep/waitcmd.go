package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/wrapper"
)

func (a *app) waitCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "wait",
		Short: "Wait until an endpoint, an IP address or a resolver rule reaches a state",
		Long: `Wait until an endpoint, an IP address or a resolver rule reaches the state named
by --for, as kubectl wait does, showing each status change on stderr. The wait
ends with --timeout (exit 5), and at once when the resource fails (ERROR) or
turns out not to exist when it was to become ACTIVE (exit 3). What it reaches
is printed on stdout: the resource for active, nothing (null with -o json or
yaml) for deleted and gone.`,
		Example: `  dnsep endpoint create --name web-in ... && dnsep wait endpoint ff80808169be2efb0169bef85d720013 --for active
  dnsep wait ip ff80808169be2efb0169bef85d720013 192.168.0.25 --for active --timeout 2m
  dnsep wait rule 8a36f60a753badb401753bade3400002 --for deleted`,
	}
	cmd.AddCommand(a.waitEndpointCmd(), a.waitIPCmd(), a.waitRuleCmd())
	return cmd
}

// forFlag adds the required --for flag with its choices, and returns a
// check for the value given.
func forFlag(cmd *cobra.Command, v *string, choices ...string) func() error {
	cmd.Flags().StringVar(v, "for", "", "the state to wait for: "+strings.Join(choices, " or ")+" (required)")
	_ = cmd.MarkFlagRequired("for")
	return func() error {
		if !slices.Contains(choices, *v) {
			return usagef("--for %q: want %s", *v, strings.Join(choices, " or "))
		}
		return nil
	}
}

func (a *app) waitEndpointCmd() *cobra.Command {
	var state string
	cmd := &cobra.Command{
		Use:   "endpoint ENDPOINT_ID --for active|deleted",
		Short: "Wait until an endpoint is ACTIVE or deleted",
		Example: `  dnsep wait endpoint ff80808169be2efb0169bef85d720013 --for active
  dnsep wait endpoint ff80808169be2efb0169bef85d720013 --for deleted --timeout 5m`,
		Args: exactArgs("ENDPOINT"),
	}
	check := forFlag(cmd, &state, "active", "deleted")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := check(); err != nil {
			return err
		}
		return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
			id, err := resolveEndpoint(ctx, c, args[0])
			if err != nil {
				return err
			}
			if state == "deleted" {
				err := a.waitFor("endpoint "+id+" to be deleted", func(opts ...wrapper.WaitOption) error {
					_, err := c.WaitEndpointDeleted(ctx, id, opts...)
					return err
				})
				return a.gone(err, "endpoint %s deleted", id)
			}
			var ep *wrapper.Endpoint
			err = a.waitFor("endpoint "+id+" to be ACTIVE", func(opts ...wrapper.WaitOption) (err error) {
				ep, err = c.WaitEndpointActive(ctx, id, opts...)
				return err
			})
			if err != nil {
				return err
			}
			return a.showEndpoint(ep)
		})
	}
	return cmd
}

func (a *app) waitIPCmd() *cobra.Command {
	var state string
	cmd := &cobra.Command{
		Use:   "ip ENDPOINT_ID ADDRESS --for active|gone",
		Short: "Wait until an IP address of an endpoint is ACTIVE or gone",
		Long: `Wait until an IP address of an endpoint is ACTIVE, as after 'dnsep ip bind', or
gone, as after 'dnsep ip unbind'. ADDRESS is the address's ID or its IP; an IP
that the endpoint does not list is gone already.`,
		Example: `  dnsep wait ip ff80808169be2efb0169bef85d720013 192.168.0.25 --for active
  dnsep wait ip ff80808169be2efb0169bef85d720013 ff80808169bf16c70169bf1d04ba0001 --for gone`,
		Args: exactArgs("ENDPOINT", "ADDRESS"),
	}
	check := forFlag(cmd, &state, "active", "gone")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := check(); err != nil {
			return err
		}
		addr := args[1]
		return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
			ep, err := resolveEndpoint(ctx, c, args[0])
			if err != nil {
				return err
			}
			id, err := addressID(ctx, c, ep, addr)
			if err != nil {
				return err
			}
			what := "IP address " + addr + " of endpoint " + ep
			if state == "gone" {
				if id == "" {
					return a.gone(nil, "%s is gone", what)
				}
				err := a.waitFor(what+" to be gone", func(opts ...wrapper.WaitOption) error {
					_, err := c.WaitIpaddressGone(ctx, ep, id, opts...)
					return err
				})
				return a.gone(err, "%s is gone", what)
			}
			if id == "" {
				return fmt.Errorf("%w: endpoint %s lists no IP address %s", wrapper.ErrNotFound, ep, addr)
			}
			var ip *wrapper.IPAddress
			err = a.waitFor(what+" to be ACTIVE", func(opts ...wrapper.WaitOption) (err error) {
				ip, err = c.WaitIpaddressActive(ctx, ep, id, opts...)
				return err
			})
			if err != nil {
				return err
			}
			return a.render(ip, func(w io.Writer) { a.ipRows(w, []wrapper.IPAddress{*ip}) })
		})
	}
	return cmd
}

// addressID returns the ID of an endpoint's address given by ID or by IP.
// For an IP that the endpoint does not list it returns "".
func addressID(ctx context.Context, c *wrapper.Client, endpointID, addr string) (string, error) {
	if _, err := netip.ParseAddr(addr); err != nil {
		return addr, nil
	}
	ips, err := c.ListEndpointIpaddresses(ctx, endpointID)
	if err != nil {
		return "", err
	}
	for _, ip := range ips {
		if ip.IP == addr && ip.Status != wrapper.StatusPendingDelete {
			return ip.ID, nil
		}
	}
	for _, ip := range ips {
		if ip.IP == addr {
			return ip.ID, nil
		}
	}
	return "", nil
}

func (a *app) waitRuleCmd() *cobra.Command {
	var state string
	cmd := &cobra.Command{
		Use:   "rule RULE_ID --for active|deleted",
		Short: "Wait until a resolver rule is ACTIVE or deleted",
		Long: `Wait until a resolver rule is ACTIVE or deleted. Deleted is what the service
says in either of its two ways: a 404, or the rule in status DELETED.`,
		Example: `  dnsep wait rule 8a36f60a753badb401753bade3400002 --for active
  dnsep wait rule 8a36f60a753badb401753bade3400002 --for deleted`,
		Args: exactArgs("RULE"),
	}
	check := forFlag(cmd, &state, "active", "deleted")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := check(); err != nil {
			return err
		}
		return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
			id, err := resolveRule(ctx, c, args[0])
			if err != nil {
				return err
			}
			if state == "deleted" {
				err := a.waitFor("resolver rule "+id+" to be deleted", func(opts ...wrapper.WaitOption) error {
					_, err := c.WaitResolverRuleDeleted(ctx, id, opts...)
					return err
				})
				return a.gone(err, "resolver rule %s deleted", id)
			}
			var r *wrapper.ResolverRule
			err = a.waitFor("resolver rule "+id+" to be ACTIVE", func(opts ...wrapper.WaitOption) (err error) {
				r, err = c.WaitResolverRuleActive(ctx, id, opts...)
				return err
			})
			if err != nil {
				return err
			}
			return a.showRule(r)
		})
	}
	return cmd
}

// waitFor is wait for the wait command: the progress names what it waits
// for, and a timeout says which flag set it.
func (a *app) waitFor(what string, waiter func(opts ...wrapper.WaitOption) error) error {
	err := a.wait("waiting for "+what, waiter)
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (--timeout %v)", err, a.timeout)
	}
	return err
}

// gone ends a wait for a resource to go: a note on stderr, and null on
// stdout for the formats that carry data.
func (a *app) gone(err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	a.note(format, args...)
	if a.output == "table" {
		return nil
	}
	return a.render(nil, nil)
}
