package main

import (
	"strings"
	"testing"

	"github.com/dnsep/dnsep/fake"
)

// TestRuleCommands walks every rule command through the life of a rule
// against the fake, comparing each transcript with a golden file.
func TestRuleCommands(t *testing.T) {
	c := newCLI(t, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "out", Direction: "outbound", IPs: ips(2)}))
	ep := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "outbound")[0]
	vpc := fake.DefaultVPCID
	var rule, rule2 string
	lookup := func() {
		rule = c.jsonIDs("resolver_rules", "rule", "list", "--name", "corp")[0]
		rule2 = c.jsonIDs("resolver_rules", "rule", "list", "--name", "lab")[0]
	}
	steps := []struct {
		name string
		args []string
		code int
	}{
		{"list-empty", []string{"rule", "list"}, 0},
		{"create", []string{"rule", "create", "--name", "corp", "--domain", "corp.example", "--endpoint-id", "EP", "--target", "10.1.0.53", "--target", "10.1.1.53"}, 0},
		{"create-wait", []string{"rule", "create", "--name", "lab", "--domain", "lab.example.", "--endpoint-id", "EP", "--target", "10.9.0.53", "--wait", "-o", "json"}, 0},
		{"lookup", nil, 0},
		{"list", []string{"rule", "list"}, 0},
		{"list-filtered", []string{"rule", "list", "--endpoint-id", "EP", "--domain", "corp.example"}, 0},
		{"list-all-json", []string{"rule", "list", "--all", "-o", "json"}, 0},
		{"list-marker", []string{"rule", "list", "--limit", "1", "--marker", "RULE", "-o", "yaml"}, 0},
		{"show", []string{"rule", "show", "RULE"}, 0},
		{"update", []string{"rule", "update", "RULE", "--name", "corp-dc", "--target", "10.1.0.53", "--target", "10.1.2.53", "--wait"}, 0},
		{"associate", []string{"rule", "associate", "RULE", "--vpc", vpc}, 0},
		{"associate-wait", []string{"rule", "associate", "RULE2", "--vpc", vpc, "--wait"}, 0},
		{"show-yaml", []string{"rule", "show", "RULE", "-o", "yaml"}, 0},
		{"endpoint-in-use", []string{"endpoint", "delete", "EP"}, 1},
		{"disassociate", []string{"rule", "disassociate", "RULE2", "--vpc", vpc}, 0},
		{"disassociate-wait", []string{"rule", "disassociate", "RULE", "--vpc", vpc, "--wait"}, 0},
		{"delete", []string{"rule", "delete", "RULE2"}, 0},
		{"delete-wait", []string{"rule", "delete", "RULE", "--wait"}, 0},
		{"show-deleted", []string{"rule", "show", "RULE"}, 0},
		{"list-after", []string{"rule", "list"}, 0},
	}
	for _, st := range steps {
		if st.name == "lookup" {
			lookup()
			continue
		}
		args := resolve(st.args, map[string]string{"EP": ep, "RULE": rule, "RULE2": rule2})
		r := c.run(nil, args...)
		if r.code != st.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", st.name, r.code, st.code, r.stdout, r.stderr)
		}
		golden(t, "rules/"+st.name, c.transcript(args, r))
	}
}

// TestRuleErrors checks the rule commands' exit codes and one-line errors,
// and that usage errors are found before any request is sent.
func TestRuleErrors(t *testing.T) {
	c := newCLI(t, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "out", Direction: "outbound", IPs: ips(2)}))
	ep := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "outbound")[0]
	if r := c.run(nil, "rule", "create", "--name", "corp", "--domain", "corp.example.", "--endpoint-id", ep, "--target", "10.1.0.53", "--wait"); r.code != 0 {
		t.Fatalf("create: %+v", r)
	}
	rule := c.jsonIDs("resolver_rules", "rule", "list")[0]
	const unknown = "0123456789abcdef0123456789abcdef"
	target := []string{"--target", "10.1.0.53"}
	create := []string{"rule", "create", "--name", "x", "--domain", "x.example.", "--endpoint-id", ep}
	tests := []struct {
		name       string
		args       []string
		code       int
		noRequests bool
	}{
		{"show-unknown", []string{"rule", "show", unknown}, 3, false},
		{"delete-unknown", []string{"rule", "delete", unknown, "--wait"}, 3, false},
		{"create-unknown-endpoint", append([]string{"rule", "create", "--name", "x", "--domain", "x.example.", "--endpoint-id", unknown}, target...), 3, false},
		{"associate-unknown-vpc", []string{"rule", "associate", rule, "--vpc", "00000000-0000-4000-8000-000000000000"}, 3, false},
		{"disassociate-not-associated", []string{"rule", "disassociate", rule, "--vpc", fake.DefaultVPCID}, 1, false},
		{"list-bad-marker", []string{"rule", "list", "--marker", unknown}, 1, false},
		{"no-target", create, 2, true},
		{"six-targets", append(create, "--target", "10.0.0.1", "--target", "10.0.0.2", "--target", "10.0.0.3", "--target", "10.0.0.4", "--target", "10.0.0.5", "--target", "10.0.0.6"), 2, true},
		{"bad-target", append(create, "--target", "fe80::1"), 2, true},
		{"missing-domain", []string{"rule", "create", "--name", "x", "--endpoint-id", ep, "--target", "10.1.0.53"}, 2, true},
		{"update-nothing", []string{"rule", "update", rule}, 2, true},
		{"associate-no-vpc", []string{"rule", "associate", rule}, 2, true},
		{"associate-dot-dot", []string{"rule", "associate", "..", "--vpc", fake.DefaultVPCID}, 2, true},
		{"list-all-and-marker", []string{"rule", "list", "--all", "--marker", rule}, 2, true},
		{"list-offset-and-marker", []string{"rule", "list", "--offset", "1", "--marker", rule}, 2, true},
	}
	for _, tt := range tests {
		before := len(c.srv.Server.Requests())
		r := c.run(nil, tt.args...)
		if r.code != tt.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", tt.name, r.code, tt.code, r.stdout, r.stderr)
		}
		if tt.noRequests && len(c.srv.Server.Requests()) != before {
			t.Errorf("%s: a usage error sent a request", tt.name)
		}
		if tt.code != 2 && strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s: want a one-line error, got %q", tt.name, r.stderr)
		}
		golden(t, "rules/errors/"+tt.name, c.transcript(tt.args, r))
	}
}
