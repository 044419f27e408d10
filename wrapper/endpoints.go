package wrapper

import (
	"context"

	"github.com/dnsep/dnsep/gen"
)

// CreateEndpoint creates an endpoint (POST /v2.1/endpoints, operationId
// CreateEndpoint) and returns it as the service accepted it: PENDING_CREATE,
// with a null VPC ID and an IP address count of 0. Use WaitEndpointActive to
// wait until it is usable. CreateEndpoint is never retried automatically.
func (c *Client) CreateEndpoint(ctx context.Context, req CreateEndpointRequest) (*Endpoint, error) {
	resp, err := c.api(opCreateEndpoint).CreateEndpoint(ctx, req)
	r, err := parsed(opCreateEndpoint, resp, err, gen.ParseCreateEndpointResponse)
	if err != nil {
		return nil, err
	}
	return endpointOf(opCreateEndpoint, r.JSON202, r.HTTPResponse, r.Body)
}

// ListEndpoints returns one page of endpoints (GET /v2.1/endpoints,
// operationId ListEndpoints). params.Direction is required. To walk every
// page, use AllEndpoints or ListAllEndpoints.
func (c *Client) ListEndpoints(ctx context.Context, params ListEndpointsParams) (*EndpointList, error) {
	resp, err := c.api(opListEndpoints).ListEndpoints(ctx, &params)
	r, err := parsed(opListEndpoints, resp, err, gen.ParseListEndpointsResponse)
	if err != nil {
		return nil, err
	}
	list, err := payload(opListEndpoints, r.JSON200, r.HTTPResponse, r.Body)
	if err == nil && list.Endpoints == nil {
		return nil, missing(opListEndpoints, r.HTTPResponse, r.Body, "endpoints list")
	}
	return list, err
}

// ShowEndpoint returns an endpoint (GET /v2.1/endpoints/{endpoint_id},
// operationId ShowEndpoint). An unknown ID is an error matching ErrNotFound.
func (c *Client) ShowEndpoint(ctx context.Context, endpointID string) (*Endpoint, error) {
	if err := checkID("endpoint_id", endpointID); err != nil {
		return nil, err
	}
	resp, err := c.api(opShowEndpoint).ShowEndpoint(ctx, endpointID)
	r, err := parsed(opShowEndpoint, resp, err, gen.ParseShowEndpointResponse)
	if err != nil {
		return nil, err
	}
	return endpointOf(opShowEndpoint, r.JSON200, r.HTTPResponse, r.Body)
}

// UpdateEndpoint renames an endpoint (PUT /v2.1/endpoints/{endpoint_id},
// operationId UpdateEndpoint); the name is the only attribute that can change.
func (c *Client) UpdateEndpoint(ctx context.Context, endpointID string, req UpdateEndpointRequest) (*Endpoint, error) {
	if err := checkID("endpoint_id", endpointID); err != nil {
		return nil, err
	}
	resp, err := c.api(opUpdateEndpoint).UpdateEndpoint(ctx, endpointID, req)
	r, err := parsed(opUpdateEndpoint, resp, err, gen.ParseUpdateEndpointResponse)
	if err != nil {
		return nil, err
	}
	return endpointOf(opUpdateEndpoint, r.JSON202, r.HTTPResponse, r.Body)
}

// DeleteEndpoint deletes an endpoint (DELETE /v2.1/endpoints/{endpoint_id},
// operationId DeleteEndpoint) and returns it in PENDING_DELETE. Use
// WaitEndpointDeleted to wait until it is gone.
//
// A delete that is retried after a lost answer may find the endpoint already
// gone: an ErrNotFound whose APIError.Attempts is above 1 means that the
// endpoint is deleted, maybe by the first attempt.
func (c *Client) DeleteEndpoint(ctx context.Context, endpointID string) (*Endpoint, error) {
	if err := checkID("endpoint_id", endpointID); err != nil {
		return nil, err
	}
	resp, err := c.api(opDeleteEndpoint).DeleteEndpoint(ctx, endpointID)
	r, err := parsed(opDeleteEndpoint, resp, err, gen.ParseDeleteEndpointResponse)
	if err != nil {
		return nil, err
	}
	return endpointOf(opDeleteEndpoint, r.JSON202, r.HTTPResponse, r.Body)
}
