package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
)

// errAborted is the error of a command whose confirmation was refused.
var errAborted = errors.New("aborted: nothing was changed")

// confirm asks question on stderr and reads the answer from stdin. It asks
// only when a person can answer, that is when stdin and stderr are both
// terminals (app.interactive); a script, a pipe or a cron job is never
// prompted, and the command goes on as if the answer were yes. An answer
// other than y or yes, or the end of input, is errAborted. The read gives way
// to ctx, so that Ctrl-C at the prompt ends dnsep as it would anywhere else.
func (a *app) confirm(ctx context.Context, question string) error {
	if !a.interactive {
		return nil
	}
	fmt.Fprintf(a.errOut, "%s [y/N] ", question)
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(a.in).ReadString('\n')
		answer <- line
	}()
	select {
	case line := <-answer:
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes":
			return nil
		}
		return errAborted
	case <-ctx.Done():
		fmt.Fprintln(a.errOut)
		return context.Cause(ctx)
	}
}

// confirmUnless is confirm, skipped when the user said --yes.
func (a *app) confirmUnless(ctx context.Context, yes bool, question string) error {
	if yes {
		return nil
	}
	return a.confirm(ctx, question)
}
