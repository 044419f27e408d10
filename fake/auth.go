package fake

import (
	"bytes"
	"crypto/subtle"
	"io"
	"net/http"
	"strings"

	"github.com/dnsep/dnsep/wrapper/aksk"
)

// maxRequestBody caps what the fake reads of a request body.
const maxRequestBody = 1 << 20

// authenticate checks the credentials of r as the API gateway does and
// returns why it refuses them, or "" to let the request through. A request
// signed with SDK-HMAC-SHA256 is verified against the configured key pairs,
// with the gateway's 15-minute clock-skew window; any other request needs
// the configured token in X-Auth-Token.
func (s *Server) authenticate(r *http.Request) string {
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, aksk.Algorithm) {
		return s.verifySignature(r)
	}
	tok := r.Header.Get("X-Auth-Token")
	if tok == "" {
		return "x-auth-token not found"
	}
	s.mu.Lock()
	want := s.token
	s.mu.Unlock()
	if subtle.ConstantTimeCompare([]byte(tok), []byte(want)) != 1 {
		return "decrypt token fail"
	}
	return ""
}

func (s *Server) verifySignature(r *http.Request) string {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil || len(body) > maxRequestBody {
		return "verify aksk signature fail: cannot read the body"
	}
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	lookup := func(ak string) (string, bool) {
		sk, ok := s.cfg.keys[ak]
		return sk, ok
	}
	if _, err := aksk.Verify(r, body, lookup, s.cfg.clock(), aksk.DefaultMaxSkew); err != nil {
		return "verify aksk signature fail: " + err.Error()
	}
	project := r.Header.Get(aksk.HeaderProjectID)
	if project == "" || s.cfg.projectID != "" && project != s.cfg.projectID {
		return "verify aksk signature fail: unknown project"
	}
	return ""
}
