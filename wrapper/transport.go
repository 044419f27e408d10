package wrapper

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// doer is the HTTP layer under the generated client of one operation, op.
// It is a type of its own, not a method of Client, so that no caller can
// hand it a request for another host: it attaches credentials to whatever it
// sends.
type doer struct {
	c  *Client
	op string // the operationId, for errors and logs
}

// Do sends one request of the generated client. Authentication, retries,
// error mapping, the body size cap and logging happen here for every
// operation alike. An answer other than 2xx comes back as an *APIError; only
// 2xx answers reach the generated parser.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	c, op := d.c, d.op
	ctx := req.Context()
	var body []byte // the request body, read once for AK/SK signing
	reauthed := false
	retries := 0
	for attempt := 1; ; attempt++ {
		if attempt > 1 && req.GetBody != nil {
			rc, err := req.GetBody()
			if err != nil {
				return nil, &transportError{op: op, req: req, err: err, tries: attempt}
			}
			req.Body = rc
		}
		token, err := c.authorize(ctx, req, &body)
		if err != nil {
			return nil, &transportError{op: op, req: req, err: fmt.Errorf("credentials: %w", err), tries: attempt}
		}
		var start time.Time // for the log record; the clock is read only when logging
		if c.logger != nil {
			start = time.Now()
		}
		resp, err := c.http.Do(req)
		if err != nil {
			c.logAttempt(ctx, op, req, nil, start, attempt, err)
			if retries+1 < c.retry.MaxAttempts && idempotent(req) && retryableTransportError(ctx, err) {
				retries++
				if serr := sleep(ctx, c.retry.backoff(retries)); serr != nil {
					return nil, &transportError{op: op, req: req, err: fmt.Errorf("%w (while waiting to retry after: %v)", serr, err), tries: attempt}
				}
				continue
			}
			return nil, &transportError{op: op, req: req, err: err, tries: attempt}
		}
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			c.logAttempt(ctx, op, req, resp, start, attempt, nil)
			if err := c.capBody(resp); err != nil {
				return nil, &transportError{op: op, req: req, err: err, tries: attempt}
			}
			return resp, nil
		}

		raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
		resp.Body.Close()
		apiErr := newAPIError(op, req, resp, raw, attempt)
		c.logAttempt(ctx, op, req, resp, start, attempt, nil)

		if inv, ok := c.tokens.(invalidator); ok && resp.StatusCode == http.StatusUnauthorized && token != "" && !reauthed {
			// The token expired or was revoked: the gateway refused the
			// request before the service saw it, so any method may be
			// sent again, once.
			inv.Invalidate(token)
			reauthed = true
			continue
		}
		if retries+1 >= c.retry.MaxAttempts || !idempotent(req) || !apiErr.Retryable() {
			return nil, apiErr
		}
		wait := c.retry.backoff(retries + 1)
		if apiErr.RetryAfter > c.retry.MaxRetryAfter {
			return nil, apiErr
		}
		wait = max(wait, apiErr.RetryAfter)
		retries++
		if serr := sleep(ctx, wait); serr != nil {
			return nil, fmt.Errorf("%w (gave up waiting to retry): %w", serr, apiErr)
		}
	}
}

// capBody enforces the response size cap on a successful answer. A body
// whose length is declared is already bounded by it; an undeclared length is
// read through a reader that fails past the cap.
func (c *Client) capBody(resp *http.Response) error {
	switch {
	case resp.ContentLength > c.maxBody:
		resp.Body.Close()
		return fmt.Errorf("%w: %d bytes declared, the cap is %d", ErrResponseTooLarge, resp.ContentLength, c.maxBody)
	case resp.ContentLength < 0:
		resp.Body = &cappedBody{rc: resp.Body, left: c.maxBody}
	}
	return nil
}

// cappedBody fails with ErrResponseTooLarge once more than the cap is read.
type cappedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, ErrResponseTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, fmt.Errorf("%w: more than the cap", ErrResponseTooLarge)
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.rc.Close() }

func (c *Client) logAttempt(ctx context.Context, op string, req *http.Request, resp *http.Response, start time.Time, attempt int, err error) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", op),
		slog.String("method", req.Method),
		slog.String("path", req.URL.EscapedPath()),
		slog.Duration("duration", time.Since(start)),
		slog.Int("attempt", attempt),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.String("request_id", redact(req, resp.Header.Get("X-Request-Id"))))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", redact(req, err.Error())))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "dnsep request", attrs...)
}
