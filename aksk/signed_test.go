package aksk_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/dnsep/dnsep/aksk"
)

func TestSignsHeader(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	sign := func(token string) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, "https://dns.example.com/v2.1/endpoints", nil)
		if token != "" {
			req.Header.Set(aksk.HeaderSecurityToken, token)
		}
		if err := aksk.Sign(req, nil, "AKTEMP", "sk", now); err != nil {
			t.Fatal(err)
		}
		return req
	}
	withToken, without := sign("tok"), sign("")
	unsigned, _ := http.NewRequest(http.MethodGet, "https://dns.example.com/", nil)
	unsigned.Header.Set(aksk.HeaderSecurityToken, "tok")
	tests := []struct {
		name string
		req  *http.Request
		hdr  string
		want bool
	}{
		{"token signed", withToken, aksk.HeaderSecurityToken, true},
		{"any case", withToken, "x-SECURITY-token", true},
		{"no token", without, aksk.HeaderSecurityToken, false},
		{"date always", without, aksk.HeaderDate, true},
		{"no authorization", unsigned, aksk.HeaderSecurityToken, false},
		{"nil request", nil, aksk.HeaderSecurityToken, false},
	}
	for _, tt := range tests {
		if got := aksk.SignsHeader(tt.req, tt.hdr); got != tt.want {
			t.Errorf("%s: SignsHeader(%q) = %v, want %v", tt.name, tt.hdr, got, tt.want)
		}
	}
}
