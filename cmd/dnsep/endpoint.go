package main

import (
	"context"
	"io"
	"net/netip"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/wrapper"
)

func (a *app) endpointCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "endpoint",
		Aliases: []string{"endpoints", "ep"},
		Short:   "List, show, create, rename and delete resolver endpoints",
		Example: `  dnsep endpoint list --direction inbound
  dnsep endpoint create --name dns-in --direction inbound --ip subnet=SUBNET --ip subnet=SUBNET --wait`,
	}
	cmd.AddCommand(a.endpointListCmd(), a.endpointShowCmd(), a.endpointCreateCmd(), a.endpointUpdateCmd(), a.endpointDeleteCmd())
	return cmd
}

// parseDirection checks a --direction value.
func parseDirection(s string) (wrapper.Direction, error) {
	d := wrapper.Direction(s)
	if !d.Valid() {
		return "", usagef("--direction must be inbound or outbound, not %q", s)
	}
	return d, nil
}

func (a *app) endpointListCmd() *cobra.Command {
	var direction, vpcID, name string
	var limit, offset int
	var all bool
	cmd := &cobra.Command{
		Use:   "list [--direction inbound|outbound]",
		Short: "List endpoints (ListEndpoints)",
		Long: `List endpoints. The API lists one direction at a time: without --direction,
list asks for inbound, then outbound, and prints both; --limit and --offset page
one direction, so they need --direction.`,
		Example: `  dnsep endpoint list
  dnsep endpoint list --direction inbound
  dnsep endpoint list --direction outbound --vpc-id dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b --all -o json | jq -r '.endpoints[].id'
  dnsep endpoint list --direction inbound --limit 20 --offset 40`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			dirs := []wrapper.Direction{wrapper.Inbound, wrapper.Outbound}
			flags := cmd.Flags()
			if flags.Changed("direction") {
				d, err := parseDirection(direction)
				if err != nil {
					return err
				}
				dirs = []wrapper.Direction{d}
			} else if flags.Changed("limit") || flags.Changed("offset") {
				return usagef("--limit and --offset page one direction: add --direction inbound or outbound")
			}
			if all && (flags.Changed("limit") || flags.Changed("offset")) {
				return usagef("--all walks every page: leave out --limit and --offset")
			}
			if limit < 0 || limit > 500 || offset < 0 {
				return usagef("--limit must be 0 to 500 and --offset 0 or more")
			}
			var params wrapper.ListEndpointsParams
			if vpcID != "" {
				params.VpcID = &vpcID
			}
			if name != "" {
				params.Name = &name
			}
			if flags.Changed("limit") {
				params.Limit = &limit
			}
			if flags.Changed("offset") {
				params.Offset = &offset
			}
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) (err error) {
				list := &wrapper.EndpointList{}
				for _, d := range dirs {
					params.Direction = d
					page, err := listEndpoints(ctx, c, params, all)
					if err != nil {
						return err
					}
					list.Endpoints = append(list.Endpoints, page.Endpoints...)
					list.Metadata.TotalCount += page.Metadata.TotalCount
				}
				if list.Endpoints == nil {
					list.Endpoints = []wrapper.Endpoint{}
				}
				if !all {
					a.offsetHint("endpoints", offset, len(list.Endpoints), list.Metadata.TotalCount)
				}
				return a.renderList(list, len(list.Endpoints), "endpoints", func(w io.Writer) { a.endpointRows(w, list.Endpoints) })
			})
		},
		Annotations: calls("ListEndpoints"),
	}
	f := cmd.Flags()
	f.StringVar(&direction, "direction", "", "inbound or outbound (default: both)")
	f.StringVar(&vpcID, "vpc-id", "", "only endpoints in this VPC")
	f.StringVar(&name, "name", "", "only endpoints with this name")
	f.IntVar(&limit, "limit", 500, "page size, 0 to 500 (needs --direction)")
	f.IntVar(&offset, "offset", 0, "endpoints to skip (needs --direction)")
	f.BoolVar(&all, "all", false, "walk every page")
	return cmd
}

// listEndpoints lists one direction: one page, or with all every page.
func listEndpoints(ctx context.Context, c *wrapper.Client, params wrapper.ListEndpointsParams, all bool) (*wrapper.EndpointList, error) {
	if !all {
		return c.ListEndpoints(ctx, params)
	}
	eps, err := c.ListAllEndpoints(ctx, params)
	if err != nil {
		return nil, err
	}
	return &wrapper.EndpointList{Endpoints: eps, Metadata: wrapper.Metadata{TotalCount: len(eps)}}, nil
}

func (a *app) endpointShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show ENDPOINT",
		Short: "Show an endpoint (ShowEndpoint)",
		Long:  "Show an endpoint, given by its ID or by its name.",
		Example: `  dnsep endpoint show ff80808169be2efb0169bef85d720013 -o yaml
  dnsep endpoint show dns-in`,
		Args: exactArgs("ENDPOINT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				id, err := resolveEndpoint(ctx, c, args[0])
				if err != nil {
					return err
				}
				ep, err := c.ShowEndpoint(ctx, id)
				if err != nil {
					return err
				}
				return a.showEndpoint(ep)
			})
		},
		Annotations: calls("ShowEndpoint"),
	}
}

// parseIPFlag reads one --ip value: subnet=SUBNET_ID[,ip=IP].
func parseIPFlag(v string) (wrapper.IPAddressInfo, error) {
	var info wrapper.IPAddressInfo
	for part := range strings.SplitSeq(v, ",") {
		key, val, ok := strings.Cut(part, "=")
		switch {
		case !ok || val == "":
			return info, usagef("--ip %q: want subnet=SUBNET_ID[,ip=IP]", v)
		case key == "subnet" && info.SubnetID == "":
			info.SubnetID = val
		case key == "ip" && info.IP == nil:
			addr, err := netip.ParseAddr(val)
			if err != nil || !addr.Is4() {
				return info, usagef("--ip %q: %q is not an IPv4 address", v, val)
			}
			info.IP = &val
		default:
			return info, usagef("--ip %q: unknown or repeated key %q (want subnet and, optionally, ip)", v, key)
		}
	}
	if info.SubnetID == "" {
		return info, usagef("--ip %q: subnet= is required", v)
	}
	return info, nil
}

func (a *app) endpointCreateCmd() *cobra.Command {
	var name, direction string
	var ipFlags []string
	var wait bool
	cmd := &cobra.Command{
		Use:   "create --name NAME --direction inbound|outbound --ip subnet=SUBNET_ID[,ip=IP] (2 to 6 times)",
		Short: "Create an endpoint (CreateEndpoint)",
		Long: `Create an endpoint with 2 to 6 IP addresses, all in subnets of one VPC. Without
ip= the service picks a free address in the subnet. The region (--region or
HW_REGION_NAME) must be the subnets' region. Creation finishes in the background:
add --wait to wait until the endpoint is ACTIVE.`,
		Example: `  dnsep endpoint create --name dns-in --direction inbound \
    --ip subnet=1d7b8e2f-d2a6-4f5a-9a0b-3c7f0e6f5a11,ip=192.168.0.10 \
    --ip subnet=1d7b8e2f-d2a6-4f5a-9a0b-3c7f0e6f5a11 \
    --ip subnet=4e6c2f3a-8b1d-4c5e-a6f7-0b9c8d7e6f55 --wait`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := parseDirection(direction)
			if err != nil {
				return err
			}
			if err := checkName("--name", name); err != nil {
				return err
			}
			if n := len(ipFlags); n < 2 || n > 6 {
				return usagef("an endpoint needs 2 to 6 --ip flags, got %d", n)
			}
			req := wrapper.CreateEndpointRequest{Name: name, Direction: d, Region: a.regionName()}
			if req.Region == "" {
				return usagef("create needs the region: pass --region or set HW_REGION_NAME")
			}
			for _, v := range ipFlags {
				info, err := parseIPFlag(v)
				if err != nil {
					return err
				}
				req.Ipaddresses = append(req.Ipaddresses, info)
			}
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				ep, err := c.CreateEndpoint(ctx, req)
				if err != nil {
					return err
				}
				return a.settled(ctx, c, ep, wait, "it is ACTIVE")
			})
		},
		Annotations: calls("CreateEndpoint"),
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "endpoint name: 1 to 64 letters, digits, Chinese characters, _ - . (required)")
	f.StringVar(&direction, "direction", "", "inbound or outbound (required)")
	f.StringArrayVar(&ipFlags, "ip", nil, "an IP address: subnet=SUBNET_ID[,ip=IP]; give 2 to 6")
	f.BoolVar(&wait, "wait", false, "wait until the endpoint is ACTIVE")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("direction")
	return cmd
}

func (a *app) endpointUpdateCmd() *cobra.Command {
	var name string
	var wait bool
	cmd := &cobra.Command{
		Use:     "update ENDPOINT --name NAME",
		Short:   "Rename an endpoint (UpdateEndpoint)",
		Example: `  dnsep endpoint update ff80808169be2efb0169bef85d720013 --name dns-in-2 --wait`,
		Args:    exactArgs("ENDPOINT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkName("--name", name); err != nil {
				return err
			}
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				id, err := resolveEndpoint(ctx, c, args[0])
				if err != nil {
					return err
				}
				ep, err := c.UpdateEndpoint(ctx, id, wrapper.UpdateEndpointRequest{Name: name})
				if err != nil {
					return err
				}
				return a.settled(ctx, c, ep, wait, "it is ACTIVE")
			})
		},
		Annotations: calls("UpdateEndpoint"),
	}
	cmd.Flags().StringVar(&name, "name", "", "the new name: 1 to 64 letters, digits, Chinese characters, _ - . (required)")
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the endpoint is ACTIVE")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func (a *app) endpointDeleteCmd() *cobra.Command {
	var wait, yes bool
	cmd := &cobra.Command{
		Use:     "delete ENDPOINT",
		Short:   "Delete an endpoint (DeleteEndpoint)",
		Example: `  dnsep endpoint delete ff80808169be2efb0169bef85d720013 --wait`,
		Args:    exactArgs("ENDPOINT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				id, err := resolveEndpoint(ctx, c, args[0])
				if err != nil {
					return err
				}
				if err := a.confirmUnless(ctx, yes, "Delete endpoint "+args[0]+"?"); err != nil {
					return err
				}
				ep, err := c.DeleteEndpoint(ctx, id)
				if err != nil {
					return err
				}
				if !wait {
					a.note("endpoint %s is %s; add --wait to wait until it is gone", ep.ID, ep.Status)
					return a.showEndpoint(ep)
				}
				err = a.wait("endpoint "+ep.ID, func(opts ...wrapper.WaitOption) error {
					_, err := c.WaitEndpointDeleted(ctx, ep.ID, opts...)
					return err
				})
				if err != nil {
					return err
				}
				a.note("endpoint %s deleted", ep.ID)
				return a.render(nil, func(io.Writer) {}) // JSON and YAML say null: nothing is left
			})
		},
		Annotations: calls("DeleteEndpoint"),
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the endpoint is gone")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete without asking on a terminal")
	return cmd
}
