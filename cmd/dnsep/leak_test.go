package main

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine outlives them. No
// goroutine is ignored: the tests stop their servers and close the idle
// connections of their transports.
//
// With DNSEP_TEST_RUN_MAIN=1 in its environment the test binary is dnsep
// itself: it runs main with its arguments, for tests that need a process
// of their own.
func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	goleak.VerifyTestMain(m)
}
