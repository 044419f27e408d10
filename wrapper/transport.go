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
// 2xx answers reach the generated parser. Each turn of the loop is one
// attempt, then one retry decision (retryDelay).
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var body []byte // the request body, read once for AK/SK signing
	var state retryState
	for n := 1; ; n++ {
		token, err := d.prepare(ctx, req, &body, n)
		if err != nil {
			return nil, err
		}
		resp, err := d.attempt(ctx, req, n)
		if err == nil {
			return resp, nil
		}
		wait, again := d.c.retryDelay(ctx, req, err, token, &state)
		if !again {
			return nil, err
		}
		if wait > 0 {
			if serr := sleep(ctx, wait); serr != nil {
				return nil, interrupted(serr, err)
			}
		}
	}
}

// prepare readies req for attempt n: it rewinds the body of a second attempt
// and puts fresh credentials on the request. It returns the token it sent,
// if any. Its errors are final: trying again would not help.
func (d *doer) prepare(ctx context.Context, req *http.Request, body *[]byte, n int) (string, error) {
	if n > 1 && req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return "", &transportError{op: d.op, req: req, err: err, tries: n}
		}
		req.Body = rc
	}
	token, err := d.c.authorize(ctx, req, body)
	if err != nil {
		return "", &transportError{op: d.op, req: req, err: fmt.Errorf("credentials: %w", err), tries: n}
	}
	return token, nil
}

// attempt sends req once, as attempt n. It returns the response of a 2xx
// answer with its body capped; any other answer is an *APIError, and a round
// trip that failed a *transportError.
func (d *doer) attempt(ctx context.Context, req *http.Request, n int) (*http.Response, error) {
	c := d.c
	var start time.Time // for the log record; the clock is read only when logging
	if c.logger != nil {
		start = time.Now()
	}
	sent, cancel := req, context.CancelFunc(nil)
	if c.attemptTimeout > 0 {
		var actx context.Context
		actx, cancel = context.WithTimeout(ctx, c.attemptTimeout)
		sent = req.WithContext(actx)
	}
	resp, err := c.http.Do(sent)
	if err != nil {
		if cancel != nil {
			if ctx.Err() == nil && sent.Context().Err() != nil {
				// The caller set no such deadline: say whose it was.
				err = fmt.Errorf("attempt timed out after %v: %w", c.attemptTimeout, err)
			}
			cancel()
		}
		c.logAttempt(ctx, d.op, req, nil, start, n, err)
		return nil, &transportError{op: d.op, req: req, err: err, tries: n}
	}
	if cancel != nil {
		// The bound holds until the body is closed: the generated parser
		// reads the body after Do returns.
		resp.Body = &attemptBody{ReadCloser: resp.Body, cancel: cancel}
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		c.logAttempt(ctx, d.op, req, resp, start, n, nil)
		if err := c.capBody(resp); err != nil {
			return nil, &transportError{op: d.op, req: req, err: err, tries: n}
		}
		return resp, nil
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
	resp.Body.Close()
	apiErr := newAPIError(d.op, req, resp, raw, n)
	c.logAttempt(ctx, d.op, req, resp, start, n, nil)
	return nil, apiErr
}

// attemptBody ends an attempt's deadline when its body is closed.
type attemptBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *attemptBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
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
