package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/fake"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// epoch is the fake's clock in the golden tests; the CLI's clock runs 90
// seconds later, so ages read "1m".
var epoch = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

// cli runs dnsep in-process against a fake, with a fixed environment.
type cli struct {
	t   *testing.T
	srv *fake.TestServer
	env map[string]string
}

func newCLI(t *testing.T, opts ...fake.Option) *cli {
	t.Helper()
	opts = append([]fake.Option{fake.WithRandSeed(1), fake.WithClock(func() time.Time { return epoch }), fake.WithToken("cli-token")}, opts...)
	srv := fake.NewTestServer(t, opts...)
	return &cli{t: t, srv: srv, env: map[string]string{
		"DNSEP_ENDPOINT": srv.URL,
		"HW_REGION_NAME": "cn-north-4",
		"HW_AUTH_TOKEN":  "cli-token",
	}}
}

type result struct {
	stdout, stderr string
	code           int
}

func (c *cli) run(env map[string]string, args ...string) result {
	return c.runWith(context.Background(), nil, env, args...)
}

// runWith is run with a context, and with setup, if not nil, changing the
// app before it runs. It may be called from a synctest bubble.
func (c *cli) runWith(ctx context.Context, setup func(*app), env map[string]string, args ...string) result {
	var out, errOut bytes.Buffer
	a := newApp(&out, &errOut, func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return c.env[k]
	})
	a.now = func() time.Time { return epoch.Add(90 * time.Second) }
	a.pollMin = time.Millisecond
	if setup != nil {
		setup(a)
	}
	code := a.run(ctx, args)
	return result{out.String(), errOut.String(), code}
}

// transcript is what a golden file holds: the command, its output and its
// exit code. The fake's URL is replaced by a placeholder.
func (c *cli) transcript(args []string, r result) string {
	s := "$ dnsep " + strings.Join(args, " ") + "\n--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr + "--- exit " + itoa(r.code) + "\n"
	return strings.ReplaceAll(s, c.srv.URL, "http://FAKE")
}

func itoa(n int) string { return string(rune('0' + n)) }

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run go test -update to accept):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
