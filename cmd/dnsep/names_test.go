package main

import (
	"strings"
	"testing"

	"github.com/dnsep/dnsep/fake"
)

// TestNameRule checks that an empty or refused name is a usage error that
// states the rule in words, before any request, for endpoints and rules.
func TestNameRule(t *testing.T) {
	c := newCLI(t, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "out", Direction: "outbound", IPs: ips(2)}))
	ep := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "outbound")[0]
	rule := "0123456789abcdef0123456789abcdef"
	sub := "subnet=" + fake.DefaultSubnetID
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"update-empty", []string{"endpoint", "update", ep, "--name", ""}},
		{"update-space", []string{"endpoint", "update", ep, "--name", "web in"}},
		{"create-too-long", []string{"endpoint", "create", "--name", strings.Repeat("a", 65), "--direction", "inbound", "--ip", sub, "--ip", sub}},
		{"rule-create-slash", []string{"rule", "create", "--name", "a/b", "--domain", "x.example.", "--endpoint-id", ep, "--target", "10.0.0.1"}},
		{"rule-update-empty", []string{"rule", "update", rule, "--name", ""}},
	} {
		c.srv.Server.ResetRequests()
		r := c.run(nil, tt.args...)
		if r.code != exitUsage {
			t.Errorf("%s: exit %d, want %d", tt.name, r.code, exitUsage)
		}
		if n := len(c.srv.Server.Requests()); n != 0 {
			t.Errorf("%s: %d requests, want none", tt.name, n)
		}
		if strings.Contains(r.stderr, "^[") {
			t.Errorf("%s: the message shows a regular expression:\n%s", tt.name, r.stderr)
		}
		golden(t, "names/"+tt.name, c.transcript(tt.args, r))
	}
	if r := c.run(nil, "endpoint", "update", ep, "--name", "网关-1.b_c"); r.code != exitOK {
		t.Errorf("a name of letters, Chinese characters, digits, - . _: exit %d\n%s", r.code, r.stderr)
	}
}
