package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/fake"
)

// writes counts the requests the fake received that change something.
func (c *cli) writes() int {
	n := 0
	for _, r := range c.srv.Server.Requests() {
		if r.Method != "GET" {
			n++
		}
	}
	return n
}

// TestDeleteConfirm: endpoint delete and rule delete ask on a terminal,
// unless --yes, and never when stdin or stderr is not a terminal.
func TestDeleteConfirm(t *testing.T) {
	c := newCLI(t, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "out", Direction: "outbound", IPs: ips(2)}),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "in", Direction: "inbound", IPs: ips(2)}))
	out := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "outbound")[0]
	in := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound")[0]
	if r := c.run(nil, "rule", "create", "--name", "corp", "--domain", "corp.example", "--endpoint-id", out, "--target", "10.1.0.53", "--wait"); r.code != 0 {
		t.Fatalf("rule create: %+v", r)
	}
	rule := c.jsonIDs("resolver_rules", "rule", "list")[0]
	tests := []struct {
		name        string
		interactive bool
		answer      string
		args        []string
		asked       string // the question, "" if none may be asked
		code        int
		deletes     int
	}{
		{"endpoint: no", true, "n\n", []string{"endpoint", "delete", in}, "Delete endpoint " + in + "? [y/N] ", exitFailure, 0},
		{"endpoint: end of input", true, "", []string{"endpoint", "delete", in}, "Delete endpoint " + in + "? [y/N] ", exitFailure, 0},
		{"rule: no", true, "nope\n", []string{"rule", "delete", rule}, "Delete resolver rule " + rule + "? [y/N] ", exitFailure, 0},
		{"rule: not a terminal", false, "n\n", []string{"rule", "delete", rule, "--wait"}, "", 0, 1},
		{"endpoint: yes", true, "YES\n", []string{"endpoint", "delete", in, "--wait"}, "Delete endpoint " + in + "? [y/N] ", 0, 1},
		{"endpoint: --yes", true, "n\n", []string{"endpoint", "delete", out, "-y"}, "", 0, 1},
	}
	for _, tt := range tests {
		c.srv.Server.ResetRequests()
		r := c.runWith(t.Context(), func(a *app) { a.interactive, a.in = tt.interactive, strings.NewReader(tt.answer) }, nil, tt.args...)
		if r.code != tt.code || c.writes() != tt.deletes {
			t.Errorf("%s: exit %d, %d deletes; want %d, %d\n%s", tt.name, r.code, c.writes(), tt.code, tt.deletes, r.stderr)
		}
		if tt.asked != "" && !strings.HasPrefix(r.stderr, tt.asked) || tt.asked == "" && strings.Contains(r.stderr, "[y/N]") {
			t.Errorf("%s: stderr %q, want the question %q", tt.name, r.stderr, tt.asked)
		}
		if tt.code == exitFailure && !strings.Contains(r.stderr, "dnsep: aborted: nothing was changed") {
			t.Errorf("%s: stderr %q does not say it aborted", tt.name, r.stderr)
		}
	}
}

// TestConfirmGivesWayToCtrlC: a prompt that nobody answers ends with the
// command's context.
func TestConfirmGivesWayToCtrlC(t *testing.T) {
	var errOut strings.Builder
	a := newApp(nil, &errOut, func(string) string { return "" })
	a.interactive = true
	r, w := ioPipe(t)
	defer w.Close()
	a.in = r
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // as Ctrl-C does; the pipe never answers
	if err := a.confirm(ctx, "Go on?"); err != context.Canceled {
		t.Errorf("err = %v, want the context's", err)
	}
}

// ioPipe returns an OS pipe: a reader that blocks until the test ends.
func ioPipe(t *testing.T) (*os.File, *os.File) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, w
}

// TestNotATerminal: stdin from /dev/null or a pipe, as a job has it, is
// not a terminal, although /dev/null is a character device.
func TestNotATerminal(t *testing.T) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	r, _ := ioPipe(t)
	for _, f := range []*os.File{null, r} {
		if fileTerminal(f) {
			t.Errorf("%s is taken for a terminal", f.Name())
		}
	}
}
