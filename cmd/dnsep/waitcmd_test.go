package main

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dnsep/dnsep/fake"
)

// TestWaitCommand waits for each state of each resource against the fake,
// comparing each transcript with a golden file. The fake settles a change
// at the next read, so every wait sees one pending status, then the state.
func TestWaitCommand(t *testing.T) {
	c := newCLI(t, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "out", Direction: "outbound", IPs: ips(2)}))
	out := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "outbound")[0]
	s1 := "subnet=" + fake.DefaultSubnetID
	ids := map[string]string{"OUT": out}
	steps := []struct {
		name string
		args []string
		code int
	}{
		{"", []string{"endpoint", "create", "--name", "web-in", "--direction", "inbound", "--ip", s1, "--ip", s1}, 0},
		{"", nil, 0}, // look up EP
		{"endpoint-active", []string{"wait", "endpoint", "EP", "--for", "active"}, 0},
		{"endpoint-active-by-name", []string{"wait", "endpoint", "web-in", "--for", "active"}, 0},
		{"", []string{"ip", "bind", "EP", "--subnet", fake.DefaultSubnetID, "--ip", "192.168.0.50"}, 0},
		{"ip-active-by-ip", []string{"wait", "ip", "EP", "192.168.0.50", "--for", "active"}, 0},
		{"", nil, 0}, // look up IP, the address of 192.168.0.50
		{"", []string{"ip", "unbind", "EP", "IP"}, 0},
		{"ip-gone", []string{"wait", "ip", "EP", "IP", "--for", "gone", "-o", "json"}, 0},
		{"ip-gone-not-listed", []string{"wait", "ip", "EP", "192.168.0.50", "--for", "gone"}, 0},
		{"ip-active-not-listed", []string{"wait", "ip", "EP", "192.168.0.50", "--for", "active"}, 3},
		{"", []string{"rule", "create", "--name", "corp", "--domain", "corp.example", "--endpoint-id", "OUT", "--target", "10.1.0.53"}, 0},
		{"", nil, 0}, // look up RULE
		{"rule-active", []string{"wait", "rule", "RULE", "--for", "active"}, 0},
		{"rule-active-by-name", []string{"wait", "rule", "corp", "--for", "active"}, 0},
		{"", []string{"rule", "delete", "RULE"}, 0},
		{"rule-deleted", []string{"wait", "rule", "RULE", "--for", "deleted", "-o", "json"}, 0},
		{"", []string{"endpoint", "delete", "EP"}, 0},
		{"endpoint-deleted", []string{"wait", "endpoint", "EP", "--for", "deleted"}, 0},
		{"endpoint-active-unknown", []string{"wait", "endpoint", "EP", "--for", "active"}, 3},
		{"bad-for", []string{"wait", "endpoint", "EP", "--for", "ready"}, 2},
		{"no-for", []string{"wait", "rule", "RULE"}, 2},
	}
	lookups := 0
	for _, st := range steps {
		if st.args == nil {
			switch lookups++; lookups {
			case 1:
				ids["EP"] = c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound")[0]
			case 2:
				ips := c.jsonIDs("ipaddresses", "ip", "list", ids["EP"])
				ids["IP"] = ips[len(ips)-1]
			case 3:
				ids["RULE"] = c.jsonIDs("resolver_rules", "rule", "list")[0]
			}
			continue
		}
		args := resolve(st.args, ids)
		r := c.run(nil, args...)
		if r.code != st.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", args, r.code, st.code, r.stdout, r.stderr)
		}
		if st.name != "" {
			golden(t, "wait/"+st.name, c.transcript(args, r))
		}
	}
}

// TestWaitCommandTimeout: --timeout ends the wait with exit 5, the last
// status and the flag named.
func TestWaitCommandTimeout(t *testing.T) {
	c := newCLI(t, fake.WithDelay(time.Hour)) // the fake's clock stands still: never ACTIVE
	s1 := "subnet=" + fake.DefaultSubnetID
	if r := c.run(nil, "endpoint", "create", "--name", "slow", "--direction", "inbound", "--ip", s1, "--ip", s1); r.code != 0 {
		t.Fatalf("create: %+v", r)
	}
	ep := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound")[0]
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		r := c.runWith(t.Context(), func(a *app) { a.httpClient, a.pollMin = c.inProcess(), time.Second }, nil,
			"wait", "endpoint", ep, "--for", "active", "--timeout", "20s")
		want := "waiting for endpoint " + ep + " to be ACTIVE: PENDING_CREATE (0s)\n"
		if r.code != exitLimitTimeout || !strings.HasPrefix(r.stderr, want) || !strings.Contains(r.stderr, "deadline exceeded (--timeout 20s)") {
			t.Errorf("exit %d, stderr %q; want 5, %q and the flag", r.code, r.stderr, want)
		}
		if d := time.Since(start); d != 20*time.Second {
			t.Errorf("gave up after %v, want the --timeout of 20s", d)
		}
	})
}
