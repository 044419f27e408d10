// Package testclock is a clock that stands still until a test moves it,
// for the WithClock options of the fake, the IAM token source and the
// command's tests. Only tests import it.
package testclock

import (
	"sync"
	"time"
)

// Clock reads a time that changes only when Add or Set is called. It is
// safe for concurrent use: servers' goroutines may read it while a test
// moves it.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock that stands at t.
func New(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add moves the clock by d, backwards if d is negative.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
