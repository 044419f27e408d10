package wrapper

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrResourceFailed is matched by the error of a waiter that saw the endpoint
// or IP address it waits for reach the ERROR status.
var ErrResourceFailed = errors.New("dnsep: resource is in ERROR status")

// A WaitOption configures a waiter.
type WaitOption func(*waitConfig)

type waitConfig struct {
	minDelay, maxDelay time.Duration
	observe            func(WaitEvent)
}

// WaitEvent describes one poll of a waiter.
type WaitEvent struct {
	Poll    int           // 1 for the first poll
	Status  Status        // the status seen, empty if the poll failed or the resource is gone
	Err     error         // the poll's error, if any
	Elapsed time.Duration // since the waiter started
}

// WithPollDelay sets the delays between polls: the first wait is min, each
// next one doubles, up to max. The defaults are 1 s and 10 s.
func WithPollDelay(min, max time.Duration) WaitOption {
	return func(w *waitConfig) { w.minDelay, w.maxDelay = min, max }
}

// WithWaitObserver calls fn after every poll, for progress reports.
func WithWaitObserver(fn func(WaitEvent)) WaitOption {
	return func(w *waitConfig) { w.observe = fn }
}

// poll calls check until it reports done, the resource fails, a
// non-retryable error occurs, or ctx ends. check returns the status it saw
// (empty when the resource is gone).
func poll(ctx context.Context, what string, opts []WaitOption, check func(context.Context) (status Status, done bool, err error)) error {
	cfg := waitConfig{minDelay: time.Second, maxDelay: 10 * time.Second}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.minDelay <= 0 || cfg.maxDelay < cfg.minDelay {
		return &InvalidArgumentError{Param: "poll delay", Value: fmt.Sprintf("%v..%v", cfg.minDelay, cfg.maxDelay), Reason: "want 0 < min <= max"}
	}
	start := time.Now()
	delay := cfg.minDelay
	var last Status
	for n := 1; ; n++ {
		status, done, err := check(ctx)
		if cfg.observe != nil {
			cfg.observe(WaitEvent{Poll: n, Status: status, Err: err, Elapsed: time.Since(start)})
		}
		switch {
		case err != nil && (ctx.Err() != nil || !IsRetryable(err)):
			return fmt.Errorf("dnsep: waiting for %s: %w", what, err)
		case err == nil && done:
			return nil
		case err == nil && status == StatusError:
			return fmt.Errorf("%w: %s", ErrResourceFailed, what)
		case err == nil:
			last = status
		}
		if err := sleep(ctx, delay); err != nil {
			return fmt.Errorf("dnsep: waiting for %s: last status %s after %d polls: %w", what, orNone(last), n, err)
		}
		delay = min(2*delay, cfg.maxDelay)
	}
}

func orNone(s Status) string {
	if s == "" {
		return "unknown"
	}
	return string(s)
}

// WaitEndpointActive polls ShowEndpoint until the endpoint is ACTIVE and
// returns it. It fails fast when the endpoint reaches ERROR (ErrResourceFailed)
// or a poll fails for a reason that will not go away (a 404, a 403, ...); a
// retryable failure is polled through. The wait ends with ctx: give it a
// deadline. On error it returns the last endpoint it saw, if any.
func (c *Client) WaitEndpointActive(ctx context.Context, endpointID string, opts ...WaitOption) (*Endpoint, error) {
	var last *Endpoint
	err := poll(ctx, "endpoint "+endpointID+" to be ACTIVE", opts, func(ctx context.Context) (Status, bool, error) {
		ep, err := c.ShowEndpoint(ctx, endpointID)
		if err != nil {
			return "", false, err
		}
		last = ep
		return ep.Status, ep.Status == StatusActive, nil
	})
	return last, err
}

// WaitEndpointDeleted polls ShowEndpoint until the service answers that the
// endpoint does not exist (404 with a DNS.* code, see IsNotFound), which is
// success, and returns the last endpoint it saw before (nil if none). It
// fails fast like WaitEndpointActive; a 404 that did not come from the
// service, such as the gateway's APIGW.0101 behind a wrong base URL, is an
// error matching ErrNoSuchAPI, not success.
func (c *Client) WaitEndpointDeleted(ctx context.Context, endpointID string, opts ...WaitOption) (*Endpoint, error) {
	var last *Endpoint
	err := poll(ctx, "endpoint "+endpointID+" to be deleted", opts, func(ctx context.Context) (Status, bool, error) {
		ep, err := c.ShowEndpoint(ctx, endpointID)
		if IsNotFound(err) {
			return "", true, nil
		}
		if err != nil {
			return "", false, err
		}
		last = ep
		return ep.Status, false, nil
	})
	return last, err
}

// WaitIpaddressGone polls ListEndpointIpaddresses until the IP address is no
// longer listed (or the service answers that the endpoint itself is gone,
// see IsNotFound), as after
// DisassociateEndpointIpaddress. It returns the last state of the address it
// saw (nil if none) and fails fast like WaitEndpointActive.
func (c *Client) WaitIpaddressGone(ctx context.Context, endpointID, ipaddressID string, opts ...WaitOption) (*IPAddress, error) {
	if err := checkID("ipaddress_id", ipaddressID); err != nil {
		return nil, err
	}
	var last *IPAddress
	err := poll(ctx, "IP address "+ipaddressID+" of endpoint "+endpointID+" to be gone", opts, func(ctx context.Context) (Status, bool, error) {
		ips, err := c.ListEndpointIpaddresses(ctx, endpointID)
		if IsNotFound(err) {
			return "", true, nil
		}
		if err != nil {
			return "", false, err
		}
		for i := range ips {
			if ips[i].ID == ipaddressID {
				last = &ips[i]
				return ips[i].Status, false, nil
			}
		}
		return "", true, nil
	})
	return last, err
}
