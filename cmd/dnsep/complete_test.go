package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/fake"
)

// TestCompletion runs cobra's __complete command against the fake: IDs and
// names of endpoints and rules, the addresses of the endpoint on the line,
// and the enum flags.
func TestCompletion(t *testing.T) {
	c := newCLI(t,
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "web-in", Direction: "inbound", IPs: ips(2)}),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "web-out", Direction: "outbound", IPs: ips(2)}))
	if r := c.run(nil, "rule", "create", "--name", "corp", "--domain", "corp.example.", "--endpoint-id", "web-out", "--target", "10.1.0.53"); r.code != exitOK {
		t.Fatalf("rule create: %d %s", r.code, r.stderr)
	}
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"endpoint-show", []string{"__complete", "endpoint", "show", ""}},
		{"endpoint-show-prefix", []string{"__complete", "endpoint", "show", "web-o"}},
		{"ip-unbind-address", []string{"__complete", "ip", "unbind", "web-in", ""}},
		{"ip-unbind-third", []string{"__complete", "ip", "unbind", "web-in", "x", ""}},
		{"rule-delete", []string{"__complete", "rule", "delete", ""}},
		{"rule-list-endpoint-id", []string{"__complete", "rule", "list", "--endpoint-id", ""}},
		{"direction", []string{"__complete", "endpoint", "list", "--direction", ""}},
		{"output", []string{"__complete", "rule", "show", "-o", ""}},
	} {
		r := c.run(nil, tt.args...)
		if r.code != exitOK {
			t.Errorf("%s: exit %d\n%s", tt.name, r.code, r.stderr)
		}
		golden(t, "complete/"+tt.name, c.transcript(tt.args, r))
	}
}

// TestCompletionQuietOnError checks that a completion that cannot reach
// the API, or is refused by it, offers nothing and says nothing: the shell
// shows what it prints.
func TestCompletionQuietOnError(t *testing.T) {
	c := newCLI(t, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "web-in", Direction: "inbound", IPs: ips(2)}))
	for name, env := range map[string]map[string]string{
		"bad token":      {"HW_AUTH_TOKEN": "wrong"},
		"no credentials": {"HW_AUTH_TOKEN": ""},
		"no region":      {"HW_REGION_NAME": "", "DNSEP_ENDPOINT": ""},
	} {
		r := c.run(env, "__complete", "endpoint", "show", "")
		if r.code != exitOK || r.stdout != ":4\n" || strings.Contains(r.stderr, "dnsep:") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want only the directive", name, r.code, r.stdout, r.stderr)
		}
	}
}

// TestCompletionTimeout points completion at a loopback server that never
// answers: it must give up after the completion timeout, offering nothing.
// The ten seconds are only a safety net.
func TestCompletionTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	c := newCLI(t)
	done := make(chan result, 1)
	go func() {
		done <- c.runWith(t.Context(), func(a *app) { a.completeTimeout = 50 * time.Millisecond }, map[string]string{"DNSEP_ENDPOINT": srv.URL}, "__complete", "endpoint", "show", "")
	}()
	select {
	case r := <-done:
		if r.stdout != ":4\n" || strings.Contains(r.stderr, "dnsep:") {
			t.Errorf("stdout %q, stderr %q; want only the directive", r.stdout, r.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("completion did not give up")
	}
}
