package main

import (
	"net/url"
	"strings"
)

// checkURL checks an API or IAM base URL that setting (a flag or an
// environment variable) gave, before any library sees it. A bad URL is a
// usage error, and its message never holds a user name or password of the
// URL: the libraries' messages and net/url's quote the URL as given.
func checkURL(setting, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		// net/url's reasons quote parts of the URL, and where a malformed
		// URL's password ends is anybody's guess: show none of it.
		return usagef("%s is not a valid URL: want http(s)://HOST[:PORT][/PATH]", setting)
	}
	shown := redactURL(raw)
	switch {
	case u.User != nil:
		return usagef("%s %q: a user name or password in the URL is not allowed (see dnsep --help for the credentials)", setting, shown)
	case u.Scheme != "http" && u.Scheme != "https":
		return usagef("%s %q: the scheme must be http or https", setting, shown)
	case u.Host == "":
		return usagef("%s %q has no host", setting, shown)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return usagef("%s %q: a query or a fragment is not allowed", setting, shown)
	}
	return nil
}

// redactURL returns raw with everything from the start of its authority to
// its last "@" replaced by "xxxxx", so that no user information is printed
// however malformed raw is. It may hide more than the user information of a
// URL with an "@" in its path, never less.
func redactURL(raw string) string {
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return raw
	}
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 && i < at {
		start = i + len("://")
	}
	return raw[:start] + "xxxxx" + raw[at:]
}
