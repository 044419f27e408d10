package wrapper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"syscall"
	"time"
)

// RetryPolicy says how the client retries a request that failed in a way that
// may go away on its own: a connection error, throttling (429), a gateway or
// availability failure (502, 503, 504) or a busy code of the service
// (DNS.0000, DNS.0003, DNS.0021).
//
// Delays grow exponentially from BaseDelay, capped at MaxDelay, with jitter: the
// n-th retry waits a random time between half and all of
// min(MaxDelay, BaseDelay·2ⁿ⁻¹). A Retry-After header raises the wait to what
// the server asked for, unless it asks for more than MaxRetryAfter, which ends
// the retries.
//
// A POST, which creates an endpoint or binds an IP address, is never retried:
// the service might have acted on it. Every wait ends early when the call's
// context is done.
type RetryPolicy struct {
	MaxAttempts   int           // attempts in all, the first included; 1 turns retries off; at most MaxRetryAttempts
	BaseDelay     time.Duration // the first retry's ceiling; must be positive if MaxAttempts is above 1
	MaxDelay      time.Duration // the largest ceiling
	MaxRetryAfter time.Duration // the longest Retry-After that is honoured
}

// DefaultRetryPolicy returns the policy a Client uses unless told otherwise:
// 4 attempts, delays from 200 ms up to 5 s, and Retry-After honoured up to
// 30 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: 200 * time.Millisecond, MaxDelay: 5 * time.Second, MaxRetryAfter: 30 * time.Second}
}

// MaxRetryAttempts is the most attempts a RetryPolicy may allow.
const MaxRetryAttempts = 10

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 1 || p.MaxAttempts > MaxRetryAttempts:
		return fmt.Errorf("MaxAttempts %d: must be from 1 to %d", p.MaxAttempts, MaxRetryAttempts)
	case p.MaxAttempts > 1 && p.BaseDelay <= 0:
		// Retries without a pause hammer a server that is already
		// failing.
		return errors.New("BaseDelay must be positive when MaxAttempts is above 1")
	case p.BaseDelay < 0 || p.MaxDelay < 0 || p.MaxRetryAfter < 0:
		return errors.New("delays must not be negative")
	case p.BaseDelay > p.MaxDelay:
		return errors.New("BaseDelay must not exceed MaxDelay")
	}
	return nil
}

// backoff returns the wait before retry number n (1 for the first retry).
func (p RetryPolicy) backoff(n int) time.Duration {
	ceiling := p.MaxDelay
	if n < 63 {
		if d := p.BaseDelay << (n - 1); d > 0 && d < ceiling {
			ceiling = d
		}
	}
	if ceiling <= 0 {
		return 0
	}
	half := ceiling / 2
	return half + rand.N(ceiling-half+1)
}

// retryState is what the retry decisions of one call remember.
type retryState struct {
	retries  int  // retries so far, re-authentication not counted
	reauthed bool // a 401 already made the client fetch a new token
}

// retryDelay decides, after an attempt failed with err (an *APIError or a
// *transportError of the attempt), whether to send the request again and
// how long to wait first. token is the token the attempt sent, if any. A
// 401 with a token from a source that can invalidate it is sent again at
// once, whatever the method, but only once: the gateway refused it before
// the service saw it. Anything else follows the RetryPolicy.
func (c *Client) retryDelay(ctx context.Context, req *http.Request, err error, token string, s *retryState) (time.Duration, bool) {
	if e, ok := err.(*APIError); ok && e.StatusCode == http.StatusUnauthorized && token != "" && !s.reauthed {
		if inv, ok := c.tokens.(invalidator); ok {
			inv.Invalidate(token)
			s.reauthed = true
			return 0, true
		}
	}
	if s.retries+1 >= c.retry.MaxAttempts || !idempotent(req) {
		return 0, false
	}
	var wait time.Duration // the least wait, from Retry-After
	switch e := err.(type) {
	case *APIError:
		if !e.Retryable() || e.RetryAfter > c.retry.MaxRetryAfter {
			return 0, false
		}
		wait = e.RetryAfter
	case *transportError:
		if !retryableTransportError(ctx, e.err) {
			return 0, false
		}
	default:
		return 0, false
	}
	s.retries++
	return max(c.retry.backoff(s.retries), wait), true
}

// interrupted returns the error of a call whose wait before a retry ended
// with its context: the context's error, and the failure it meant to retry.
func interrupted(ctxErr, err error) error {
	if te, ok := err.(*transportError); ok {
		return &transportError{op: te.op, req: te.req, err: fmt.Errorf("%w (while waiting to retry after: %v)", ctxErr, te.err), tries: te.tries}
	}
	return fmt.Errorf("%w (gave up waiting to retry): %w", ctxErr, err)
}

// retryableTransportError reports whether a request that failed with err
// (and no response) may be sent again.
func retryableTransportError(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, ErrResponseTooLarge) {
		return false
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		// net/http reports a connection closed before the response
		// headers as EOF.
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// notSent reports whether err proves that the request never left the
// client: the connection could not be opened.
func notSent(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial" || errors.Is(err, syscall.ECONNREFUSED)
}

// idempotent reports whether a request may be retried at all.
func idempotent(req *http.Request) bool { return req.Method != http.MethodPost }

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
