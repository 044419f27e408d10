package fake

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/gen"
)

var t0 = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

// brokenFixture is a fake with a settled endpoint "a" of three addresses in
// 192.168.0.0/24, for tests that break its store by hand.
func brokenFixture(t *testing.T) (*Server, *endpoint) {
	t.Helper()
	s, err := New(WithRandSeed(1), WithClock(NewTestClock(t0).Now), WithValidation(false),
		WithSeedEndpoint(SeedEndpoint{Name: "a", Direction: gen.DirectionInbound, IPs: []gen.IpaddressInfo{
			{SubnetID: DefaultSubnetID}, {SubnetID: DefaultSubnetID}, {SubnetID: DefaultSubnetID},
		}}))
	if err != nil {
		t.Fatal(err)
	}
	return s, s.st.endpoints[0]
}

// addIP binds one more address to ep by hand, bypassing the rules.
func addIP(s *Server, ep *endpoint, last byte, status gen.Status, due time.Time) *ipaddr {
	ip := &ipaddr{id: s.st.newID(), addr: netip.AddrFrom4([4]byte{192, 168, 0, last}), subnet: s.st.subnets[DefaultSubnetID],
		status: status, due: due, created: t0, updated: t0}
	ep.ips = append(ep.ips, ip)
	s.st.used[ip.addr] = true
	return ip
}

// TestCheckCatchesBrokenStores builds stores that break one rule each, most
// of them only while changes are pending, and expects Check to name the
// rule. The same stores once settled would pass a check that settles first.
func TestCheckCatchesBrokenStores(t *testing.T) {
	t.Parallel()
	later, latest := t0.Add(time.Minute), t0.Add(2*time.Minute)
	tests := []struct {
		name   string
		mutate func(s *Server, ep *endpoint)
		want   string // in the error; "" for a store that keeps the rules
	}{
		{"intact", func(*Server, *endpoint) {}, ""},
		{"being created", func(s *Server, ep *endpoint) {
			ep.status, ep.due, ep.fresh = gen.StatusPendingCreate, later, true
			for _, ip := range ep.ips {
				ip.status, ip.due = gen.StatusPendingCreate, later
			}
		}, ""},
		{"being deleted", func(s *Server, ep *endpoint) { ep.status, ep.due = gen.StatusPendingDelete, later }, ""},
		{"six slots, one leaving", func(s *Server, ep *endpoint) {
			addIP(s, ep, 100, gen.StatusPendingDelete, later)
			addIP(s, ep, 101, gen.StatusActive, time.Time{})
			addIP(s, ep, 102, gen.StatusActive, time.Time{})
		}, ""},
		{"seventh slot for a leaving address", func(s *Server, ep *endpoint) {
			for i := range byte(4) {
				addIP(s, ep, 100+i, gen.StatusPendingDelete, later)
			}
		}, "holds 7 IP addresses"},
		{"seventh slot for a new address", func(s *Server, ep *endpoint) {
			ep.status, ep.due = gen.StatusPendingCreate, later
			for i := range byte(4) {
				addIP(s, ep, 100+i, gen.StatusPendingCreate, later)
			}
		}, "holds 7 IP addresses"},
		{"one kept", func(s *Server, ep *endpoint) {
			ep.ips[0].status, ep.ips[0].due = gen.StatusPendingDelete, later
			ep.ips[1].status, ep.ips[1].due = gen.StatusPendingDelete, later
		}, "keeps 1 IP addresses"},
		{"ACTIVE while an address is created", func(s *Server, ep *endpoint) {
			addIP(s, ep, 100, gen.StatusPendingCreate, later)
		}, "ACTIVE with 1 addresses PENDING_CREATE"},
		{"a leaving address goes before a new one comes", func(s *Server, ep *endpoint) {
			// Count 2 now (one ACTIVE, one leaving); 1 from `later` until the
			// new address settles at `latest`.
			ep.ips = ep.ips[:2]
			delete(s.st.used, netip.AddrFrom4([4]byte{192, 168, 0, 4}))
			ep.ips[0].status, ep.ips[0].due = gen.StatusPendingDelete, later
			ep.status, ep.due = gen.StatusPendingCreate, latest
			addIP(s, ep, 100, gen.StatusPendingCreate, latest)
		}, "reports 1 IP addresses, once the changes due at"},
		{"a new endpoint goes ACTIVE before its addresses", func(s *Server, ep *endpoint) {
			ep.status, ep.due, ep.fresh = gen.StatusPendingCreate, later, true
			for _, ip := range ep.ips {
				ip.status, ip.due = gen.StatusPendingCreate, latest
			}
		}, "ACTIVE with 3 addresses PENDING_CREATE, once"},
		{"address bound twice", func(s *Server, ep *endpoint) {
			addIP(s, ep, 100, gen.StatusActive, time.Time{}).addr = ep.ips[0].addr
		}, "is bound to endpoints"},
		{"address not marked used", func(s *Server, ep *endpoint) { delete(s.st.used, ep.ips[0].addr) }, "not marked used"},
		{"stray used address", func(s *Server, ep *endpoint) {
			s.st.used[netip.AddrFrom4([4]byte{192, 168, 0, 200})] = true
		}, "4 addresses marked used, 3 bound"},
		{"unknown status", func(s *Server, ep *endpoint) { ep.ips[2].status = gen.Status("ERROR") }, "is ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, ep := brokenFixture(t)
			tt.mutate(s, ep)
			err := s.Check()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Check() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Check() = %v, want an error with %q", err, tt.want)
			}
		})
	}
}
