package main

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/wrapper"
)

func (a *app) ipSetCmd() *cobra.Command {
	var ipFlags []string
	var dryRun, yes bool
	cmd := &cobra.Command{
		Use:   "set ENDPOINT_ID --ip subnet=SUBNET_ID[,ip=IP][,network=NETWORK_ID] (2 to 6 times)",
		Short: "Make an endpoint hold exactly these IP addresses",
		Long: `Make an endpoint hold exactly the addresses given with --ip, binding and
unbinding one address at a time and waiting for each change to settle.

Matching: an --ip with ip= is the address with that IP; an --ip without ip= is
any one address in the subnet that no other --ip claims. An address already
there is kept, so a second run changes nothing. The address list reports a
subnet by its network (Neutron) ID, the SUBNET column of 'dnsep ip list', not
by the subnet ID that binding takes: dnsep learns it from an --ip with ip= in
the same subnet, or take it from that column and give it as network=. Without
either, dnsep will not guess whether an address is in the subnet and stops.

Order: the endpoint holds 2 to 6 addresses at every step. dnsep binds first
while the endpoint has room and unbinds first when it holds 6.

--dry-run prints the plan and changes nothing. On a terminal the plan is shown
and confirmed before any change, unless --yes; a script is never prompted.
The result is the endpoint's address list, as 'dnsep ip list' prints it.`,
		Example: `  dnsep ip set ff80808169be2efb0169bef85d720013 \
    --ip subnet=1d7b8e2f-d2a6-4f5a-9a0b-3c7f0e6f5a11,ip=192.168.0.10 \
    --ip subnet=4e6c2f3a-8b1d-4c5e-a6f7-0b9c8d7e6f55,ip=192.168.1.10 --dry-run
  dnsep ip set ff80808169be2efb0169bef85d720013 --yes \
    --ip subnet=1d7b8e2f-d2a6-4f5a-9a0b-3c7f0e6f5a11,network=7c4f8a1e-3b2d-4e6f-8a9b-0c1d2e3f4a5b \
    --ip subnet=4e6c2f3a-8b1d-4c5e-a6f7-0b9c8d7e6f55,ip=192.168.1.10`,
		Args: exactArgs("ENDPOINT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if n := len(ipFlags); n < wrapper.MinIPAddresses || n > wrapper.MaxIPAddresses {
				return usagef("an endpoint holds 2 to 6 addresses: give 2 to 6 --ip flags, got %d", n)
			}
			desired := make([]wrapper.DesiredAddress, 0, len(ipFlags))
			for _, v := range ipFlags {
				d, err := parseDesiredFlag(v)
				if err != nil {
					return err
				}
				desired = append(desired, d)
			}
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				id, err := resolveEndpoint(ctx, c, args[0])
				if err != nil {
					return err
				}
				return a.ipSet(ctx, c, id, desired, dryRun, yes)
			})
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&ipFlags, "ip", nil, "an address the endpoint holds: subnet=SUBNET_ID[,ip=IP][,network=NETWORK_ID]; give 2 to 6")
	f.BoolVar(&dryRun, "dry-run", false, "print the plan and change nothing")
	f.BoolVarP(&yes, "yes", "y", false, "apply the plan without asking on a terminal")
	return cmd
}

func (a *app) ipSet(ctx context.Context, c *wrapper.Client, endpointID string, desired []wrapper.DesiredAddress, dryRun, yes bool) error {
	current, err := c.ListEndpointIpaddresses(ctx, endpointID)
	if err != nil {
		return err
	}
	plan, err := wrapper.PlanIPSet(current, desired)
	if err != nil {
		return usageError{err}
	}
	if dryRun {
		a.note("endpoint %s: %s (dry run, nothing changed)", endpointID, planSummary(len(current), plan))
		return a.render(plan, func(w io.Writer) { planRows(w, plan) })
	}
	if len(plan.Steps) == 0 {
		a.note("endpoint %s already holds these addresses: nothing to do", endpointID)
		return a.showIPs(current)
	}
	a.note("endpoint %s: %s", endpointID, planSummary(len(current), plan))
	if !yes && a.interactive {
		tw := tabwriter.NewWriter(a.errOut, 0, 0, 2, ' ', 0)
		planRows(tw, plan)
		_ = tw.Flush()
		if err := a.confirm(ctx, fmt.Sprintf("Apply these %d steps?", len(plan.Steps))); err != nil {
			return err
		}
	}
	for i, s := range plan.Steps {
		what := fmt.Sprintf("step %d/%d, %s", i+1, len(plan.Steps), s)
		err := a.wait(what, func(opts ...wrapper.WaitOption) error { return c.ApplyIPStep(ctx, endpointID, s, opts...) })
		if err != nil {
			return fmt.Errorf("%s: %w; run the command again to plan the rest", what, err)
		}
	}
	ips, err := c.ListEndpointIpaddresses(ctx, endpointID)
	if err != nil {
		return err
	}
	return a.showIPs(ips)
}

// showIPs prints an address list as 'dnsep ip list' does.
func (a *app) showIPs(ips []wrapper.IPAddress) error {
	if ips == nil {
		ips = []wrapper.IPAddress{}
	}
	return a.render(map[string]any{"ipaddresses": ips}, func(w io.Writer) { a.ipRows(w, ips) })
}

func planSummary(now int, plan *wrapper.IPSetPlan) string {
	binds := 0
	for _, s := range plan.Steps {
		if s.Kind == wrapper.IPStepBind {
			binds++
		}
	}
	return fmt.Sprintf("%d addresses now, %d after %d step(s): keep %d, bind %d, unbind %d",
		now, len(plan.Keep)+binds, len(plan.Steps), len(plan.Keep), binds, len(plan.Steps)-binds)
}

// planRows writes the plan as a table: the addresses kept, then the steps
// in order with the count each leaves.
func planRows(w io.Writer, plan *wrapper.IPSetPlan) {
	fmt.Fprintln(w, "STEP\tACTION\tIP\tSUBNET\tID\tCOUNT")
	for _, k := range plan.Keep {
		fmt.Fprintf(w, "-\tkeep\t%s\t%s\t%s\t-\n", k.IP, k.SubnetID, k.ID)
	}
	for i, s := range plan.Steps {
		if s.Kind == wrapper.IPStepUnbind {
			fmt.Fprintf(w, "%d\tunbind\t%s\t%s\t%s\t%d\n", i+1, s.Unbind.IP, s.Unbind.SubnetID, s.Unbind.ID, s.Count)
			continue
		}
		ip := "(free)"
		if s.Bind.IP != nil {
			ip = *s.Bind.IP
		}
		fmt.Fprintf(w, "%d\tbind\t%s\t%s\t-\t%d\n", i+1, ip, s.Bind.SubnetID, s.Count)
	}
}

// parseDesiredFlag reads one --ip value of ip set:
// subnet=SUBNET_ID[,ip=IP][,network=NETWORK_ID].
func parseDesiredFlag(v string) (wrapper.DesiredAddress, error) {
	var d wrapper.DesiredAddress
	const want = "want subnet=SUBNET_ID[,ip=IP][,network=NETWORK_ID]"
	for part := range strings.SplitSeq(v, ",") {
		key, val, ok := strings.Cut(part, "=")
		switch {
		case !ok || val == "":
			return d, usagef("--ip %q: %s", v, want)
		case key == "subnet" && d.SubnetID == "":
			d.SubnetID = val
		case key == "network" && d.Network == "":
			d.Network = val
		case key == "ip" && d.IP == "":
			addr, err := netip.ParseAddr(val)
			if err != nil || !addr.Is4() {
				return d, usagef("--ip %q: %q is not an IPv4 address", v, val)
			}
			d.IP = val
		default:
			return d, usagef("--ip %q: unknown or repeated key %q (%s)", v, key, want)
		}
	}
	if d.SubnetID == "" {
		return d, usagef("--ip %q: subnet= is required", v)
	}
	return d, nil
}
