package dashboard

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

// cookieName is the name of the session cookie.
const cookieName = "dnsep_dashboard"

// maxLoginTokens bounds the login tokens that wait for their first use:
// LoginURL may be called in a loop, and each unused token is a way in.
const maxLoginTokens = 16

// session is a logged-in browser.
type session struct {
	csrf     string    // the page's CSRF token, sent back in X-CSRF-Token
	lastSeen time.Time // for idle expiry and for evicting the least recently used
}

// sessions holds the login tokens not used yet and the live sessions. The
// sessions are keyed by the SHA-256 of their ID, so that a map lookup,
// whose time depends on the key, tells an attacker nothing about an ID.
type sessions struct {
	now  func() time.Time
	idle time.Duration
	max  int

	mu     sync.Mutex
	tokens []string // unused login tokens, oldest first
	live   map[[32]byte]*session
}

// randomHex returns n random bytes in hexadecimal.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// newToken returns a new one-time login token, forgetting the oldest
// unused one beyond maxLoginTokens.
func (ss *sessions) newToken() string {
	t := randomHex(32)
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if len(ss.tokens) >= maxLoginTokens {
		ss.tokens = ss.tokens[1:]
	}
	ss.tokens = append(ss.tokens, t)
	return t
}

// redeem consumes the login token t and returns the ID of a new session,
// or false if t is not an unused token. Every unused token is compared in
// constant time, so the answer's timing does not tell how much of t was
// right.
func (ss *sessions) redeem(t string) (string, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	found := -1
	for i, u := range ss.tokens {
		if subtle.ConstantTimeCompare([]byte(t), []byte(u)) == 1 {
			found = i
		}
	}
	if found < 0 {
		return "", false
	}
	ss.tokens = append(ss.tokens[:found], ss.tokens[found+1:]...)
	now := ss.now()
	ss.expire(now)
	if len(ss.live) >= ss.max {
		ss.evictOldest()
	}
	id := randomHex(32)
	ss.live[sha256.Sum256([]byte(id))] = &session{csrf: randomHex(32), lastSeen: now}
	return id, true
}

// lookup returns the session of r's cookie, touched, or nil if there is
// none or it has been idle too long.
func (ss *sessions) lookup(r *http.Request) *session {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return nil
	}
	key := sha256.Sum256([]byte(c.Value))
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.live[key]
	if s == nil {
		return nil
	}
	now := ss.now()
	if now.Sub(s.lastSeen) >= ss.idle {
		delete(ss.live, key)
		return nil
	}
	s.lastSeen = now
	return &session{csrf: s.csrf, lastSeen: now}
}

// expire forgets the sessions idle for too long. The caller holds ss.mu.
func (ss *sessions) expire(now time.Time) {
	for k, s := range ss.live {
		if now.Sub(s.lastSeen) >= ss.idle {
			delete(ss.live, k)
		}
	}
}

// evictOldest forgets the least recently used session. The caller holds
// ss.mu.
func (ss *sessions) evictOldest() {
	var oldest [32]byte
	var at time.Time
	first := true
	for k, s := range ss.live {
		if first || s.lastSeen.Before(at) {
			oldest, at, first = k, s.lastSeen, false
		}
	}
	if !first {
		delete(ss.live, oldest)
	}
}

// validCSRF reports whether r carries the session's CSRF token.
func (s *session) validCSRF(r *http.Request) bool {
	got := r.Header.Get("X-CSRF-Token")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}

// sessionCookie returns the cookie that carries session id. It is a
// session cookie (no expiry: closing the browser logs out), out of reach
// of scripts, never sent by a request another site starts, and only
// sent to the dashboard's paths.
func sessionCookie(id string, secure bool) *http.Cookie {
	return &http.Cookie{
		Name:     cookieName,
		Value:    id,
		Path:     "/dashboard/",
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
		Secure:   secure,
	}
}
