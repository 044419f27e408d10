package main

import (
	"context"
	"os"
	"syscall"
)

// interrupted is the cause of a context that a signal cancelled.
type interrupted struct{ sig os.Signal }

func (e interrupted) Error() string  { return e.sig.String() + " signal received" }
func (e interrupted) String() string { return e.sig.String() }

// exitCode is 128 plus the signal's number, as shells report a command that
// the signal killed: 130 for Ctrl-C (SIGINT), 143 for SIGTERM.
func (e interrupted) exitCode() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}

// onSignal returns a copy of parent that is cancelled, with an interrupted
// cause, when a signal arrives on sigs, and a function that releases it.
// Unlike signal.NotifyContext it lets the caller tell which signal it was.
func onSignal(parent context.Context, sigs <-chan os.Signal) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	go func() {
		select {
		case s := <-sigs:
			cancel(interrupted{s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { cancel(context.Canceled) }
}
