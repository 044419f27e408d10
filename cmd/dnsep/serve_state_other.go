//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// lockState creates the lock file of the state file at path, failing if it
// exists; unlock removes it. Without flock a crash leaves the file behind:
// the message says to remove it then.
func lockState(path string) (unlock func(), err error) {
	lock := lockPath(path)
	f, err := os.OpenFile(lock, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%w (or by one that crashed: then remove %s)", errStateLocked, lock)
	}
	if err != nil {
		return nil, unwrapPath(err)
	}
	return func() { _ = f.Close(); _ = os.Remove(lock) }, nil
}

// openNoFollow opens path for reading; checkStatePath has refused links
// and special files.
func openNoFollow(path string) (*os.File, error) { return os.Open(path) }

// openFileLimit returns 0: the limit is not known here.
func openFileLimit() int { return 0 }
