package wrapper

import "context"

// ListEndpointIpaddresses returns every IP address of an endpoint, pending
// ones included (GET /v2.1/endpoints/{endpoint_id}/ipaddresses, operationId
// ListEndpointIpaddresses).
func (c *Client) ListEndpointIpaddresses(ctx context.Context, endpointID string) ([]IPAddress, error) {
	if err := checkID("endpoint_id", endpointID); err != nil {
		return nil, err
	}
	r, err := c.api(opListEndpointIpaddresses).ListEndpointIpaddressesWithResponse(ctx, endpointID)
	if err != nil {
		return nil, opListEndpointIpaddresses.fail(err)
	}
	list, err := payload(opListEndpointIpaddresses, r.JSON200, r.HTTPResponse, r.Body)
	if err != nil {
		return nil, err
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
	r, err := c.api(opAssociateEndpointIpaddress).AssociateEndpointIpaddressWithResponse(ctx, endpointID,
		AssociateEndpointIpaddressRequest{Ipaddress: ip})
	if err != nil {
		return nil, opAssociateEndpointIpaddress.fail(err)
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
	r, err := c.api(opDisassociateEndpointIpaddress).DisassociateEndpointIpaddressWithResponse(ctx, endpointID, ipaddressID)
	if err != nil {
		return nil, opDisassociateEndpointIpaddress.fail(err)
	}
	return endpointOf(opDisassociateEndpointIpaddress, r.JSON202, r.HTTPResponse, r.Body)
}
