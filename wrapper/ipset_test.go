package wrapper_test

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/wrapper"
)

// The universe of the property test: two subnets, each reported under a
// network ID that differs from its own ID, as the service does, and a pool
// of seven addresses in them.
var (
	propSubnets = []struct{ id, network string }{{"subnet-a", "net-a"}, {"subnet-b", "net-b"}}
	propPool    = []struct {
		ip     string
		subnet int
	}{{"10.0.0.1", 0}, {"10.0.0.2", 0}, {"10.0.0.3", 0}, {"10.0.0.4", 0}, {"10.0.1.1", 1}, {"10.0.1.2", 1}, {"10.0.1.3", 1}}
)

// current returns the pool's addresses in mask as the list reports them.
func propCurrent(mask int) []wrapper.IPAddress {
	var out []wrapper.IPAddress
	for i, p := range propPool {
		if mask&(1<<i) != 0 {
			out = append(out, wrapper.IPAddress{ID: "id-" + p.ip, IP: p.ip, SubnetID: propSubnets[p.subnet].network, Status: wrapper.StatusActive})
		}
	}
	return out
}

// propDesired returns the pool's addresses in mask, by IP, and free[s]
// addresses without an IP in subnet s.
func propDesired(mask int, free [2]int) []wrapper.DesiredAddress {
	var out []wrapper.DesiredAddress
	for i, p := range propPool {
		if mask&(1<<i) != 0 {
			out = append(out, wrapper.DesiredAddress{SubnetID: propSubnets[p.subnet].id, IP: p.ip})
		}
	}
	for s, n := range free {
		for range n {
			out = append(out, wrapper.DesiredAddress{SubnetID: propSubnets[s].id, Network: propSubnets[s].network})
		}
	}
	return out
}

// simulate runs the steps on a copy of current as the service would, and
// checks every intermediate count and each step's Count. New free addresses
// get IPs outside the pool.
func simulate(current []wrapper.IPAddress, steps []wrapper.IPStep) ([]wrapper.IPAddress, error) {
	state := append([]wrapper.IPAddress(nil), current...)
	network := map[string]string{}
	for _, s := range propSubnets {
		network[s.id] = s.network
	}
	for i, s := range steps {
		switch s.Kind {
		case wrapper.IPStepBind:
			if len(state)+1 > wrapper.MaxIPAddresses {
				return nil, fmt.Errorf("step %d binds a seventh address", i)
			}
			ip := fmt.Sprintf("10.9.%d.%d", i, len(state))
			if s.Bind.IP != nil {
				ip = *s.Bind.IP
			}
			for _, c := range state {
				if c.IP == ip {
					return nil, fmt.Errorf("step %d binds %s, which is in use", i, ip)
				}
			}
			state = append(state, wrapper.IPAddress{ID: "id-" + ip, IP: ip, SubnetID: network[s.Bind.SubnetID], Status: wrapper.StatusActive})
		case wrapper.IPStepUnbind:
			j := -1
			for k, c := range state {
				if c.ID == s.Unbind.ID {
					j = k
				}
			}
			if j < 0 {
				return nil, fmt.Errorf("step %d unbinds %s, which is not there", i, s.Unbind.ID)
			}
			if len(state)-1 < wrapper.MinIPAddresses {
				return nil, fmt.Errorf("step %d leaves %d addresses", i, len(state)-1)
			}
			state = append(state[:j:j], state[j+1:]...)
		default:
			return nil, fmt.Errorf("step %d has kind %q", i, s.Kind)
		}
		if s.Count != len(state) {
			return nil, fmt.Errorf("step %d says %d addresses, holds %d", i, s.Count, len(state))
		}
	}
	return state, nil
}

// TestPlanIPSetProperty plans every pair of a current set of up to 6
// addresses and a desired set of 2 to 6 and checks that each plan keeps the
// count within 2 to 6 at every step (a bind never makes a seventh, an unbind
// never leaves fewer than 2), ends at exactly the desired set, binds no more
// than it must (a desired address already there is kept) and that planning
// again from its end has no steps.
func TestPlanIPSetProperty(t *testing.T) {
	t.Parallel()
	full := 1 << len(propPool)
	pairs := 0
	for cur := range full {
		if bits.OnesCount(uint(cur)) > wrapper.MaxIPAddresses {
			continue
		}
		current := propCurrent(cur)
		for want := range full {
			pinned := bits.OnesCount(uint(want))
			for a := 0; pinned+a <= wrapper.MaxIPAddresses; a++ {
				for b := 0; pinned+a+b <= wrapper.MaxIPAddresses; b++ {
					if pinned+a+b < wrapper.MinIPAddresses {
						continue
					}
					pairs++
					desired := propDesired(want, [2]int{a, b})
					if err := checkPlan(current, desired, cur, want, [2]int{a, b}); err != nil {
						t.Fatalf("current %v, desired %v: %v", ipsOf(current), desired, err)
					}
				}
			}
		}
	}
	t.Logf("%d pairs of current and desired sets", pairs)
}

func checkPlan(current []wrapper.IPAddress, desired []wrapper.DesiredAddress, cur, want int, free [2]int) error {
	plan, err := wrapper.PlanIPSet(current, desired)
	if err != nil {
		return err
	}
	final, err := simulate(current, plan.Steps)
	if err != nil {
		return err
	}
	if len(final) != len(desired) {
		return fmt.Errorf("ends with %d addresses, want %d", len(final), len(desired))
	}
	// Exactly the desired set: each pinned IP once, and per subnet as many
	// addresses as desired in it.
	perNet := map[string]int{}
	for _, c := range final {
		perNet[c.SubnetID]++
	}
	for i, p := range propPool {
		n := 0
		for _, c := range final {
			if c.IP == p.ip {
				n++
			}
		}
		if want&(1<<i) != 0 && n != 1 {
			return fmt.Errorf("desired %s is there %d times", p.ip, n)
		}
	}
	// The fewest binds: every desired address that is there is kept.
	mustBind := len(desired)
	for s, sn := range propSubnets {
		inSubnet, pinnedHere, keptPinned := 0, 0, 0
		for i, p := range propPool {
			if p.subnet != s {
				continue
			}
			if want&(1<<i) != 0 {
				pinnedHere++
				if cur&(1<<i) != 0 {
					keptPinned++
				}
			} else if cur&(1<<i) != 0 {
				inSubnet++
			}
		}
		if perNet[sn.network] != pinnedHere+free[s] {
			return fmt.Errorf("ends with %d addresses in %s, want %d", perNet[sn.network], sn.id, pinnedHere+free[s])
		}
		mustBind -= keptPinned + min(inSubnet, free[s])
	}
	binds := 0
	for _, s := range plan.Steps {
		if s.Kind == wrapper.IPStepBind {
			binds++
		}
	}
	if binds != mustBind || len(plan.Keep)+binds != len(desired) {
		return fmt.Errorf("%d binds and %d kept, want %d binds: %v", binds, len(plan.Keep), mustBind, plan.Steps)
	}
	again, err := wrapper.PlanIPSet(final, desired)
	if err != nil {
		return fmt.Errorf("second plan: %w", err)
	}
	if len(again.Steps) != 0 {
		return fmt.Errorf("second plan is not empty: %v", again.Steps)
	}
	return nil
}

func ipsOf(list []wrapper.IPAddress) []string {
	var out []string
	for _, c := range list {
		out = append(out, c.IP)
	}
	return out
}

// TestPlanIPSet checks the order of the steps and the matching rules on
// cases a reader can follow.
func TestPlanIPSet(t *testing.T) {
	t.Parallel()
	addr := func(ip, network string) wrapper.IPAddress {
		return wrapper.IPAddress{ID: "id-" + ip, IP: ip, SubnetID: network, Status: wrapper.StatusActive}
	}
	at := func(ip string) wrapper.DesiredAddress { return wrapper.DesiredAddress{SubnetID: "subnet-a", IP: ip} }
	anyA := wrapper.DesiredAddress{SubnetID: "subnet-a"}
	six := []wrapper.IPAddress{addr("10.0.0.1", "net-a"), addr("10.0.0.2", "net-a"), addr("10.0.0.3", "net-a"),
		addr("10.0.0.4", "net-a"), addr("10.0.0.5", "net-a"), addr("10.0.0.6", "net-a")}
	tests := []struct {
		name    string
		current []wrapper.IPAddress
		desired []wrapper.DesiredAddress
		want    []string // the steps, as String gives them
		wantErr string   // a part of the error
	}{
		{"the same set is a no-op", six[:2], []wrapper.DesiredAddress{at("10.0.0.2"), at("10.0.0.1")}, nil, ""},
		{"bind before unbind when there is room", six[:2], []wrapper.DesiredAddress{at("10.0.0.1"), at("10.0.0.9")},
			[]string{"bind 10.0.0.9 in subnet subnet-a", "unbind 10.0.0.2 (id-10.0.0.2)"}, ""},
		{"unbind first when it holds 6", six, []wrapper.DesiredAddress{at("10.0.0.7"), at("10.0.0.8"), at("10.0.0.1"), at("10.0.0.2"), at("10.0.0.3"), at("10.0.0.4")},
			[]string{"unbind 10.0.0.5 (id-10.0.0.5)", "bind 10.0.0.7 in subnet subnet-a", "unbind 10.0.0.6 (id-10.0.0.6)", "bind 10.0.0.8 in subnet subnet-a"}, ""},
		{"the network is learned from an address with an IP", six[:3], []wrapper.DesiredAddress{at("10.0.0.1"), anyA, anyA}, nil, ""},
		{"an address without an IP keeps one its subnet ID names", []wrapper.IPAddress{addr("10.0.0.1", "subnet-a"), addr("10.0.0.2", "subnet-a")},
			[]wrapper.DesiredAddress{anyA, anyA}, nil, ""},
		{"the given network", six[:2], []wrapper.DesiredAddress{{SubnetID: "subnet-a", Network: "net-a"}, at("10.0.0.9")},
			[]string{"bind 10.0.0.9 in subnet subnet-a", "unbind 10.0.0.2 (id-10.0.0.2)"}, ""},
		{"an unknown network is refused, not churned", six[:2], []wrapper.DesiredAddress{anyA, anyA}, nil, "cannot tell whether address 10.0.0.1 (network net-a) is in this subnet"},
		{"a known other network is no doubt", []wrapper.IPAddress{addr("10.0.1.1", "net-b"), addr("10.0.1.2", "net-b")},
			[]wrapper.DesiredAddress{anyA, {SubnetID: "subnet-b", IP: "10.0.1.1"}},
			[]string{"bind a free address in subnet subnet-a", "unbind 10.0.1.2 (id-10.0.1.2)"}, ""},
		{"one desired", six[:2], []wrapper.DesiredAddress{anyA}, nil, "an endpoint holds 2 to 6 addresses"},
		{"seven desired", six, append([]wrapper.DesiredAddress{anyA}, anyA, anyA, anyA, anyA, anyA, anyA), nil, "an endpoint holds 2 to 6 addresses"},
		{"a repeated IP", six[:2], []wrapper.DesiredAddress{at("10.0.0.1"), at("10.0.0.1")}, nil, "repeated"},
		{"not IPv4", six[:2], []wrapper.DesiredAddress{at("fe80::1"), anyA}, nil, "not an IPv4 address"},
		{"no subnet", six[:2], []wrapper.DesiredAddress{{IP: "10.0.0.1"}, anyA}, nil, "empty"},
		{"an address on its way out", []wrapper.IPAddress{six[0], six[1], {ID: "x", IP: "10.0.0.3", SubnetID: "net-a", Status: wrapper.StatusPendingDelete}},
			[]wrapper.DesiredAddress{at("10.0.0.1"), at("10.0.0.2")}, nil, "is PENDING_DELETE: wait until it settles"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plan, err := wrapper.PlanIPSet(tt.current, tt.desired)
			if tt.wantErr != "" {
				if err == nil || !errors.Is(err, wrapper.ErrInvalidArgument) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrInvalidArgument with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range plan.Steps {
				got = append(got, s.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
		})
	}
}
