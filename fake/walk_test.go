package fake

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/dnsep/dnsep/gen"
)

// walkStats counts what a random walk reached, so that a walk that never
// gets near the rules fails instead of passing for nothing.
type walkStats struct {
	steps, pending, full, refusedFull, refusedLast, binds, unbinds, deletes int
}

// TestInvariantsRandomWalk binds, unbinds, creates, deletes and lets time
// pass in random order, with delays that keep changes pending across many
// steps, and checks the invariants after every step: in the store (check),
// and as the API shows them.
func TestInvariantsRandomWalk(t *testing.T) {
	t.Parallel()
	var st walkStats
	// One fake for all walks: New loads the OpenAPI document, which would
	// cost more than the walks. Each walk starts from an empty store.
	s, err := New(WithValidation(false))
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(64) {
		if err := randomWalk(s, seed, 100, &st); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
	t.Logf("%+v", st)
	switch {
	case st.pending < st.steps/4:
		t.Errorf("only %d of %d steps saw a pending change", st.pending, st.steps)
	case st.full == 0 || st.refusedFull == 0 || st.refusedLast == 0:
		t.Errorf("the walks never filled an endpoint or hit the count rules: %+v", st)
	case st.binds == 0 || st.unbinds == 0 || st.deletes == 0:
		t.Errorf("the walks never changed anything: %+v", st)
	}
}

// randomWalk runs one seeded walk of n steps on s, emptied first, and
// returns the first broken invariant.
func randomWalk(s *Server, seed uint64, n int, st *walkStats) error {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 0x6a09e667f3bcc908))
	clk := NewTestClock(t0)
	delay := []time.Duration{0, time.Second, time.Minute}[seed%3]
	s.cfg.clock = clk.Now
	s.st = store{subnets: s.st.subnets, used: map[netip.Addr]bool{}, rng: rand.New(rand.NewPCG(seed, seed)), delay: delay}
	subnets := []string{DefaultSubnetID, DefaultSubnet2ID}
	info := func() gen.IpaddressInfo {
		in := gen.IpaddressInfo{SubnetID: subnets[rng.IntN(2)]}
		if rng.IntN(4) == 0 { // a chosen address, which may clash
			third := map[string]byte{DefaultSubnetID: 0, DefaultSubnet2ID: 1}[in.SubnetID]
			in.IP = ptr(netip.AddrFrom4([4]byte{192, 168, third, byte(2 + rng.IntN(12))}).String())
		}
		return in
	}
	var ids []string // every endpoint ever created, deleted ones too
	create := func() {
		in := make([]gen.IpaddressInfo, 2+rng.IntN(5))
		for i := range in {
			in[i] = info()
		}
		r, err := s.CreateEndpoint(ctx, gen.CreateEndpointRequestObject{Body: &gen.CreateEndpointRequestBody{
			Name: fmt.Sprintf("ep-%d", len(ids)), Direction: gen.DirectionInbound, Region: "cn-north-4", Ipaddresses: in,
		}})
		if err == nil {
			ids = append(ids, r.(gen.CreateEndpoint202JSONResponse).Body.Endpoint.ID)
		}
	}
	for range 3 {
		create()
	}
	for step := range n {
		if len(ids) == 0 {
			create()
			continue
		}
		id := ids[rng.IntN(len(ids))]
		list, _ := listIPs(s, id)
		what := ""
		switch r := rng.IntN(100); {
		case r < 35:
			what = "bind"
			_, err := s.AssociateEndpointIpaddress(ctx, gen.AssociateEndpointIpaddressRequestObject{EndpointID: id,
				Body: &gen.AssociateEndpointIpaddressJSONRequestBody{Ipaddress: info()}})
			if err == nil {
				st.binds++
			} else if code(err) == "DNS.1514" {
				st.refusedFull++
			}
		case r < 70:
			what = "unbind"
			ipID := s.st.newID() // unknown, unless the list has one
			if len(list) > 0 && rng.IntN(8) > 0 {
				ipID = list[rng.IntN(len(list))].ID
			}
			_, err := s.DisassociateEndpointIpaddress(ctx, gen.DisassociateEndpointIpaddressRequestObject{EndpointID: id, IpaddressID: ipID})
			if err == nil {
				st.unbinds++
			} else if code(err) == "DNS.1514" {
				st.refusedLast++
			}
		case r < 74:
			what = "delete"
			if _, err := s.DeleteEndpoint(ctx, gen.DeleteEndpointRequestObject{EndpointID: id}); err == nil {
				st.deletes++
			}
		case r < 80:
			what = "create"
			create()
		default:
			what = "wait"
			d := time.Duration(rng.Int64N(int64(delay)/2 + 1))
			if rng.IntN(8) == 0 {
				d = -d // an injected clock may step back
			}
			clk.Add(d)
		}
		if err := s.Check(); err != nil {
			return fmt.Errorf("step %d (%s): %w", step, what, err)
		}
		if err := apiInvariants(s, ids, st); err != nil {
			return fmt.Errorf("step %d (%s): %w", step, what, err)
		}
		st.steps++
	}
	return nil
}

// apiInvariants checks the rules as the API shows them: every endpoint's
// ipaddress_count agrees with its list and stays within 2 to 6 (0 while it
// is being created), and its list has at most 6 entries.
func apiInvariants(s *Server, ids []string, st *walkStats) error {
	r, err := s.ListEndpoints(context.Background(), gen.ListEndpointsRequestObject{Params: gen.ListEndpointsParams{Direction: gen.DirectionInbound}})
	if err != nil {
		return err
	}
	pending := false
	for _, ep := range r.(gen.ListEndpoints200JSONResponse).Body.Endpoints {
		list, err := listIPs(s, ep.ID)
		if err != nil {
			return err
		}
		counted := 0
		for _, ip := range list {
			if ip.Status != gen.StatusPendingCreate {
				counted++
			}
			pending = pending || ip.Status != gen.StatusActive
		}
		pending = pending || ep.Status != gen.StatusActive
		if len(list) == 6 {
			st.full++
		}
		switch {
		case len(list) > 6:
			return fmt.Errorf("endpoint %s lists %d addresses", ep.ID, len(list))
		case ep.VpcID == nil && ep.IpaddressCount != 0:
			return fmt.Errorf("endpoint %s is being created and counts %d addresses", ep.ID, ep.IpaddressCount)
		case ep.VpcID != nil && (ep.IpaddressCount != counted || counted < 2 || counted > 6):
			return fmt.Errorf("endpoint %s counts %d addresses and lists %d that count", ep.ID, ep.IpaddressCount, counted)
		}
	}
	if pending {
		st.pending++
	}
	return nil
}

func listIPs(s *Server, id string) ([]gen.IpaddressesData, error) {
	r, err := s.ListEndpointIpaddresses(context.Background(), gen.ListEndpointIpaddressesRequestObject{EndpointID: id})
	if err != nil {
		return nil, err
	}
	return r.(gen.ListEndpointIpaddresses200JSONResponse).Body.Ipaddresses, nil
}

// code returns the service's error code of err, or "".
func code(err error) string {
	if se, ok := errors.AsType[*serviceError](err); ok {
		return se.code
	}
	return ""
}
