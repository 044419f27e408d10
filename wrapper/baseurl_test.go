package wrapper_test

import (
	"strings"
	"testing"

	"github.com/dnsep/dnsep/wrapper"
)

// passwordURLs hold the password S3CRETPW next to every other fault a base
// URL can have: the password must not show in the error, whichever check
// fails.
var passwordURLs = []string{
	"ftp://user:S3CRETPW@h",
	"https://user:S3CRETPW@",
	"https://user:S3CRETPW@h?x=1",
	"https://user:S3CRETPW@h#top",
	"user:S3CRETPW@h", // parses as scheme "user" without user information
	"https://user:S3CRETPW%zz@h",
	"https://user:S3CRET/PW@h",
	"https://user:S3CRET PW@h",
	"https://user:S3CRETPW@[::1",
	"https://user:S3CRETPW@h:port",
	"https://user:S3C@RETPW@h",
	"https://user:S3CRETPW@h/",
}

func TestNewNeverPrintsURLPassword(t *testing.T) {
	t.Parallel()
	for _, raw := range passwordURLs {
		c, err := wrapper.New(raw, wrapper.WithToken("t"))
		if err == nil {
			t.Errorf("New(%q) = %v, want an error", raw, c)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "S3C") || strings.Contains(msg, "RETPW") || !strings.HasPrefix(msg, "dnsep: base URL") {
			t.Errorf("New(%q): error %q holds the password or does not name the base URL", raw, msg)
		}
	}
}
