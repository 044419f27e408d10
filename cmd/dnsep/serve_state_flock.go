//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"errors"
	"os"
	"syscall"
)

// lockState takes an exclusive lock (flock) on the lock file of the state
// file at path, for as long as the process runs or until unlock, which
// also removes the lock file. The kernel drops the lock when the process
// dies, so a crash leaves no stale lock.
func lockState(path string) (unlock func(), err error) {
	lock := lockPath(path)
	for range 3 {
		f, err := os.OpenFile(lock, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
		if err != nil {
			return nil, unwrapPath(err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, errStateLocked
			}
			return nil, err
		}
		// The previous holder removes the file as it exits: if it did so
		// between our open and our lock, we hold a lock on a file that
		// nobody else will open. Then lock the file now at the path.
		fi, err1 := f.Stat()
		li, err2 := os.Lstat(lock)
		if err1 == nil && err2 == nil && os.SameFile(fi, li) {
			return func() { _ = os.Remove(lock); _ = f.Close() }, nil
		}
		f.Close()
	}
	return nil, errors.New("could not lock " + lock + ": it keeps being replaced")
}

// openNoFollow opens path for reading, failing on a symbolic link, without
// blocking on a FIFO.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}

// openFileLimit returns how many files the process may open, or 0 if it
// cannot tell.
func openFileLimit() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur > 1<<30 {
		return 0
	}
	return int(rl.Cur)
}
