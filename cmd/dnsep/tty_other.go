//go:build !linux

package main

import "os"

// stdinTerminal reports whether stdin is a terminal.
func stdinTerminal() bool { return fileTerminal(os.Stdin) }

// fileTerminal reports whether f is a terminal: here, a character device
// other than the null device, which a job run with </dev/null has.
func fileTerminal(f *os.File) bool {
	if !isTerminal(f) {
		return false
	}
	in, err1 := f.Stat()
	null, err2 := os.Stat(os.DevNull)
	return err1 == nil && (err2 != nil || !os.SameFile(in, null))
}
