// Package iam obtains Huawei Cloud IAM tokens with password authentication
// and caches them for the DNS client.
//
// A PasswordTokenSource asks IAM for a project-scoped token with
// POST {Endpoint}/v3/auth/tokens, keeps it, and asks again when the cached
// token comes within the refresh margin of its expiry (15 minutes by default)
// or after a caller reports with Invalidate that the service rejected it.
// IAM tokens are valid for 24 hours. Callers send the token in the
// X-Auth-Token header of each request:
//
//	src, err := iam.NewPasswordTokenSource(iam.PasswordAuth{
//		Endpoint:    "https://iam.cn-north-4.myhuaweicloud.com",
//		DomainName:  "my-account",
//		UserName:    "dns-operator",
//		Password:    password,
//		ProjectName: "cn-north-4",
//	})
//	if err != nil {
//		return err
//	}
//	tok, err := src.Token(ctx)
//	if err != nil {
//		return err
//	}
//	req.Header.Set("X-Auth-Token", tok)
//
// The package reads no environment variables and logs nothing. Neither the
// password nor a token ever appears in an error it returns.
package iam

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/dnsep/dnsep/internal/baseurl"
)

const (
	// tokensPath is the IAM route that issues tokens, relative to the endpoint.
	tokensPath = "v3/auth/tokens"

	// contentType is the request content type given in the IAM API reference.
	contentType = "application/json;charset=utf8"

	// tokenValidity is how long IAM tokens stay valid.
	tokenValidity = 24 * time.Hour

	defaultRefreshBefore = 15 * time.Minute

	// fetchTimeout bounds one token request. It applies even when no caller
	// is waiting any more, because the request runs detached from callers'
	// cancellation.
	fetchTimeout = 30 * time.Second

	// maxBodyBytes caps how much of a response body is read.
	maxBodyBytes = 1 << 20

	// redacted replaces the password wherever a server echoes it back.
	redacted = "[REDACTED]"
)

// PasswordAuth is a project-scoped password authentication request.
//
// Formatting a PasswordAuth with the fmt package, with any verb, prints the
// password as [REDACTED].
type PasswordAuth struct {
	Endpoint    string // IAM base URL, e.g. "https://iam.cn-north-4.myhuaweicloud.com"; required, http or https
	DomainName  string // account (domain) name; required
	UserName    string // IAM user name; required
	Password    string // required; never logged, never in an error
	ProjectName string // project (usually the region, e.g. "cn-north-4"); exactly one of ProjectName and ProjectID
	ProjectID   string
}

// Format implements fmt.Formatter. It prints a with the password replaced by
// [REDACTED], whatever the verb, so that logging an authentication request
// cannot leak the password.
func (a PasswordAuth) Format(f fmt.State, verb rune) {
	if a.Password != "" {
		a.Password = redacted
	}
	if verb == 'v' && f.Flag('#') {
		fmt.Fprintf(f, "iam.PasswordAuth{Endpoint:%q, DomainName:%q, UserName:%q, Password:%q, ProjectName:%q, ProjectID:%q}",
			a.Endpoint, a.DomainName, a.UserName, a.Password, a.ProjectName, a.ProjectID)
		return
	}
	fmt.Fprintf(f, "{Endpoint:%s DomainName:%s UserName:%s Password:%s ProjectName:%s ProjectID:%s}",
		a.Endpoint, a.DomainName, a.UserName, a.Password, a.ProjectName, a.ProjectID)
}

// tokenURL validates a and returns the URL of its token request.
func (a PasswordAuth) tokenURL() (string, error) {
	switch {
	case a.Endpoint == "":
		return "", errors.New("iam: PasswordAuth.Endpoint is empty")
	case a.DomainName == "":
		return "", errors.New("iam: PasswordAuth.DomainName is empty")
	case a.UserName == "":
		return "", errors.New("iam: PasswordAuth.UserName is empty")
	case a.Password == "":
		return "", errors.New("iam: PasswordAuth.Password is empty")
	case a.ProjectName == "" && a.ProjectID == "":
		return "", errors.New("iam: PasswordAuth needs ProjectName or ProjectID")
	case a.ProjectName != "" && a.ProjectID != "":
		return "", errors.New("iam: PasswordAuth.ProjectName and PasswordAuth.ProjectID are both set; set one")
	}
	u, err := baseurl.Parse(a.Endpoint)
	if err != nil {
		return "", fmt.Errorf("iam: PasswordAuth.Endpoint %w", err)
	}
	u = u.JoinPath(tokensPath)
	u.RawQuery = "nocatalog=true"
	return u.String(), nil
}

// requestBody returns the JSON body of the token request for a.
func (a PasswordAuth) requestBody() ([]byte, error) {
	var body tokenRequest
	body.Auth.Identity.Methods = []string{"password"}
	u := &body.Auth.Identity.Password.User
	u.Name, u.Password, u.Domain.Name = a.UserName, a.Password, a.DomainName
	body.Auth.Scope.Project = projectScope{Name: a.ProjectName, ID: a.ProjectID}
	return json.Marshal(body)
}

// tokenRequest is the body of POST /v3/auth/tokens with a password identity
// and a project scope.
type tokenRequest struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password struct {
				User struct {
					Name     string `json:"name"`
					Password string `json:"password"`
					Domain   struct {
						Name string `json:"name"`
					} `json:"domain"`
				} `json:"user"`
			} `json:"password"`
		} `json:"identity"`
		Scope struct {
			Project projectScope `json:"project"`
		} `json:"scope"`
	} `json:"auth"`
}

type projectScope struct {
	Name string `json:"name,omitempty"`
	ID   string `json:"id,omitempty"`
}

// tokenResponse is the part of the token response body that is used.
type tokenResponse struct {
	Token struct {
		ExpiresAt string `json:"expires_at"`
	} `json:"token"`
}

type config struct {
	client        *http.Client
	refreshBefore time.Duration
	now           func() time.Time
}

// An Option configures a PasswordTokenSource. An Option returns an error
// when its argument is invalid.
type Option func(*config) error

// WithHTTPClient makes the token source send its requests with c instead of
// a dedicated client with a 30-second timeout.
//
// The token source uses a copy of c whose CheckRedirect refuses every
// redirect, so that the password is never sent anywhere but the configured
// endpoint; a redirect answer is returned as an *Error. c must not be nil.
func WithHTTPClient(c *http.Client) Option {
	return func(cfg *config) error {
		if c == nil {
			return errors.New("iam: WithHTTPClient: nil *http.Client")
		}
		cfg.client = c
		return nil
	}
}

// WithRefreshBefore sets how long before a token's expiry the token source
// fetches a new one. The default is 15 minutes. d must be at least zero and
// less than 24 hours, the validity of an IAM token.
func WithRefreshBefore(d time.Duration) Option {
	return func(cfg *config) error {
		if d < 0 || d >= tokenValidity {
			return fmt.Errorf("iam: WithRefreshBefore: %v is out of range [0, %v)", d, tokenValidity)
		}
		cfg.refreshBefore = d
		return nil
	}
}

// WithClock makes the token source read the current time from now instead of
// time.Now. It exists for tests. now must not be nil and must be safe for
// concurrent use.
func WithClock(now func() time.Time) Option {
	return func(cfg *config) error {
		if now == nil {
			return errors.New("iam: WithClock: nil clock")
		}
		cfg.now = now
		return nil
	}
}

// A PasswordTokenSource obtains IAM tokens with a password and caches them.
// It implements the token source the DNS client expects: Token before every
// request attempt and Invalidate after an answer 401.
//
// A PasswordTokenSource is safe for concurrent use by multiple goroutines.
// Its methods never log and never put the password or a token in an error.
type PasswordTokenSource struct {
	url           string
	client        *http.Client
	refreshBefore time.Duration
	now           func() time.Time
	secrets       *secrets

	mu        sync.Mutex
	expiresAt time.Time // expiry of secrets.token
	inflight  *fetch    // the token request under way; nil if none
}

// secrets holds what must never be printed. It sits behind a pointer so that
// the fmt package, when it prints a PasswordTokenSource without calling its
// Format method (as an unexported field of another struct), shows an
// address instead of the password or the token.
type secrets struct {
	body     []byte // the JSON request body; it holds the password
	password string // removed from error messages the server sends back
	token    string // the cached token, "" if none; guarded by PasswordTokenSource.mu
}

// Format implements fmt.Formatter. It prints the token URL of s, whatever
// the verb, and never the password or the token.
func (s *PasswordTokenSource) Format(f fmt.State, verb rune) {
	if s == nil {
		io.WriteString(f, "<nil>")
		return
	}
	fmt.Fprintf(f, "&iam.PasswordTokenSource{URL:%q}", s.url)
}

// fetch is one token request that callers of Token share.
// Its fields other than done are written once, before done is closed.
type fetch struct {
	done      chan struct{}
	token     string
	expiresAt time.Time
	err       error
}

// NewPasswordTokenSource validates auth and opts and returns a token source
// for auth. It makes no request until Token is called.
//
// Without WithHTTPClient the token source uses a dedicated HTTP client with a
// 30-second timeout, TLS certificate verification and no proxy.
func NewPasswordTokenSource(auth PasswordAuth, opts ...Option) (*PasswordTokenSource, error) {
	tokenURL, err := auth.tokenURL()
	if err != nil {
		return nil, err
	}
	cfg := config{refreshBefore: defaultRefreshBefore, now: time.Now}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("iam: nil Option")
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	body, err := auth.requestBody()
	if err != nil {
		return nil, fmt.Errorf("iam: encode token request: %w", err)
	}
	var client *http.Client
	if cfg.client == nil {
		client = newDefaultClient()
	} else {
		c := *cfg.client
		client = &c
	}
	client.CheckRedirect = refuseRedirect
	return &PasswordTokenSource{
		url:           tokenURL,
		secrets:       &secrets{body: body, password: auth.Password},
		client:        client,
		refreshBefore: cfg.refreshBefore,
		now:           cfg.now,
	}, nil
}

// newDefaultClient returns the client used without WithHTTPClient. Its
// transport has no proxy because a proxy would come from the environment,
// which the package does not read.
func newDefaultClient() *http.Client {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Timeout: fetchTimeout,
		Transport: &http.Transport{
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          10,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: 1 * time.Second,
		},
	}
}

// refuseRedirect makes the client return a redirect answer as it is, so that
// a request carrying the password is never re-sent to another location.
func refuseRedirect(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}

// Token returns a valid IAM token.
//
// Token returns the cached token while the current time is more than the
// refresh margin before the token's expiry. Otherwise it fetches a new token;
// concurrent callers share a single request to IAM. A caller whose ctx ends
// stops waiting and gets an error wrapping ctx.Err(), but the request goes on
// for the others, bounded by a 30-second timeout. If the request fails while
// the cached token has not yet expired, Token returns the cached token;
// otherwise it returns the error, and the next call tries again.
//
// Errors from IAM answers are of type *Error; transport and context errors
// are wrapped.
func (s *PasswordTokenSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	if s.secrets.token != "" && s.now().Before(s.expiresAt.Add(-s.refreshBefore)) {
		tok := s.secrets.token
		s.mu.Unlock()
		return tok, nil
	}
	if err := ctx.Err(); err != nil {
		s.mu.Unlock()
		return "", fmt.Errorf("iam: token: %w", err)
	}
	f := s.inflight
	if f == nil {
		f = &fetch{done: make(chan struct{})}
		s.inflight = f
		// The request must outlive this caller: others may be waiting for it.
		go s.run(context.WithoutCancel(ctx), f)
	}
	s.mu.Unlock()

	select {
	case <-f.done:
	case <-ctx.Done():
		return "", fmt.Errorf("iam: waiting for token: %w", ctx.Err())
	}
	if f.err == nil {
		return f.token, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secrets.token != "" && s.now().Before(s.expiresAt) {
		return s.secrets.token, nil
	}
	return "", f.err
}

// run performs the token request f, caches a new token and wakes f's waiters.
func (s *PasswordTokenSource) run(ctx context.Context, f *fetch) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	tok, exp, err := s.request(ctx)

	s.mu.Lock()
	if err == nil {
		s.secrets.token, s.expiresAt = tok, exp
	}
	f.token, f.expiresAt, f.err = tok, exp, err
	s.inflight = nil
	s.mu.Unlock()
	close(f.done)
}

// Invalidate drops the cached token if it equals token, so that the next
// call of Token fetches a new one. Callers call it once the service has
// answered 401 to a request carrying token. A token other than the cached
// one, such as one replaced in the meantime, is ignored.
func (s *PasswordTokenSource) Invalidate(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if token != "" && token == s.secrets.token {
		s.secrets.token, s.expiresAt = "", time.Time{}
	}
}

// ExpiresAt returns the expiry time of the cached token, or the zero time if
// no token is cached.
func (s *PasswordTokenSource) ExpiresAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secrets.token == "" {
		return time.Time{}
	}
	return s.expiresAt
}

// request sends one token request to IAM and returns the token and its expiry.
func (s *PasswordTokenSource) request(ctx context.Context) (string, time.Time, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(s.secrets.body))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("iam: token request: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("iam: token request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))

	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		// An error answer is reported from whatever part of the body arrived.
		return "", time.Time{}, s.newError(resp, body)
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("iam: read token response: %w", err)
	}
	tok := resp.Header.Get("X-Subject-Token")
	if tok == "" {
		return "", time.Time{}, fmt.Errorf("iam: token response (status %d%s) has no X-Subject-Token header",
			resp.StatusCode, requestIDSuffix(resp.Header))
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return "", time.Time{}, fmt.Errorf("iam: decode token response%s: %w", requestIDSuffix(resp.Header), err)
	}
	if tr.Token.ExpiresAt == "" {
		return "", time.Time{}, fmt.Errorf("iam: token response%s has no token.expires_at", requestIDSuffix(resp.Header))
	}
	exp, err := time.Parse(time.RFC3339Nano, tr.Token.ExpiresAt)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("iam: token response%s: bad token.expires_at: %w", requestIDSuffix(resp.Header), err)
	}
	if !exp.After(s.now()) {
		return "", time.Time{}, fmt.Errorf("iam: token response%s: token already expired at %s",
			requestIDSuffix(resp.Header), exp.Format(time.RFC3339Nano))
	}
	return tok, exp, nil
}

// requestIDSuffix returns " (request ID ...)" for a response that carries a
// request ID, or "".
func requestIDSuffix(h http.Header) string {
	if id := requestID(h); id != "" {
		return fmt.Sprintf(" (request ID %q)", id)
	}
	return ""
}

func requestID(h http.Header) string {
	if id := h.Get("X-Request-Id"); id != "" {
		return id
	}
	return h.Get("X-IAM-Trace-Id")
}

// Error is an IAM answer other than 200 or 201 to a token request.
type Error struct {
	StatusCode int    // HTTP status code
	Code       string // error code from the body, e.g. "1101" or "APIGW.0301"; "" if none
	Message    string // error message from the body, or the status text if the body has none
	RequestID  string // from the X-Request-Id or X-IAM-Trace-Id header, or the body
}

// Error returns a message naming the status, the error code, the message and
// the request ID.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "iam: token request failed: status %d", e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ", code %q", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ", message %q", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, ", request ID %q", e.RequestID)
	}
	return b.String()
}

// errorResponse holds the error shapes IAM and the API gateway answer with.
type errorResponse struct {
	// IAM: {"error":{"code":401,"message":"...","title":"..."}}.
	Error *struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Title   string          `json:"title"`
	} `json:"error"`
	// API gateway: {"error_code":"APIGW.0301","error_msg":"...","request_id":"..."}.
	ErrorCode json.RawMessage `json:"error_code"`
	ErrorMsg  string          `json:"error_msg"`
	RequestID string          `json:"request_id"`
	// Cloud services: {"code":"DNS.0001","message":"..."}.
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
}

// newError builds the *Error for an error answer with the given body.
func (s *PasswordTokenSource) newError(resp *http.Response, body []byte) *Error {
	e := &Error{StatusCode: resp.StatusCode, RequestID: requestID(resp.Header)}
	var er errorResponse
	if json.Unmarshal(body, &er) == nil {
		switch {
		case er.Error != nil:
			e.Code, e.Message = codeString(er.Error.Code), er.Error.Message
			if e.Message == "" {
				e.Message = er.Error.Title
			}
		case len(er.ErrorCode) > 0 || er.ErrorMsg != "":
			e.Code, e.Message = codeString(er.ErrorCode), er.ErrorMsg
		default:
			e.Code, e.Message = codeString(er.Code), er.Message
		}
		if e.RequestID == "" {
			e.RequestID = er.RequestID
		}
	}
	if e.Code == "" && e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	// A server that echoes the request must not make the password or a
	// token part of an error message.
	hide := []string{s.secrets.password, resp.Header.Get("X-Subject-Token")}
	e.Code = redact(e.Code, hide)
	e.Message = redact(e.Message, hide)
	e.RequestID = redact(e.RequestID, hide)
	return e
}

// codeString returns a JSON string or number as a string, and "" for
// anything else.
func codeString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// redact replaces every occurrence of each non-empty string of hide in s.
func redact(s string, hide []string) string {
	for _, secret := range hide {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}
