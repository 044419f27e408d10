package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// runInProcess runs serve (run, which writes its output to out) in the
// test's process until the test ends, and returns its banner: the lines up
// to "Stop it with". The output is drained after that, and run must
// return once its context is cancelled.
func runInProcess(t *testing.T, run func(ctx context.Context, out io.Writer) error, errOut fmt.Stringer) string {
	t.Helper()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		err := run(ctx, pw)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(serveWait):
			t.Errorf("serve did not stop within %s", serveWait)
		}
	})
	banner := make(chan string, 1)
	go func() {
		var b strings.Builder
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "Stop it with") {
				banner <- b.String()
			}
		}
		close(banner)
	}()
	select {
	case out, ok := <-banner:
		if !ok {
			t.Fatalf("serve ended before its banner; stderr %q", errOut)
		}
		return out
	case <-time.After(serveWait):
		t.Fatalf("no banner within %s; stderr %q", serveWait, errOut)
	}
	return ""
}

// serveInProcess runs a.serve with f in the test's process until the test
// ends, and returns the base URL it prints.
func serveInProcess(t *testing.T, env map[string]string, f serveFlags) (url string, errOut *strings.Builder) {
	t.Helper()
	errOut = &strings.Builder{}
	banner := runInProcess(t, func(ctx context.Context, out io.Writer) error {
		return newApp(out, &lockedWriter{w: errOut}, func(k string) string { return env[k] }).serve(ctx, f)
	}, errOut)
	first, _, _ := strings.Cut(banner, "\n")
	url, found := strings.CutPrefix(first, serveBanner)
	if !found {
		t.Fatalf("serve printed %q first; stderr %q", first, errOut)
	}
	return url, errOut
}

// startServeInProcess runs `dnsep serve` with args (and a free loopback
// port, no delay) in the test's process until the test ends, and returns
// the lines of its banner.
func startServeInProcess(t *testing.T, args ...string) []string {
	t.Helper()
	errOut := &strings.Builder{}
	banner := runInProcess(t, func(ctx context.Context, out io.Writer) error {
		a := newApp(out, &lockedWriter{w: errOut}, func(string) string { return "" })
		if code := a.run(ctx, append([]string{"serve", "--listen", "127.0.0.1:0", "--delay", "0"}, args...)); code != exitOK {
			return fmt.Errorf("exit code %d", code)
		}
		return nil
	}, errOut)
	return strings.Split(strings.TrimSuffix(banner, "\n"), "\n")
}
