package wrapper

import (
	"context"
	"fmt"
	"net/netip"
)

// The bounds of an endpoint's address count, which the service enforces on
// every bind and unbind (DNS.1514).
const (
	MinIPAddresses = 2
	MaxIPAddresses = 6
)

// DesiredAddress is one address that PlanIPSet makes an endpoint hold.
//
// An address with an IP is the address with that IP: a current address with
// the same IP is kept, whatever subnet the list reports for it, since an IP
// lies in one subnet of the VPC only. An address without an IP is any one
// address in the subnet: it keeps a current address that no other desired
// address claims and whose reported subnet is SubnetID or Network.
type DesiredAddress struct {
	// SubnetID is the subnet, by the ID that AssociateEndpointIpaddress
	// takes. Required.
	SubnetID string

	// IP is the IPv4 address; empty means a free one the service picks.
	IP string

	// Network is the subnet's network (Neutron) ID, the one
	// ListEndpointIpaddresses reports for addresses in the subnet. It is
	// needed only to keep an address without an IP, and PlanIPSet learns it
	// from a desired address with an IP in the same subnet that matches a
	// current one.
	Network string
}

// IPStepKind says what an IPStep does.
type IPStepKind string

// The kinds of IPStep.
const (
	IPStepBind   IPStepKind = "bind"
	IPStepUnbind IPStepKind = "unbind"
)

// IPStep is one call of a plan that PlanIPSet makes.
type IPStep struct {
	Kind IPStepKind `json:"kind"`

	// Bind is the address to bind, for IPStepBind.
	Bind *IPAddressInfo `json:"bind,omitempty"`

	// Unbind is the current address to unbind, for IPStepUnbind.
	Unbind *IPAddress `json:"unbind,omitempty"`

	// Count is how many addresses the endpoint holds once the step has
	// settled.
	Count int `json:"count"`
}

// String describes the step for people.
func (s IPStep) String() string {
	if s.Kind == IPStepUnbind {
		return fmt.Sprintf("unbind %s (%s)", s.Unbind.IP, s.Unbind.ID)
	}
	if s.Bind.IP != nil {
		return fmt.Sprintf("bind %s in subnet %s", *s.Bind.IP, s.Bind.SubnetID)
	}
	return "bind a free address in subnet " + s.Bind.SubnetID
}

// IPSetPlan is what PlanIPSet answers: the addresses kept and the steps
// that make the endpoint hold exactly the desired ones.
type IPSetPlan struct {
	Keep  []IPAddress `json:"keep"`
	Steps []IPStep    `json:"steps"`
}

// PlanIPSet returns the ordered binds and unbinds that take an endpoint from
// its current addresses (as ListEndpointIpaddresses answers them) to exactly
// the desired ones. It is a pure function: it sends no request.
//
// A current address that a desired address matches (see DesiredAddress) is
// kept, so a plan for a set the endpoint already holds has no steps. Every
// intermediate count stays within MinIPAddresses and MaxIPAddresses: the plan
// binds first while the endpoint has room and unbinds when it holds
// MaxIPAddresses. Binds follow the order of desired, unbinds that of current.
//
// It refuses, with an error matching ErrInvalidArgument, fewer than 2 or more
// than 6 desired addresses, a desired address without a subnet, a malformed
// or repeated IP, and a current address that is neither ACTIVE nor
// PENDING_CREATE: one on its way out or in ERROR must settle first.
func PlanIPSet(current []IPAddress, desired []DesiredAddress) (*IPSetPlan, error) {
	if err := checkDesired(desired); err != nil {
		return nil, err
	}
	for _, c := range current {
		if c.Status != StatusActive && c.Status != StatusPendingCreate {
			return nil, &InvalidArgumentError{Param: "current address", Value: c.ID,
				Reason: "is " + string(c.Status) + ": wait until it settles, then plan again"}
		}
	}
	claimed := make([]bool, len(current))
	var bind []IPAddressInfo
	var keep []IPAddress
	networks := learnNetworks(current, desired)
	// Addresses with an IP first: their match is forced, and an address
	// without an IP must not take the one they need.
	unmatched := make([]bool, len(desired))
	for i, d := range desired {
		unmatched[i] = true
		if d.IP == "" {
			continue
		}
		for j, c := range current {
			if !claimed[j] && c.IP == d.IP {
				claimed[j], unmatched[i] = true, false
				keep = append(keep, c)
				break
			}
		}
	}
	for i, d := range desired {
		if d.IP != "" {
			continue
		}
		for j, c := range current {
			if !claimed[j] && (c.SubnetID == d.SubnetID || c.SubnetID == networks[d.SubnetID]) {
				claimed[j], unmatched[i] = true, false
				keep = append(keep, c)
				break
			}
		}
	}
	if err := ambiguous(current, claimed, desired, unmatched, networks); err != nil {
		return nil, err
	}
	for i, d := range desired {
		if unmatched[i] {
			info := IPAddressInfo{SubnetID: d.SubnetID}
			if d.IP != "" {
				info.IP = &d.IP
			}
			bind = append(bind, info)
		}
	}
	var unbind []IPAddress
	for j, c := range current {
		if !claimed[j] {
			unbind = append(unbind, c)
		}
	}
	return &IPSetPlan{Keep: keep, Steps: order(len(current), bind, unbind)}, nil
}

// order interleaves the binds and unbinds: bind while there is room, else
// unbind. It never gets stuck: with no room and no unbind left, the final
// count would exceed MaxIPAddresses, which checkDesired ruled out; and an
// unbind with no bind left only goes down towards the final count, which is
// at least MinIPAddresses.
func order(n int, bind []IPAddressInfo, unbind []IPAddress) []IPStep {
	steps := make([]IPStep, 0, len(bind)+len(unbind))
	for len(bind) > 0 || len(unbind) > 0 {
		if len(bind) > 0 && (n < MaxIPAddresses || len(unbind) == 0) {
			n++
			steps = append(steps, IPStep{Kind: IPStepBind, Bind: &bind[0], Count: n})
			bind = bind[1:]
			continue
		}
		n--
		steps = append(steps, IPStep{Kind: IPStepUnbind, Unbind: &unbind[0], Count: n})
		unbind = unbind[1:]
	}
	return steps
}

// learnNetworks maps each desired subnet to its network ID: the one given,
// else the one the list reports for a current address whose IP a desired
// address in that subnet names.
func learnNetworks(current []IPAddress, desired []DesiredAddress) map[string]string {
	networks := map[string]string{}
	for _, d := range desired {
		if d.Network != "" {
			networks[d.SubnetID] = d.Network
		}
	}
	for _, d := range desired {
		if d.IP == "" || networks[d.SubnetID] != "" {
			continue
		}
		for _, c := range current {
			if c.IP == d.IP {
				networks[d.SubnetID] = c.SubnetID
				break
			}
		}
	}
	return networks
}

// ambiguous refuses to bind an address without an IP in a subnet whose
// network is unknown while a current address that no desired address claims
// may lie in that subnet: keeping it might be what the caller wants, and
// replacing it would churn on every run.
func ambiguous(current []IPAddress, claimed []bool, desired []DesiredAddress, unmatched []bool, networks map[string]string) error {
	known := map[string]bool{}
	for _, d := range desired {
		known[d.SubnetID] = true
		if n := networks[d.SubnetID]; n != "" {
			known[n] = true
		}
	}
	for i, d := range desired {
		if !unmatched[i] || d.IP != "" || networks[d.SubnetID] != "" {
			continue
		}
		for j, c := range current {
			if !claimed[j] && !known[c.SubnetID] {
				return &InvalidArgumentError{Param: "desired address", Value: "subnet=" + d.SubnetID,
					Reason: fmt.Sprintf("cannot tell whether address %s (network %s) is in this subnet: give the subnet's network ID (network=%s if it is) or an ip=", c.IP, c.SubnetID, c.SubnetID)}
			}
		}
	}
	return nil
}

func checkDesired(desired []DesiredAddress) error {
	if n := len(desired); n < MinIPAddresses || n > MaxIPAddresses {
		return &InvalidArgumentError{Param: "desired addresses", Value: fmt.Sprint(n), Reason: "an endpoint holds 2 to 6 addresses"}
	}
	seen := map[string]bool{}
	for _, d := range desired {
		if err := checkID("subnet_id", d.SubnetID); err != nil {
			return err
		}
		if d.IP == "" {
			continue
		}
		if a, err := netip.ParseAddr(d.IP); err != nil || !a.Is4() {
			return &InvalidArgumentError{Param: "ip", Value: d.IP, Reason: "not an IPv4 address"}
		}
		if seen[d.IP] {
			return &InvalidArgumentError{Param: "ip", Value: d.IP, Reason: "repeated"}
		}
		seen[d.IP] = true
	}
	return nil
}

// ApplyIPStep runs one step of a plan on an endpoint and waits until it has
// settled: after a bind, until the endpoint is ACTIVE again and none of its
// addresses is PENDING_CREATE (the service answers a bind with the
// endpoint, not the new address, and may settle the two apart); after an
// unbind, until the address is gone. opts configure the waiters.
func (c *Client) ApplyIPStep(ctx context.Context, endpointID string, s IPStep, opts ...WaitOption) error {
	switch {
	case s.Kind == IPStepBind && s.Bind != nil:
		if _, err := c.AssociateEndpointIpaddress(ctx, endpointID, *s.Bind); err != nil {
			return err
		}
		if _, err := c.WaitEndpointActive(ctx, endpointID, opts...); err != nil {
			return err
		}
		return c.waitBound(ctx, endpointID, opts)
	case s.Kind == IPStepUnbind && s.Unbind != nil:
		if _, err := c.DisassociateEndpointIpaddress(ctx, endpointID, s.Unbind.ID); err != nil {
			return err
		}
		_, err := c.WaitIpaddressGone(ctx, endpointID, s.Unbind.ID, opts...)
		return err
	}
	return &InvalidArgumentError{Param: "step", Value: string(s.Kind), Reason: "want a bind with Bind or an unbind with Unbind"}
}

// ApplyIPSet runs the steps of a plan in order with ApplyIPStep, each after
// the previous one has settled, so that the endpoint's count stays within
// the bounds the plan kept. It stops at the first failure and names the
// step; the steps before it stay done, and planning again from the
// endpoint's addresses then gives the rest.
func (c *Client) ApplyIPSet(ctx context.Context, endpointID string, plan *IPSetPlan, opts ...WaitOption) error {
	for i, s := range plan.Steps {
		if err := c.ApplyIPStep(ctx, endpointID, s, opts...); err != nil {
			return fmt.Errorf("dnsep: step %d of %d, %s: %w", i+1, len(plan.Steps), s, err)
		}
	}
	return nil
}

// waitBound polls the addresses of an endpoint until none is PENDING_CREATE.
func (c *Client) waitBound(ctx context.Context, endpointID string, opts []WaitOption) error {
	return poll(ctx, "the new address of endpoint "+endpointID+" to be ACTIVE", opts, func(ctx context.Context) (Status, bool, error) {
		ips, err := c.ListEndpointIpaddresses(ctx, endpointID)
		if err != nil {
			return "", false, err
		}
		for _, ip := range ips {
			if ip.Status == StatusPendingCreate || ip.Status == StatusError {
				return ip.Status, false, nil
			}
		}
		return StatusActive, true, nil
	})
}
