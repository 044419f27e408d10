package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/fake"
)

// Keys of the fake in the credential tests; the files in testdata/creds
// hold them. Every secret holds SECRETMARKER, which no output may show.
const (
	permanentAK = "AKPERMANENT"
	permanentSK = "SKSECRETMARKERpermanent"
	temporaryAK = "AKTEMPORARY"
	temporarySK = "SKSECRETMARKERtemporary"
	stsToken    = "STSSECRETMARKER+token/with=base64"
	marker      = "SECRETMARKER"
	sharedFile  = "testdata/creds/config.json"
)

func newCredCLI(t *testing.T) *cli {
	t.Helper()
	// The client signs with the real time, so the fake checks the skew
	// against it; the CLI's own clock, for the SSO expiry, stays fixed.
	return newCLI(t, fake.WithClock(time.Now), fake.WithAccessKey(permanentAK, permanentSK), fake.WithTemporaryAccessKey(temporaryAK, temporarySK, stsToken))
}

// home returns a home directory holding the given files of testdata/creds,
// keyed by their path under the home directory.
func home(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for dst, src := range files {
		b, err := os.ReadFile(filepath.Join("testdata/creds", src))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, dst)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCredentialSources: which source wins, told by the fake accepting or
// refusing the request and by what dnsep config names; no secret in any
// output, the --debug log included.
func TestCredentialSources(t *testing.T) {
	c := newCredCLI(t)
	empty := t.TempDir() // a home directory without files
	withHcloud := home(t, map[string]string{".hcloud/config.json": "config.json"})
	withSDK := home(t, map[string]string{".huaweicloud/credentials": "credentials"})
	withEncrypted := home(t, map[string]string{".hcloud/config.json": "encrypted.json"})
	// noEnvCreds clears the token newCLI sets and points HOME at an empty
	// directory; each case adds its own.
	env := func(kv ...string) map[string]string {
		m := map[string]string{"HW_AUTH_TOKEN": "", "HOME": empty}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name      string
		env       map[string]string
		args      []string
		code      int
		from      string // in dnsep config's output, if it succeeds
		kind      string
		stderr    string // in the error, if it fails
		noRequest bool
	}{
		{"--profile beats HW_AUTH_TOKEN", env("HW_AUTH_TOKEN", "wrong", "HW_SHARED_CONFIG_FILE", sharedFile), []string{"--profile", "perm"}, 0,
			`profile "perm" of testdata/creds/config.json (--profile)`, kindAKSK, "", false},
		{"--profile with --token-file", env("HW_SHARED_CONFIG_FILE", sharedFile), []string{"--profile", "perm", "--token-file", sharedFile}, 2,
			"", "", "--token-file and --profile", true},
		{"--profile in the home directory", env("HOME", withHcloud), []string{"--profile", "sts"}, 0,
			`profile "sts" of ` + filepath.Join(withHcloud, ".hcloud/config.json") + " (--profile)", kindTemporary, "", false},
		{"--profile without a file", env(), []string{"--profile", "perm"}, 4, "", "", filepath.Join(empty, ".hcloud/config.json"), true},
		{"HW_AUTH_TOKEN beats the shared config", env("HW_AUTH_TOKEN", "cli-token", "HW_SHARED_CONFIG_FILE", sharedFile, "HW_PROFILE", "wrong-token"), nil, 0,
			"HW_AUTH_TOKEN", kindToken, "", false},
		{"HW_ACCESS_KEY beats the shared config", env("HW_ACCESS_KEY", permanentAK, "HW_SECRET_KEY", "SKSECRETMARKERwrong", "HW_PROJECT_ID", "p", "HW_SHARED_CONFIG_FILE", sharedFile), nil, 4,
			"", "", "APIGW.0301", false},
		{"HW_SECURITY_TOKEN", env("HW_ACCESS_KEY", temporaryAK, "HW_SECRET_KEY", temporarySK, "HW_PROJECT_ID", "p", "HW_SECURITY_TOKEN", stsToken), nil, 0,
			"HW_ACCESS_KEY", kindTemporary, "", false},
		{"HW_SECURITY_TOKEN wrong", env("HW_ACCESS_KEY", temporaryAK, "HW_SECRET_KEY", temporarySK, "HW_PROJECT_ID", "p", "HW_SECURITY_TOKEN", "STSSECRETMARKERwrong"), nil, 4,
			"", "", "APIGW.0301", false},
		{"HW_SECURITY_TOKEN missing", env("HW_ACCESS_KEY", temporaryAK, "HW_SECRET_KEY", temporarySK, "HW_PROJECT_ID", "p"), nil, 4,
			"", "", "APIGW.0301", false},
		{"HW_SECURITY_TOKEN alone", env("HW_SECURITY_TOKEN", stsToken), nil, 4, "", "", "HW_SECURITY_TOKEN is set but HW_ACCESS_KEY and HW_SECRET_KEY and HW_PROJECT_ID", true},
		{"HUAWEICLOUD_SDK_SECURITY_TOKEN", env("HUAWEICLOUD_SDK_AK", temporaryAK, "HUAWEICLOUD_SDK_SK", temporarySK, "HUAWEICLOUD_SDK_PROJECT_ID", "p", "HUAWEICLOUD_SDK_SECURITY_TOKEN", stsToken), nil, 0,
			"HUAWEICLOUD_SDK_AK", kindTemporary, "", false},
		{"current profile", env("HW_SHARED_CONFIG_FILE", sharedFile), nil, 0,
			`profile "perm" of testdata/creds/config.json (current)`, kindAKSK, "", false},
		{"HW_PROFILE with a security token", env("HW_SHARED_CONFIG_FILE", sharedFile, "HW_PROFILE", "sts"), nil, 0,
			`profile "sts" of testdata/creds/config.json (HW_PROFILE)`, kindTemporary, "", false},
		{"HW_PROFILE with a wrong security token", env("HW_SHARED_CONFIG_FILE", sharedFile, "HW_PROFILE", "wrong-token"), nil, 4, "", "", "APIGW.0301", false},
		{"SSO profile", env("HW_SHARED_CONFIG_FILE", sharedFile, "HW_PROFILE", "sso"), nil, 0,
			`profile "sso" of testdata/creds/config.json (HW_PROFILE)`, kindTemporary, "", false},
		{"SSO profile expired", env("HW_SHARED_CONFIG_FILE", sharedFile, "HW_PROFILE", "sso-expired"), nil, 4, "", "", "expired at 2026-11-26T08:00:00Z", true},
		{"unknown profile", env("HW_SHARED_CONFIG_FILE", sharedFile, "HW_PROFILE", "nosuch"), nil, 4, "", "", `no profile "nosuch" (HW_PROFILE)`, true},
		{"unsupported mode", env("HW_SHARED_CONFIG_FILE", sharedFile, "HW_PROFILE", "agency"), nil, 4, "", "", `mode "ecsAgency" is not supported`, true},
		{"no project ID", env("HW_SHARED_CONFIG_FILE", sharedFile, "HW_PROFILE", "no-project"), nil, 4, "", "", "no project ID", true},
		{"HW_PROJECT_ID completes a profile", env("HW_SHARED_CONFIG_FILE", sharedFile, "HW_PROFILE", "no-project", "HW_PROJECT_ID", "p"), nil, 0,
			`profile "no-project"`, kindAKSK, "", false},
		{"encrypted keys", env("HW_SHARED_CONFIG_FILE", "testdata/creds/encrypted.json"), nil, 4, "", "", "hcloud configure set --cli-auth-encrypt=false", true},
		{"encrypted keys in the home directory", env("HOME", withEncrypted), nil, 4, "", "", "hcloud configure set --cli-auth-encrypt=false", true},
		{"missing shared config file", env("HW_SHARED_CONFIG_FILE", "testdata/creds/nosuch.json"), nil, 4, "", "", "testdata/creds/nosuch.json", true},
		{"HW_PROFILE without a file", env("HW_PROFILE", "perm"), nil, 4, "", "", "HW_PROFILE is set but there is no shared config file", true},
		{"SDK credentials file", env("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "testdata/creds/credentials"), nil, 0,
			"[basic] of testdata/creds/credentials (HUAWEICLOUD_SDK_CREDENTIALS_FILE)", kindAKSK, "", false},
		{"SDK credentials file with a security token", env("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "testdata/creds/credentials-sts"), nil, 0,
			"[basic] of testdata/creds/credentials-sts", kindTemporary, "", false},
		{"HW_SHARED_CONFIG_FILE beats HUAWEICLOUD_SDK_CREDENTIALS_FILE", env("HW_SHARED_CONFIG_FILE", sharedFile, "HW_PROFILE", "wrong-token", "HUAWEICLOUD_SDK_CREDENTIALS_FILE", "testdata/creds/credentials"), nil, 4,
			"", "", "APIGW.0301", false},
		{"a named file beats the home directory", env("HOME", withEncrypted, "HUAWEICLOUD_SDK_CREDENTIALS_FILE", "testdata/creds/credentials"), nil, 0,
			"[basic] of testdata/creds/credentials", kindAKSK, "", false},
		{"home shared config", env("HOME", withHcloud), nil, 0,
			`profile "perm" of ` + filepath.Join(withHcloud, ".hcloud/config.json") + " (current)", kindAKSK, "", false},
		{"home SDK credentials", env("HOME", withSDK), nil, 0,
			"[basic] of " + filepath.Join(withSDK, ".huaweicloud/credentials") + " (home directory)", kindAKSK, "", false},
		{"nothing", env(), nil, 4, "", "", "no credentials", true},
	}
	for _, tt := range tests {
		before := len(c.srv.Server.Requests())
		r := c.run(tt.env, append(append([]string{}, tt.args...), "vpc", "list", "--debug")...)
		if r.code != tt.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", tt.name, r.code, tt.code, r.stdout, r.stderr)
		}
		if tt.stderr != "" && !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("%s: stderr %q, want %q in it", tt.name, r.stderr, tt.stderr)
		}
		if tt.noRequest && len(c.srv.Server.Requests()) != before {
			t.Errorf("%s: sent a request", tt.name)
		}
		cfg := c.run(tt.env, append(append([]string{}, tt.args...), "config", "--debug")...)
		for _, out := range []string{r.stdout, r.stderr, cfg.stdout, cfg.stderr} {
			if strings.Contains(out, marker) || strings.Contains(out, "Signature=") {
				t.Errorf("%s: a secret is in the output:\n%s", tt.name, out)
			}
		}
		if tt.code != 0 {
			continue
		}
		if cfg.code != 0 || !strings.Contains(cfg.stdout, tt.from) || !regexp.MustCompile(`credentials +`+regexp.QuoteMeta(tt.kind)+"  ").MatchString(cfg.stdout) {
			t.Errorf("%s: dnsep config exit %d, want %q from %q:\n%s%s", tt.name, cfg.code, tt.kind, tt.from, cfg.stdout, cfg.stderr)
		}
	}
}

// TestRegionPrecedence: --region, then HW_REGION_NAME, then the region of
// the profile that supplied the credentials.
func TestRegionPrecedence(t *testing.T) {
	c := newCredCLI(t)
	base := map[string]string{"HW_AUTH_TOKEN": "", "HOME": t.TempDir(), "DNSEP_ENDPOINT": "", "HW_SHARED_CONFIG_FILE": sharedFile, "HW_PROFILE": "eu"}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for bk, bv := range base {
			if bk != k {
				m[bk] = bv
			}
		}
		return m
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"profile", with("HW_REGION_NAME", ""), nil, `region +eu-west-101 +profile "eu"`},
		{"HW_REGION_NAME beats the profile", with("HW_REGION_NAME", "ap-southeast-1"), nil, `region +ap-southeast-1 +HW_REGION_NAME`},
		{"--region beats both", with("HW_REGION_NAME", "ap-southeast-1"), []string{"--region", "cn-east-3"}, `region +cn-east-3 +--region`},
		{"HW_PROJECT_ID beats the profile", with("HW_PROJECT_ID", "proj-env"), nil, `project ID +proj-env +HW_PROJECT_ID`},
	}
	for _, tt := range tests {
		r := c.run(tt.env, append(tt.args, "config")...)
		if r.code != 0 || !regexp.MustCompile(tt.want).MatchString(r.stdout) {
			t.Errorf("%s: exit %d, want %q in\n%s%s", tt.name, r.code, tt.want, r.stdout, r.stderr)
		}
	}
}
