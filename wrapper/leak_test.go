package wrapper_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine outlives them. No
// goroutine is ignored: the tests stop their servers and close the idle
// connections of their transports.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
