package wrapper

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/dnsep/dnsep/aksk"
)

// A TokenSource supplies the IAM token sent in X-Auth-Token. The client asks
// for a token before every attempt, so Token should be cheap when the token
// is cached, and it must be safe for concurrent use.
//
// A TokenSource that also has a method Invalidate(token string) is told when
// the service rejected a token with 401; the client then asks for a new token
// and sends the request once more. Package iam provides such a source for
// IAM password authentication.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// invalidator is the optional part of a TokenSource that re-authentication
// needs.
type invalidator interface {
	Invalidate(token string)
}

// authorize puts the credentials on req for one attempt and returns the
// token it used, if any. body caches the request body for signing across
// attempts.
func (c *Client) authorize(ctx context.Context, req *http.Request, body *[]byte) (string, error) {
	h := req.Header
	h["User-Agent"] = c.userAgent
	switch {
	case c.tokenHeader != nil:
		h["X-Auth-Token"] = c.tokenHeader
		return c.tokenHeader[0], nil
	case c.tokens != nil:
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return "", err
		}
		h.Set("X-Auth-Token", tok)
		return tok, nil
	}
	if *body == nil && req.GetBody != nil && req.ContentLength != 0 {
		rc, err := req.GetBody()
		if err != nil {
			return "", err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return "", err
		}
		*body = b
	}
	h["X-Project-Id"] = c.projectID
	if c.securityToken != nil {
		h["X-Security-Token"] = c.securityToken // before signing: the signature covers it
	}
	return "", aksk.Sign(req, *body, c.ak, c.sk, time.Now())
}
