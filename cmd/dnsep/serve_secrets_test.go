package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/wrapper"
)

func TestServeSecretsFromEnvAndFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("file-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"env", map[string]string{envServeToken: "env-token"}, nil, "token:       env-token\n"},
		{"file", nil, []string{"--token-file", tokenFile}, "token:       file-token\n"},
		{"flag over env", map[string]string{envServeToken: "env-token"}, []string{"--token", "flag-token"}, "token:       flag-token\n"},
	} {
		code, stdout, stderr := runServe(t, tt.env, nil, tt.args...)
		if code != exitOK || !strings.Contains(stdout, tt.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %q", tt.name, code, stdout, stderr, tt.want)
		}
	}
}

func TestServeSecretKeyFromEnvAndFile(t *testing.T) {
	t.Parallel()
	skFile := filepath.Join(t.TempDir(), "sk")
	if err := os.WriteFile(skFile, []byte("file-secret\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		env    map[string]string
		f      serveFlags
		secret string
	}{
		"env":  {map[string]string{envServeSecretKey: "env-secret"}, serveFlags{}, "env-secret"},
		"file": {nil, serveFlags{secretKeyFile: skFile}, "file-secret"},
	} {
		f := tt.f
		f.listen, f.accessKey, f.limits = "127.0.0.1:0", "AK", shippedServeLimits()
		url, _ := serveInProcess(t, tt.env, f)
		c := serveClient(t, url, wrapper.WithAKSK("AK", tt.secret, "p1"))
		ctx, cancel := context.WithTimeout(t.Context(), serveWait)
		if _, err := c.ListEndpointVpcs(ctx, wrapper.ListEndpointVpcsParams{}); err != nil {
			t.Errorf("%s: a request signed with the secret key: %v", name, err)
		}
		cancel()
	}
}

func TestServeRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("a\x1b]0;title\x07b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "state.json")
	if err := os.WriteFile(state, []byte(`{"version":1,"token":"x\u001b[2Jy","endpoints":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"flag", nil, []string{"--token", "a\x1b[2Jb"}, exitUsage, "--token: holds a control character (U+001B at byte 1)"},
		{"env", map[string]string{envServeToken: "line\nbreak"}, nil, exitUsage, envServeToken + ": holds a control character (U+000A at byte 4)"},
		{"file", nil, []string{"--token-file", tokenFile}, exitUsage, "--token-file " + tokenFile + ": holds a control character"},
		{"state", nil, []string{"--state", state}, exitFailure, "--state " + state + ": fake: state: the token holds a control character"},
		{"access key", nil, []string{"--access-key", "AK\r", "--secret-key", "SK"}, exitUsage, "--access-key: holds a control character"},
		{"token and token file", nil, []string{"--token", "t", "--token-file", tokenFile}, exitUsage, "--token and --token-file"},
	} {
		code, stdout, stderr := runServe(t, tt.env, nil, tt.args...)
		if code != tt.code || stdout != "" || !strings.Contains(stderr, tt.want) || strings.ContainsAny(stderr, "\x1b\r\x07") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and %q", tt.name, code, stdout, stderr, tt.code, tt.want)
		}
	}
}
