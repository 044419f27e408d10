package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dnsep/dnsep/wrapper"
)

// boundAddress finds the address that one AssociateEndpointIpaddress
// created. The API answers with the endpoint, not the address, and other
// binds may run at the same time, so the address is identified by, in
// turn: the IP that was asked for (an endpoint holds an IP once); the
// addresses in after but not in before; among those, the ones created when
// the bind changed the endpoint (the answer's update_time), which leaves
// out binds that finished before or after this one. It returns the
// remaining candidates when it cannot tell them apart.
func boundAddress(before, after []wrapper.IPAddress, asked string, ep *wrapper.Endpoint) (*wrapper.IPAddress, []wrapper.IPAddress) {
	if asked != "" {
		for i := range after {
			if after[i].IP == asked {
				return &after[i], nil
			}
		}
		return nil, nil
	}
	var fresh []wrapper.IPAddress
	for _, ip := range after {
		if !slices.ContainsFunc(before, func(b wrapper.IPAddress) bool { return b.ID == ip.ID }) {
			fresh = append(fresh, ip)
		}
	}
	if len(fresh) > 1 {
		var same []wrapper.IPAddress
		for _, ip := range fresh {
			if ip.CreateTime.Equal(ep.UpdateTime.Time) {
				same = append(same, ip)
			}
		}
		if len(same) > 0 {
			fresh = same
		}
	}
	if len(fresh) == 1 {
		return &fresh[0], nil
	}
	return nil, fresh
}

// bindAddress binds info to the endpoint and returns the endpoint the API
// answered and the new address, or nil and a note for people when the
// address cannot be told apart from others bound at the same time.
func bindAddress(ctx context.Context, c *wrapper.Client, endpointID string, info wrapper.IPAddressInfo) (*wrapper.Endpoint, *wrapper.IPAddress, string, error) {
	var before []wrapper.IPAddress
	asked := ""
	if info.IP != nil {
		asked = *info.IP
	} else {
		var err error
		if before, err = c.ListEndpointIpaddresses(ctx, endpointID); err != nil {
			return nil, nil, "", err
		}
	}
	ep, err := c.AssociateEndpointIpaddress(ctx, endpointID, info)
	if err != nil {
		return nil, nil, "", err
	}
	after, err := c.ListEndpointIpaddresses(ctx, endpointID)
	if err != nil {
		return nil, nil, "", err
	}
	ip, cands := boundAddress(before, after, asked, ep)
	if ip != nil {
		return ep, ip, "", nil
	}
	ids := make([]string, len(cands))
	for i, cand := range cands {
		ids[i] = cand.ID + " (" + cand.IP + ")"
	}
	note := fmt.Sprintf("endpoint %s took the address, but other binds ran at the same time: it is one of %s", ep.ID, strings.Join(ids, ", "))
	if len(cands) == 0 {
		note = fmt.Sprintf("endpoint %s took the address, but it is no longer listed", ep.ID)
	}
	return ep, nil, note, nil
}

// showAddress prints one address in the chosen format.
func (a *app) showAddress(ip *wrapper.IPAddress) error {
	return a.render(ip, func(w io.Writer) { a.ipRows(w, []wrapper.IPAddress{*ip}) })
}
