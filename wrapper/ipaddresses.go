package wrapper

import (
	"context"

	"github.com/dnsep/dnsep/gen"
)

// ListEndpointIpaddresses returns every IP address of an endpoint, pending
// ones included (GET /v2.1/endpoints/{endpoint_id}/ipaddresses, operationId
// ListEndpointIpaddresses).
func (c *Client) ListEndpointIpaddresses(ctx context.Context, endpointID string) ([]IPAddress, error) {
	if err := checkID("endpoint_id", endpointID); err != nil {
		return nil, err
	}
	resp, err := c.api(opListEndpointIpaddresses).ListEndpointIpaddresses(ctx, endpointID)
	r, err := parsed(opListEndpointIpaddresses, resp, err, gen.ParseListEndpointIpaddressesResponse)
	if err != nil {
		return nil, err
	}
	list, err := payload(opListEndpointIpaddresses, r.JSON200, r.HTTPResponse, r.Body)
	if err != nil {
		return nil, err
	}
	if list.Ipaddresses == nil {
		return nil, missing(opListEndpointIpaddresses, r.HTTPResponse, r.Body, "IP address list")
	}
	return list.Ipaddresses, nil
}

// AssociateEndpointIpaddress binds one more IP address to an endpoint (POST
// /v2.1/endpoints/{endpoint_id}/ipaddresses, operationId
// AssociateEndpointIpaddress). Leave ip.IP nil to let the service pick a free
// address in the subnet. An endpoint holds at most 6 addresses: a seventh is
// a 400 with code DNS.1514. It is never retried automatically.
func (c *Client) AssociateEndpointIpaddress(ctx context.Context, endpointID string, ip IPAddressInfo) (*Endpoint, error) {
	if err := checkID("endpoint_id", endpointID); err != nil {
		return nil, err
	}
	resp, err := c.api(opAssociateEndpointIpaddress).AssociateEndpointIpaddress(ctx, endpointID,
		gen.AssociateEndpointIpaddressRequestBody{Ipaddress: ip})
	r, err := parsed(opAssociateEndpointIpaddress, resp, err, gen.ParseAssociateEndpointIpaddressResponse)
	if err != nil {
		return nil, err
	}
	return endpointOf(opAssociateEndpointIpaddress, r.JSON202, r.HTTPResponse, r.Body)
}

// DisassociateEndpointIpaddress unbinds an IP address from an endpoint
// (DELETE /v2.1/endpoints/{endpoint_id}/ipaddresses/{ipaddress_id},
// operationId DisassociateEndpointIpaddress) and returns the endpoint. An
// endpoint keeps at least 2 addresses: unbinding from one that holds 2 is a
// 400 with code DNS.1514; an unknown address is a 404 (DNS.1511). Use
// WaitIpaddressGone to wait until the address is released.
func (c *Client) DisassociateEndpointIpaddress(ctx context.Context, endpointID, ipaddressID string) (*Endpoint, error) {
	if err := checkID("endpoint_id", endpointID); err != nil {
		return nil, err
	}
	if err := checkID("ipaddress_id", ipaddressID); err != nil {
		return nil, err
	}
	resp, err := c.api(opDisassociateEndpointIpaddress).DisassociateEndpointIpaddress(ctx, endpointID, ipaddressID)
	r, err := parsed(opDisassociateEndpointIpaddress, resp, err, gen.ParseDisassociateEndpointIpaddressResponse)
	if err != nil {
		return nil, err
	}
	return endpointOf(opDisassociateEndpointIpaddress, r.JSON202, r.HTTPResponse, r.Body)
}
