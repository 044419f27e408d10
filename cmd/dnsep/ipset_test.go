package main

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dnsep/dnsep/fake"
)

// TestIPSet plans and applies an address set against the fake, comparing
// each transcript with a golden file: the dry run, the apply, and a second
// run that changes nothing.
func TestIPSet(t *testing.T) {
	c := newCLI(t, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "set", Direction: "inbound", IPs: ips(3)}))
	ep := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound")[0]
	s1, s2 := "subnet="+fake.DefaultSubnetID, "subnet="+fake.DefaultSubnet2ID
	// The seed holds 192.168.0.2, .3 and .4. Keep .2 by IP and one more in
	// the first subnet, whose network is given; add two in the second.
	set := []string{"ip", "set", ep, "--ip", s1 + ",ip=192.168.0.2", "--ip", s1 + ",network=" + fake.DefaultSubnetNeutron,
		"--ip", s2 + ",ip=192.168.1.10", "--ip", s2}
	steps := []struct {
		name   string
		args   []string
		code   int
		writes int
	}{
		{"dry-run", append(set, "--dry-run"), 0, 0},
		{"dry-run-json", append(set, "--dry-run", "-o", "json"), 0, 0},
		{"apply", set, 0, 3},
		{"again", set, 0, 0},
		{"unknown-network", []string{"ip", "set", ep, "--ip", s1, "--ip", s1}, 2, 0},
		{"one-ip", []string{"ip", "set", ep, "--ip", s1}, 2, 0},
		{"unknown-key", []string{"ip", "set", ep, "--ip", s1 + ",zone=a", "--ip", s1}, 2, 0},
		{"repeated-ip", []string{"ip", "set", ep, "--ip", s1 + ",ip=192.168.0.2", "--ip", s1 + ",ip=192.168.0.2"}, 2, 0},
	}
	for _, st := range steps {
		c.srv.Server.ResetRequests()
		r := c.run(nil, st.args...)
		if r.code != st.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", st.name, r.code, st.code, r.stdout, r.stderr)
		}
		if n := c.writes(); n != st.writes {
			t.Errorf("%s: %d writes, want %d", st.name, n, st.writes)
		}
		golden(t, "ipset/"+st.name, c.transcript(st.args, r))
	}
}

// TestIPSetConfirm: on a terminal the plan is shown and confirmed, unless
// --yes; a refusal changes nothing.
func TestIPSetConfirm(t *testing.T) {
	c := newCLI(t, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "set", Direction: "inbound", IPs: ips(2)}))
	ep := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound")[0]
	s1 := "subnet=" + fake.DefaultSubnetID
	set := func(ip string) []string {
		return []string{"ip", "set", ep, "--ip", s1 + ",ip=192.168.0.2", "--ip", s1 + ",ip=" + ip}
	}
	tests := []struct {
		name     string
		answer   string
		args     []string
		code     int
		writes   int
		asked    bool
		contains string // in stderr
	}{
		{"no", "n\n", set("192.168.0.50"), exitFailure, 0, true, "aborted: nothing was changed"},
		{"end of input", "", set("192.168.0.50"), exitFailure, 0, true, "STEP  ACTION  IP"},
		{"yes", "y\n", set("192.168.0.50"), 0, 2, true, "step 2/2, unbind 192.168.0.3"},
		{"--yes", "", append(set("192.168.0.51"), "--yes"), 0, 2, false, "step 1/2, bind 192.168.0.51"},
		{"nothing to do", "", set("192.168.0.51"), 0, 0, false, "nothing to do"},
	}
	for _, tt := range tests {
		c.srv.Server.ResetRequests()
		r := c.runWith(t.Context(), func(a *app) { a.interactive, a.in = true, strings.NewReader(tt.answer) }, nil, tt.args...)
		if r.code != tt.code || c.writes() != tt.writes || !strings.Contains(r.stderr, tt.contains) {
			t.Errorf("%s: exit %d, %d writes; want %d, %d and %q in:\n%s", tt.name, r.code, c.writes(), tt.code, tt.writes, tt.contains, r.stderr)
		}
		if asked := strings.Contains(r.stderr, "Apply these 2 steps? [y/N]"); asked != tt.asked {
			t.Errorf("%s: asked %v, want %v:\n%s", tt.name, asked, tt.asked, r.stderr)
		}
	}
}

// TestIPSetWithDelays applies a plan against a fake whose changes take 10
// seconds each, in a synctest bubble: each step waits until the previous one
// has settled, else the fake refuses the seventh address.
func TestIPSetWithDelays(t *testing.T) {
	c := newCLI(t, fake.WithDelay(10*time.Second), fake.WithClock(time.Now),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "six", Direction: "inbound", IPs: ips(6)}))
	// Outside the bubble: this client keeps a loopback connection, whose
	// reader would keep the bubble's clock still.
	ep := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound")[0]
	synctest.Test(t, func(t *testing.T) {
		setup := func(a *app) { a.httpClient, a.pollMin = c.inProcess(), time.Second }
		s1, s2 := "subnet="+fake.DefaultSubnetID, "subnet="+fake.DefaultSubnet2ID
		args := []string{"ip", "set", ep, "--ip", s1 + ",ip=192.168.0.2", "--ip", s1 + ",ip=192.168.0.3",
			"--ip", s2 + ",ip=192.168.1.2", "--ip", s2 + ",ip=192.168.1.3", "--ip", s2 + ",ip=192.168.1.4", "--ip", s2 + ",ip=192.168.1.5", "-o", "json"}
		start := time.Now()
		r := c.runWith(t.Context(), setup, nil, args...)
		if r.code != 0 {
			t.Fatalf("exit %d:\n%s", r.code, r.stderr)
		}
		// Four unbinds and four binds, alternating, each started once the
		// one before has settled: a change takes 10 s, and the polls at 0,
		// 1, 3, 7 and 15 s see it done at 15 s.
		if d := time.Since(start); d != 8*15*time.Second {
			t.Errorf("took %v, want 8 steps of 15s", d)
		}
		for i, want := range []string{"unbind 192.168.0.4", "bind 192.168.1.2", "unbind 192.168.0.5", "bind 192.168.1.3"} {
			if !strings.Contains(r.stderr, "step "+itoa(i+1)+"/8, "+want) {
				t.Errorf("no step %d, %s in:\n%s", i+1, want, r.stderr)
			}
		}
		for _, ip := range []string{"192.168.0.2", "192.168.0.3", "192.168.1.2", "192.168.1.3", "192.168.1.4", "192.168.1.5"} {
			if !strings.Contains(r.stdout, `"ip": "`+ip+`"`) {
				t.Errorf("%s is not held at the end:\n%s", ip, r.stdout)
			}
		}
		c.srv.Server.ResetRequests()
		if r := c.runWith(t.Context(), setup, nil, args...); r.code != 0 || c.writes() != 0 {
			t.Errorf("second run: exit %d, %d writes", r.code, c.writes())
		}
	})
}
