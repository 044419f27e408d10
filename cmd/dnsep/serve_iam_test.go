package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/internal/testclock"
	"github.com/dnsep/dnsep/wrapper"
	"github.com/dnsep/dnsep/wrapper/iam"
)

const (
	serveIAMUser     = "dns-operator"
	serveIAMDomain   = "acme"
	serveIAMPassword = "pw-SERVESECRET-iam"
)

// serveIAMEpoch is where the test clocks of the fake and the token source
// start.
var serveIAMEpoch = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

// iamServe is a dnsep serve with an IAM user, run in the test's process.
type iamServe struct {
	url    string
	banner string // stdout up to the end of the banner
	srv    *fake.Server
	errOut *strings.Builder
}

// startIAMServe runs serve in-process with f (listen and limits filled in)
// and env, and waits for its whole banner.
func startIAMServe(t *testing.T, env map[string]string, f serveFlags) *iamServe {
	t.Helper()
	f.listen, f.limits, f.delay = "127.0.0.1:0", shippedServeLimits(), 0
	if f.iam.tokenTTL == 0 {
		f.iam.tokenTTL = 24 * time.Hour
	}
	started := make(chan *fake.Server, 1)
	f.iam.started = func(s *fake.Server) { started <- s }
	s := &iamServe{errOut: &strings.Builder{}}
	s.banner = runInProcess(t, func(ctx context.Context, out io.Writer) error {
		return newApp(out, &lockedWriter{w: s.errOut}, func(k string) string { return env[k] }).serve(ctx, f)
	}, s.errOut)
	s.srv = <-started
	first, _, _ := strings.Cut(s.banner, "\n")
	s.url = strings.TrimPrefix(first, serveBanner)
	return s
}

// bannerEnv returns the environment that the banner's IAM lines make of
// env, as a shell would: the unsets, the exports, and the password from
// the file the banner names (command substitution drops the final newline).
func bannerEnv(t *testing.T, banner string, env map[string]string) map[string]string {
	t.Helper()
	_, block, ok := strings.Cut(banner, "or with the IAM password")
	if !ok {
		t.Fatalf("the banner has no IAM password block:\n%s", banner)
	}
	for line := range strings.Lines(block) {
		line = strings.TrimSpace(line)
		if names, ok := strings.CutPrefix(line, "unset "); ok {
			for _, k := range strings.Fields(names) {
				delete(env, k)
			}
			continue
		}
		if strings.HasPrefix(line, `export HW_USER_PASSWORD="$(cat `) {
			file, _, _ := strings.Cut(strings.TrimPrefix(line, `export HW_USER_PASSWORD="$(cat `), ")")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("the banner's password file: %v", err)
			}
			env["HW_USER_PASSWORD"] = strings.TrimRight(string(data), "\n")
			continue
		}
		rest, ok := strings.CutPrefix(line, "export ")
		if !ok {
			continue
		}
		for _, kv := range strings.Fields(rest) {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
	}
	return env
}

func passwordFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pw.txt")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeIAMBanner: the CLI, given the environment the banner prints,
// logs in to the fake IAM and lists endpoints; a wrong password exits 4
// with IAM's message, and no password is printed anywhere.
func TestServeIAMBanner(t *testing.T) {
	t.Parallel()
	pwFile := passwordFile(t, serveIAMPassword+"\n")
	// The file wins over the environment.
	s := startIAMServe(t, map[string]string{envServePassword: "env-SERVESECRET"}, serveFlags{token: "T", tokenSet: true,
		iam: serveIAM{user: serveIAMUser, domain: serveIAMDomain, passwordFile: pwFile, tokenTTL: time.Hour}})
	for _, want := range []string{
		"  IAM user:    dns-operator in domain acme (tokens last 1h0m0s)\n",
		"  export DNSEP_ENDPOINT=" + s.url + " HW_AUTH_URL=" + s.url + "/v3 HW_USER_NAME=dns-operator HW_DOMAIN_NAME=acme HW_REGION_NAME=cn-north-4\n",
		`  export HW_USER_PASSWORD="$(cat ` + pwFile + `)"   # <from ` + pwFile + ">\n",
	} {
		if !strings.Contains(s.banner, want) {
			t.Errorf("the banner lacks %q:\n%s", want, s.banner)
		}
	}
	// Credentials that come before the password are unset.
	before := map[string]string{"HW_AUTH_TOKEN": "x", "HW_ACCESS_KEY": "x", "HW_SECRET_KEY": "x",
		"HW_SECURITY_TOKEN": "x", "HUAWEICLOUD_SDK_AK": "x", "HUAWEICLOUD_SDK_SK": "x", "HUAWEICLOUD_SDK_SECURITY_TOKEN": "x"}
	env := bannerEnv(t, s.banner, before)
	if diff := cmp.Diff(map[string]string{"DNSEP_ENDPOINT": s.url, "HW_AUTH_URL": s.url + "/v3", "HW_USER_NAME": serveIAMUser,
		"HW_DOMAIN_NAME": serveIAMDomain, "HW_REGION_NAME": "cn-north-4", "HW_USER_PASSWORD": serveIAMPassword}, env); diff != "" {
		t.Fatalf("the banner's environment (-want +got):\n%s", diff)
	}

	ctx, cancel := context.WithTimeout(t.Context(), serveWait)
	defer cancel()
	ep, err := serveClient(t, s.url, wrapper.WithToken("T")).CreateEndpoint(ctx, wrapper.CreateEndpointRequest{
		Name: "by-password", Direction: wrapper.Inbound, Region: "cn-north-4", Ipaddresses: serveTwoIPs})
	if err != nil {
		t.Fatal(err)
	}
	run := func(env map[string]string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		a := newApp(&out, &errOut, func(k string) string { return env[k] })
		ctx, cancel := context.WithTimeout(t.Context(), serveWait)
		defer cancel()
		return a.run(ctx, args), out.String(), errOut.String()
	}
	code, stdout, stderr := run(env, "--debug", "endpoint", "list", "--direction", "inbound")
	if code != exitOK || !strings.Contains(stdout, ep.ID) || !strings.Contains(stdout, "by-password") {
		t.Errorf("endpoint list: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "operation="+fake.IAMOperation) || !strings.Contains(stderr, "status=201") {
		t.Errorf("the CLI did not log in to the fake IAM:\n%s", stderr)
	}

	env["HW_USER_PASSWORD"] = "wrong-SERVESECRET"
	code, stdout, stderr = run(env, "vpc", "list")
	if code != exitAuth || !strings.Contains(stderr, "The username or password is wrong.") {
		t.Errorf("a wrong password: exit %d, want %d and IAM's message:\n%s", code, exitAuth, stderr)
	}
	if all := s.banner + stdout + stderr + s.errOut.String(); strings.Contains(all, "SERVESECRET") {
		t.Errorf("a password was printed:\n%s", all)
	}
}

// countingTransport records the path and status of every exchange.
type countingTransport struct {
	mu  sync.Mutex
	log []string
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.log = append(c.log, r.Method+" "+r.URL.Path+" error")
		return nil, err
	}
	c.log = append(c.log, r.Method+" "+r.URL.Path+" "+resp.Status[:3])
	return resp, nil
}

func (c *countingTransport) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	log := c.log
	c.log = nil
	return log
}

func iamSource(t *testing.T, url string, clock *testclock.Clock, rt http.RoundTripper) *iam.PasswordTokenSource {
	t.Helper()
	ts, err := iam.NewPasswordTokenSource(iam.PasswordAuth{Endpoint: url, DomainName: serveIAMDomain, UserName: serveIAMUser,
		Password: serveIAMPassword, ProjectName: "cn-north-4"},
		iam.WithClock(clock.Now), iam.WithRefreshBefore(15*time.Minute), iam.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestServeIAMRenewal: with a one-hour --token-ttl, the token source keeps
// its token until 15 minutes before expiry, then fetches a new one that the
// API accepts; the old one is refused once it has expired. Both clocks are
// test clocks: nothing depends on real time.
func TestServeIAMRenewal(t *testing.T) {
	t.Parallel()
	clock := testclock.New(serveIAMEpoch)
	s := startIAMServe(t, map[string]string{envServePassword: serveIAMPassword}, serveFlags{token: "T", tokenSet: true,
		iam: serveIAM{user: serveIAMUser, domain: serveIAMDomain, tokenTTL: time.Hour, clock: clock.Now}})
	rt := &countingTransport{}
	ts := iamSource(t, s.url, clock, rt)
	ctx, cancel := context.WithTimeout(t.Context(), serveWait)
	defer cancel()

	first, err := ts.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !ts.ExpiresAt().Equal(serveIAMEpoch.Add(time.Hour)) {
		t.Errorf("expires at %v, want the fake's clock plus --token-ttl", ts.ExpiresAt())
	}
	clock.Add(44 * time.Minute) // before the refresh point
	if tok, err := ts.Token(ctx); err != nil || tok != first {
		t.Errorf("before the refresh point: a new token (%v)", err)
	}
	clock.Add(2 * time.Minute) // past it
	second, err := ts.Token(ctx)
	if err != nil || second == first {
		t.Fatalf("past the refresh point: the same token (%v)", err)
	}
	if got := rt.take(); !cmp.Equal(got, []string{"POST /v3/auth/tokens 201", "POST /v3/auth/tokens 201"}) {
		t.Errorf("exchanges %v, want two logins", got)
	}
	c := serveClient(t, s.url, wrapper.WithTokenSource(ts))
	if _, err := c.ListEndpointVpcs(ctx, wrapper.ListEndpointVpcsParams{}); err != nil {
		t.Errorf("the API with the renewed token: %v", err)
	}
	clock.Add(15 * time.Minute) // the first token has expired, the second has not
	if _, err := serveClient(t, s.url, wrapper.WithToken(first)).ListEndpointVpcs(ctx, wrapper.ListEndpointVpcsParams{}); !wrapper.IsUnauthorized(err) ||
		!strings.Contains(err.Error(), "token expires, expires_at: 2026-11-26T09:00:00.000000Z") {
		t.Errorf("the expired first token: %v", err)
	}
	if _, err := c.ListEndpointVpcs(ctx, wrapper.ListEndpointVpcsParams{}); err != nil {
		t.Errorf("the second token: %v", err)
	}
}

// TestServeIAMRetryAfter401: a token the service stops accepting before
// the token source expects costs one 401 and one extra login, then the
// call succeeds.
func TestServeIAMRetryAfter401(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		early func(s *iamServe, fakeClock *testclock.Clock)
	}{
		{"revoked", func(s *iamServe, _ *testclock.Clock) { s.srv.RevokeIssuedTokens() }},
		{"expired by the fake's clock", func(_ *iamServe, c *testclock.Clock) { c.Add(time.Hour) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fakeClock, sourceClock := testclock.New(serveIAMEpoch), testclock.New(serveIAMEpoch)
			s := startIAMServe(t, map[string]string{envServePassword: serveIAMPassword}, serveFlags{token: "T", tokenSet: true,
				iam: serveIAM{user: serveIAMUser, domain: serveIAMDomain, tokenTTL: time.Hour, clock: fakeClock.Now}})
			rt := &countingTransport{}
			ts := iamSource(t, s.url, sourceClock, rt)
			c, err := wrapper.New(s.url, wrapper.WithTokenSource(ts), wrapper.WithHTTPClient(&http.Client{Transport: rt}))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), serveWait)
			defer cancel()
			if _, err := c.ListEndpointVpcs(ctx, wrapper.ListEndpointVpcsParams{}); err != nil {
				t.Fatal(err)
			}
			rt.take()
			tt.early(s, fakeClock)
			if _, err := c.ListEndpointVpcs(ctx, wrapper.ListEndpointVpcsParams{}); err != nil {
				t.Fatalf("after the token stopped working: %v", err)
			}
			want := []string{"GET /v2.1/vpcs 401", "POST /v3/auth/tokens 201", "GET /v2.1/vpcs 200"}
			if diff := cmp.Diff(want, rt.take()); diff != "" {
				t.Errorf("exchanges (-want +got):\n%s", diff)
			}
		})
	}
}

// TestServeIAMUsage: the IAM flags go together, the password never comes
// from a flag and never shows in a message, and the validity is positive.
func TestServeIAMUsage(t *testing.T) {
	t.Parallel()
	good := passwordFile(t, serveIAMPassword)
	ctrl := passwordFile(t, "pw-SERVESECRET\x1b[2J")
	empty := passwordFile(t, "\n")
	pwEnv := map[string]string{envServePassword: serveIAMPassword}
	for _, tt := range []struct {
		env  map[string]string
		args []string
		code int
		want string
	}{
		{nil, []string{"--user", "u"}, exitUsage, "--user needs --domain"},
		{nil, []string{"--user", "u", "--domain", "d"}, exitUsage, "--user needs a password: --password-file FILE or $" + envServePassword},
		{nil, []string{"--domain", "d", "--password-file", good}, exitUsage, "--domain needs --user"},
		{pwEnv, nil, exitUsage, envServePassword + " needs --user and --domain"},
		{nil, []string{"--password-file", good}, exitUsage, "--password-file " + good + " needs --user and --domain"},
		{pwEnv, []string{"--user", "u", "--domain", "d", "--token-ttl", "0s"}, exitUsage, "--token-ttl must be positive"},
		{nil, []string{"--token-ttl", "1h"}, exitUsage, "--token-ttl needs --user"},
		{nil, []string{"--user", "u", "--domain", "d", "--password-file", ctrl}, exitUsage, "control character"},
		{map[string]string{envServePassword: "a\tSERVESECRET"}, []string{"--user", "u", "--domain", "d"}, exitUsage, envServePassword + ": holds a control character"},
		{pwEnv, []string{"--user", "u\x1b[2J", "--domain", "d"}, exitUsage, "--user: holds a control character"},
		{nil, []string{"--user", "u", "--domain", "d", "--password-file", empty}, exitFailure, "is empty"},
		{nil, []string{"--password", "x"}, exitUsage, "unknown flag: --password"},
	} {
		code, stdout, stderr := runServe(t, tt.env, nil, tt.args...)
		if code != tt.code || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v %v: exit %d, stdout %q, stderr %q; want exit %d and %q", tt.env, tt.args, code, stdout, stderr, tt.code, tt.want)
		}
		if strings.Contains(stderr, "SERVESECRET") {
			t.Errorf("%v %v: the password is in %q", tt.env, tt.args, stderr)
		}
	}
	// From the environment, the banner names the variable.
	code, stdout, _ := runServe(t, pwEnv, nil, "--user", "u", "--domain", "d")
	if want := `  export HW_USER_PASSWORD="$` + envServePassword + `"   # <from $` + envServePassword + ">\n"; code != exitOK || !strings.Contains(stdout, want) {
		t.Errorf("exit %d, banner:\n%s\nwant %q", code, stdout, want)
	}
}
