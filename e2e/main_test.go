package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// dnsepBin is the dnsep command that TestMain builds from the repository,
// once per run of the test binary.
var dnsepBin string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

// envDnsepBin names a dnsep binary already built, for a test binary that
// a test runs again (TestFailureLeavesScreenshot).
const envDnsepBin = "DNSEP_E2E_DNSEP_BIN"

func run(m *testing.M) int {
	if bin := os.Getenv(envDnsepBin); bin != "" {
		dnsepBin = bin
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "dnsep-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	dnsepBin = filepath.Join(dir, "dnsep")
	// Built from the repository root: cmd/dnsep belongs to the main
	// module, which this module does not require.
	build := exec.Command("go", "build", "-o", dnsepBin, "./cmd/dnsep")
	build.Dir = ".."
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building dnsep:", err)
		return 1
	}
	return m.Run()
}
