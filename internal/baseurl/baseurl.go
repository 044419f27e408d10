// Package baseurl checks the base URL of an HTTP API, for the client and for
// package iam and the command line alike, without ever printing a password the
// URL holds.
package baseurl

import (
	"fmt"
	"net/url"
	"strings"
)

// Parse parses raw as the base URL of an HTTP API: http or https, a host,
// and no user information, query or fragment. The text of its error starts
// with the URL in quotes, with everything up to its last "@" replaced when
// it has one, so that a password never reaches a message, whatever else is
// wrong with the URL. The user information is checked first for the same
// reason.
func Parse(raw string) (*url.URL, error) {
	shown := Redact(raw)
	u, err := url.Parse(raw)
	switch {
	case err != nil && shown != raw:
		// url.Error quotes the raw URL, and its reason may quote a
		// part of the password (an invalid escape, say).
		return nil, fmt.Errorf("%q is not a valid URL", shown)
	case err != nil:
		return nil, fmt.Errorf("%q is not a valid URL: %w", shown, unwrap(err))
	case u.User != nil || shown != raw:
		return nil, fmt.Errorf("%q must not contain user information: credentials in the URL are not allowed", shown)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%q: scheme must be http or https", shown)
	case u.Host == "":
		return nil, fmt.Errorf("%q has no host", shown)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("%q must not have a query or a fragment", shown)
	}
	return u, nil
}

// Redact returns raw with everything between the scheme's "//" (or the
// start) and the last "@" replaced by "[REDACTED]". It works on text that
// does not parse as a URL, and on text that parses without user information
// although it holds a password, as "user:pw@host" (scheme "user") does.
func Redact(raw string) string {
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return raw
	}
	start := 0
	if i := strings.Index(raw[:at], "//"); i >= 0 {
		start = i + 2
	}
	return raw[:start] + "[REDACTED]" + raw[at:]
}

// unwrap returns the reason of a *url.Error without the URL it quotes.
func unwrap(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
