package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeSecurityToken: serve told a security token accepts the CLI's
// temporary keys with that token only, and prints the token nowhere.
func TestServeSecurityToken(t *testing.T) {
	t.Parallel()
	const ak, sk, token = "AKSERVETEMP", "SKSECRETMARKERserve", "STSSECRETMARKERserve"
	tokenFile := filepath.Join(t.TempDir(), "sts")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		env map[string]string
		f   serveFlags
	}{
		"file": {nil, serveFlags{securityTokenFile: tokenFile}},
		"env":  {map[string]string{envServeSecurityToken: token}, serveFlags{}},
	} {
		f := tt.f
		f.listen, f.accessKey, f.secretKey, f.limits = "127.0.0.1:0", ak, sk, shippedServeLimits()
		url, errOut := serveInProcess(t, tt.env, f)
		for _, c := range []struct {
			token string
			code  int
		}{{token, exitOK}, {"STSSECRETMARKERwrong", exitAuth}, {"", exitAuth}} {
			var out, stderr bytes.Buffer
			env := map[string]string{"DNSEP_ENDPOINT": url, "HW_REGION_NAME": "cn-north-4",
				"HW_ACCESS_KEY": ak, "HW_SECRET_KEY": sk, "HW_PROJECT_ID": "p1", "HW_SECURITY_TOKEN": c.token}
			a := newApp(&out, &stderr, func(k string) string { return env[k] })
			ctx, cancel := context.WithTimeout(t.Context(), serveWait)
			code := a.run(ctx, []string{"vpc", "list", "--debug"})
			cancel()
			if code != c.code {
				t.Errorf("%s: security token %q: exit %d, want %d\n%s", name, c.token, code, c.code, stderr.String())
			}
			if strings.Contains(out.String()+stderr.String(), marker) {
				t.Errorf("%s: a secret in the output:\n%s%s", name, out.String(), stderr.String())
			}
		}
		if strings.Contains(errOut.String(), marker) {
			t.Errorf("%s: a secret in serve's stderr:\n%s", name, errOut.String())
		}
	}
}

func TestServeSecurityTokenNeedsAccessKey(t *testing.T) {
	t.Parallel()
	tokenFile := filepath.Join(t.TempDir(), "sts")
	if err := os.WriteFile(tokenFile, []byte("STSSECRETMARKER\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"--security-token-file", tokenFile}, "--security-token-file " + tokenFile + " needs --access-key"},
		{map[string]string{envServeSecurityToken: "STSSECRETMARKER"}, nil, envServeSecurityToken + " needs --access-key"},
		{map[string]string{envServeSecurityToken: "STSSECRETMARKER\x1b[2J"}, []string{"--access-key", "AK", "--secret-key", "sk"}, "control character"},
	} {
		code, stdout, stderr := runServe(t, tt.env, nil, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) || strings.Contains(stdout+stderr, marker) {
			t.Errorf("%v %v: exit %d, stderr %q; want 2 and %q, no token", tt.env, tt.args, code, stderr, tt.want)
		}
	}
}
