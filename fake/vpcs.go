package fake

import (
	"context"
	"slices"
	"strings"

	"github.com/dnsep/dnsep/gen"
)

// ListEndpointVpcs implements GET /v2.1/vpcs: the VPCs that hold at least
// one endpoint, in the order of their IDs, with their endpoint counts.
func (s *Server) ListEndpointVpcs(_ context.Context, req gen.ListEndpointVpcsRequestObject) (gen.ListEndpointVpcsResponseObject, error) {
	p := req.Params
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	counts := map[string]*gen.VpcsData{}
	for _, ep := range s.st.endpoints {
		if p.VpcID != nil && ep.vpcID != *p.VpcID {
			continue
		}
		v := counts[ep.vpcID]
		if v == nil {
			v = &gen.VpcsData{ID: ep.vpcID}
			counts[ep.vpcID] = v
		}
		if ep.direction == gen.DirectionInbound {
			v.InboundEndpointCount++
		} else {
			v.OutboundEndpointCount++
		}
	}
	vpcs := make([]gen.VpcsData, 0, len(counts))
	for _, v := range counts {
		vpcs = append(vpcs, *v)
	}
	slices.SortFunc(vpcs, func(a, b gen.VpcsData) int { return strings.Compare(a.ID, b.ID) })
	items := page(vpcs, p.Limit, p.Offset)
	return gen.ListEndpointVpcs200JSONResponse{Body: gen.VpcList{Vpcs: items, Metadata: gen.Metadata{TotalCount: len(vpcs)}}}, nil
}
