package fake

import (
	"sync"
	"time"
)

// TestClock is a clock for WithClock that stands still until a test moves
// it; the server's goroutines may read it meanwhile. It lives in a test
// file of package fake, so that the package's own tests and its external
// tests (as fake.TestClock) share it while the package's API does not
// have it.
type TestClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewTestClock returns a clock that stands at t.
func NewTestClock(t time.Time) *TestClock { return &TestClock{now: t} }

// Now returns the clock's time.
func (c *TestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add moves the clock by d, backwards if d is negative.
func (c *TestClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
