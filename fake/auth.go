package fake

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dnsep/dnsep/aksk"
)

// maxRequestBody caps what the fake reads of a request body.
const maxRequestBody = 1 << 20

// authenticate checks the credentials of r as the API gateway does and
// returns why it refuses them, or "" to let the request through. A request
// signed with SDK-HMAC-SHA256 is verified against the configured key pairs,
// with the gateway's 15-minute clock-skew window; any other request needs
// in X-Auth-Token the configured token or one the fake IAM issued that has
// not expired by the fake's clock. The body is read only for a signed
// request whose header names a known key and the expected project.
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
	if subtle.ConstantTimeCompare([]byte(tok), []byte(want)) == 1 {
		return ""
	}
	return s.issued.check(tok, s.cfg.clock()) // "decrypt token fail" if the fake IAM never issued it
}

func (s *Server) verifySignature(r *http.Request) string {
	var accessKey string // the key the header names, once Verify looked it up
	lookup := func(ak string) (string, bool) {
		sk, ok := s.cfg.keys[ak]
		if ok {
			accessKey = ak
		}
		return sk, ok
	}
	now := s.cfg.clock()
	// First what the header alone decides, as if the body were empty, so
	// that a request refused for its header is refused before its body
	// arrives: a client must not hold the connection by sending a body it
	// never finishes. Only a bad signature may still be the body's doing.
	_, err := aksk.Verify(r, nil, lookup, now, aksk.DefaultMaxSkew)
	if err != nil && !errors.Is(err, aksk.ErrBadSignature) {
		return "verify aksk signature fail: " + err.Error()
	}
	if why := s.checkSecurityToken(r, accessKey); why != "" {
		return why
	}
	project := r.Header.Get(aksk.HeaderProjectID)
	if project == "" || s.cfg.projectID != "" && project != s.cfg.projectID {
		return "verify aksk signature fail: unknown project"
	}
	if r.ContentLength == 0 { // no body: the check above was the whole check
		if err != nil {
			return "verify aksk signature fail: " + err.Error()
		}
		return ""
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil || len(body) > maxRequestBody {
		return "verify aksk signature fail: cannot read the body"
	}
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if _, err := aksk.Verify(r, body, lookup, now, aksk.DefaultMaxSkew); err != nil {
		return "verify aksk signature fail: " + err.Error()
	}
	return ""
}

// checkSecurityToken returns why the security token of a request signed
// with accessKey is refused, or "" if accessKey is not a temporary key or
// the request carries its token, signed. The token is compared in constant
// time and never put in the reason.
func (s *Server) checkSecurityToken(r *http.Request, accessKey string) string {
	want, temporary := s.cfg.securityTokens[accessKey]
	if !temporary {
		return ""
	}
	got := r.Header.Values(aksk.HeaderSecurityToken)
	switch {
	case len(got) == 0:
		return "verify aksk signature fail: x-security-token not found for a temporary access key"
	case !aksk.SignsHeader(r, aksk.HeaderSecurityToken):
		return "verify aksk signature fail: x-security-token is not among the signed headers"
	case len(got) > 1 || subtle.ConstantTimeCompare([]byte(got[0]), []byte(want)) != 1:
		return "verify aksk signature fail: invalid security token"
	}
	return ""
}

// refuse answers r with a gateway error without reading its body. net/http
// would otherwise read what is left of the body before answering (and
// again when the handler returns), so a client that announces a body and
// sends it slowly would hold the connection and never see the answer: the
// connection is closed instead, and its read deadline cut short.
func refuse(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	unread := r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody
	if unread {
		w.Header().Set("Connection", "close")
	}
	writeGatewayError(w, status, code, msg)
	if unread {
		rc := http.NewResponseController(w)
		_ = rc.Flush()
		_ = rc.SetReadDeadline(time.Now()) // not supported by a ResponseRecorder: nothing to wait for there
	}
}

// checkToken reports why token cannot be the accepted token: it must be
// non-empty UTF-8 without control characters, as it goes in a header and
// dnsep serve prints it on a terminal.
func checkToken(token string) error {
	switch {
	case token == "":
		return errors.New("empty token")
	case !utf8.ValidString(token):
		return errors.New("the token is not valid UTF-8")
	}
	if i := strings.IndexFunc(token, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(token[i:])
		return fmt.Errorf("the token holds a control character (%U at byte %d)", r, i)
	}
	return nil
}
