package fake

import (
	"encoding/hex"
	"math/rand/v2"
	"net/netip"
	"slices"
	"time"

	"github.com/dnsep/dnsep/gen"
	"github.com/dnsep/dnsep/openapi/apitime"
)

// VPC is a virtual private cloud of the fake's inventory.
type VPC struct {
	ID      string
	Subnets []Subnet
}

// Subnet is an IPv4 subnet of a VPC. Requests name it by ID; the service
// reports the IP addresses in it under NeutronID, as the real one does.
type Subnet struct {
	ID        string
	NeutronID string
	CIDR      string // e.g. "192.168.0.0/24"
}

// The default inventory: one VPC with two subnets, so that creating an
// endpoint works out of the box.
const (
	DefaultVPCID          = "dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b"
	DefaultSubnetID       = "1d7b8e2f-d2a6-4f5a-9a0b-3c7f0e6f5a11" // 192.168.0.0/24
	DefaultSubnetNeutron  = "7c4f8a1e-3b2d-4e6f-8a9b-0c1d2e3f4a5b"
	DefaultSubnet2ID      = "4e6c2f3a-8b1d-4c5e-a6f7-0b9c8d7e6f55" // 192.168.1.0/24
	DefaultSubnet2Neutron = "b2a4c6d8-e0f1-4a3b-9c5d-7e9f1a3b5c7d"
)

// DefaultVPC returns the default inventory's VPC.
func DefaultVPC() VPC {
	return VPC{ID: DefaultVPCID, Subnets: []Subnet{
		{ID: DefaultSubnetID, NeutronID: DefaultSubnetNeutron, CIDR: "192.168.0.0/24"},
		{ID: DefaultSubnet2ID, NeutronID: DefaultSubnet2Neutron, CIDR: "192.168.1.0/24"},
	}}
}

// subnet is a Subnet as the store uses it.
type subnet struct {
	id, neutronID, vpcID string
	prefix               netip.Prefix
}

// gateway is the subnet's first host address, which the VPC keeps.
func (sn *subnet) gateway() netip.Addr { return sn.prefix.Addr().Next() }

func (sn *subnet) broadcast() netip.Addr {
	a := sn.prefix.Addr().As4()
	host := uint32(1)<<(32-sn.prefix.Bits()) - 1
	v := (uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// endpoint is a resolver endpoint in the store.
type endpoint struct {
	id, name         string
	direction        gen.Direction
	vpcID            string
	status           gen.Status
	due              time.Time // when a PENDING_* status settles
	fresh            bool      // created and not yet ACTIVE: the API shows no VPC and no IPs
	ips              []*ipaddr
	rules            int // resolver rules on it, deleted ones not counted
	created, updated time.Time
}

// ipaddr is an IP address of an endpoint.
type ipaddr struct {
	id               string
	addr             netip.Addr
	subnet           *subnet
	status           gen.Status
	due              time.Time
	created, updated time.Time
}

// store holds the fake's state. Its methods expect the caller to hold
// Server.mu.
type store struct {
	endpoints []*endpoint // in creation order
	rules     []*rule     // in creation order, deleted ones (tombstones) included
	subnets   map[string]*subnet
	vpcs      map[string]bool     // the inventory's VPC IDs
	used      map[netip.Addr]bool // every IP bound to an endpoint, pending ones included
	rng       *rand.Rand
	delay     time.Duration
}

// newID returns an ID of 32 lowercase hexadecimal characters.
func (st *store) newID() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(st.rng.Uint32())
	}
	return hex.EncodeToString(b[:])
}

// isID reports whether s has the shape of the service's IDs.
func isID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (st *store) find(id string) *endpoint {
	for _, ep := range st.endpoints {
		if ep.id == id {
			return ep
		}
	}
	return nil
}

// settle applies every pending transition that is due at now: IP addresses
// become ACTIVE or go away, endpoints become ACTIVE or go away.
func (st *store) settle(now time.Time) {
	st.settleRules(now)
	st.endpoints = slices.DeleteFunc(st.endpoints, func(ep *endpoint) bool {
		ep.ips = slices.DeleteFunc(ep.ips, func(ip *ipaddr) bool {
			if ip.due.After(now) {
				return false
			}
			switch ip.status {
			case gen.StatusPendingCreate:
				ip.status, ip.updated = gen.StatusActive, ip.due
			case gen.StatusPendingDelete:
				delete(st.used, ip.addr)
				return true
			}
			return false
		})
		if ep.due.After(now) {
			return false
		}
		switch ep.status {
		case gen.StatusPendingCreate:
			ep.status, ep.updated, ep.fresh = gen.StatusActive, ep.due, false
		case gen.StatusPendingDelete:
			for _, ip := range ep.ips {
				delete(st.used, ip.addr)
			}
			return true
		}
		return false
	})
}

// kept counts the IP addresses an endpoint keeps: all but those leaving.
func (ep *endpoint) kept() int {
	n := 0
	for _, ip := range ep.ips {
		if ip.status != gen.StatusPendingDelete {
			n++
		}
	}
	return n
}

// nextDue returns when a change to ep requested at now settles: after the
// delay, and not before a change to ep requested earlier. Changes to one
// endpoint thus settle in the order they were made, whatever the clock
// does, and an address leaving never goes before one that was bound before
// it was unbound: the count cannot drop below 2 on the way.
func (ep *endpoint) nextDue(now time.Time, delay time.Duration) time.Time {
	due := now.Add(delay)
	if ep.status != gen.StatusActive && ep.due.After(due) {
		due = ep.due
	}
	for _, ip := range ep.ips {
		if ip.status != gen.StatusActive && ip.due.After(due) {
			due = ip.due
		}
	}
	return due
}

// view renders an endpoint as the API shows it. The count is that of the
// addresses in place: new ones count once they are ACTIVE, leaving ones until
// they are gone.
func (ep *endpoint) view() gen.EndpointResp {
	r := gen.EndpointResp{
		ID: ep.id, Name: ep.name, Direction: ep.direction, Status: ep.status, ResolverRuleCount: ep.rules,
		CreateTime: apitime.New(ep.created), UpdateTime: apitime.New(ep.updated),
	}
	if ep.fresh {
		return r
	}
	r.VpcID = ptr(ep.vpcID)
	for _, ip := range ep.ips {
		if ip.status != gen.StatusPendingCreate {
			r.IpaddressCount++
		}
	}
	return r
}

func (ip *ipaddr) view() gen.IpaddressesData {
	return gen.IpaddressesData{
		ID: ip.id, IP: ip.addr.String(), SubnetID: ip.subnet.neutronID, Status: ip.status,
		CreateTime: apitime.New(ip.created), UpdateTime: apitime.New(ip.updated),
	}
}

// allocate returns the lowest free host address of sn, leaving out the
// network address, the gateway and the broadcast address.
func (st *store) allocate(sn *subnet, taken map[netip.Addr]bool) (netip.Addr, bool) {
	bcast := sn.broadcast()
	for a := sn.gateway().Next(); a.IsValid() && a.Less(bcast); a = a.Next() {
		if !st.used[a] && !taken[a] {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// checkIP applies the rules for an IP address chosen by the caller.
func (st *store) checkIP(sn *subnet, s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return netip.Addr{}, errInvalidIP
	}
	switch {
	case !sn.prefix.Contains(a):
		return netip.Addr{}, errIPNotInSubnet
	case a == sn.prefix.Addr() || a == sn.broadcast():
		return netip.Addr{}, errReservedIP
	case a == sn.gateway() || st.used[a]:
		return netip.Addr{}, errIPUsed
	}
	return a, nil
}
