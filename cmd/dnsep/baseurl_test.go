package main

import (
	"strings"
	"testing"
)

// secretURLs are malformed API URLs that carry the password S3CRETPW, each
// wrong in another way besides.
var secretURLs = []string{
	"ftp://user:S3CRETPW@h",                     // bad scheme
	"HTTP://user:S3CRETPW@h",                    // fine but for the user information
	"http://user:S3CRETPW@",                     // no host
	"http://user:S3CRETPW@/v2",                  // no host, a path
	"http://user:S3CRETPW@h ost",                // a space in the host
	"http://user:S3CRET PW S3CRETPW@h",          // a space in the password
	"http://user:S3CRETPW@h/v2.1",               // a path
	"http://user:S3CRETPW@h?region=x",           // a query
	"http://user:S3CRETPW@h#top",                // a fragment
	"http://user:S3CRETPW@h:port",               // a bad port
	"http://user:S3C/RETPW S3CRETPW@h",          // a slash in the password
	"http://S3CRETPW@h",                         // a token as the user name
	"http://user:S3CRETPW@h\n",                  // a control character
	"user:S3CRETPW@h",                           // no scheme
	"://user:S3CRETPW@h",                        // an empty scheme
	"http:/user:S3CRETPW@h",                     // one slash
	"https://user:S3CRETPW@127.0.0.1:1/",        // a reachable shape
	"http://user:S3CRETPW@[::1",                 // an unclosed IPv6 literal
	"http://user:p%zzS3CRETPW@h",                // a bad escape
	"http://user:S3CRETPW@h/%zz",                // a bad escape in the path
	"http://a@b:S3CRETPW@h",                     // two @
	"javascript:user:S3CRETPW@h",                // an opaque URL
	"http://user:S3CRETPW@h:8080/v2?x=1#frag y", // everything at once
}

// TestBaseURLPasswordNeverPrinted: a password in --endpoint or
// DNSEP_ENDPOINT never reaches stdout or stderr, whatever else is wrong with
// the URL, --debug included; the URL is a usage error (exit 2) that names
// where it came from, and no request is sent.
func TestBaseURLPasswordNeverPrinted(t *testing.T) {
	c := newCLI(t)
	for _, u := range secretURLs {
		for _, tt := range []struct {
			source string
			env    map[string]string
			args   []string
		}{
			{"--endpoint", nil, []string{"vpc", "list", "--debug", "--endpoint", u}},
			{"DNSEP_ENDPOINT", map[string]string{"DNSEP_ENDPOINT": u}, []string{"endpoint", "show", "0123456789abcdef0123456789abcdef", "--debug"}},
		} {
			before := len(c.srv.Server.Requests())
			r := c.run(tt.env, tt.args...)
			if all := r.stdout + r.stderr; strings.Contains(all, "S3CRET") || strings.Contains(all, "RETPW") {
				t.Errorf("%s %q: the password is in the output:\n%s", tt.source, u, all)
			}
			if r.code != exitUsage {
				t.Errorf("%s %q: exit %d, want %d\n%s", tt.source, u, r.code, exitUsage, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.source) {
				t.Errorf("%s %q: the error does not name %s:\n%s", tt.source, u, tt.source, r.stderr)
			}
			if len(c.srv.Server.Requests()) != before {
				t.Errorf("%s %q: a request was sent", tt.source, u)
			}
		}
	}
}

// TestAuthURLPasswordNeverPrinted: the same for HW_AUTH_URL, the IAM URL
// of password authentication.
func TestAuthURLPasswordNeverPrinted(t *testing.T) {
	c := newCLI(t)
	for _, u := range secretURLs {
		env := map[string]string{"HW_AUTH_TOKEN": "", "HW_USER_NAME": "u", "HW_USER_PASSWORD": "pw", "HW_DOMAIN_NAME": "d", "HW_AUTH_URL": u}
		r := c.run(env, "vpc", "list", "--debug")
		if all := r.stdout + r.stderr; strings.Contains(all, "S3CRET") || strings.Contains(all, "RETPW") {
			t.Errorf("HW_AUTH_URL %q: the password is in the output:\n%s", u, all)
		}
		if r.code != exitUsage || !strings.Contains(r.stderr, "HW_AUTH_URL") {
			t.Errorf("HW_AUTH_URL %q: exit %d, want %d and a message naming HW_AUTH_URL\n%s", u, r.code, exitUsage, r.stderr)
		}
	}
}

// TestBaseURLStillWorks: the checks let through the URLs dnsep is meant
// for, a path prefix and a trailing slash included.
func TestBaseURLStillWorks(t *testing.T) {
	c := newCLI(t)
	for _, u := range []string{c.srv.URL, c.srv.URL + "/", strings.Replace(c.srv.URL, "http:", "HTTP:", 1)} {
		if r := c.run(nil, "vpc", "list", "--endpoint", u); r.code != 0 {
			t.Errorf("--endpoint %q: exit %d\n%s", u, r.code, r.stderr)
		}
	}
}
