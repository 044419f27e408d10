package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/dnsep/dnsep/fake"
)

// envServePassword names the variable that serve reads the IAM user's
// password from when --password-file is not given.
const envServePassword = "DNSEP_SERVE_PASSWORD"

// serveIAM are the flags of serve's fake IAM, and hooks for tests.
type serveIAM struct {
	user, domain string
	passwordFile string
	password     string // from passwordFile or $DNSEP_SERVE_PASSWORD; never printed
	passwordFrom string // where it came from, for the banner: "FILE" or "$DNSEP_SERVE_PASSWORD"
	tokenTTL     time.Duration
	tokenTTLSet  bool // --token-ttl was given

	// For tests: the fake's clock (nil: time.Now), and a function called
	// with the fake once it is built.
	clock   func() time.Time
	started func(*fake.Server)
}

func (s *serveIAM) register(fl *pflag.FlagSet) {
	fl.StringVar(&s.user, "user", "", "also serve IAM's POST /v3/auth/tokens for this IAM user (needs --domain and a password)")
	fl.StringVar(&s.domain, "domain", "", "the domain (account) name of --user")
	fl.StringVar(&s.passwordFile, "password-file", "", "read the password of --user from this file (default $"+envServePassword+")")
	fl.DurationVar(&s.tokenTTL, "token-ttl", 24*time.Hour, "how long the tokens the fake IAM issues are accepted")
}

// complete reads the password and checks the IAM flags: a user needs a
// domain and a password, and each of them needs the others. The password
// comes from --password-file, else $DNSEP_SERVE_PASSWORD: there is no flag
// with the value itself, as other users see the command line in ps. When
// both are given the file wins, as for the other secrets of serve.
func (s *serveIAM) complete(a *app) error {
	switch {
	case s.passwordFile != "":
		pw, err := readSecretFile("--password-file", s.passwordFile)
		if err != nil {
			return err
		}
		s.password, s.passwordFrom = pw, s.passwordFile
		if abs, err := filepath.Abs(s.passwordFile); err == nil {
			s.passwordFrom = abs // the banner's line must work from another directory
		}
	default:
		s.password, s.passwordFrom = a.getenv(envServePassword), "$"+envServePassword
	}
	from := "--password-file " + s.passwordFile
	if s.passwordFile == "" {
		from = envServePassword
	}
	switch {
	case s.user == "" && s.domain == "" && s.password == "":
		if s.tokenTTLSet {
			return usagef("--token-ttl needs --user: it is the validity of the tokens the fake IAM issues")
		}
		return nil
	case s.user == "":
		if s.domain != "" {
			return usagef("--domain needs --user: they name the IAM user together")
		}
		return usagef("%s needs --user and --domain: the password is the IAM user's", from)
	case s.domain == "":
		return usagef("--user needs --domain, the user's domain (account) name")
	case s.password == "":
		return usagef("--user needs a password: --password-file FILE or $%s", envServePassword)
	case s.tokenTTL <= 0:
		return usagef("--token-ttl must be positive")
	}
	for _, v := range [][2]string{{"--user", s.user}, {"--domain", s.domain}, {from, s.password}} {
		if err := checkPrintable(v[1]); err != nil {
			return usagef("%s: %v", v[0], err) // names the problem, never the password
		}
	}
	return nil
}

// options returns the fake's options for the IAM user, if any.
func (s *serveIAM) options() []fake.Option {
	var opts []fake.Option
	if s.clock != nil {
		opts = append(opts, fake.WithClock(s.clock))
	}
	if s.user == "" {
		return opts
	}
	return append(opts, fake.WithUser(s.domain, s.user, s.password), fake.WithTokenTTL(s.tokenTTL))
}

// bannerLine writes the IAM user's line of the key/value block.
func (s *serveIAM) bannerLine(b *strings.Builder) {
	if s.user == "" {
		return
	}
	fmt.Fprintf(b, "  IAM user:    %s in domain %s (tokens last %s)\n", s.user, s.domain, s.tokenTTL)
}

// bannerShell writes the lines to paste to use the IAM password. They show
// where the password is, never the password.
func (s *serveIAM) bannerShell(b *strings.Builder, url, region string) {
	if s.user == "" {
		return
	}
	source := `"$(cat ` + shellQuote(s.passwordFrom) + `)"`
	if s.passwordFile == "" {
		source = `"$` + envServePassword + `"`
	}
	fmt.Fprintf(b, "or with the IAM password (other credentials unset: they come first):\n"+
		"  unset HW_AUTH_TOKEN HW_ACCESS_KEY HW_SECRET_KEY HW_SECURITY_TOKEN HUAWEICLOUD_SDK_AK HUAWEICLOUD_SDK_SK HUAWEICLOUD_SDK_SECURITY_TOKEN\n"+
		"  export DNSEP_ENDPOINT=%s HW_AUTH_URL=%s HW_USER_NAME=%s HW_DOMAIN_NAME=%s HW_REGION_NAME=%s\n"+
		"  export HW_USER_PASSWORD=%s   # <from %s>\n",
		shellQuote(url), shellQuote(url+"/v3"), shellQuote(s.user), shellQuote(s.domain), shellQuote(region), source, s.passwordFrom)
}
