package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/wrapper"
)

func (a *app) vpcCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "vpc",
		Aliases: []string{"vpcs"},
		Short:   "List the VPCs that hold endpoints",
		Example: `  dnsep vpc list`,
	}
	var vpcID string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the VPCs that hold endpoints, with their counts (ListEndpointVpcs)",
		Example: `  dnsep vpc list
  dnsep vpc list --vpc-id dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b -o json`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			params := wrapper.ListEndpointVpcsParams{}
			if vpcID != "" {
				params.VpcID = &vpcID
			}
			return a.call(cmd, func(ctx context.Context, c *wrapper.Client) error {
				vpcs, err := c.ListAllEndpointVpcs(ctx, params)
				if err != nil {
					return err
				}
				if vpcs == nil {
					vpcs = []wrapper.VPC{}
				}
				out := &wrapper.VPCList{Vpcs: vpcs, Metadata: wrapper.Metadata{TotalCount: len(vpcs)}}
				return a.renderList(out, len(vpcs), "VPCs", func(w io.Writer) { vpcRows(w, vpcs) })
			})
		},
		Annotations: calls("ListEndpointVpcs"),
	}
	list.Flags().StringVar(&vpcID, "vpc-id", "", "only this VPC")
	cmd.AddCommand(list)
	return cmd
}
