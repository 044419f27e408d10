package fake

import (
	"testing"
	"time"
)

// TestIssuedTokensBounded: the fake remembers at most a bounded number of
// live tokens, forgetting expired ones first and then the oldest, so that
// logging in in a loop cannot grow the process.
func TestIssuedTokensBounded(t *testing.T) {
	t.Parallel()
	var tokens issuedTokens
	tokens.max = 50
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10 { // expire at now+1s
		tokens.issue(tokenName(i), now, now.Add(time.Second))
	}
	now = now.Add(time.Second)
	tokens.issue("fresh", now, now.Add(time.Hour))
	if got := tokens.live(); got != 1 {
		t.Errorf("%d tokens after issuing past the expiry of 10, want 1", got)
	}
	var names []string
	for i := range 500 {
		names = append(names, tokenName(100+i))
		tokens.issue(names[i], now, now.Add(time.Hour))
		if got := tokens.live(); got > tokens.max {
			t.Fatalf("%d live tokens after %d issues, want at most %d", got, i+1, tokens.max)
		}
		if len(tokens.order) > 2*tokens.max+1 {
			t.Fatalf("the order slice holds %d entries for %d live tokens", len(tokens.order), tokens.live())
		}
	}
	if why := tokens.check(names[len(names)-1], now); why != "" {
		t.Errorf("the newest token: %q", why)
	}
	if why := tokens.check(names[len(names)-tokens.max], now); why != "" {
		t.Errorf("the oldest kept token: %q", why)
	}
	if why := tokens.check(names[0], now); why != "decrypt token fail" {
		t.Errorf("an evicted token: %q", why)
	}
}

// TestIssuedTokensDefaultBound: the shipped bound is 10,000 live tokens.
func TestIssuedTokensDefaultBound(t *testing.T) {
	t.Parallel()
	var tokens issuedTokens
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range maxIssuedTokens + 10 {
		tokens.issue(tokenName(i), now, now.Add(time.Hour))
	}
	if got := tokens.live(); got != maxIssuedTokens || maxIssuedTokens != 10000 {
		t.Errorf("%d live tokens, want %d (10,000)", got, maxIssuedTokens)
	}
}

func tokenName(i int) string {
	return "tok-" + string(rune('a'+i%26)) + "-" + time.Duration(i).String()
}
