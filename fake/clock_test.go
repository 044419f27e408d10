package fake

import (
	"time"

	"github.com/dnsep/dnsep/internal/testclock"
)

// TestClock is a clock for WithClock that stands still until a test moves
// it. The alias lives in a test file of package fake, so that the package's
// own tests and its external tests (as fake.TestClock) share it while the
// package's API does not have it.
type TestClock = testclock.Clock

// NewTestClock returns a clock that stands at t.
func NewTestClock(t time.Time) *TestClock { return testclock.New(t) }
