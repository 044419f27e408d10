package iam_test

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/internal/testclock"
	"github.com/dnsep/dnsep/wrapper/iam"
)

const testPassword = "s3cret-Pa55word"

// t0 is the fake clock's starting time in tests.
var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// clock is a settable clock for WithClock.
type clock = testclock.Clock

func newClock() *clock { return testclock.New(t0) }

// fakeIAM is an IAM token endpoint on loopback. By default it issues
// "token-<n>" for the n-th request, valid for 24 hours after clk's time.
type fakeIAM struct {
	srv      *httptest.Server
	clk      *clock
	requests atomic.Int32

	mu      sync.Mutex
	handler func(w http.ResponseWriter, r *http.Request, n int) // nil: issue a token
}

func newFakeIAM(t *testing.T, clk *clock) *fakeIAM {
	t.Helper()
	f := &fakeIAM{clk: clk}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(f.requests.Add(1))
		f.mu.Lock()
		h := f.handler
		f.mu.Unlock()
		if h == nil {
			h = f.issue
		}
		h(w, r, n)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIAM) setHandler(h func(w http.ResponseWriter, r *http.Request, n int)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handler = h
}

func (f *fakeIAM) issue(w http.ResponseWriter, _ *http.Request, n int) {
	writeToken(w, fmt.Sprintf("token-%d", n), f.clk.Now().Add(24*time.Hour))
}

func (f *fakeIAM) count() int { return int(f.requests.Load()) }

func writeToken(w http.ResponseWriter, token string, expiresAt time.Time) {
	w.Header().Set("X-Subject-Token", token)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"token":{"expires_at":%q,"methods":["password"]}}`, expiresAt.UTC().Format("2006-01-02T15:04:05.000000Z"))
}

func testAuth(endpoint string) iam.PasswordAuth {
	return iam.PasswordAuth{
		Endpoint:    endpoint,
		DomainName:  "example-domain",
		UserName:    "dns-user",
		Password:    testPassword,
		ProjectName: "cn-north-4",
	}
}

func newSource(t *testing.T, f *fakeIAM, opts ...iam.Option) *iam.PasswordTokenSource {
	t.Helper()
	opts = append([]iam.Option{iam.WithClock(f.clk.Now)}, opts...)
	src, err := iam.NewPasswordTokenSource(testAuth(f.srv.URL), opts...)
	if err != nil {
		t.Fatalf("NewPasswordTokenSource: %v", err)
	}
	return src
}

// mustToken calls Token and fails the test on error.
func mustToken(t *testing.T, src *iam.PasswordTokenSource) string {
	t.Helper()
	tok, err := src.Token(context.Background())
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	return tok
}

// checkNoSecrets fails if msg holds the password or any of the tokens.
func checkNoSecrets(t *testing.T, msg string, tokens ...string) {
	t.Helper()
	for _, secret := range append([]string{testPassword}, tokens...) {
		if secret != "" && strings.Contains(msg, secret) {
			t.Errorf("message %q contains the secret %q", msg, secret)
		}
	}
}

func TestTokenRequest(t *testing.T) {
	t.Parallel()
	type request struct {
		Method, Path, Query, ContentType, Body string
	}
	tests := []struct {
		name     string
		endpoint string // path appended to the server URL
		project  func(*iam.PasswordAuth)
		want     request
	}{{
		name:    "project name",
		project: func(a *iam.PasswordAuth) {},
		want: request{
			Method: "POST", Path: "/v3/auth/tokens", Query: "nocatalog=true",
			ContentType: "application/json;charset=utf8",
			Body: `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"dns-user","password":"` + testPassword +
				`","domain":{"name":"example-domain"}}}},"scope":{"project":{"name":"cn-north-4"}}}}`,
		},
	}, {
		name: "project ID",
		project: func(a *iam.PasswordAuth) {
			a.ProjectName, a.ProjectID = "", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
		},
		want: request{
			Method: "POST", Path: "/v3/auth/tokens", Query: "nocatalog=true",
			ContentType: "application/json;charset=utf8",
			Body: `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"dns-user","password":"` + testPassword +
				`","domain":{"name":"example-domain"}}}},"scope":{"project":{"id":"0a1b2c3d4e5f60718293a4b5c6d7e8f9"}}}}`,
		},
	}, {
		name:     "endpoint with trailing slash",
		endpoint: "/",
		project:  func(a *iam.PasswordAuth) {},
		want: request{
			Method: "POST", Path: "/v3/auth/tokens", Query: "nocatalog=true",
			ContentType: "application/json;charset=utf8",
			Body: `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"dns-user","password":"` + testPassword +
				`","domain":{"name":"example-domain"}}}},"scope":{"project":{"name":"cn-north-4"}}}}`,
		},
	}, {
		name:     "endpoint with path prefix and special characters in names",
		endpoint: "/iam-proxy",
		project: func(a *iam.PasswordAuth) {
			a.UserName, a.Password = `user "quoted"`, `p\w"d`
		},
		want: request{
			Method: "POST", Path: "/iam-proxy/v3/auth/tokens", Query: "nocatalog=true",
			ContentType: "application/json;charset=utf8",
			Body: `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"user \"quoted\"","password":"p\\w\"d",` +
				`"domain":{"name":"example-domain"}}}},"scope":{"project":{"name":"cn-north-4"}}}}`,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			f := newFakeIAM(t, clk)
			var (
				mu  sync.Mutex
				got []request
			)
			f.setHandler(func(w http.ResponseWriter, r *http.Request, n int) {
				body, err := io.ReadAll(r.Body)
				if err != nil {
					t.Errorf("read request body: %v", err)
				}
				mu.Lock()
				got = append(got, request{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"), string(body)})
				mu.Unlock()
				f.issue(w, r, n)
			})
			auth := testAuth(f.srv.URL + tt.endpoint)
			tt.project(&auth)
			src, err := iam.NewPasswordTokenSource(auth, iam.WithClock(clk.Now))
			if err != nil {
				t.Fatalf("NewPasswordTokenSource: %v", err)
			}
			if f.count() != 0 {
				t.Fatalf("NewPasswordTokenSource sent %d requests, want none", f.count())
			}
			mustToken(t, src)
			mu.Lock()
			defer mu.Unlock()
			if diff := cmp.Diff([]request{tt.want}, got); diff != "" {
				t.Errorf("requests mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTokenAndExpiresAt(t *testing.T) {
	t.Parallel()
	clk := newClock()
	f := newFakeIAM(t, clk)
	f.setHandler(func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("X-Subject-Token", "MIIDkgYJKoZIhvcNAQcCoIIDgzCCA38CAQExDTALBglghkgBZQMEAgEw")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"token":{"expires_at":"2030-01-03T03:04:05.701000Z","issued_at":"2030-01-02T03:04:05.701000Z"}}`)
	})
	src := newSource(t, f)
	if got := src.ExpiresAt(); !got.IsZero() {
		t.Errorf("ExpiresAt before Token = %v, want zero", got)
	}
	if got, want := mustToken(t, src), "MIIDkgYJKoZIhvcNAQcCoIIDgzCCA38CAQExDTALBglghkgBZQMEAgEw"; got != want {
		t.Errorf("Token = %q, want %q", got, want)
	}
	want := time.Date(2030, 1, 3, 3, 4, 5, 701000000, time.UTC)
	if got := src.ExpiresAt(); !got.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", got, want)
	}
}

func TestTokenStatusOK(t *testing.T) {
	t.Parallel()
	clk := newClock()
	f := newFakeIAM(t, clk)
	f.setHandler(func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("X-Subject-Token", "token-ok")
		fmt.Fprintf(w, `{"token":{"expires_at":%q}}`, clk.Now().Add(time.Hour).Format(time.RFC3339))
	})
	if got := mustToken(t, newSource(t, f)); got != "token-ok" {
		t.Errorf("Token = %q, want %q", got, "token-ok")
	}
}

func TestTokenCached(t *testing.T) {
	t.Parallel()
	f := newFakeIAM(t, newClock())
	src := newSource(t, f)
	first := mustToken(t, src)
	second := mustToken(t, src)
	if first != "token-1" || second != "token-1" {
		t.Errorf("tokens = %q, %q, want token-1 twice", first, second)
	}
	if got := f.count(); got != 1 {
		t.Errorf("IAM requests = %d, want 1", got)
	}
}

func TestTokenRefreshWindow(t *testing.T) {
	t.Parallel()
	expiry := t0.Add(24 * time.Hour) // of the first token
	tests := []struct {
		name          string
		opts          []iam.Option
		now           time.Time
		wantToken     string
		wantRequests  int
		wantExpiresAt time.Time
	}{
		{"long before the window", nil, t0.Add(time.Hour), "token-1", 1, expiry},
		{"just before the default window", nil, expiry.Add(-15*time.Minute - time.Nanosecond), "token-1", 1, expiry},
		{"at the start of the default window", nil, expiry.Add(-15 * time.Minute), "token-2", 2, expiry.Add(-15*time.Minute + 24*time.Hour)},
		{"inside the default window", nil, expiry.Add(-time.Minute), "token-2", 2, expiry.Add(-time.Minute + 24*time.Hour)},
		{"after expiry", nil, expiry.Add(time.Minute), "token-2", 2, expiry.Add(time.Minute + 24*time.Hour)},
		{"inside a custom window", []iam.Option{iam.WithRefreshBefore(2 * time.Hour)}, expiry.Add(-time.Hour), "token-2", 2, expiry.Add(23 * time.Hour)},
		{"outside a custom window", []iam.Option{iam.WithRefreshBefore(2 * time.Hour)}, expiry.Add(-3 * time.Hour), "token-1", 1, expiry},
		{"zero window", []iam.Option{iam.WithRefreshBefore(0)}, expiry.Add(-time.Nanosecond), "token-1", 1, expiry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			f := newFakeIAM(t, clk)
			src := newSource(t, f, tt.opts...)
			mustToken(t, src)
			clk.Set(tt.now)
			if got := mustToken(t, src); got != tt.wantToken {
				t.Errorf("Token = %q, want %q", got, tt.wantToken)
			}
			if got := f.count(); got != tt.wantRequests {
				t.Errorf("IAM requests = %d, want %d", got, tt.wantRequests)
			}
			if got := src.ExpiresAt(); !got.Equal(tt.wantExpiresAt) {
				t.Errorf("ExpiresAt = %v, want %v", got, tt.wantExpiresAt)
			}
		})
	}
}

func TestTokenRefreshFailure(t *testing.T) {
	t.Parallel()
	clk := newClock()
	f := newFakeIAM(t, clk)
	src := newSource(t, f)
	mustToken(t, src) // token-1, expires at t0+24h
	expiry := src.ExpiresAt()

	f.setHandler(func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("X-Request-Id", "req-500")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"error":{"code":500,"message":"The system is busy.","title":"Internal Server Error"}}`)
	})

	// Inside the window the old token is still valid: Token returns it.
	clk.Set(expiry.Add(-time.Minute))
	if got := mustToken(t, src); got != "token-1" {
		t.Errorf("Token inside the window with IAM failing = %q, want the old token-1", got)
	}
	if got := f.count(); got != 2 {
		t.Errorf("IAM requests = %d, want 2 (a refresh was attempted)", got)
	}

	// After expiry the failure is returned.
	clk.Set(expiry)
	tok, err := src.Token(context.Background())
	if err == nil {
		t.Fatalf("Token after expiry with IAM failing = %q, want an error", tok)
	}
	var ierr *iam.Error
	if !errors.As(err, &ierr) || ierr.StatusCode != http.StatusInternalServerError {
		t.Errorf("Token error = %v, want an *iam.Error with status 500", err)
	}
	checkNoSecrets(t, err.Error(), "token-1")
	if got := f.count(); got != 3 {
		t.Errorf("IAM requests = %d, want 3", got)
	}

	// Errors are not cached: once IAM recovers the next call succeeds.
	f.setHandler(nil)
	if got := mustToken(t, src); got != "token-4" {
		t.Errorf("Token after IAM recovered = %q, want token-4", got)
	}
}

func TestTokenConcurrent(t *testing.T) {
	t.Parallel()
	clk := newClock()
	f := newFakeIAM(t, clk)
	f.setHandler(func(w http.ResponseWriter, r *http.Request, n int) {
		time.Sleep(200 * time.Millisecond) // let every caller join this fetch
		f.issue(w, r, n)
	})
	src := newSource(t, f)

	const callers = 50
	var (
		start  = make(chan struct{})
		wg     sync.WaitGroup
		tokens [callers]string
		errs   [callers]error
	)
	for i := range callers {
		wg.Go(func() {
			<-start
			tokens[i], errs[i] = src.Token(context.Background())
		})
	}
	close(start)
	wg.Wait()

	for i := range callers {
		if errs[i] != nil || tokens[i] != "token-1" {
			t.Errorf("caller %d: Token = %q, %v; want token-1", i, tokens[i], errs[i])
		}
	}
	if got := f.count(); got != 1 {
		t.Errorf("IAM requests = %d, want 1", got)
	}
}

func TestTokenWaiterCancelled(t *testing.T) {
	t.Parallel()
	clk := newClock()
	f := newFakeIAM(t, clk)
	started := make(chan struct{})
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // runs before the server closes
	f.setHandler(func(w http.ResponseWriter, r *http.Request, n int) {
		close(started)
		select {
		case <-release:
		case <-r.Context().Done():
			t.Error("the token request was cancelled")
			return
		}
		f.issue(w, r, n)
	})
	src := newSource(t, f)

	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := src.Token(ctx)
		first <- err
	}()
	<-started // the first caller's fetch is under way

	type result struct {
		token string
		err   error
	}
	second := make(chan result, 1)
	go func() {
		tok, err := src.Token(context.Background())
		second <- result{tok, err}
	}()

	cancel()
	select {
	case err := <-first:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled caller: err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancelled caller still waiting after 5s")
	}

	release <- struct{}{} // the fetch finishes now
	select {
	case r := <-second:
		if r.err != nil || r.token != "token-1" {
			t.Errorf("second caller: Token = %q, %v; want token-1", r.token, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second caller got no token after 10s")
	}
	if got := f.count(); got != 1 {
		t.Errorf("IAM requests = %d, want 1", got)
	}
}

func TestTokenContextDoneBeforeCall(t *testing.T) {
	t.Parallel()
	f := newFakeIAM(t, newClock())
	src := newSource(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := src.Token(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Token with a cancelled context: err = %v, want context.Canceled", err)
	}
	if got := f.count(); got != 0 {
		t.Errorf("IAM requests = %d, want 0", got)
	}
}

func TestInvalidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		invalidate   func(first string) string // the token passed to Invalidate
		wantToken    string
		wantRequests int
	}{
		{"matching token", func(first string) string { return first }, "token-2", 2},
		{"stale token", func(string) string { return "token-0" }, "token-1", 1},
		{"empty token", func(string) string { return "" }, "token-1", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeIAM(t, newClock())
			src := newSource(t, f)
			first := mustToken(t, src)
			src.Invalidate(tt.invalidate(first))
			if got := mustToken(t, src); got != tt.wantToken {
				t.Errorf("Token after Invalidate = %q, want %q", got, tt.wantToken)
			}
			if got := f.count(); got != tt.wantRequests {
				t.Errorf("IAM requests = %d, want %d", got, tt.wantRequests)
			}
		})
	}
}

func TestInvalidateAfterReplacement(t *testing.T) {
	t.Parallel()
	f := newFakeIAM(t, newClock())
	src := newSource(t, f)
	first := mustToken(t, src)
	src.Invalidate(first)
	second := mustToken(t, src)
	if src.ExpiresAt().IsZero() {
		t.Error("ExpiresAt is zero with a cached token")
	}

	// A second 401 for the first token arrives late: it must not drop the new one.
	src.Invalidate(first)
	if got := mustToken(t, src); got != second {
		t.Errorf("Token after a stale Invalidate = %q, want %q", got, second)
	}
	if got := f.count(); got != 2 {
		t.Errorf("IAM requests = %d, want 2", got)
	}

	src.Invalidate(second)
	if got := src.ExpiresAt(); !got.IsZero() {
		t.Errorf("ExpiresAt after Invalidate = %v, want zero", got)
	}
}

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		header      map[string]string
		body        string
		want        iam.Error
		wantInError []string
	}{{
		name:   "IAM error with numeric code",
		status: http.StatusUnauthorized,
		header: map[string]string{"X-Request-Id": "3f2a9c"},
		body:   `{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}`,
		want:   iam.Error{StatusCode: 401, Code: "401", Message: "The username or password is wrong.", RequestID: "3f2a9c"},
		wantInError: []string{
			"401 Unauthorized", `code "401"`, `message "The username or password is wrong."`, `request ID "3f2a9c"`,
		},
	}, {
		name:   "IAM error with string code and trace ID",
		status: http.StatusUnauthorized,
		header: map[string]string{"X-IAM-Trace-Id": "trace-1"},
		body:   `{"error":{"code":"1101","message":"The user does not exist.","title":"Unauthorized"}}`,
		want:   iam.Error{StatusCode: 401, Code: "1101", Message: "The user does not exist.", RequestID: "trace-1"},
	}, {
		name:   "IAM error with title only",
		status: http.StatusForbidden,
		body:   `{"error":{"code":403,"title":"Forbidden"}}`,
		want:   iam.Error{StatusCode: 403, Code: "403", Message: "Forbidden"},
	}, {
		name:   "gateway error",
		status: http.StatusUnauthorized,
		body:   `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: token expires","request_id":"d59058a3efc5f8ca152d53154f90444b"}`,
		want: iam.Error{
			StatusCode: 401, Code: "APIGW.0301", Message: "Incorrect IAM authentication information: token expires",
			RequestID: "d59058a3efc5f8ca152d53154f90444b",
		},
		wantInError: []string{`code "APIGW.0301"`, `request ID "d59058a3efc5f8ca152d53154f90444b"`},
	}, {
		name:   "gateway error, header request ID wins",
		status: http.StatusTooManyRequests,
		header: map[string]string{"X-Request-Id": "from-header"},
		body:   `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached","request_id":"from-body"}`,
		want:   iam.Error{StatusCode: 429, Code: "APIGW.0308", Message: "The throttling threshold has been reached", RequestID: "from-header"},
	}, {
		name:   "service error",
		status: http.StatusInternalServerError,
		body:   `{"code":"DNS.0001","message":"Internal error."}`,
		want:   iam.Error{StatusCode: 500, Code: "DNS.0001", Message: "Internal error."},
	}, {
		name:        "HTML",
		status:      http.StatusBadGateway,
		header:      map[string]string{"Content-Type": "text/html"},
		body:        "<html><body><h1>502 Bad Gateway</h1></body></html>",
		want:        iam.Error{StatusCode: 502, Message: "Bad Gateway"},
		wantInError: []string{"status 502 Bad Gateway"},
	}, {
		name:        "empty body 500",
		status:      http.StatusInternalServerError,
		want:        iam.Error{StatusCode: 500, Message: "Internal Server Error"},
		wantInError: []string{"status 500"},
	}, {
		name:   "empty body 401",
		status: http.StatusUnauthorized,
		want:   iam.Error{StatusCode: 401, Message: "Unauthorized"},
	}, {
		name:   "unknown JSON",
		status: http.StatusBadRequest,
		body:   `{"unexpected":true}`,
		want:   iam.Error{StatusCode: 400, Message: "Bad Request"},
	}, {
		name:   "server echoes the password and a token",
		status: http.StatusBadRequest,
		header: map[string]string{"X-Subject-Token": "leaked-token"},
		body:   `{"error":{"code":400,"message":"bad password ` + testPassword + ` for token leaked-token"}}`,
		want:   iam.Error{StatusCode: 400, Code: "400", Message: "bad password [REDACTED] for token [REDACTED]"},
	}, {
		name:   "unexpected success status",
		status: http.StatusAccepted,
		header: map[string]string{"X-Subject-Token": "accepted-token"},
		body:   `{"token":{"expires_at":"2099-01-01T00:00:00.000000Z"}}`,
		want:   iam.Error{StatusCode: 202, Message: "Accepted"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeIAM(t, newClock())
			f.setHandler(func(w http.ResponseWriter, r *http.Request, n int) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			src := newSource(t, f)
			tok, err := src.Token(context.Background())
			if err == nil {
				t.Fatalf("Token = %q, want an error", tok)
			}
			var got *iam.Error
			if !errors.As(err, &got) {
				t.Fatalf("Token error = %v (%T), want an *iam.Error", err, err)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("*iam.Error mismatch (-want +got):\n%s", diff)
			}
			msg := err.Error()
			for _, s := range tt.wantInError {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q does not contain %q", msg, s)
				}
			}
			checkNoSecrets(t, msg, "leaked-token", "accepted-token")
			if !src.ExpiresAt().IsZero() {
				t.Error("ExpiresAt is set after a failed fetch")
			}
		})
	}
}

func TestBadSuccessResponse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		token   string // X-Subject-Token; "" leaves it out
		body    string
		wantErr string
	}{
		{"missing X-Subject-Token", "", `{"token":{"expires_at":"2030-01-03T03:04:05.701000Z"}}`, "no X-Subject-Token"},
		{"already expired", "tok-expired", `{"token":{"expires_at":"2030-01-02T03:04:04.999000Z"}}`, "already expired"},
		{"expires now", "tok-now", `{"token":{"expires_at":"2030-01-02T03:04:05Z"}}`, "already expired"},
		{"missing expires_at", "tok-missing", `{"token":{"issued_at":"2030-01-02T03:04:05.701000Z"}}`, "no token.expires_at"},
		{"unparseable expires_at", "tok-bad-time", `{"token":{"expires_at":"tomorrow"}}`, "bad token.expires_at"},
		{"not JSON", "tok-html", `<html></html>`, "decode token response"},
		{"empty body", "tok-empty", ``, "decode token response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeIAM(t, newClock())
			f.setHandler(func(w http.ResponseWriter, r *http.Request, n int) {
				if tt.token != "" {
					w.Header().Set("X-Subject-Token", tt.token)
				}
				w.WriteHeader(http.StatusCreated)
				io.WriteString(w, tt.body)
			})
			src := newSource(t, f)
			tok, err := src.Token(context.Background())
			if err == nil {
				t.Fatalf("Token = %q, want an error containing %q", tok, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Token error = %q, want it to contain %q", err, tt.wantErr)
			}
			checkNoSecrets(t, err.Error(), tt.token)
			if !src.ExpiresAt().IsZero() {
				t.Error("ExpiresAt is set after a failed fetch")
			}
		})
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
	}))
	t.Cleanup(other.Close)

	for _, client := range []struct {
		name string
		opts []iam.Option
	}{
		{"default client", nil},
		{"caller's client", []iam.Option{iam.WithHTTPClient(&http.Client{})}},
	} {
		t.Run(client.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeIAM(t, newClock())
			f.setHandler(func(w http.ResponseWriter, r *http.Request, n int) {
				http.Redirect(w, r, other.URL+"/v3/auth/tokens", http.StatusTemporaryRedirect)
			})
			_, err := newSource(t, f, client.opts...).Token(context.Background())
			var ierr *iam.Error
			if !errors.As(err, &ierr) || ierr.StatusCode != http.StatusTemporaryRedirect {
				t.Errorf("Token error = %v, want an *iam.Error with status 307", err)
			}
		})
	}
	t.Cleanup(func() {
		if n := elsewhere.Load(); n != 0 {
			t.Errorf("the redirect target got %d requests, want 0", n)
		}
	})
}

func TestWithHTTPClientNotModified(t *testing.T) {
	t.Parallel()
	f := newFakeIAM(t, newClock())
	c := &http.Client{}
	mustToken(t, newSource(t, f, iam.WithHTTPClient(c)))
	if c.CheckRedirect != nil {
		t.Error("WithHTTPClient changed the caller's client")
	}
}

func TestTransportErrors(t *testing.T) {
	t.Parallel()
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.NotFoundHandler())
		endpoint := srv.URL
		srv.Close()
		src, err := iam.NewPasswordTokenSource(testAuth(endpoint))
		if err != nil {
			t.Fatalf("NewPasswordTokenSource: %v", err)
		}
		_, err = src.Token(context.Background())
		var uerr *url.Error
		if !errors.As(err, &uerr) {
			t.Errorf("Token error = %v (%T), want it to wrap a *url.Error", err, err)
		}
		if err != nil {
			checkNoSecrets(t, err.Error())
		}
	})
	t.Run("caller deadline", func(t *testing.T) {
		t.Parallel()
		clk := newClock()
		f := newFakeIAM(t, clk)
		release := make(chan struct{})
		t.Cleanup(func() { close(release) })
		f.setHandler(func(w http.ResponseWriter, r *http.Request, n int) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		src := newSource(t, f)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, err := src.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Token error = %v, want context.DeadlineExceeded", err)
		}
	})
}

func TestNewPasswordTokenSourceValidation(t *testing.T) {
	t.Parallel()
	valid := testAuth("https://iam.cn-north-4.myhuaweicloud.com")
	tests := []struct {
		name    string
		change  func(*iam.PasswordAuth)
		opts    []iam.Option
		wantErr string // "" means no error
	}{
		{"valid with project name", nil, nil, ""},
		{"valid with project ID", func(a *iam.PasswordAuth) { a.ProjectName, a.ProjectID = "", "0a1b2c" }, nil, ""},
		{"valid http endpoint with port and path", func(a *iam.PasswordAuth) { a.Endpoint = "http://127.0.0.1:8080/iam/" }, nil, ""},
		{"missing endpoint", func(a *iam.PasswordAuth) { a.Endpoint = "" }, nil, "Endpoint is empty"},
		{"missing domain", func(a *iam.PasswordAuth) { a.DomainName = "" }, nil, "DomainName is empty"},
		{"missing user", func(a *iam.PasswordAuth) { a.UserName = "" }, nil, "UserName is empty"},
		{"missing password", func(a *iam.PasswordAuth) { a.Password = "" }, nil, "Password is empty"},
		{"neither project field", func(a *iam.PasswordAuth) { a.ProjectName = "" }, nil, "needs ProjectName or ProjectID"},
		{"both project fields", func(a *iam.PasswordAuth) { a.ProjectID = "0a1b2c" }, nil, "both set"},
		{"no scheme", func(a *iam.PasswordAuth) { a.Endpoint = "iam.cn-north-4.myhuaweicloud.com" }, nil, "scheme must be http or https"},
		{"ftp scheme", func(a *iam.PasswordAuth) { a.Endpoint = "ftp://iam.example.com" }, nil, "scheme must be http or https"},
		{"no host", func(a *iam.PasswordAuth) { a.Endpoint = "https://" }, nil, "has no host"},
		{"unparseable", func(a *iam.PasswordAuth) { a.Endpoint = "https://iam example.com/%zz" }, nil, "Endpoint"},
		{"user info", func(a *iam.PasswordAuth) { a.Endpoint = "https://u:p@iam.example.com" }, nil, "user information"},
		{"query", func(a *iam.PasswordAuth) { a.Endpoint = "https://iam.example.com/?x=1" }, nil, "query or a fragment"},
		{"fragment", func(a *iam.PasswordAuth) { a.Endpoint = "https://iam.example.com/#top" }, nil, "query or a fragment"},
		{"negative refresh", nil, []iam.Option{iam.WithRefreshBefore(-time.Second)}, "WithRefreshBefore"},
		{"refresh of 24h", nil, []iam.Option{iam.WithRefreshBefore(24 * time.Hour)}, "WithRefreshBefore"},
		{"refresh just under 24h", nil, []iam.Option{iam.WithRefreshBefore(24*time.Hour - time.Nanosecond)}, ""},
		{"nil HTTP client", nil, []iam.Option{iam.WithHTTPClient(nil)}, "nil *http.Client"},
		{"nil clock", nil, []iam.Option{iam.WithClock(nil)}, "nil clock"},
		{"nil option", nil, []iam.Option{nil}, "nil Option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			auth := valid
			if tt.change != nil {
				tt.change(&auth)
			}
			src, err := iam.NewPasswordTokenSource(auth, tt.opts...)
			if tt.wantErr == "" {
				if err != nil || src == nil {
					t.Fatalf("NewPasswordTokenSource = %v, %v; want a source", src, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("NewPasswordTokenSource succeeded, want an error containing %q", tt.wantErr)
			}
			if src != nil {
				t.Errorf("NewPasswordTokenSource returned a source with error %v", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %q, want it to contain %q", err, tt.wantErr)
			}
			checkNoSecrets(t, err.Error())
		})
	}
}

func TestPasswordAuthFormatRedactsPassword(t *testing.T) {
	t.Parallel()
	auth := testAuth("https://iam.example.com")
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		got := fmt.Sprintf(format, auth)
		checkNoSecrets(t, got)
		if !strings.Contains(got, "dns-user") {
			t.Errorf("Sprintf(%q) = %q, want the user name in it", format, got)
		}
	}
	if got := fmt.Sprint(&auth); strings.Contains(got, testPassword) {
		t.Errorf("Sprint(&auth) = %q contains the password", got)
	}
}

func TestPasswordTokenSourcePrintsNoSecrets(t *testing.T) {
	t.Parallel()
	f := newFakeIAM(t, newClock())
	src := newSource(t, f)
	tok := mustToken(t, src)
	type exported struct{ Src *iam.PasswordTokenSource }
	type unexported struct{ src *iam.PasswordTokenSource }
	for _, v := range []any{src, exported{src}, unexported{src}, []*iam.PasswordTokenSource{src}} {
		for _, format := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d"} {
			got := fmt.Sprintf(format, v)
			checkNoSecrets(t, got, tok, hex.EncodeToString([]byte(testPassword)), hex.EncodeToString([]byte(tok)))
		}
	}
	var nilSource *iam.PasswordTokenSource
	if got := fmt.Sprint(nilSource); got != "<nil>" {
		t.Errorf("Sprint of a nil source = %q, want <nil>", got)
	}
}

// Example shows a token source against a stand-in for IAM.
func Example() {
	fakeIAM := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Subject-Token", "example-token")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"token":{"expires_at":%q}}`, time.Now().Add(24*time.Hour).UTC().Format(time.RFC3339Nano))
	}))
	defer fakeIAM.Close()

	src, err := iam.NewPasswordTokenSource(iam.PasswordAuth{
		Endpoint:    fakeIAM.URL, // e.g. "https://iam.cn-north-4.myhuaweicloud.com"
		DomainName:  "my-account",
		UserName:    "dns-operator",
		Password:    "password from a secret store",
		ProjectName: "cn-north-4",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := src.Token(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tok)
	// Output: example-token
}

// TestEndpointNeverPrintsPassword: whatever else is wrong with the
// endpoint URL, its password never shows in the error.
func TestEndpointNeverPrintsPassword(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"ftp://user:S3CRETPW@h", "https://user:S3CRETPW@", "https://user:S3CRETPW@h?x=1", "user:S3CRETPW@h",
		"https://user:S3CRETPW%zz@h", "https://user:S3CRET/PW@h", "https://user:S3CRETPW@[::1", "https://user:S3C@RETPW@h",
	} {
		_, err := iam.NewPasswordTokenSource(iam.PasswordAuth{Endpoint: raw, DomainName: "d", UserName: "u", Password: "p", ProjectName: "cn-north-4"})
		if err == nil {
			t.Errorf("%q: no error", raw)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "S3C") || strings.Contains(msg, "RETPW") {
			t.Errorf("%q: error %q holds the password", raw, msg)
		}
	}
}
