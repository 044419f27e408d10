package wrapper_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/dnsep/dnsep/wrapper"
)

// TestErrorsHideEchoedCredentials: a server or proxy that echoes the token,
// the Authorization value, the access key or the signature in any part of
// its answer does not get them into the error message.
func TestErrorsHideEchoedCredentials(t *testing.T) {
	t.Parallel()
	const (
		token = "tok-ECHOED-7c1d90aa"
		ak    = "HPUAECHOEDKEY0000001"
		sk    = "SK-never-sent-3f9e"
	)
	// echo is what the server knows of the request's credentials.
	echo := func(r *http.Request) string {
		if v := r.Header.Get("X-Auth-Token"); v != "" {
			return v
		}
		return r.Header.Get("Authorization")
	}
	answers := []struct {
		name  string
		serve func(w http.ResponseWriter, r *http.Request)
	}{
		{"service error", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"code":%q,"message":"bad header %s"}`, echo(r), echo(r))
		}},
		{"gateway error", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			fmt.Fprintf(w, `{"error_code":"APIGW.0301","error_msg":"verify aksk signature fail: %s","request_id":%q}`, echo(r), echo(r))
		}},
		{"request ID header", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", echo(r))
			w.WriteHeader(403)
		}},
		{"HTML title", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			fmt.Fprintf(w, "<html><head><title>denied %s</title></head></html>", echo(r))
		}},
		{"text cut at the length cap", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			// The token or signature straddles the 512-byte cut of the
			// message.
			secret := echo(r)
			if _, sig, ok := strings.Cut(secret, "Signature="); ok {
				secret = sig
			}
			fmt.Fprintf(w, "%s%s", strings.Repeat("x", 500), secret)
		}},
		{"malformed header line", func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nbroken header %s\r\n\r\n", echo(r))
			_ = buf.Flush()
		}},
		{"success with a body that is not an endpoint", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/"+strings.NewReplacer(" ", "", ",", "").Replace(echo(r)))
			w.WriteHeader(200)
		}},
	}
	creds := map[string]wrapper.Option{
		"token": wrapper.WithToken(token),
		"aksk":  wrapper.WithAKSK(ak, sk, "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
	}
	for _, a := range answers {
		for name, cred := range creds {
			t.Run(a.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				var mu sync.Mutex
				var sent []string // the credentials the server saw
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					sent = append(sent, echo(r))
					mu.Unlock()
					a.serve(w, r)
				}))
				defer srv.Close()
				c, err := wrapper.New(srv.URL, cred, wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1}))
				if err != nil {
					t.Fatal(err)
				}
				_, err = c.ShowEndpoint(context.Background(), "ep1")
				if err == nil {
					t.Fatal("no error")
				}
				msg := err.Error()
				mu.Lock()
				defer mu.Unlock()
				if len(sent) != 1 {
					t.Fatalf("%d requests", len(sent))
				}
				secrets := []string{token, ak, sk}
				if name == "aksk" {
					_, sig, _ := strings.Cut(sent[0], "Signature=")
					secrets = append(secrets, sig)
				}
				for _, s := range secrets {
					if leak := sharedRun(msg, s, 8); leak != "" {
						t.Errorf("error %q holds %q of a credential", msg, leak)
					}
				}
			})
		}
	}
}

// sharedRun returns a run of at least n bytes of secret that occurs in s,
// or "".
func sharedRun(s, secret string, n int) string {
	for i := 0; i+n <= len(secret); i++ {
		if strings.Contains(s, secret[i:i+n]) {
			return secret[i : i+n]
		}
	}
	return ""
}
