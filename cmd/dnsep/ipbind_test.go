package main

import (
	"encoding/json"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/openapi/apitime"
	"github.com/dnsep/dnsep/wrapper"
)

// TestBoundAddress checks the interleavings of one bind with others: a bind
// that finished between this one's two lists, one that finished after this
// one, and an address asked for by IP.
func TestBoundAddress(t *testing.T) {
	t.Parallel()
	at := func(s int) apitime.Time { return apitime.New(epoch.Add(time.Duration(s) * time.Second)) }
	addr := func(id, ip string, s int) wrapper.IPAddress {
		return wrapper.IPAddress{ID: id, IP: ip, CreateTime: at(s)}
	}
	old := []wrapper.IPAddress{addr("a", "10.0.0.2", 0), addr("b", "10.0.0.3", 0)}
	ours := &wrapper.Endpoint{UpdateTime: at(5)}
	tests := []struct {
		name   string
		after  []wrapper.IPAddress
		asked  string
		want   string
		undone int // candidates when no address is found
	}{
		{"alone", append(slices.Clone(old), addr("n", "10.0.0.4", 5)), "", "n", 0},
		{"another bind before ours", append(slices.Clone(old), addr("x", "10.0.0.4", 4), addr("n", "10.0.0.5", 5)), "", "n", 0},
		{"another bind after ours", append(slices.Clone(old), addr("n", "10.0.0.4", 5), addr("y", "10.0.0.5", 6)), "", "n", 0},
		{"asked for an IP", append(slices.Clone(old), addr("x", "10.0.0.4", 5), addr("n", "10.0.0.9", 5)), "10.0.0.9", "n", 0},
		{"same instant", append(slices.Clone(old), addr("x", "10.0.0.4", 5), addr("n", "10.0.0.5", 5)), "", "", 2},
	}
	for _, tt := range tests {
		before := old
		if tt.asked != "" {
			before = nil // bind does not list first when it knows the IP
		}
		got, cands := boundAddress(before, tt.after, tt.asked, ours)
		switch {
		case tt.want == "" && (got != nil || len(cands) != tt.undone):
			t.Errorf("%s: got %v and %d candidates, want none and %d", tt.name, got, len(cands), tt.undone)
		case tt.want != "" && (got == nil || got.ID != tt.want):
			t.Errorf("%s: got %v (candidates %v), want %s", tt.name, got, cands, tt.want)
		}
	}
}

// TestIPBindConcurrent runs four binds at once against the fake, two with
// an IP and two without, and checks that each prints a different address
// and that together they printed exactly the new addresses.
func TestIPBindConcurrent(t *testing.T) {
	var tick atomic.Int64 // the fake's clock moves on at every reading
	c := newCLI(t, fake.WithClock(func() time.Time { return epoch.Add(time.Duration(tick.Add(1)) * time.Second) }),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "web-in", Direction: "inbound", IPs: ips(2)}))
	before := c.jsonIDs("ipaddresses", "ip", "list", "web-in")
	binds := [][]string{
		{"ip", "bind", "web-in", "--subnet", fake.DefaultSubnetID, "-o", "json"},
		{"ip", "bind", "web-in", "--subnet", fake.DefaultSubnetID, "-o", "json"},
		{"ip", "bind", "web-in", "--subnet", fake.DefaultSubnetID, "--ip", "192.168.0.77", "-o", "json"},
		{"ip", "bind", "web-in", "--subnet", fake.DefaultSubnet2ID, "-o", "json"},
	}
	printed := make([]wrapper.IPAddress, len(binds))
	var wg sync.WaitGroup
	for i, args := range binds {
		wg.Go(func() {
			r := c.run(nil, args...)
			if r.code != exitOK || json.Unmarshal([]byte(r.stdout), &printed[i]) != nil || printed[i].ID == "" {
				t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
			}
		})
	}
	wg.Wait()
	var fresh, got []string
	for _, id := range c.jsonIDs("ipaddresses", "ip", "list", "web-in") {
		if !slices.Contains(before, id) {
			fresh = append(fresh, id)
		}
	}
	for _, ip := range printed {
		got = append(got, ip.ID)
	}
	slices.Sort(fresh)
	slices.Sort(got)
	if diff := cmp.Diff(fresh, got); diff != "" {
		t.Errorf("the binds printed other addresses than the new ones (-new +printed):\n%s", diff)
	}
	if printed[2].IP != "192.168.0.77" {
		t.Errorf("the bind of 192.168.0.77 printed %+v", printed[2])
	}
}
