package e2e

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// envFailOnPurpose makes TestFailOnPurpose run, and fail.
const envFailOnPurpose = "DNSEP_E2E_FAIL_ON_PURPOSE"

// TestFailOnPurpose logs in to a dashboard and fails. It runs only inside
// TestFailureLeavesScreenshot, which checks what the failure leaves.
func TestFailOnPurpose(t *testing.T) {
	if os.Getenv(envFailOnPurpose) != "1" {
		t.Skip("runs only inside TestFailureLeavesScreenshot")
	}
	f := startServe(t, serveOptions{Token: "e2e-fail-token"})
	b := newBrowser(t)
	b.login(t, f)
	t.Error("failing on purpose, for the screenshot")
}

// TestFailureLeavesScreenshot runs this test binary again with only
// TestFailOnPurpose, artifacts on, and checks that the failed test left a
// PNG screenshot of its page among its artifacts and said where.
func TestFailureLeavesScreenshot(t *testing.T) {
	if os.Getenv(envFailOnPurpose) == "1" {
		t.Skip("not inside itself")
	}
	chromiumPath(t) // skips (or fails, in CI) without Chromium
	t.Parallel()
	out := t.TempDir()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestFailOnPurpose$", "-test.v",
		"-test.artifacts", "-test.outputdir="+out)
	cmd.Env = append(os.Environ(), envFailOnPurpose+"=1", envDnsepBin+"="+dnsepBin)
	output, err := cmd.CombinedOutput()
	if exit, ok := errors.AsType[*exec.ExitError](err); !ok || exit.ExitCode() != 1 {
		t.Fatalf("the test binary ended with %v, want exit code 1 (a failed test):\n%s", err, output)
	}
	if !strings.Contains(string(output), "failing on purpose") {
		t.Fatalf("TestFailOnPurpose did not run:\n%s", output)
	}
	var shots []string
	err = filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "failure.png" {
			shots = append(shots, path)
		}
		return err
	})
	if err != nil || len(shots) != 1 {
		t.Fatalf("failure screenshots under the output directory: %q (%v), want one:\n%s", shots, err, output)
	}
	png, err := os.ReadFile(shots[0])
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 1000 {
		t.Fatalf("%s is not a PNG screenshot (%d bytes, %v)", shots[0], len(png), err)
	}
	if !strings.Contains(string(output), "screenshot of the page: "+shots[0]) {
		t.Errorf("the failed test did not say where its screenshot is:\n%s", output)
	}
}
