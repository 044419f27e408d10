package main

import (
	"strings"

	"github.com/dnsep/dnsep/internal/baseurl"
)

// checkURL checks an API or IAM base URL that setting (a flag or an
// environment variable) gave, before any library sees it, with the rules
// and the redaction the client itself applies. A bad URL is a usage error
// that names the setting; its message never holds a user name or password
// of the URL.
func checkURL(setting, raw string) error {
	if _, err := baseurl.Parse(raw); err != nil {
		return usagef("%s %s", setting, strings.TrimSpace(err.Error()))
	}
	return nil
}

// redactURL returns raw with any user information hidden, as errors show it.
func redactURL(raw string) string { return baseurl.Redact(raw) }
