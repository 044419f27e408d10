package wrapper

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/dnsep/dnsep/gen"
	"github.com/dnsep/dnsep/internal/baseurl"
)

// Version is the version of dnsep that the client reports in its User-Agent.
const Version = "0.1.0"

// defaultMaxResponseBytes caps a response body unless WithMaxResponseBytes
// says otherwise.
const defaultMaxResponseBytes = 8 << 20

// DefaultAttemptTimeout bounds each attempt of a call, from sending the
// request to reading the last byte of the answer, unless WithAttemptTimeout
// or the Timeout of the caller's http.Client says otherwise. Without it a
// server that never answers, or trickles its answer, would hold a call with
// no context deadline forever.
const DefaultAttemptTimeout = 60 * time.Second

// DefaultResponseHeaderTimeout is how long the client's own transport waits
// for the response headers once the request is sent. A caller who brings an
// http.Client (WithHTTPClient) sets its transport's timeouts instead.
const DefaultResponseHeaderTimeout = 30 * time.Second

// maxErrorBodyBytes caps what is read of an error answer: enough for any
// JSON error, a proxy's HTML page is cut.
const maxErrorBodyBytes = 64 << 10

// Client calls the DNS endpoint API. It authenticates every request, maps
// every answer other than the expected success to an *APIError, retries
// transient failures, and offers iterators over paged lists and waiters for
// the asynchronous operations.
//
// A Client is safe for concurrent use by multiple goroutines; create one per
// region and credential and reuse it. It stores no context: every call takes
// its own.
type Client struct {
	// gens holds one generated client per operation (see api), each with
	// a doer that knows the operation's name, so that no call has to put
	// the name on its context.
	gens [len(operations)]*gen.ClientWithResponses
	http *http.Client // the caller's or ours, never following redirects

	tokens      TokenSource
	tokenHeader []string // the X-Auth-Token value of a static token, built once
	ak, sk      string
	projectID   []string // the X-Project-Id value for AK/SK signing

	securityToken []string // the X-Security-Token value of temporary AK/SK (WithSecurityToken)

	userAgent []string // the User-Agent value, built once
	retry     RetryPolicy
	logger    *slog.Logger
	maxBody   int64
	maxList   int // the list cap of the list walks

	attemptTimeout    time.Duration // the bound the doer puts on each attempt; 0 for none
	attemptTimeoutSet bool          // WithAttemptTimeout gave it

	credentials int // how many options supplied credentials
}

// An Option configures a Client. Options check their input: New returns the
// first error an option reports.
type Option func(*Client) error

// RegionURL returns the base URL of the DNS API in region, for example
// "https://dns.cn-north-4.myhuaweicloud.com" for "cn-north-4". Resolver
// endpoints are regional: use the region the endpoint lives in.
func RegionURL(region string) string { return "https://dns." + region + ".myhuaweicloud.com" }

// New returns a client for the API at baseURL, such as RegionURL("cn-north-4")
// or the URL of a fake server. Exactly one way to authenticate is required:
// WithToken, WithTokenSource or WithAKSK.
//
// Without WithHTTPClient the client uses its own transport, with TLS
// verification on, enough idle connections per host for concurrent callers,
// a response-header timeout of DefaultResponseHeaderTimeout and no proxy
// (the library reads no environment variables; bring an http.Client to use
// one). Every attempt of a call is bounded by DefaultAttemptTimeout unless
// WithAttemptTimeout or the caller's http.Client sets another bound. The client never follows redirects, so credentials are never sent
// to another host: a 3xx answer is an *APIError matching ErrRedirect.
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := baseurl.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("dnsep: base URL %w", err)
	}
	c := &Client{retry: DefaultRetryPolicy(), maxBody: defaultMaxResponseBytes, maxList: DefaultMaxListItems}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, fmt.Errorf("dnsep: %w", err)
		}
	}
	switch {
	case c.credentials == 0:
		return nil, errors.New("dnsep: no credentials: use WithToken, WithTokenSource or WithAKSK")
	case c.credentials > 1:
		return nil, errors.New("dnsep: more than one way to authenticate: use one of WithToken, WithTokenSource and WithAKSK")
	case c.securityToken != nil && c.ak == "":
		return nil, errSecurityTokenWithoutAKSK
	}
	if c.userAgent == nil {
		c.userAgent = []string{"dnsep/" + Version}
	}
	c.http = noRedirects(c.http)
	// The doer bounds each attempt with a context deadline, not with
	// http.Client.Timeout, whose timer goroutine and request clone cost
	// about three times the allocations on every call. A caller's own
	// http.Client.Timeout is kept unless WithAttemptTimeout replaces it.
	switch {
	case c.attemptTimeoutSet:
		c.http.Timeout = 0
	case c.http.Timeout == 0:
		c.attemptTimeout = DefaultAttemptTimeout
	}
	server := strings.TrimRight(u.String(), "/")
	for op, name := range operations {
		if c.gens[op], err = gen.NewClientWithResponses(server, gen.WithHTTPClient(&doer{c: c, op: name})); err != nil {
			return nil, fmt.Errorf("dnsep: %w", err)
		}
	}
	return c, nil
}

// api returns the generated client that sends the requests of op.
func (c *Client) api(op operation) *gen.ClientWithResponses { return c.gens[op] }

// noRedirects returns a copy of hc (or of a new default client) that hands
// every redirect back to the caller instead of following it.
func noRedirects(hc *http.Client) *http.Client {
	var cp http.Client
	if hc != nil {
		cp = *hc
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = nil // the library reads no environment, HTTP_PROXY included
		t.MaxIdleConns = 256
		t.MaxIdleConnsPerHost = 64 // net/http's default of 2 makes concurrent callers dial
		t.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
		cp.Transport = t
	}
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

// WithToken authenticates every request with a fixed IAM token in
// X-Auth-Token. Use WithTokenSource for a token that must be renewed.
func WithToken(token string) Option {
	return func(c *Client) error {
		if err := checkHeaderValue("token", token); err != nil {
			return err
		}
		c.tokenHeader = []string{token}
		c.credentials++
		return nil
	}
}

// WithTokenSource authenticates every request with a token from ts, asked
// before each attempt. If ts also has a method Invalidate(token string), such
// as the one of iam.PasswordTokenSource, a call that gets 401 invalidates
// the token and is sent once more with a fresh one.
func WithTokenSource(ts TokenSource) Option {
	return func(c *Client) error {
		if ts == nil {
			return errors.New("nil TokenSource")
		}
		c.tokens = ts
		c.credentials++
		return nil
	}
}

// WithAKSK signs every request with an access key pair (SDK-HMAC-SHA256),
// sending projectID in X-Project-Id.
func WithAKSK(accessKey, secretKey, projectID string) Option {
	return func(c *Client) error {
		for _, f := range []struct{ name, v string }{{"access key", accessKey}, {"secret key", secretKey}, {"project ID", projectID}} {
			if f.v == "" {
				return fmt.Errorf("empty %s", f.name)
			}
		}
		if err := checkHeaderValue("access key", accessKey); err != nil {
			return err
		}
		if err := checkHeaderValue("project ID", projectID); err != nil {
			return err
		}
		c.ak, c.sk, c.projectID = accessKey, secretKey, []string{projectID}
		c.credentials++
		return nil
	}
}

// WithHTTPClient sends requests through hc, for a custom transport, proxy or
// TLS configuration. The client uses a copy of hc whose CheckRedirect refuses
// every redirect.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("nil http.Client")
		}
		c.http = hc
		return nil
	}
}

// WithRetryPolicy replaces DefaultRetryPolicy. RetryPolicy{MaxAttempts: 1}
// turns retries off.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if err := p.validate(); err != nil {
			return fmt.Errorf("retry policy: %w", err)
		}
		c.retry = p
		return nil
	}
}

// WithUserAgent puts product (for example "myapp/1.2") in front of the
// client's own User-Agent. The client sends no host or OS details.
func WithUserAgent(product string) Option {
	return func(c *Client) error {
		if err := checkHeaderValue("user agent", product); err != nil {
			return err
		}
		c.userAgent = []string{product + " dnsep/" + Version}
		return nil
	}
}

// WithLogger logs one debug record per attempt: operation, method, path,
// status, duration, attempt and request ID. Credentials are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithMaxResponseBytes caps the size of a response body (default 8 MiB). A
// larger body fails the call with an error matching ErrResponseTooLarge.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("max response bytes %d: must be positive", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithAttemptTimeout bounds each attempt of a call, from sending the request
// to reading the last byte of the answer, to d (default
// DefaultAttemptTimeout); 0 removes the bound, leaving only the call's
// context. It overrides the Timeout of an http.Client given with
// WithHTTPClient. A GET, PUT or DELETE whose attempt timed out before the
// headers arrived is retried like a connection error.
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return fmt.Errorf("attempt timeout %v: must not be negative", d)
		}
		c.attemptTimeout, c.attemptTimeoutSet = d, true
		return nil
	}
}

// WithMaxListItems sets the list cap: the most items a list walk
// (AllEndpoints, AllEndpointVpcs, AllResolverRules and their ListAll forms) accepts before it
// fails with ErrBadPaging (default DefaultMaxListItems).
func WithMaxListItems(n int) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("max list items %d: must be positive", n)
		}
		c.maxList = n
		return nil
	}
}

// checkHeaderValue rejects values that cannot travel in an HTTP header.
func checkHeaderValue(what, v string) error {
	if v == "" {
		return fmt.Errorf("empty %s", what)
	}
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < 0x20 || b == 0x7f {
			return fmt.Errorf("%s holds a control character", what)
		}
	}
	if strings.TrimSpace(v) != v {
		return fmt.Errorf("%s has leading or trailing space", what)
	}
	return nil
}
