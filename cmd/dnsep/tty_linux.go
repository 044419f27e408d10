package main

import (
	"os"
	"syscall"
	"unsafe"
)

// stdinTerminal reports whether stdin is a terminal.
func stdinTerminal() bool { return fileTerminal(os.Stdin) }

// fileTerminal reports whether f is a terminal. It asks the terminal driver
// (TCGETS), because a character device is not enough: /dev/null is one, and
// a job run with </dev/null must not be prompted.
func fileTerminal(f *os.File) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}
