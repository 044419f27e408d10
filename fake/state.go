package fake

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/dnsep/dnsep/gen"
)

// stateVersion is the version of the format that State writes and WithState
// reads. Resolver rules came as an optional field of version 1: a file
// without them, from an older fake, still loads, and an older fake refuses
// a file that has them by naming the unknown field, rather than dropping
// them.
const stateVersion = 1

// stateTimeLayout is RFC 3339 with nanoseconds, always nine digits, in UTC.
const stateTimeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// savedState is the JSON document of State. See State for its description.
type savedState struct {
	Version   int             `json:"version"`
	Token     string          `json:"token,omitempty"`
	Endpoints []savedEndpoint `json:"endpoints"`
	Rules     []savedRule     `json:"resolver_rules,omitempty"`
}

type savedEndpoint struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Direction   string    `json:"direction"`
	VpcID       string    `json:"vpc_id"`
	Status      string    `json:"status"`
	DueTime     string    `json:"due_time,omitempty"`
	Creating    bool      `json:"creating,omitempty"`
	CreateTime  string    `json:"create_time"`
	UpdateTime  string    `json:"update_time"`
	Ipaddresses []savedIP `json:"ipaddresses"`
}

type savedIP struct {
	ID         string `json:"id"`
	IP         string `json:"ip"`
	SubnetID   string `json:"subnet_id"`
	Status     string `json:"status"`
	DueTime    string `json:"due_time,omitempty"`
	CreateTime string `json:"create_time"`
	UpdateTime string `json:"update_time"`
}

// State returns the fake's endpoints and IP addresses (pending states with
// their due times included) and its token, as JSON, for saving. WithState
// starts a new fake from it.
//
// The document is an object (unknown fields are refused when reading):
//
//	{
//	  "version": 1,                        // the format's version; always 1 for now
//	  "token": "fake-...",                 // the accepted IAM token
//	  "endpoints": [{                      // in creation order
//	    "id": "...",                       // 32 lowercase hexadecimal characters
//	    "name": "...",
//	    "direction": "inbound",            // or "outbound"
//	    "vpc_id": "...",
//	    "status": "PENDING_CREATE",        // ACTIVE, PENDING_CREATE or PENDING_DELETE
//	    "due_time": "...",                 // when a PENDING_* status settles; absent when ACTIVE
//	    "creating": true,                  // newly created and not yet ACTIVE: the API shows
//	                                       // no VPC and no addresses; absent when false
//	    "create_time": "...",
//	    "update_time": "...",
//	    "ipaddresses": [{                  // in binding order
//	      "id": "...",
//	      "ip": "192.168.0.2",
//	      "subnet_id": "...",              // the subnet's ID in the inventory (not its Neutron ID)
//	      "status": "ACTIVE",              // as for the endpoint
//	      "due_time": "...",               // as for the endpoint
//	      "create_time": "...",
//	      "update_time": "..."
//	    }]
//	  }],
//	  "resolver_rules": [{                 // in creation order; absent when there are none
//	    "id": "...",
//	    "name": "...",
//	    "domain_name": "example.com.",     // with its trailing dot
//	    "endpoint_id": "...",
//	    "status": "ACTIVE",                // also PENDING_CREATE, PENDING_DELETE, DELETED
//	    "due_time": "...",                 // when a PENDING_* status settles
//	    "create_time": "...",
//	    "update_time": "...",
//	    "ipaddresses": ["10.0.0.2"],       // the targets, 1 to 5
//	    "routers": [{                      // the associated VPCs; absent when none
//	      "router_id": "...",              // a VPC of the inventory
//	      "status": "ACTIVE",              // also PENDING_CREATE, PENDING_DELETE
//	      "due_time": "..."
//	    }]
//	  }]
//	}
//
// Times are RFC 3339 in UTC with nanoseconds ("2026-11-26T08:00:30.000000000Z"),
// as the fake's clock gave them; due times are absolute, so a change that
// fell due while the fake was stopped shows settled at the first read.
// Transitions that are due but not yet applied are saved as they are: State
// changes nothing. The inventory, the delay, the quota and the other options
// are not part of the state.
func (s *Server) State() ([]byte, error) {
	s.mu.Lock()
	doc := savedState{Version: stateVersion, Token: s.token, Endpoints: make([]savedEndpoint, 0, len(s.st.endpoints))}
	for _, ep := range s.st.endpoints {
		se := savedEndpoint{
			ID: ep.id, Name: ep.name, Direction: string(ep.direction), VpcID: ep.vpcID,
			Status: string(ep.status), Creating: ep.fresh,
			CreateTime: formatStateTime(ep.created), UpdateTime: formatStateTime(ep.updated),
			Ipaddresses: make([]savedIP, 0, len(ep.ips)),
		}
		if ep.status != gen.StatusActive {
			se.DueTime = formatStateTime(ep.due)
		}
		for _, ip := range ep.ips {
			si := savedIP{
				ID: ip.id, IP: ip.addr.String(), SubnetID: ip.subnet.id, Status: string(ip.status),
				CreateTime: formatStateTime(ip.created), UpdateTime: formatStateTime(ip.updated),
			}
			if ip.status != gen.StatusActive {
				si.DueTime = formatStateTime(ip.due)
			}
			se.Ipaddresses = append(se.Ipaddresses, si)
		}
		doc.Endpoints = append(doc.Endpoints, se)
	}
	for _, r := range s.st.rules {
		doc.Rules = append(doc.Rules, saveRule(r))
	}
	s.mu.Unlock()
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("fake: state: %w", err)
	}
	return append(b, '\n'), nil
}

// WithState starts the fake with the endpoints and IP addresses of a saved
// State, pending ones still due at their saved times. They take the place
// of any WithSeedEndpoint endpoints (a state saved from a seeded fake holds
// the seeds, or their deletion). The inventory (VPCs, subnets) still comes
// from the options: New fails with a clear error if the state refers to a
// subnet or VPC the inventory lacks, is not a version 1 document, or breaks
// an invariant of the service (an endpoint keeping fewer than 2 or more than
// 6 addresses, an address bound twice or outside its subnet, a repeated ID
// or name, ...). The token in the state is accepted unless WithToken is
// given. The quota limits only the endpoints created after the start.
//
// With WithRandSeed, the IDs handed out after the start depend on the seed
// and on the state, so that they are repeatable and differ from those of the
// run that saved it.
func WithState(data []byte) Option {
	return func(c *config) error {
		if len(bytes.TrimSpace(data)) == 0 {
			return errors.New("state: empty")
		}
		c.state = bytes.Clone(data)
		return nil
	}
}

func formatStateTime(t time.Time) string { return t.UTC().Format(stateTimeLayout) }

// restore replaces the store's endpoints with those of the WithState
// document, if any. New calls it once the inventory and the seeds are in
// place; nothing else runs yet, so it needs no lock.
func (s *Server) restore() error {
	if s.cfg.state == nil {
		return nil
	}
	if err := s.loadState(s.cfg.state); err != nil {
		return fmt.Errorf("fake: state: %w", err)
	}
	return nil
}

func (s *Server) loadState(data []byte) error {
	var head struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return fmt.Errorf("not a saved state (%v)", err)
	}
	switch {
	case head.Version == nil:
		return errors.New("not a saved state: no version")
	case *head.Version != stateVersion:
		return fmt.Errorf("unsupported version %d (this fake reads version %d)", *head.Version, stateVersion)
	}
	var doc savedState
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("version %d: %v", stateVersion, err)
	}

	vpcs := map[string]bool{}
	for _, sn := range s.st.subnets {
		vpcs[sn.vpcID] = true
	}
	endpoints := make([]*endpoint, 0, len(doc.Endpoints))
	used := map[netip.Addr]bool{}
	ids := map[string]string{} // ID -> what holds it, for the message
	names := map[string]bool{}
	for i, se := range doc.Endpoints {
		where := fmt.Sprintf("endpoint %d (%s)", i, se.ID)
		ep := &endpoint{id: se.ID, name: se.Name, direction: gen.Direction(se.Direction), vpcID: se.VpcID, status: gen.Status(se.Status), fresh: se.Creating}
		switch {
		case !isID(se.ID):
			return fmt.Errorf("%s: ID is not 32 lowercase hexadecimal characters", where)
		case ids[se.ID] != "":
			return fmt.Errorf("%s: ID already used by %s", where, ids[se.ID])
		case !validName(se.Name):
			return fmt.Errorf("%s: invalid name %q", where, se.Name)
		case names[se.Name]:
			return fmt.Errorf("%s: name %q used twice", where, se.Name)
		case !ep.direction.Valid():
			return fmt.Errorf("%s: invalid direction %q", where, se.Direction)
		case se.Creating && ep.status != gen.StatusPendingCreate:
			return fmt.Errorf("%s: creating, but %s", where, se.Status)
		}
		ids[se.ID], names[se.Name] = where, true
		var err error
		if ep.due, err = parseDue(ep.status, se.DueTime); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if ep.created, ep.updated, err = parseTimes(se.CreateTime, se.UpdateTime); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		for j, si := range se.Ipaddresses {
			ipWhere := fmt.Sprintf("%s: IP address %d (%s)", where, j, si.ID)
			ip, err := s.loadIP(si, used)
			if err != nil {
				return fmt.Errorf("%s: %w", ipWhere, err)
			}
			if ids[si.ID] != "" {
				return fmt.Errorf("%s: ID already used by %s", ipWhere, ids[si.ID])
			}
			ids[si.ID] = ipWhere
			used[ip.addr] = true
			ep.ips = append(ep.ips, ip)
		}
		if !vpcs[ep.vpcID] {
			return fmt.Errorf("%s: VPC %q is not in the inventory", where, ep.vpcID)
		}
		for j, ip := range ep.ips {
			if ip.subnet.vpcID != ep.vpcID {
				return fmt.Errorf("%s: IP address %d (%s): subnet %s is not in the endpoint's VPC %s", where, j, ip.id, ip.subnet.id, ep.vpcID)
			}
		}
		if n := ep.kept(); n < 2 || n > 6 {
			return fmt.Errorf("%s: keeps %d IP addresses, want 2 to 6", where, n)
		}
		endpoints = append(endpoints, ep)
	}

	if doc.Token != "" {
		if err := checkToken(doc.Token); err != nil {
			return err
		}
	}
	rules, err := loadRules(doc.Rules, endpoints)
	if err != nil {
		return err
	}
	// The saved file may come from an older fake or a hand edit: it must
	// keep every invariant that the service keeps, pending states included.
	if err := (&store{endpoints: endpoints, rules: rules, vpcs: s.st.vpcs, used: used}).check(); err != nil {
		return err
	}
	s.st.endpoints, s.st.rules, s.st.used = endpoints, rules, used
	if doc.Token != "" && s.cfg.token == "" {
		s.token = doc.Token
	}
	if s.cfg.randSeed != nil {
		// The seed alone would hand out the IDs of the saved run again.
		sum := sha256.Sum256(data)
		a, b := binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16])
		s.st.rng = rand.New(rand.NewPCG(*s.cfg.randSeed^a, b))
	}
	return nil
}

// loadIP checks and converts a saved IP address. used holds the addresses
// bound so far.
func (s *Server) loadIP(si savedIP, used map[netip.Addr]bool) (*ipaddr, error) {
	if !isID(si.ID) {
		return nil, errors.New("ID is not 32 lowercase hexadecimal characters")
	}
	sn := s.st.subnets[si.SubnetID]
	if sn == nil {
		return nil, fmt.Errorf("subnet %q is not in the inventory", si.SubnetID)
	}
	a, err := netip.ParseAddr(si.IP)
	switch {
	case err != nil || !a.Is4():
		return nil, fmt.Errorf("%q is not an IPv4 address", si.IP)
	case !sn.prefix.Contains(a):
		return nil, fmt.Errorf("%s is not in subnet %s (%s)", a, sn.id, sn.prefix)
	case a == sn.prefix.Addr() || a == sn.broadcast() || a == sn.gateway():
		return nil, fmt.Errorf("%s is the network, broadcast or gateway address of subnet %s", a, sn.id)
	case used[a]:
		return nil, fmt.Errorf("%s is bound twice", a)
	}
	ip := &ipaddr{id: si.ID, addr: a, subnet: sn, status: gen.Status(si.Status)}
	if ip.due, err = parseDue(ip.status, si.DueTime); err != nil {
		return nil, err
	}
	if ip.created, ip.updated, err = parseTimes(si.CreateTime, si.UpdateTime); err != nil {
		return nil, err
	}
	return ip, nil
}

// parseDue checks a status and reads the due time that a pending one needs.
func parseDue(status gen.Status, due string) (time.Time, error) {
	switch status {
	case gen.StatusActive:
		if due != "" {
			return time.Time{}, errors.New("ACTIVE with a due time")
		}
		return time.Time{}, nil
	case gen.StatusPendingCreate, gen.StatusPendingDelete:
		t, err := parseStateTime("due_time", due)
		return t, err
	}
	return time.Time{}, fmt.Errorf("status %q is not ACTIVE, PENDING_CREATE or PENDING_DELETE", status)
}

func parseTimes(created, updated string) (time.Time, time.Time, error) {
	c, err := parseStateTime("create_time", created)
	if err != nil {
		return c, c, err
	}
	u, err := parseStateTime("update_time", updated)
	if err != nil {
		return c, u, err
	}
	if u.Before(c) {
		return c, u, errors.New("update_time is before create_time")
	}
	return c, u, nil
}

func parseStateTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("no %s", field)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not an RFC 3339 time", field, s)
	}
	return t.UTC(), nil
}

// Reset forgets every endpoint, IP address, resolver rule and VPC
// association and puts back the seed endpoints (WithSeedEndpoint), as New
// left the fake without WithState; then it calls the change hook. The
// token, the key pairs, queued faults and recorded requests stay. Requests
// in flight see the state before or after, never a mix.
func (s *Server) Reset() error {
	cfg := s.cfg
	cfg.state = nil
	if cfg.randSeed != nil {
		// The seed alone would hand out the IDs of the first run again.
		seed := *cfg.randSeed ^ s.resetCount.Add(1)*0x9e3779b97f4a7c15
		cfg.randSeed = &seed
	}
	fresh, err := newServer(cfg)
	if err != nil {
		return err
	}
	s.mu.Lock()
	st := &s.st
	st.endpoints, st.rules, st.used = fresh.st.endpoints, fresh.st.rules, fresh.st.used
	st.rng = fresh.st.rng
	for _, ep := range st.endpoints {
		for _, ip := range ep.ips {
			ip.subnet = st.subnets[ip.subnet.id] // the fresh store's subnets are copies
		}
	}
	s.mu.Unlock()
	if s.cfg.changeHook != nil {
		s.cfg.changeHook()
	}
	return nil
}

// VPCs returns the fake's inventory: the VPCs and their subnets.
func (s *Server) VPCs() []VPC {
	out := make([]VPC, 0, len(s.cfg.vpcs))
	for _, v := range s.cfg.vpcs {
		v.Subnets = append([]Subnet(nil), v.Subnets...)
		out = append(out, v)
	}
	return out
}

// Region returns the region the fake serves (WithRegion).
func (s *Server) Region() string { return s.cfg.region }
