package aksk

import (
	"net/http"
	"slices"
	"strings"
)

// SignsHeader reports whether the SDK-HMAC-SHA256 Authorization header of
// req names the header name among its signed headers. It reports false for
// a request without a well-formed Authorization header. Verify checks that
// the signature covers the headers the client named; SignsHeader lets a
// server insist that one of them, such as X-Security-Token, was named.
func SignsHeader(req *http.Request, name string) bool {
	if req == nil {
		return false
	}
	auth, err := parseAuthorization(req.Header[headerAuthorization])
	if err != nil {
		return false
	}
	return slices.Contains(auth.signed, strings.ToLower(name))
}
