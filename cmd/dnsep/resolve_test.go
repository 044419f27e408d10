package main

import (
	"strings"
	"testing"

	"github.com/dnsep/dnsep/fake"
)

// TestNameOrID runs the commands that take an endpoint or a rule with names
// instead of IDs against the fake: a name is found in either direction, no
// match is exit 3, several are exit 2 listing them.
func TestNameOrID(t *testing.T) {
	c := newCLI(t,
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "web-in", Direction: "inbound", IPs: ips(3)}),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "web-out", Direction: "outbound", IPs: ips(2)}))
	out := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "outbound")[0]
	steps := []struct {
		name string
		args []string
		code int
	}{
		{"list-both", []string{"endpoint", "list"}, 0},
		{"show-outbound-by-name", []string{"endpoint", "show", "web-out"}, 0},
		{"show-no-such-name", []string{"endpoint", "show", "web"}, 3},
		{"ip-list-by-name", []string{"ip", "list", "web-in"}, 0},
		{"rule-create-endpoint-name", []string{"rule", "create", "--name", "corp", "--domain", "corp.example.", "--endpoint-id", "web-out", "--target", "10.1.0.53"}, 0},
		{"rule-create-same-name", []string{"rule", "create", "--name", "corp", "--domain", "lab.example.", "--endpoint-id", out, "--target", "10.1.0.54"}, 0},
		{"rule-create-other", []string{"rule", "create", "--name", "dc", "--domain", "dc.example.", "--endpoint-id", "web-out", "--target", "10.1.0.55", "--wait"}, 0},
		{"rule-show-by-name", []string{"rule", "show", "dc"}, 0},
		{"rule-show-ambiguous", []string{"rule", "show", "corp"}, 2},
		{"rule-list-endpoint-name", []string{"rule", "list", "--endpoint-id", "web-out"}, 0},
		{"rule-list-no-such-endpoint", []string{"rule", "list", "--endpoint-id", "nowhere"}, 3},
		{"rule-delete-no-such-name", []string{"rule", "delete", "gone"}, 3},
		{"update-by-name", []string{"endpoint", "update", "web-in", "--name", "web-in-2"}, 0},
	}
	for _, st := range steps {
		r := c.run(nil, st.args...)
		if r.code != st.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", st.name, r.code, st.code, r.stdout, r.stderr)
		}
		golden(t, "ids/"+st.name, c.transcript(st.args, r))
	}
}

// TestPickAmbiguousEndpoint covers what the fake cannot show: the service
// keeps endpoint names unique, so two endpoints of one name only come from
// a service that does not.
func TestPickAmbiguousEndpoint(t *testing.T) {
	t.Parallel()
	_, err := pick("endpoint", "x", []string{"aa (inbound)", "bb (outbound)"})
	if exitCode(err) != exitUsage || !strings.Contains(err.Error(), "aa (inbound)\n  bb (outbound)") {
		t.Errorf("two matches: exit %d, %v; want a usage error listing both", exitCode(err), err)
	}
	id, err := pick("endpoint", "x", []string{"aa (inbound)"})
	if id != "aa" || err != nil {
		t.Errorf("one match: %q, %v; want aa", id, err)
	}
	if _, err := pick("endpoint", "x", nil); exitCode(err) != exitNotFound {
		t.Errorf("no match: exit %d, want %d", exitCode(err), exitNotFound)
	}
}
