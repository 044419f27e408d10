package main

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/dnsep/dnsep/wrapper/iam"
)

// iamOperation names the IAM token request in --debug lines, as Huawei
// Cloud's API explorer names it.
const iamOperation = "KeystoneCreateUserTokenByPassword"

// logger returns the --debug log, or nil without --debug.
func (a *app) logger() *slog.Logger {
	if !a.debug {
		return nil
	}
	if a.log == nil {
		a.log = slog.New(slog.NewTextHandler(a.errOut, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return a.log
}

// iamOptions returns the options of the IAM token source. Package iam logs
// nothing, so with --debug its requests go through a transport that logs
// them like the client's own.
func (a *app) iamOptions() []iam.Option {
	log := a.logger()
	if log == nil && a.httpClient == nil {
		return nil
	}
	// The settings iam's own client has: a 30-second timeout and no proxy,
	// which would come from the environment.
	hc := &http.Client{Timeout: 30 * time.Second}
	if a.httpClient != nil {
		*hc = *a.httpClient
	}
	next := hc.Transport
	if next == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = nil
		next = t
	}
	if log != nil {
		hc.Transport = loggedTransport{next: next, log: log, op: iamOperation}
	}
	return []iam.Option{iam.WithHTTPClient(hc)}
}

// loggedTransport logs each round trip at debug level in the shape of the
// client's "dnsep request" lines. It logs no header and no body: they hold
// the password and the token.
type loggedTransport struct {
	next http.RoundTripper
	log  *slog.Logger
	op   string
}

func (t loggedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	attrs := []slog.Attr{
		slog.String("operation", t.op),
		slog.String("method", req.Method),
		slog.String("host", req.URL.Host),
		slog.String("path", req.URL.EscapedPath()),
		slog.Duration("duration", time.Since(start)),
	}
	if resp != nil {
		id := resp.Header.Get("X-Request-Id")
		if id == "" {
			id = resp.Header.Get("X-IAM-Trace-Id")
		}
		attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.String("request_id", id))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	t.log.LogAttrs(req.Context(), slog.LevelDebug, "dnsep request", attrs...)
	return resp, err
}
