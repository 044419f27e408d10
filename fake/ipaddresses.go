package fake

import (
	"context"

	"github.com/dnsep/dnsep/gen"
)

// ListEndpointIpaddresses implements GET
// /v2.1/endpoints/{endpoint_id}/ipaddresses: every address, pending ones
// included.
func (s *Server) ListEndpointIpaddresses(_ context.Context, req gen.ListEndpointIpaddressesRequestObject) (gen.ListEndpointIpaddressesResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ep, _, err := s.found(req.EndpointID)
	if err != nil {
		return nil, err
	}
	ips := make([]gen.IpaddressesData, 0, len(ep.ips))
	for _, ip := range ep.ips {
		ips = append(ips, ip.view())
	}
	return gen.ListEndpointIpaddresses200JSONResponse{Body: gen.IpaddressList{Ipaddresses: ips}}, nil
}

// AssociateEndpointIpaddress implements POST
// /v2.1/endpoints/{endpoint_id}/ipaddresses. The new address is
// PENDING_CREATE, and so is the endpoint, until the change settles. An
// address on its way out keeps its slot until it is gone, so a bind that
// would need a seventh slot is refused.
func (s *Server) AssociateEndpointIpaddress(_ context.Context, req gen.AssociateEndpointIpaddressRequestObject) (gen.AssociateEndpointIpaddressResponseObject, error) {
	if req.Body == nil {
		return nil, errInvalidRequest
	}
	in := req.Body.Ipaddress
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.st
	ep, now, err := s.writable(req.EndpointID)
	if err != nil {
		return nil, err
	}
	sn := st.subnets[in.SubnetID]
	switch {
	case sn == nil:
		return nil, errInvalidSubnet
	case sn.vpcID != ep.vpcID:
		return nil, errDifferentVPC
	case len(ep.ips)+1 > 6:
		return nil, errIPCount
	}
	var ip *ipaddr
	if in.IP != nil {
		a, err := st.checkIP(sn, *in.IP)
		if err != nil {
			return nil, err
		}
		ip = &ipaddr{addr: a}
	} else {
		a, ok := st.allocate(sn, nil)
		if !ok {
			return nil, errSubnetFull
		}
		ip = &ipaddr{addr: a}
	}
	due := ep.nextDue(now, st.delay)
	ip.id, ip.subnet, ip.status, ip.due, ip.created, ip.updated = st.newID(), sn, gen.StatusPendingCreate, due, now, now
	st.used[ip.addr] = true
	ep.ips = append(ep.ips, ip)
	ep.status, ep.due, ep.updated = gen.StatusPendingCreate, due, now
	return gen.AssociateEndpointIpaddress202JSONResponse{Body: gen.EndpointEnvelope{Endpoint: ep.view()}}, nil
}

// DisassociateEndpointIpaddress implements DELETE
// /v2.1/endpoints/{endpoint_id}/ipaddresses/{ipaddress_id}. The address is
// PENDING_DELETE until the change settles; the endpoint stays as it is and
// still counts the address, as the API's example shows. An address ID of
// the wrong shape names no address of the endpoint: 404 DNS.1511, as for
// an unknown one (the service has no "invalid ipaddress id" code).
func (s *Server) DisassociateEndpointIpaddress(_ context.Context, req gen.DisassociateEndpointIpaddressRequestObject) (gen.DisassociateEndpointIpaddressResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ep, now, err := s.writable(req.EndpointID)
	if err != nil {
		return nil, err
	}
	var ip *ipaddr
	for _, cand := range ep.ips {
		if cand.id == req.IpaddressID && cand.status != gen.StatusPendingDelete {
			ip = cand
		}
	}
	switch {
	case ip == nil: // existence comes before the count rule
		return nil, errNoIP
	case ep.kept()-1 < 2:
		return nil, errIPCount
	}
	ip.status, ip.due, ip.updated = gen.StatusPendingDelete, ep.nextDue(now, s.st.delay), now
	ep.updated = now
	return gen.DisassociateEndpointIpaddress202JSONResponse{Body: gen.EndpointEnvelope{Endpoint: ep.view()}}, nil
}
