package wrapper

import "context"

// ListEndpointVpcs returns one page of the VPCs that hold endpoints, with
// their endpoint counts (GET /v2.1/vpcs, operationId ListEndpointVpcs). To
// walk every page, use AllEndpointVpcs or ListAllEndpointVpcs.
func (c *Client) ListEndpointVpcs(ctx context.Context, params ListEndpointVpcsParams) (*VPCList, error) {
	r, err := c.api(opListEndpointVpcs).ListEndpointVpcsWithResponse(ctx, &params)
	if err != nil {
		return nil, opListEndpointVpcs.fail(err)
	}
	return payload(opListEndpointVpcs, r.JSON200, r.HTTPResponse, r.Body)
}
