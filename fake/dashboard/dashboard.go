package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/gen"
)

// prefix is the path under which a Dashboard answers.
const prefix = "/dashboard/"

// maxBody bounds the body of a request to the dashboard: its largest,
// a fault to inject, is a few hundred bytes.
const maxBody = 16 << 10

// source is what the dashboard reads from and changes in a fake; a
// *fake.Server has it all. The reads go through the strict handlers, which
// settle pending states and are not recorded.
type source interface {
	ListEndpoints(context.Context, gen.ListEndpointsRequestObject) (gen.ListEndpointsResponseObject, error)
	ListEndpointIpaddresses(context.Context, gen.ListEndpointIpaddressesRequestObject) (gen.ListEndpointIpaddressesResponseObject, error)
	ListResolverRules(context.Context, gen.ListResolverRulesRequestObject) (gen.ListResolverRulesResponseObject, error)
	ShowResolverRule(context.Context, gen.ShowResolverRuleRequestObject) (gen.ShowResolverRuleResponseObject, error)
	VPCs() []fake.VPC
	Region() string

	RecentRequests(n int, keep func(*fake.Request) bool) []fake.Request
	RecordedRequest(requestID string) (fake.Request, bool)
	ResetRequests()

	InjectFault(operationID string, times int, f fake.Fault)
	Faults() []fake.PendingFault
	ClearFaults()
	Reset() error
}

var _ source = (*fake.Server)(nil)

// Dashboard is a web dashboard of a fake: its endpoints, resolver rules,
// recorded requests and pending faults, where a person can also inject
// faults and reset the fake. It is an http.Handler for the /dashboard/
// subtree of a server; mount it beside the fake:
//
//	mux := http.NewServeMux()
//	mux.Handle("/dashboard/", d)
//	mux.Handle("/", srv)
//
// Every answer needs a session, which a browser gets by opening a URL
// from LoginURL once. A Dashboard is safe for concurrent use.
type Dashboard struct {
	src      source
	sessions sessions
	cop      *http.CrossOriginProtection
	mux      *http.ServeMux
	now      func() time.Time
	ops      []string // the operationIds, sorted, for the filters and the fault form
}

// An Option configures a Dashboard.
type Option func(*Dashboard) error

// WithClock replaces time.Now for session expiry and the age of
// resources.
func WithClock(now func() time.Time) Option {
	return func(d *Dashboard) error {
		if now == nil {
			return errors.New("nil clock")
		}
		d.now = now
		return nil
	}
}

// WithSessionLimit sets how many sessions may be live at once (default
// 64): a new session beyond it ends the least recently used one.
func WithSessionLimit(n int) Option {
	return func(d *Dashboard) error {
		if n < 1 {
			return fmt.Errorf("session limit %d: want at least 1", n)
		}
		d.sessions.max = n
		return nil
	}
}

// WithIdleTimeout sets how long a session lasts without a request (default
// 12 hours). The dashboard's pages poll every second while they are
// visible, so an open tab stays logged in.
func WithIdleTimeout(t time.Duration) Option {
	return func(d *Dashboard) error {
		if t <= 0 {
			return fmt.Errorf("idle timeout %v: want more than 0", t)
		}
		d.sessions.idle = t
		return nil
	}
}

// New returns a dashboard of srv. srv should record requests (its default)
// for the Requests page to show any.
func New(srv *fake.Server, opts ...Option) (*Dashboard, error) {
	if srv == nil {
		return nil, errors.New("dashboard: nil server")
	}
	return newDashboard(srv, opts...)
}

func newDashboard(src source, opts ...Option) (*Dashboard, error) {
	d := &Dashboard{
		src:      src,
		sessions: sessions{max: 64, idle: 12 * time.Hour, live: map[[32]byte]*session{}},
		cop:      http.NewCrossOriginProtection(),
		now:      time.Now,
	}
	for _, opt := range opts {
		if err := opt(d); err != nil {
			return nil, fmt.Errorf("dashboard: %w", err)
		}
	}
	d.sessions.now = d.now
	ops, err := operations()
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	d.ops = ops
	d.routes()
	return d, nil
}

// LoginURL returns a URL that logs a browser in, for a dashboard mounted
// at /dashboard/ of the server at base (such as "http://127.0.0.1:8080").
// Each call makes a new login token of 32 random bytes, good for one use;
// at most 16 unused ones are kept, the oldest forgotten first.
func (d *Dashboard) LoginURL(base string) string {
	return strings.TrimRight(base, "/") + prefix + "?token=" + d.sessions.newToken()
}

// ServeHTTP answers a request for a path under /dashboard/. Without a
// session, every path answers 401 and shows nothing of the fake.
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	secureHeaders(w.Header())
	if !strings.HasPrefix(r.URL.Path, prefix) {
		http.NotFound(w, r)
		return
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	}
	if _, ok := r.URL.Query()["token"]; ok && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		d.login(w, r)
		return
	}
	s := d.sessions.lookup(r)
	if s == nil {
		denyNoSession(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if err := d.cop.Check(r); err != nil {
			denyForbidden(w, "cross-origin request refused")
			return
		}
		if !s.validCSRF(r) {
			denyForbidden(w, "missing or wrong X-CSRF-Token")
			return
		}
	}
	d.mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, s)))
}

type sessionKey struct{}

// sessionOf returns the session ServeHTTP found for r.
func sessionOf(r *http.Request) *session {
	s, _ := r.Context().Value(sessionKey{}).(*session)
	return s
}

// login trades a login token for a session cookie and sends the browser
// to the same page without the token, so that it leaves neither the
// address bar nor the history.
func (d *Dashboard) login(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id, ok := d.sessions.redeem(q.Get("token"))
	if !ok {
		denyNoSession(w, r)
		return
	}
	http.SetCookie(w, sessionCookie(id, r.TLS != nil))
	q.Del("token")
	target := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	http.Redirect(w, r, target.String(), http.StatusSeeOther)
}

func (d *Dashboard) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /dashboard/{$}", d.page("endpoints"))
	m.HandleFunc("GET /dashboard/requests", d.page("requests"))
	m.HandleFunc("GET /dashboard/faults", d.page("faults"))
	m.HandleFunc("GET /dashboard/static/{file}", serveStatic)
	m.HandleFunc("GET /dashboard/api/endpoints", d.apiEndpoints)
	m.HandleFunc("GET /dashboard/api/requests", d.apiRequests)
	m.HandleFunc("GET /dashboard/api/requests/{id}", d.apiRequest)
	m.HandleFunc("GET /dashboard/api/faults", d.apiFaults)
	m.HandleFunc("POST /dashboard/api/faults", d.apiInjectFault)
	m.HandleFunc("POST /dashboard/api/faults/clear", d.apiClearFaults)
	m.HandleFunc("POST /dashboard/api/reset", d.apiReset)
	d.mux = m
}
