package main

import (
	"context"
	"io"
	"net/netip"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/wrapper"
)

func (a *app) ipCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "ip",
		Aliases: []string{"ips", "ipaddress"},
		Short:   "List, bind and unbind the IP addresses of an endpoint",
		Example: `  dnsep ip list ff80808169be2efb0169bef85d720013
  dnsep ip unbind ff80808169be2efb0169bef85d720013 ff80808169bf16c70169bf1d04ba0001 --wait`,
	}
	cmd.AddCommand(a.ipListCmd(), a.ipBindCmd(), a.ipUnbindCmd(), a.ipSetCmd())
	return cmd
}

func (a *app) ipListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list ENDPOINT",
		Short: "List the IP addresses of an endpoint (ListEndpointIpaddresses)",
		Long: `List the IP addresses of an endpoint, pending ones included. The
SUBNET_NETWORK_ID column is the subnet's network (Neutron) ID, as the API
reports it: 'dnsep ip bind --subnet' wants the VPC subnet's ID instead.`,
		Example: `  dnsep ip list ff80808169be2efb0169bef85d720013
  dnsep ip list ff80808169be2efb0169bef85d720013 -o json | jq -r '.ipaddresses[].ip'`,
		Args: exactArgs("ENDPOINT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				id, err := resolveEndpoint(ctx, c, args[0])
				if err != nil {
					return err
				}
				ips, err := c.ListEndpointIpaddresses(ctx, id)
				if err != nil {
					return err
				}
				if ips == nil {
					ips = []wrapper.IPAddress{}
				}
				return a.renderList(map[string]any{"ipaddresses": ips}, len(ips), "IP addresses", func(w io.Writer) { a.ipRows(w, ips) })
			})
		},
		Annotations: calls("ListEndpointIpaddresses"),
	}
}

func (a *app) ipBindCmd() *cobra.Command {
	var subnetID, ip string
	var wait bool
	cmd := &cobra.Command{
		Use:   "bind ENDPOINT --subnet SUBNET_ID [--ip IP]",
		Short: "Bind one more IP address to an endpoint (AssociateEndpointIpaddress)",
		Long: `Bind one more IP address to an endpoint, in a subnet of the endpoint's VPC. Without
--ip the service picks a free address. An endpoint holds at most 6 addresses.
SUBNET_ID is the VPC subnet's ID, not the network ID that 'dnsep ip list' shows.

The API answers with the endpoint, not the address: bind lists the addresses
before and after and prints the new one (ID, IP, status), found by the IP
asked for, else by what is new and was created by this bind, so binds that
run at the same time are told apart.`,
		Example: `  dnsep ip bind ff80808169be2efb0169bef85d720013 --subnet 1d7b8e2f-d2a6-4f5a-9a0b-3c7f0e6f5a11 --ip 192.168.0.25 --wait
  dnsep ip bind dns-in --subnet 1d7b8e2f-d2a6-4f5a-9a0b-3c7f0e6f5a11 -o json | jq -r .id`,
		Args: exactArgs("ENDPOINT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			info := wrapper.IPAddressInfo{SubnetID: subnetID}
			if ip != "" {
				if addr, err := netip.ParseAddr(ip); err != nil || !addr.Is4() {
					return usagef("--ip %q is not an IPv4 address", ip)
				}
				info.IP = &ip
			}
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				id, err := resolveEndpoint(ctx, c, args[0])
				if err != nil {
					return err
				}
				ep, bound, note, err := bindAddress(ctx, c, id, info)
				if err != nil {
					return err
				}
				if bound == nil {
					// Say what is known rather than guess.
					a.note("%s", note)
					return a.settledAs(ctx, c, ep, wait, "the address is bound", "new address on endpoint "+ep.ID)
				}
				if !wait {
					a.note("IP address %s of endpoint %s is %s; add --wait to wait until it is bound", bound.ID, ep.ID, bound.Status)
					return a.showAddress(bound)
				}
				err = a.wait("IP address "+bound.ID+" on endpoint "+ep.ID, func(opts ...wrapper.WaitOption) (err error) {
					bound, err = c.WaitIpaddressActive(ctx, ep.ID, bound.ID, opts...)
					return err
				})
				if err != nil {
					return err
				}
				return a.showAddress(bound)
			})
		},
		Annotations: calls("AssociateEndpointIpaddress"),
	}
	cmd.Flags().StringVar(&subnetID, "subnet", "", "the VPC subnet's ID, not the network ID of 'ip list' (required)")
	cmd.Flags().StringVar(&ip, "ip", "", "the IPv4 address (default: a free one)")
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the endpoint is ACTIVE again")
	_ = cmd.MarkFlagRequired("subnet")
	return cmd
}

func (a *app) ipUnbindCmd() *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:   "unbind ENDPOINT IPADDRESS_ID",
		Short: "Unbind an IP address from an endpoint (DisassociateEndpointIpaddress)",
		Long: `Unbind an IP address from an endpoint. The endpoint keeps at least 2 addresses:
unbinding from an endpoint that holds 2 fails with DNS.1514. Take IPADDRESS_ID
from 'dnsep ip list'.`,
		Example: `  dnsep ip unbind ff80808169be2efb0169bef85d720013 ff80808169bf16c70169bf1d04ba0001
  dnsep ip unbind ff80808169be2efb0169bef85d720013 ff80808169bf16c70169bf1d04ba0001 --wait -o json`,
		Args: exactArgs("ENDPOINT", "IPADDRESS_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				id, err := resolveEndpoint(ctx, c, args[0])
				if err != nil {
					return err
				}
				ep, err := c.DisassociateEndpointIpaddress(ctx, id, args[1])
				if err != nil {
					return err
				}
				if !wait {
					a.note("IP address %s is being unbound; add --wait to wait until it is gone", args[1])
					return a.showEndpoint(ep)
				}
				err = a.wait("IP address "+args[1], func(opts ...wrapper.WaitOption) error {
					_, err := c.WaitIpaddressGone(ctx, id, args[1], opts...)
					return err
				})
				if err != nil {
					return err
				}
				if ep, err = c.ShowEndpoint(ctx, id); err != nil {
					return err
				}
				return a.showEndpoint(ep)
			})
		},
		Annotations: calls("DisassociateEndpointIpaddress"),
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the address is gone, then show the endpoint")
	return cmd
}
