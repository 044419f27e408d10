package fake

import (
	"context"
	"net/netip"
	"time"
	"unicode/utf8"

	"github.com/dnsep/dnsep/gen"
)

// validName applies the API's name rules: 1 to 64 characters, letters,
// digits, Chinese characters, '_', '-' and '.'.
func validName(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 1 || n > 64 {
		return false
	}
	for _, r := range s {
		ok := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
			r == '_' || r == '-' || r == '.' || 0x4e00 <= r && r <= 0x9fa5
		if !ok {
			return false
		}
	}
	return true
}

// nameTaken reports whether another endpoint has the name. Names are
// unique among all endpoints of the project, both directions.
func (st *store) nameTaken(name string, except *endpoint) bool {
	for _, ep := range st.endpoints {
		if ep != except && ep.name == name {
			return true
		}
	}
	return false
}

// CreateEndpoint implements POST /v2.1/endpoints.
func (s *Server) CreateEndpoint(_ context.Context, req gen.CreateEndpointRequestObject) (gen.CreateEndpointResponseObject, error) {
	b := req.Body
	switch {
	case b == nil: // for a caller that bypasses the validator
		return nil, errInvalidRequest
	case b.Region != s.cfg.region: // the document cannot know the fake's region
		return nil, errInvalidRegion
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.settle()
	st := &s.st

	subnets := make([]*subnet, len(b.Ipaddresses))
	for i, ip := range b.Ipaddresses {
		sn := st.subnets[ip.SubnetID]
		if sn == nil {
			return nil, errInvalidSubnet
		}
		if i > 0 && sn.vpcID != subnets[0].vpcID {
			return nil, errDifferentVPC
		}
		subnets[i] = sn
	}
	addrs := make([]netip.Addr, len(b.Ipaddresses))
	taken := map[netip.Addr]bool{}
	for i, ip := range b.Ipaddresses {
		if ip.IP == nil {
			continue
		}
		a, err := st.checkIP(subnets[i], *ip.IP)
		if err != nil {
			return nil, err
		}
		if taken[a] {
			return nil, errIPRepeated
		}
		taken[a], addrs[i] = true, a
	}
	for i := range addrs {
		if addrs[i].IsValid() {
			continue
		}
		a, ok := st.allocate(subnets[i], taken)
		if !ok {
			return nil, errSubnetFull
		}
		taken[a], addrs[i] = true, a
	}
	if st.nameTaken(b.Name, nil) {
		return nil, errNameExists
	}
	if s.count(b.Direction) >= s.cfg.quota[b.Direction] {
		if b.Direction == gen.DirectionInbound {
			return nil, errInboundQuota
		}
		return nil, errOutboundQuota
	}

	due := now.Add(st.delay)
	ep := &endpoint{id: st.newID(), name: b.Name, direction: b.Direction, vpcID: subnets[0].vpcID,
		status: gen.StatusPendingCreate, due: due, fresh: true, created: now, updated: now}
	for i, a := range addrs {
		ep.ips = append(ep.ips, &ipaddr{id: st.newID(), addr: a, subnet: subnets[i], status: gen.StatusPendingCreate, due: due, created: now, updated: now})
		st.used[a] = true
	}
	st.endpoints = append(st.endpoints, ep)
	return gen.CreateEndpoint202JSONResponse{Body: gen.EndpointEnvelope{Endpoint: ep.view()}}, nil
}

// count returns the number of endpoints of a direction, for the quota.
func (s *Server) count(d gen.Direction) int {
	n := 0
	for _, ep := range s.st.endpoints {
		if ep.direction == d {
			n++
		}
	}
	return n
}

// lookup finds the endpoint a request names: 400 DNS.1509 for an ID of the
// wrong shape, 404 DNS.1510 for an unknown one.
func (s *Server) lookup(id string) (*endpoint, error) {
	if !isID(id) {
		return nil, errInvalidEndpoint
	}
	ep := s.st.find(id)
	if ep == nil {
		return nil, errNoEndpoint
	}
	return ep, nil
}

// found settles the store and finds the endpoint a request names. It
// returns the time it settled at. The caller holds s.mu.
func (s *Server) found(id string) (*endpoint, time.Time, error) {
	now := s.settle()
	ep, err := s.lookup(id)
	return ep, now, err
}

// writable settles the store and finds the endpoint a write names, refusing
// one that is being deleted. It returns the time it settled at. The caller
// holds s.mu.
func (s *Server) writable(id string) (*endpoint, time.Time, error) {
	ep, now, err := s.found(id)
	if err != nil {
		return nil, now, err
	}
	if ep.status == gen.StatusPendingDelete {
		return nil, now, errDeleting
	}
	return ep, now, nil
}

// ShowEndpoint implements GET /v2.1/endpoints/{endpoint_id}.
func (s *Server) ShowEndpoint(_ context.Context, req gen.ShowEndpointRequestObject) (gen.ShowEndpointResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ep, _, err := s.found(req.EndpointID)
	if err != nil {
		return nil, err
	}
	return gen.ShowEndpoint200JSONResponse{Body: gen.EndpointEnvelope{Endpoint: ep.view()}}, nil
}

// UpdateEndpoint implements PUT /v2.1/endpoints/{endpoint_id}: a rename.
func (s *Server) UpdateEndpoint(_ context.Context, req gen.UpdateEndpointRequestObject) (gen.UpdateEndpointResponseObject, error) {
	if req.Body == nil { // for a caller that bypasses the validator
		return nil, errInvalidRequest
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ep, now, err := s.writable(req.EndpointID)
	if err != nil {
		return nil, err
	}
	if s.st.nameTaken(req.Body.Name, ep) {
		return nil, errNameExists
	}
	ep.name, ep.updated = req.Body.Name, now
	return gen.UpdateEndpoint202JSONResponse{Body: gen.EndpointEnvelope{Endpoint: ep.view()}}, nil
}

// DeleteEndpoint implements DELETE /v2.1/endpoints/{endpoint_id}. Deleting
// an endpoint that is already being deleted answers the same again; one
// that still has resolver rules is in use (400 DNS.0608).
func (s *Server) DeleteEndpoint(_ context.Context, req gen.DeleteEndpointRequestObject) (gen.DeleteEndpointResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ep, now, err := s.found(req.EndpointID)
	if err != nil {
		return nil, err
	}
	if ep.rules > 0 {
		return nil, errEndpointInUse
	}
	if ep.status != gen.StatusPendingDelete {
		ep.status, ep.due, ep.updated = gen.StatusPendingDelete, now.Add(s.st.delay), now
	}
	return gen.DeleteEndpoint202JSONResponse{Body: gen.EndpointEnvelope{Endpoint: ep.view()}}, nil
}

// ListEndpoints implements GET /v2.1/endpoints.
func (s *Server) ListEndpoints(_ context.Context, req gen.ListEndpointsRequestObject) (gen.ListEndpointsResponseObject, error) {
	p := req.Params
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	matches := []gen.EndpointResp{}
	for _, ep := range s.st.endpoints {
		if ep.direction != p.Direction || p.VpcID != nil && ep.vpcID != *p.VpcID || p.Name != nil && ep.name != *p.Name {
			continue
		}
		matches = append(matches, ep.view())
	}
	items := page(matches, p.Limit, p.Offset)
	return gen.ListEndpoints200JSONResponse{Body: gen.EndpointList{Endpoints: items, Metadata: gen.Metadata{TotalCount: len(matches)}}}, nil
}

// page cuts one page out of items. A missing or zero limit means the
// service's default of 500; an offset past the end gives an empty page.
// The validator has checked the ranges of both.
func page[T any](items []T, limit, offset *int) []T {
	n, off := 500, 0
	if limit != nil && *limit > 0 {
		n = *limit
	}
	if offset != nil {
		off = max(*offset, 0) // for a caller that bypasses the validator
	}
	if off >= len(items) {
		return []T{}
	}
	return items[off:min(off+n, len(items))]
}
