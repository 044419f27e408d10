package wrapper

import (
	"net/http"
	"strings"
)

// redacted stands in for a credential in every message the client builds.
const redacted = "[REDACTED]"

// credentialsOf returns the credentials req carries, longest first, in the
// forms a server or proxy could echo back: the token, the whole
// Authorization value, and the access key and signature inside it.
func credentialsOf(req *http.Request) []string {
	if req == nil {
		return nil
	}
	h := req.Header
	auth := h.Get("Authorization")
	secrets := []string{auth, h.Get("X-Auth-Token"), h.Get("X-Security-Token")}
	// "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex"
	for f := range strings.FieldsFuncSeq(auth, func(r rune) bool { return r == ' ' || r == ',' }) {
		if v, ok := strings.CutPrefix(f, "Access="); ok {
			secrets = append(secrets, v)
		}
		if v, ok := strings.CutPrefix(f, "Signature="); ok {
			secrets = append(secrets, v)
		}
	}
	return secrets
}

// redact replaces every credential of req in s. It runs before any text is
// cut to length, so that no prefix of a credential survives a cut.
func redact(req *http.Request, s string) string {
	if s == "" {
		return s
	}
	for _, secret := range credentialsOf(req) {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}
