package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// stopAtBanner collects serve's output and stops serve as soon as it
// prints anything, which it does only once it listens.
type stopAtBanner struct {
	mu     sync.Mutex
	b      strings.Builder
	cancel context.CancelFunc
}

func (w *stopAtBanner) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cancel()
	return w.b.Write(p)
}

func (w *stopAtBanner) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// runServe runs dnsep serve args in the test's process with env as the
// environment, stops it as soon as it listens, and returns its exit code
// and output. unblock, if not nil, runs if serve neither listens nor exits
// within serveWait, to make it return.
func runServe(t *testing.T, env map[string]string, unblock func(), args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), serveWait)
	defer cancel()
	out := &stopAtBanner{cancel: cancel}
	errOut := &stopAtBanner{cancel: func() {}}
	a := newApp(out, errOut, func(k string) string { return env[k] })
	done := make(chan int, 1)
	go func() { done <- a.run(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)) }()
	select {
	case code = <-done:
	case <-time.After(2 * serveWait):
		t.Errorf("dnsep serve %s ignored its context", strings.Join(args, " "))
		if unblock != nil {
			unblock()
		}
		code = <-done
	}
	return code, out.String(), errOut.String()
}

func TestServeStateLock(t *testing.T) {
	t.Parallel()
	state := filepath.Join(t.TempDir(), "shared.json")
	url, _ := serveInProcess(t, nil, serveFlags{listen: "127.0.0.1:0", stateFile: state, limits: shippedServeLimits()})
	if url == "" {
		t.Fatal("the first serve did not start")
	}
	before, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(state)
	code, stdout, stderr := runServe(t, nil, nil, "--state", state, "--token", "other")
	if code != exitFailure || stdout != "" || !strings.Contains(stderr, "--state "+state+": in use by another dnsep serve") {
		t.Errorf("a second serve on the same state: exit %d, stdout %q, stderr %q; want exit 1 and a message naming the file", code, stdout, stderr)
	}
	after, err := os.ReadFile(state)
	fi2, _ := os.Stat(state)
	if err != nil || !bytes.Equal(before, after) || !fi.ModTime().Equal(fi2.ModTime()) || !os.SameFile(fi, fi2) {
		t.Errorf("the second serve touched the state file (%v)", err)
	}
}

func TestServeStatePaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "target.json")
	const saved = `{"version":1,"token":"saved","endpoints":[]}`
	if err := os.WriteFile(target, []byte(saved), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	missing := filepath.Join(dir, "no-such-dir", "state.json")
	for _, tt := range []struct {
		path, want string
	}{
		{link, "--state " + link + ": is a symbolic link"},
		{dir, "--state " + dir + ": not a regular file (a directory)"},
		{missing, "--state " + missing + ": directory " + filepath.Dir(missing) + " does not exist"},
	} {
		code, stdout, stderr := runServe(t, nil, nil, "--state", tt.path)
		if code != exitFailure || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, ".tmp-") {
			t.Errorf("--state %s: exit %d, stdout %q, stderr %q; want exit 1 and %q", tt.path, code, stdout, stderr, tt.want)
		}
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symbolic link was replaced (%v)", err)
	}
	if got, _ := os.ReadFile(target); string(got) != saved {
		t.Errorf("the link's target changed: %s", got)
	}
}
