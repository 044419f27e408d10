package wrapper

import (
	"context"

	"github.com/dnsep/dnsep/gen"
)

// ListEndpointVpcs returns one page of the VPCs that hold endpoints, with
// their endpoint counts (GET /v2.1/vpcs, operationId ListEndpointVpcs). To
// walk every page, use AllEndpointVpcs or ListAllEndpointVpcs.
func (c *Client) ListEndpointVpcs(ctx context.Context, params ListEndpointVpcsParams) (*VPCList, error) {
	resp, err := c.api(opListEndpointVpcs).ListEndpointVpcs(ctx, &params)
	r, err := parsed(opListEndpointVpcs, resp, err, gen.ParseListEndpointVpcsResponse)
	if err != nil {
		return nil, err
	}
	list, err := payload(opListEndpointVpcs, r.JSON200, r.HTTPResponse, r.Body)
	if err == nil && list.Vpcs == nil {
		return nil, missing(opListEndpointVpcs, r.HTTPResponse, r.Body, "VPC list")
	}
	return list, err
}
