package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnsep/dnsep/fake"
)

const (
	iamPassword = "pw-S3CRET-iam"
	iamToken    = "tok-S3CRET-iam"
)

// iamServer is an IAM on loopback that answers every token request with
// status, and with a token when status is 201.
func iamServer(t *testing.T, status int) (url string, requests *atomic.Int64) {
	t.Helper()
	requests = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.URL.Path != "/v3/auth/tokens" || !strings.Contains(string(body), iamPassword) {
			t.Errorf("IAM got %s %s %s", r.Method, r.URL.Path, body)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-IAM-Trace-Id", "trace-1")
		if status != http.StatusCreated {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, `{"error":{"code":`+strconv.Itoa(status)+`,"message":"The username or password is wrong.","title":"Unauthorized"}}`)
			return
		}
		w.Header().Set("X-Subject-Token", iamToken)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"token":{"expires_at":"`+time.Now().Add(24*time.Hour).UTC().Format(time.RFC3339Nano)+`"}}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, requests
}

// TestIAMPassword: a password that IAM refuses is an authentication failure
// (exit 4), and --debug logs each token request, as it logs the API's,
// without the password or the token.
func TestIAMPassword(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		code   int
	}{
		{"refused", http.StatusUnauthorized, exitAuth},
		{"forbidden", http.StatusForbidden, exitAuth},
		{"accepted", http.StatusCreated, exitOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t, fake.WithToken(iamToken))
			iamURL, requests := iamServer(t, tt.status)
			env := map[string]string{"HW_AUTH_TOKEN": "", "HW_USER_NAME": "dns-operator", "HW_USER_PASSWORD": iamPassword, "HW_DOMAIN_NAME": "acme", "HW_AUTH_URL": iamURL + "/v3"}
			r := c.run(env, "vpc", "list", "--debug")
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s", r.code, tt.code, r.stderr)
			}
			if requests.Load() != 1 {
				t.Fatalf("IAM got %d requests, want 1", requests.Load())
			}
			if all := r.stdout + r.stderr; strings.Contains(all, "S3CRET") {
				t.Errorf("a secret is in the output:\n%s", all)
			}
			var iamLines int
			for line := range strings.Lines(r.stderr) {
				if strings.Contains(line, "level=DEBUG") && strings.Contains(line, "operation=KeystoneCreateUserTokenByPassword") {
					iamLines++
					for _, want := range []string{"method=POST", "path=/v3/auth/tokens", "status=" + strconv.Itoa(tt.status), "request_id=trace-1"} {
						if !strings.Contains(line, want) {
							t.Errorf("the IAM debug line lacks %s:\n%s", want, line)
						}
					}
				}
			}
			if iamLines != 1 {
				t.Errorf("%d debug lines for the IAM request, want 1:\n%s", iamLines, r.stderr)
			}
		})
	}
}
