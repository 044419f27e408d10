package wrapper_test

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/dnsep/dnsep/aksk"
	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// capture records the last request it sends.
type capture struct {
	mu   sync.Mutex
	last *http.Request
}

func (c *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.last = req.Clone(req.Context())
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// TestSecurityToken: temporary credentials through the fake. The token goes
// in X-Security-Token, signed; a wrong or missing token gets the gateway's
// 401, and the token never shows in the error.
func TestSecurityToken(t *testing.T) {
	t.Parallel()
	const ak, sk, token = "AKTEMPORARY", "SK-SECRET-temp", "STS-SECRET-token"
	srv := fake.NewTestServer(t, fake.WithTemporaryAccessKey(ak, sk, token))
	tests := []struct {
		name  string
		extra []wrapper.Option
		ok    bool
	}{
		{"right token", []wrapper.Option{wrapper.WithSecurityToken(token)}, true},
		{"wrong token", []wrapper.Option{wrapper.WithSecurityToken("STS-SECRET-wrong")}, false},
		{"no token", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := &capture{}
			opts := append([]wrapper.Option{wrapper.WithAKSK(ak, sk, "p1"), wrapper.WithHTTPClient(&http.Client{Transport: tr})}, tt.extra...)
			c, err := wrapper.New(srv.URL, opts...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ListEndpointVpcs(t.Context(), wrapper.ListEndpointVpcsParams{})
			if tt.ok {
				if err != nil {
					t.Fatalf("ListEndpointVpcs: %v", err)
				}
				tr.mu.Lock()
				defer tr.mu.Unlock()
				if got := tr.last.Header.Get(aksk.HeaderSecurityToken); got != token {
					t.Errorf("X-Security-Token = %q, want the token", got)
				}
				if !aksk.SignsHeader(tr.last, aksk.HeaderSecurityToken) {
					t.Errorf("X-Security-Token is not signed: %s", tr.last.Header.Get("Authorization"))
				}
				return
			}
			var apiErr *wrapper.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized || apiErr.Code != "APIGW.0301" {
				t.Fatalf("err = %v, want 401 APIGW.0301", err)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("a secret is in the error: %v", err)
			}
		})
	}
}

// TestSecurityTokenNeedsAKSK: a security token binds to a signature, so New
// refuses it with a bare token, and refuses an empty or unsendable one.
func TestSecurityTokenNeedsAKSK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []wrapper.Option
		want string
	}{
		{"with IAM token", []wrapper.Option{wrapper.WithToken("t"), wrapper.WithSecurityToken("s")}, "needs WithAKSK"},
		{"empty", []wrapper.Option{wrapper.WithAKSK("AK", "SK", "p"), wrapper.WithSecurityToken("")}, "empty security token"},
		{"newline", []wrapper.Option{wrapper.WithAKSK("AK", "SK", "p"), wrapper.WithSecurityToken("a\nb")}, "control character"},
	}
	for _, tt := range tests {
		_, err := wrapper.New("https://dns.example.com", tt.opts...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}
