package main

import (
	"context"
	"fmt"
	"time"

	"github.com/dnsep/dnsep/wrapper"
)

// progress reports a waiter's polls on stderr: on a terminal as one line
// that is redrawn in place, otherwise as a plain line whenever the status
// changes.
type progress struct {
	a       *app
	what    string
	last    wrapper.Status
	drawn   bool
	printed bool // a line was written: one waiter or several, the first poll shows
}

func (a *app) progress(what string) *progress { return &progress{a: a, what: what} }

// options returns the waiter options that feed the progress report.
func (p *progress) options() []wrapper.WaitOption {
	return []wrapper.WaitOption{
		wrapper.WithPollDelay(p.a.pollMin, max(p.a.pollMin, 10*time.Second)),
		wrapper.WithWaitObserver(p.observe),
	}
}

func (p *progress) observe(e wrapper.WaitEvent) {
	status := string(e.Status)
	switch {
	case e.Err != nil && !wrapper.IsRetryable(e.Err):
		return // the waiter ends with it, and dnsep prints it once
	case e.Err != nil:
		status = "retrying after: " + e.Err.Error()
	case status == "":
		status = "gone"
	}
	elapsed := e.Elapsed.Round(100 * time.Millisecond)
	if p.a.terminal {
		fmt.Fprintf(p.a.errOut, "\r\033[K%s: %s (%s)", p.what, status, elapsed)
		p.drawn = true
		return
	}
	if e.Status != p.last || e.Err != nil || !p.printed {
		fmt.Fprintf(p.a.errOut, "%s: %s (%s)\n", p.what, status, elapsed)
		p.printed = true
	}
	p.last = e.Status
}

// done ends the live line.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprintln(p.a.errOut)
	}
}

// wait runs a waiter with a progress report for what.
func (a *app) wait(what string, waiter func(opts ...wrapper.WaitOption) error) error {
	p := a.progress(what)
	defer p.done()
	return waiter(p.options()...)
}

// settled shows an endpoint after a write. With wait it first waits until
// the endpoint is ACTIVE again; without, it says on stderr how to wait.
func (a *app) settled(ctx context.Context, c *wrapper.Client, ep *wrapper.Endpoint, wait bool, until string) error {
	return a.settledAs(ctx, c, ep, wait, until, "endpoint "+ep.ID)
}

// settledAs is settled with the progress naming what: after a bind the
// endpoint reads PENDING_CREATE, which beside "endpoint ID" would read as if
// the endpoint were being created.
func (a *app) settledAs(ctx context.Context, c *wrapper.Client, ep *wrapper.Endpoint, wait bool, until, what string) error {
	if !wait {
		a.note("endpoint %s is %s; add --wait to wait until %s", ep.ID, ep.Status, until)
		return a.showEndpoint(ep)
	}
	err := a.wait(what, func(opts ...wrapper.WaitOption) (err error) {
		ep, err = c.WaitEndpointActive(ctx, ep.ID, opts...)
		return err
	})
	if err != nil {
		return err
	}
	return a.showEndpoint(ep)
}
