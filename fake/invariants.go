package fake

import (
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/dnsep/dnsep/gen"
)

// Check verifies the invariants of the service's state, as package fake's
// documentation states them, without settling anything: they must hold now
// and at every instant a pending change will settle at, with no request in
// between. It returns nil or an error that names the first broken
// invariant. Check does not change the fake's state; tests and load runs may
// call it at any time.
func (s *Server) Check() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.check()
}

// check is Check for a caller that holds Server.mu.
func (st *store) check() error {
	seen := map[netip.Addr]string{}
	ids := map[string]bool{}
	names := map[string]string{}
	for _, ep := range st.endpoints {
		switch {
		case !isID(ep.id) || ids[ep.id]:
			return fmt.Errorf("fake: endpoint ID %q is malformed or not unique", ep.id)
		case names[ep.name] != "":
			return fmt.Errorf("fake: endpoints %s and %s are both named %q", names[ep.name], ep.id, ep.name)
		}
		ids[ep.id], names[ep.name] = true, ep.id
		for _, ip := range ep.ips {
			switch {
			case !isID(ip.id) || ids[ip.id]:
				return fmt.Errorf("fake: IP address ID %q of endpoint %s is malformed or not unique", ip.id, ep.id)
			case seen[ip.addr] != "":
				return fmt.Errorf("fake: IP %s is bound to endpoints %s and %s", ip.addr, seen[ip.addr], ep.id)
			case !st.used[ip.addr]:
				return fmt.Errorf("fake: IP %s of endpoint %s is not marked used", ip.addr, ep.id)
			case ip.subnet.vpcID != ep.vpcID:
				return fmt.Errorf("fake: IP %s of endpoint %s is outside its VPC", ip.addr, ep.id)
			}
			ids[ip.id], seen[ip.addr] = true, ep.id
		}
		if err := ep.checkAt(time.Time{}); err != nil {
			return err
		}
		for _, t := range ep.dues() {
			if err := ep.checkAt(t); err != nil {
				return fmt.Errorf("%w, once the changes due at %s settle", err, t.Format(time.RFC3339Nano))
			}
		}
	}
	if len(seen) != len(st.used) {
		return fmt.Errorf("fake: %d addresses marked used, %d bound", len(st.used), len(seen))
	}
	return st.checkRules(ids)
}

// dues returns the instants at which ep's pending changes settle, in order.
func (ep *endpoint) dues() []time.Time {
	var ts []time.Time
	if ep.status != gen.StatusActive {
		ts = append(ts, ep.due)
	}
	for _, ip := range ep.ips {
		if ip.status != gen.StatusActive {
			ts = append(ts, ip.due)
		}
	}
	slices.SortFunc(ts, time.Time.Compare)
	return slices.CompactFunc(ts, time.Time.Equal)
}

// checkAt checks the rules for one endpoint as it will be at instant t if
// nothing but settling happens until then; the zero t means as it stands.
// It settles a copy, with the same code as reads do, and checks what the
// API would show.
func (ep *endpoint) checkAt(t time.Time) error {
	c := ep
	if !t.IsZero() {
		tmp := store{endpoints: []*endpoint{ep.clone()}, used: map[netip.Addr]bool{}}
		tmp.settle(t)
		if len(tmp.endpoints) == 0 {
			return nil // deleted by then
		}
		c = tmp.endpoints[0]
	}
	v := c.view()
	var slots, kept, counted, creating int
	for _, ip := range c.ips {
		switch ip.view().Status {
		case gen.StatusActive:
			kept, counted = kept+1, counted+1
		case gen.StatusPendingCreate:
			kept, creating = kept+1, creating+1
		case gen.StatusPendingDelete:
			counted++
		default:
			return fmt.Errorf("fake: IP %s of endpoint %s is %s", ip.addr, ep.id, ip.status)
		}
		slots++
	}
	switch {
	case slots > 6:
		return fmt.Errorf("fake: endpoint %s holds %d IP addresses, more than 6", ep.id, slots)
	case kept < 2:
		return fmt.Errorf("fake: endpoint %s keeps %d IP addresses, fewer than 2", ep.id, kept)
	case v.Status != gen.StatusPendingCreate && v.Status != gen.StatusActive && v.Status != gen.StatusPendingDelete:
		return fmt.Errorf("fake: endpoint %s is %s", ep.id, v.Status)
	case v.Status == gen.StatusActive && creating > 0:
		return fmt.Errorf("fake: endpoint %s is ACTIVE with %d addresses PENDING_CREATE", ep.id, creating)
	case c.fresh && v.Status == gen.StatusActive:
		return fmt.Errorf("fake: endpoint %s is ACTIVE and still being created", ep.id)
	case c.fresh && (v.IpaddressCount != 0 || v.VpcID != nil):
		return fmt.Errorf("fake: endpoint %s is being created and shows %d IP addresses in VPC %v", ep.id, v.IpaddressCount, v.VpcID)
	case !c.fresh && v.IpaddressCount != counted:
		return fmt.Errorf("fake: endpoint %s reports %d IP addresses and lists %d that count", ep.id, v.IpaddressCount, counted)
	case !c.fresh && (v.IpaddressCount < 2 || v.IpaddressCount > 6):
		return fmt.Errorf("fake: endpoint %s reports %d IP addresses", ep.id, v.IpaddressCount)
	}
	return nil
}

// clone returns a deep copy of ep, for checkAt to settle.
func (ep *endpoint) clone() *endpoint {
	c := *ep
	c.ips = make([]*ipaddr, len(ep.ips))
	for i, ip := range ep.ips {
		cp := *ip
		c.ips[i] = &cp
	}
	return &c
}
