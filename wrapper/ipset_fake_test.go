package wrapper_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// TestApplyIPSetOnFake plans and applies address sets on the fake, whose
// pending states last a few seconds of the bubble's clock. The fake refuses
// a seventh address and an unbind that would leave one (DNS.1514), so a
// step out of order fails the apply; a bind or an unbind started before the
// previous step settled would show as a step that took no time.
func TestApplyIPSetOnFake(t *testing.T) {
	t.Parallel()
	const delay = 3 * time.Second
	s1, s2 := fake.DefaultSubnetID, fake.DefaultSubnet2ID
	pinned := func(subnet, ip string) wrapper.DesiredAddress {
		return wrapper.DesiredAddress{SubnetID: subnet, IP: ip}
	}
	free1 := wrapper.DesiredAddress{SubnetID: s1, Network: fake.DefaultSubnetNeutron}
	free2 := wrapper.DesiredAddress{SubnetID: s2, Network: fake.DefaultSubnet2Neutron}
	seed := func(n int) []wrapper.IPAddressInfo {
		out := make([]wrapper.IPAddressInfo, n)
		for i := range out {
			out[i].SubnetID = s1 // the fake hands out 192.168.0.2, .3, ...
		}
		return out
	}
	tests := []struct {
		name    string
		seed    int
		desired []wrapper.DesiredAddress
		want    []string // the IPs held at the end, sorted
		kinds   string   // b for a bind, u for an unbind
	}{
		{"six to six, unbind first", 6,
			[]wrapper.DesiredAddress{pinned(s1, "192.168.0.2"), pinned(s1, "192.168.0.3"), free1, pinned(s2, "192.168.1.50"), pinned(s2, "192.168.1.51"), free2},
			[]string{"192.168.0.2", "192.168.0.3", "192.168.0.4", "192.168.1.2", "192.168.1.50", "192.168.1.51"}, "ububub"},
		{"two to six", 2,
			[]wrapper.DesiredAddress{pinned(s1, "192.168.0.2"), free1, free2, free2, pinned(s2, "192.168.1.9"), pinned(s1, "192.168.0.9")},
			[]string{"192.168.0.2", "192.168.0.3", "192.168.0.9", "192.168.1.2", "192.168.1.3", "192.168.1.9"}, "bbbb"},
		{"six to two", 6, []wrapper.DesiredAddress{free1, pinned(s1, "192.168.0.7")},
			[]string{"192.168.0.2", "192.168.0.7"}, "uuuu"},
		{"two others, bind first", 2, []wrapper.DesiredAddress{free2, free2},
			[]string{"192.168.1.2", "192.168.1.3"}, "bbuu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				c, srv := onFake(t, []fake.Option{fake.WithDelay(delay),
					fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "set", Direction: wrapper.Inbound, IPs: seed(tt.seed)})},
					wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1}))
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
				defer cancel()
				list, err := c.ListEndpoints(ctx, wrapper.ListEndpointsParams{Direction: wrapper.Inbound})
				if err != nil {
					t.Fatal(err)
				}
				ep := list.Endpoints[0].ID
				current, err := c.ListEndpointIpaddresses(ctx, ep)
				if err != nil {
					t.Fatal(err)
				}
				plan, err := wrapper.PlanIPSet(current, tt.desired)
				if err != nil {
					t.Fatal(err)
				}
				kinds := ""
				for _, s := range plan.Steps {
					kinds += string(s.Kind[0])
				}
				if kinds != tt.kinds {
					t.Errorf("steps %q, want %q: %v", kinds, tt.kinds, plan.Steps)
				}
				poll := wrapper.WithPollDelay(time.Second, time.Second)
				for i, s := range plan.Steps {
					start := time.Now()
					if err := c.ApplyIPStep(ctx, ep, s, poll); err != nil {
						t.Fatalf("step %d, %s: %v", i, s, err)
					}
					if d := time.Since(start); d < delay {
						t.Errorf("step %d, %s: settled after %v, before the fake's delay of %v", i, s, d, delay)
					}
					now, err := c.ListEndpointIpaddresses(ctx, ep)
					if err != nil {
						t.Fatal(err)
					}
					if len(now) != s.Count {
						t.Errorf("after step %d, %s: %d addresses, the plan says %d", i, s, len(now), s.Count)
					}
				}
				final, err := c.ListEndpointIpaddresses(ctx, ep)
				if err != nil {
					t.Fatal(err)
				}
				got := ipsOf(final)
				slices.Sort(got)
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("final addresses (-want +got):\n%s", diff)
				}
				again, err := wrapper.PlanIPSet(final, tt.desired)
				if err != nil || len(again.Steps) != 0 {
					t.Errorf("second run: %v, %v", again, err)
				}
				srv.ResetRequests()
				if err := c.ApplyIPSet(ctx, ep, again, poll); err != nil || len(srv.Requests()) != 0 {
					t.Errorf("the second apply sent %d requests: %v", len(srv.Requests()), err)
				}
			})
		})
	}
}

// TestApplyIPSetStops: a failing step stops the apply, and the error names
// the step and keeps the service's error.
func TestApplyIPSetStops(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newWaitEnv(t, time.Second)
		current, err := e.c.ListEndpointIpaddresses(t.Context(), e.ep)
		if err != nil {
			t.Fatal(err)
		}
		desired := []wrapper.DesiredAddress{{SubnetID: fake.DefaultSubnetID, IP: current[0].IP}, {SubnetID: fake.DefaultSubnetID, IP: "192.168.0.77"}}
		plan, err := wrapper.PlanIPSet(current, desired)
		if err != nil {
			t.Fatal(err)
		}
		e.srv.InjectFault("DisassociateEndpointIpaddress", 1, forbidden(e))
		err = e.c.ApplyIPSet(t.Context(), e.ep, plan, wrapper.WithPollDelay(time.Second, time.Second))
		if !errors.Is(err, wrapper.ErrForbidden) || !strings.Contains(err.Error(), "step 2 of 3, unbind "+current[1].IP) {
			t.Fatalf("err = %v", err)
		}
		if n := calls(e.srv, "DisassociateEndpointIpaddress"); n != 1 {
			t.Errorf("%d unbinds after the failure, want 1", n)
		}
	})
}

// TestWaitIpaddressActive waits for a bound address and fails fast for one
// that is not listed.
func TestWaitIpaddressActive(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newWaitEnv(t, 2*time.Second)
		ip := "192.168.0.88"
		if _, err := e.c.AssociateEndpointIpaddress(t.Context(), e.ep, wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID, IP: &ip}); err != nil {
			t.Fatal(err)
		}
		list, err := e.c.ListEndpointIpaddresses(t.Context(), e.ep)
		if err != nil {
			t.Fatal(err)
		}
		id := list[len(list)-1].ID
		start := time.Now()
		got, err := e.c.WaitIpaddressActive(t.Context(), e.ep, id, wrapper.WithPollDelay(time.Second, time.Second))
		if err != nil || got.IP != ip || got.Status != wrapper.StatusActive || time.Since(start) != 2*time.Second {
			t.Errorf("got %+v, %v after %v", got, err, time.Since(start))
		}
		_, err = e.c.WaitIpaddressActive(t.Context(), e.ep, "0123456789abcdef0123456789abcdef", wrapper.WithPollDelay(time.Second, time.Second))
		if !errors.Is(err, wrapper.ErrNotFound) {
			t.Errorf("an address not listed: err = %v, want ErrNotFound", err)
		}
	})
}

// TestApplyIPStepWaitsForTheAddress: a bind has settled when the endpoint is
// ACTIVE and its new address is too; the service may report the endpoint
// first.
func TestApplyIPStepWaitsForTheAddress(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newWaitEnv(t, 0)
		bind := wrapper.IPStep{Kind: wrapper.IPStepBind, Bind: &wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}, Count: 4}
		e.srv.InjectFault("ListEndpointIpaddresses", 1, ipsWith("PENDING_CREATE")(e))
		e.srv.ResetRequests()
		start := time.Now()
		if err := e.c.ApplyIPStep(t.Context(), e.ep, bind, wrapper.WithPollDelay(time.Second, time.Second)); err != nil {
			t.Fatal(err)
		}
		if n, d := calls(e.srv, "ListEndpointIpaddresses"), time.Since(start); n != 2 || d != time.Second {
			t.Errorf("%d address lists in %v, want 2 in 1s", n, d)
		}
		e.srv.InjectFault("ListEndpointIpaddresses", 1, ipsWith("ERROR")(e))
		if err := e.c.ApplyIPStep(t.Context(), e.ep, bind, wrapper.WithPollDelay(time.Second, time.Second)); !errors.Is(err, wrapper.ErrResourceFailed) {
			t.Errorf("an address in ERROR: err = %v", err)
		}
	})
}
