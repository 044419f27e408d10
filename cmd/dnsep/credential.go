package main

import (
	"strings"
	"time"
)

// Kinds of credential, as dnsep config names them.
const (
	kindToken       = "IAM token"
	kindAKSK        = "AK/SK"
	kindTemporary   = "temporary AK/SK with a security token"
	kindPassword    = "IAM password"
	kindUnavailable = "none"
)

// credential is the way to authenticate that the flags, the environment or
// a file supplied. Only the fields named in messages (kind, from, the
// origins, the masked access key) may ever be printed: the others hold
// secrets.
type credential struct {
	kind string
	from string // the flag, variable or "profile P of F" that supplied it

	token                      string
	accessKey, secretKey       string
	securityToken              string
	projectID, projectFrom     string
	region, regionFrom         string    // a profile's region, if it has one
	expires                    time.Time // of an SSO profile's temporary keys
	userName, password, domain string
}

// credError is a problem with the credentials found: exit code 4, like no
// credentials at all, with its own message.
type credError struct{ msg string }

func (e credError) Error() string        { return e.msg }
func (e credError) Is(target error) bool { return target == errNoCredentials }

// maskKey shows the end of an access key, enough to tell keys apart: an
// access key is not a secret, but it need not be on screen whole.
func maskKey(ak string) string {
	if len(ak) <= 8 {
		return strings.Repeat("*", len(ak))
	}
	return strings.Repeat("*", len(ak)-4) + ak[len(ak)-4:]
}

// plainKey reports whether v looks like an access key or secret key as
// IAM issues them (20 and 40 letters and digits), with room to spare: only
// a value that cannot be one, such as KooCLI's encrypted form, fails.
func plainKey(v string, maxLen int) bool {
	if v == "" || len(v) > maxLen {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// Longest plain keys plainKey accepts: well above what IAM issues.
const (
	maxPlainAccessKey = 32
	maxPlainSecretKey = 64
)
