package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dnsep/dnsep/fake"
)

// runMainEnv makes the test binary run main instead of the tests (see
// TestMain), so that a test can run dnsep as a process of its own without
// building it.
const runMainEnv = "DNSEP_TEST_RUN_MAIN"

// TestInterruptDuringWait: a signal that ends a --wait exits 128 plus the
// signal's number, as shells report a command the signal killed: 130 for
// Ctrl-C (SIGINT), 143 for SIGTERM.
func TestInterruptDuringWait(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sends SIGINT")
	}
	srv := fake.NewTestServer(t, fake.WithDelay(time.Hour), fake.WithClock(func() time.Time { return epoch }))
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
	}{
		{syscall.SIGINT, 130},
		{syscall.SIGTERM, 143},
	} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "endpoint", "create", "--name", "wait-"+strconv.Itoa(tt.code), "--direction", "inbound",
				"--ip", "subnet="+fake.DefaultSubnetID, "--ip", "subnet="+fake.DefaultSubnetID, "--wait")
			cmd.Env = []string{runMainEnv + "=1", "DNSEP_ENDPOINT=" + srv.URL, "HW_REGION_NAME=cn-north-4", "HW_AUTH_TOKEN=" + srv.Token}
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// A safety net only: the verdict never depends on it.
			safety := time.AfterFunc(2*time.Minute, func() { _ = cmd.Process.Kill() })
			defer safety.Stop()

			// The first poll's progress line says the wait is under way; the
			// next poll is a second away.
			var got strings.Builder
			sc := bufio.NewScanner(stderr)
			for !strings.Contains(got.String(), "PENDING_CREATE") {
				if !sc.Scan() {
					_ = cmd.Wait()
					t.Fatalf("dnsep ended before it waited:\n%s", got.String())
				}
				got.WriteString(sc.Text() + "\n")
			}
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(stderr)
			got.Write(rest)
			err = cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tt.code {
				t.Fatalf("%v: %v, want exit %d\n%s", tt.sig, err, tt.code, got.String())
			}
			if !strings.Contains(got.String(), "interrupted") {
				t.Errorf("%v: stderr does not say the wait was interrupted:\n%s", tt.sig, got.String())
			}
		})
	}
}
