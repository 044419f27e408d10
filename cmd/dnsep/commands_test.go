package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// allCommands returns cmd and every command below it.
func allCommands(cmd *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{cmd}
	for _, sub := range cmd.Commands() {
		out = append(out, allCommands(sub)...)
	}
	return out
}

// jsonIDs runs a list command with -o json and returns the IDs under key.
func (c *cli) jsonIDs(key string, args ...string) []string {
	c.t.Helper()
	r := c.run(nil, append(args, "-o", "json")...)
	var m map[string]json.RawMessage
	var items []struct{ ID string }
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil || json.Unmarshal(m[key], &items) != nil {
		c.t.Fatalf("%v: %v\n%s", args, err, r.stdout+r.stderr)
	}
	var ids []string
	for _, v := range items {
		ids = append(ids, v.ID)
	}
	return ids
}

// TestCommands walks every command through the life of an endpoint against
// the fake, comparing each transcript with a golden file.
func TestCommands(t *testing.T) {
	c := newCLI(t)
	s1, s2 := fake.DefaultSubnetID, fake.DefaultSubnet2ID
	// With WithRandSeed(1) the fake hands out the same IDs on every run, so
	// the transcripts are stable; the IDs are looked up, not assumed.
	var ep, ep2, ip0, ip3 string
	lookup := func() {
		ep = c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound", "--name", "web-in")[0]
		ep2 = c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound", "--name", "web-in-2")[0]
		ips := c.jsonIDs("ipaddresses", "ip", "list", ep)
		ip0, ip3 = ips[0], ips[len(ips)-1]
	}
	type step struct {
		name string
		args []string
		code int
	}
	steps := []step{
		{"list-empty", []string{"endpoint", "list", "--direction", "inbound"}, 0},
		{"create", []string{"endpoint", "create", "--name", "web-in", "--direction", "inbound", "--ip", "subnet=" + s1 + ",ip=192.168.0.10", "--ip", "subnet=" + s1, "--ip", "subnet=" + s2}, 0},
		{"create-wait", []string{"endpoint", "create", "--name", "web-in-2", "--direction", "inbound", "--ip", "subnet=" + s1, "--ip", "subnet=" + s2, "--wait"}, 0},
		{"list", []string{"endpoint", "list", "--direction", "inbound"}, 0},
		{"list-json", []string{"endpoint", "list", "--direction", "inbound", "--all", "-o", "json"}, 0},
		{"list-page", []string{"endpoint", "list", "--direction", "inbound", "--limit", "1", "--offset", "1", "-o", "yaml"}, 0},
		{"lookup", nil, 0},
		{"show", []string{"endpoint", "show", "EP"}, 0},
		{"show-yaml", []string{"endpoint", "show", "EP", "-o", "yaml"}, 0},
		{"ip-list", []string{"ip", "list", "EP"}, 0},
		{"ip-bind", []string{"ip", "bind", "EP", "--subnet", s1, "--ip", "192.168.0.99", "--wait"}, 0},
		{"ip-unbind", []string{"ip", "unbind", "EP", "IP0"}, 0},
		{"ip-unbind-wait", []string{"ip", "unbind", "EP", "IP3", "--wait", "-o", "json"}, 0},
		{"ip-list-after", []string{"ip", "list", "EP", "-o", "json"}, 0},
		{"vpc-list", []string{"vpc", "list"}, 0},
		{"update", []string{"endpoint", "update", "EP", "--name", "web-in-renamed", "--wait"}, 0},
		{"delete", []string{"endpoint", "delete", "EP2"}, 0},
		{"delete-wait", []string{"endpoint", "delete", "EP", "--wait"}, 0},
		{"show-gone", []string{"endpoint", "show", "EP"}, 3},
	}
	for i := 0; i < len(steps); i++ {
		st := steps[i]
		if st.name == "lookup" {
			lookup()
			continue
		}
		st.args = resolve(st.args, map[string]string{"EP": ep, "EP2": ep2, "IP0": ip0, "IP3": ip3})
		r := c.run(nil, st.args...)
		if r.code != st.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", st.name, r.code, st.code, r.stdout, r.stderr)
		}
		golden(t, "commands/"+st.name, c.transcript(st.args, r))
	}
}

// resolve replaces the placeholder arguments EP, IP0 and IP3.
func resolve(args []string, ids map[string]string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if v, ok := ids[a]; ok {
			a = v
		}
		out[i] = a
	}
	return out
}

// TestErrors checks exit codes and one-line errors, and that usage errors
// are found before any request is sent.
func TestErrors(t *testing.T) {
	c := newCLI(t, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "two", Direction: "inbound", IPs: ips(2)}))
	ep := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound")[0]
	list := c.run(nil, "ip", "list", ep, "-o", "json")
	var ipl struct {
		Ipaddresses []struct{ ID string } `json:"ipaddresses"`
	}
	if err := json.Unmarshal([]byte(list.stdout), &ipl); err != nil || len(ipl.Ipaddresses) != 2 {
		t.Fatalf("ip list: %v %+v", err, list)
	}
	sub := "subnet=" + fake.DefaultSubnetID
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		code       int
		noRequests bool // a usage error: nothing may reach the API
	}{
		{"unbind-last-two", nil, []string{"ip", "unbind", ep, ipl.Ipaddresses[0].ID}, 1, false},
		{"show-unknown", nil, []string{"endpoint", "show", "0123456789abcdef0123456789abcdef"}, 3, false},
		{"show-malformed", nil, []string{"endpoint", "show", "not-an-id"}, 3, false},
		{"show-dot-dot", nil, []string{"endpoint", "show", ".."}, 2, true},
		{"bad-token", map[string]string{"HW_AUTH_TOKEN": "wrong"}, []string{"vpc", "list"}, 4, false},
		{"no-credentials", map[string]string{"HW_AUTH_TOKEN": ""}, []string{"vpc", "list"}, 4, true},
		{"half-aksk", map[string]string{"HW_AUTH_TOKEN": "", "HW_ACCESS_KEY": "AK"}, []string{"vpc", "list"}, 4, true},
		{"no-region", map[string]string{"HW_REGION_NAME": "", "DNSEP_ENDPOINT": ""}, []string{"vpc", "list"}, 2, true},
		{"paging-needs-direction", nil, []string{"endpoint", "list", "--limit", "5"}, 2, true},
		{"bad-direction", nil, []string{"endpoint", "list", "--direction", "up"}, 2, true},
		{"all-and-limit", nil, []string{"endpoint", "list", "--direction", "inbound", "--all", "--limit", "5"}, 2, true},
		{"one-ip", nil, []string{"endpoint", "create", "--name", "x", "--direction", "inbound", "--ip", sub}, 2, true},
		{"seven-ips", nil, []string{"endpoint", "create", "--name", "x", "--direction", "inbound", "--ip", sub, "--ip", sub, "--ip", sub, "--ip", sub, "--ip", sub, "--ip", sub, "--ip", sub}, 2, true},
		{"malformed-ip-flag", nil, []string{"endpoint", "create", "--name", "x", "--direction", "inbound", "--ip", sub, "--ip", "subnet"}, 2, true},
		{"bad-ip-address", nil, []string{"endpoint", "create", "--name", "x", "--direction", "inbound", "--ip", sub, "--ip", sub + ",ip=300.1.1.1"}, 2, true},
		{"unknown-ip-key", nil, []string{"endpoint", "create", "--name", "x", "--direction", "inbound", "--ip", sub, "--ip", sub + ",mask=24"}, 2, true},
		{"missing-name", nil, []string{"endpoint", "create", "--direction", "inbound", "--ip", sub, "--ip", sub}, 2, true},
		{"extra-argument", nil, []string{"endpoint", "show", ep, "extra"}, 2, true},
		{"bad-output", nil, []string{"vpc", "list", "-o", "xml"}, 2, true},
		{"unknown-flag", nil, []string{"vpc", "list", "--colour"}, 2, true},
		{"unknown-command", nil, []string{"endpoints", "frobnicate"}, 2, true},
		{"endpoint-not-a-url", nil, []string{"vpc", "list", "--endpoint", "not-a-url"}, 2, true},
		{"endpoint-env-not-a-url", map[string]string{"DNSEP_ENDPOINT": "not-a-url"}, []string{"vpc", "list"}, 2, true},
		{"token-file-missing", nil, []string{"vpc", "list", "--token-file", "testdata/no-such-token"}, 2, true},
	}
	for _, tt := range tests {
		before := len(c.srv.Server.Requests())
		r := c.run(tt.env, tt.args...)
		if r.code != tt.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", tt.name, r.code, tt.code, r.stdout, r.stderr)
		}
		if tt.noRequests && len(c.srv.Server.Requests()) != before {
			t.Errorf("%s: a usage error sent a request", tt.name)
		}
		if tt.code != 2 && strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s: want a one-line error, got %q", tt.name, r.stderr)
		}
		golden(t, "errors/"+tt.name, c.transcript(tt.args, r))
	}
}

func ips(n int) []wrapper.IPAddressInfo {
	out := make([]wrapper.IPAddressInfo, n)
	for i := range out {
		out[i].SubnetID = fake.DefaultSubnetID
	}
	return out
}

// TestPrecedence: flags override the environment.
func TestPrecedence(t *testing.T) {
	c := newCLI(t)
	// A second fake that refuses the first one's token tells, by exit 4 and
	// at once, which URL was used.
	other := fake.NewTestServer(t, fake.WithToken("other-token"))
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("cli-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	create := []string{"endpoint", "create", "--name", "p", "--direction", "outbound", "--ip", "subnet=" + fake.DefaultSubnetID, "--ip", "subnet=" + fake.DefaultSubnetID}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
	}{
		{"--endpoint beats DNSEP_ENDPOINT", map[string]string{"DNSEP_ENDPOINT": other.URL}, []string{"vpc", "list", "--endpoint", c.srv.URL}, 0},
		{"DNSEP_ENDPOINT is used", map[string]string{"DNSEP_ENDPOINT": other.URL}, []string{"vpc", "list"}, 4},
		{"--token-file beats HW_AUTH_TOKEN", map[string]string{"HW_AUTH_TOKEN": "wrong"}, []string{"vpc", "list", "--token-file", tokenFile}, 0},
		{"HW_AUTH_TOKEN beats AK/SK", map[string]string{"HW_ACCESS_KEY": "AK", "HW_SECRET_KEY": "SK", "HW_PROJECT_ID": "P"}, []string{"vpc", "list"}, 0},
		{"--region beats HW_REGION_NAME", map[string]string{"HW_REGION_NAME": "eu-de"}, append(create, "--region", "cn-north-4"), 0},
		{"HW_REGION_NAME is used", map[string]string{"HW_REGION_NAME": "eu-de"}, create, 1},
	}
	for _, tt := range tests {
		r := c.run(tt.env, tt.args...)
		if r.code != tt.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", tt.name, r.code, tt.code, r.stdout, r.stderr)
		}
	}
}

// TestSecretsStayOut: no token, secret key or signature in any output, the
// --debug log included.
func TestSecretsStayOut(t *testing.T) {
	const token, ak, sk = "tok-SECRET-0001", "AKDEBUG", "SK-SECRET-0002"
	c := newCLI(t, fake.WithToken(token), fake.WithAccessKey(ak, sk))
	for _, env := range []map[string]string{
		{"HW_AUTH_TOKEN": token},
		{"HW_AUTH_TOKEN": "", "HUAWEICLOUD_SDK_AK": ak, "HUAWEICLOUD_SDK_SK": sk, "HUAWEICLOUD_SDK_PROJECT_ID": "p1"},
		{"HW_AUTH_TOKEN": "", "HW_ACCESS_KEY": ak, "HW_SECRET_KEY": "SK-SECRET-wrong", "HW_PROJECT_ID": "p1"},
	} {
		for _, args := range [][]string{
			{"vpc", "list", "--debug"},
			{"endpoint", "create", "--name", "s", "--direction", "inbound", "--ip", "subnet=" + fake.DefaultSubnetID, "--ip", "subnet=" + fake.DefaultSubnetID, "--debug", "--wait"},
			{"endpoint", "show", "0123456789abcdef0123456789abcdef", "--debug"},
		} {
			r := c.run(env, args...)
			all := r.stdout + r.stderr
			if strings.Contains(all, "SECRET") || strings.Contains(all, "Signature=") {
				t.Errorf("%v: a secret is in the output:\n%s", args, all)
			}
			if !strings.Contains(r.stderr, "level=DEBUG") {
				t.Errorf("%v: no debug log", args)
			}
		}
		c.run(env, "endpoint", "delete", "--wait", "x") // keep names free; errors do not matter
	}
}

func TestWait(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		c := newCLI(t, fake.WithDelay(time.Hour)) // the fake's clock stands still: never ACTIVE
		// In the bubble the clock moves only while the CLI sleeps between
		// polls, so the request that creates the endpoint and every poll
		// take no time, however loaded the machine is.
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			r := c.runWith(t.Context(), func(a *app) { a.httpClient, a.pollMin = c.inProcess(), time.Second }, nil,
				"endpoint", "create", "--name", "slow", "--direction", "inbound", "--ip", "subnet="+fake.DefaultSubnetID, "--ip", "subnet="+fake.DefaultSubnetID, "--wait", "--timeout", "30s")
			if r.code != exitLimitTimeout || !strings.Contains(r.stderr, "PENDING_CREATE") || !strings.Contains(r.stderr, "deadline exceeded") {
				t.Errorf("exit %d, stderr %q; want 5 and the last status", r.code, r.stderr)
			}
			// Polls at 0, 1, 3, 7, 15 and 25 s (the delay doubles up to 10 s).
			if !strings.Contains(r.stderr, "after 6 polls") {
				t.Errorf("stderr %q; want 6 polls", r.stderr)
			}
			if d := time.Since(start); d != 30*time.Second {
				t.Errorf("gave up after %v, want the --timeout of 30s", d)
			}
		})
	})
	t.Run("live line on a terminal", func(t *testing.T) {
		c := newCLI(t)
		var out, errOut strings.Builder
		a := newApp(&out, &errOut, func(k string) string { return c.env[k] })
		a.terminal, a.pollMin = true, time.Millisecond
		code := a.run(t.Context(), []string{"endpoint", "create", "--name", "tty", "--direction", "inbound", "--ip", "subnet=" + fake.DefaultSubnetID, "--ip", "subnet=" + fake.DefaultSubnetID, "--wait"})
		if code != 0 || !strings.Contains(errOut.String(), "\r\033[K") || !strings.HasSuffix(errOut.String(), "\n") {
			t.Errorf("exit %d, stderr %q", code, errOut.String())
		}
	})
}

func TestHelpHasExamples(t *testing.T) {
	c := newCLI(t)
	root := newApp(nil, nil, nil).rootCmd()
	for _, cmd := range allCommands(root) {
		if cmd.Name() == "help" || cmd.Hidden {
			continue
		}
		args := append(strings.Fields(cmd.CommandPath())[1:], "--help")
		r := c.run(nil, args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Examples:") {
			t.Errorf("dnsep %s: exit %d, no Examples section:\n%s", strings.Join(args, " "), r.code, r.stdout)
		}
	}
	if r := c.run(nil, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "dnsep ") {
		t.Errorf("version: %+v", r)
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		if r := c.run(nil, "completion", shell); r.code != 0 || len(r.stdout) < 100 {
			t.Errorf("completion %s: exit %d, %d bytes", shell, r.code, len(r.stdout))
		}
	}
}

// TestDemo runs the demo as make demo does and checks the story it tells.
func TestDemo(t *testing.T) {
	var out, errOut strings.Builder
	a := newApp(&out, &errOut, func(string) string { return "" })
	if code := a.run(t.Context(), []string{"demo", "--delay", "20ms"}); code != 0 {
		t.Fatalf("demo exit %d:\n%s\n%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{
		"Create an inbound endpoint with three IP addresses", "PENDING_CREATE, vpc_id null, ipaddress_count 0",
		"Status:          ACTIVE", "IP addresses:    3", "Unbind 192.168.0.10", "ipaddress_count 2:",
		"400 DNS.1514: Invalid number of ipaddress.", "GET answers 404 DNS.1510",
		"Create an outbound endpoint", "rule forwarding", "for corp.example. (the service added the dot)",
		"Targets:       10.1.0.53, 10.1.1.53", "VPCs:          " + fake.DefaultVPCID + " (ACTIVE)", "resolver_rule_count 1.",
		"Refused, as it should be: 400 DNS.0608", "the VPC has left the rule", "the rule is gone (GET answers status DELETED)",
		"DELETE /v2.1/endpoints/", "Done in",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo does not say %q:\n%s", want, out.String())
		}
	}
	// The clean-up goes in the order the service requires: the VPC, the
	// rule, and the outbound endpoint last.
	o := out.String()
	if i, j, k := strings.Index(o, "the VPC has left the rule"), strings.Index(o, "the rule is gone"), strings.LastIndex(o, "the endpoint is gone."); i < 0 || j < i || k < j {
		t.Errorf("the clean-up is out of order (%d, %d, %d):\n%s", i, j, k, o)
	}
}
