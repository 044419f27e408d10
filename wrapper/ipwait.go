package wrapper

import (
	"context"
	"fmt"
)

// WaitIpaddressActive polls ListEndpointIpaddresses until the IP address is
// ACTIVE, as after AssociateEndpointIpaddress, and returns it. It fails fast
// when the address reaches ERROR (ErrResourceFailed), when it is not listed
// or the endpoint is gone (both match ErrNotFound: a bound address is listed
// from the answer to the bind on), or like WaitEndpointActive.
func (c *Client) WaitIpaddressActive(ctx context.Context, endpointID, ipaddressID string, opts ...WaitOption) (*IPAddress, error) {
	if err := checkID("ipaddress_id", ipaddressID); err != nil {
		return nil, err
	}
	var last *IPAddress
	err := poll(ctx, "IP address "+ipaddressID+" of endpoint "+endpointID+" to be ACTIVE", opts, func(ctx context.Context) (Status, bool, error) {
		ips, err := c.ListEndpointIpaddresses(ctx, endpointID)
		if err != nil {
			return "", false, err
		}
		for i := range ips {
			if ips[i].ID == ipaddressID {
				last = &ips[i]
				return ips[i].Status, ips[i].Status == StatusActive, nil
			}
		}
		return "", false, fmt.Errorf("dnsep: IP address %s of endpoint %s is not listed: %w", ipaddressID, endpointID, ErrNotFound)
	})
	return last, err
}
