package dashboard

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsep/dnsep/fake"
)

// env is a fake and its dashboard on one loopback server, as dnsep serve
// mounts them.
type env struct {
	t    *testing.T
	srv  *fake.Server
	d    *Dashboard
	url  string
	mu   sync.Mutex
	now  time.Time
	anon *http.Client // no cookies, no redirects followed
}

// tick moves the clock of the fake and of the dashboard.
func (e *env) tick(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func setup(t *testing.T, fakeOpts []fake.Option, opts ...Option) *env {
	t.Helper()
	e := &env{t: t, now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	srv, err := fake.New(append([]fake.Option{fake.WithToken("tok-SECRET-9f3a"), fake.WithClock(e.clock)}, fakeOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(srv, append([]Option{WithClock(e.clock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/dashboard/", d)
	mux.Handle("/", srv)
	hs := httptest.NewServer(mux) // 127.0.0.1
	t.Cleanup(hs.Close)
	e.srv, e.d, e.url = srv, d, hs.URL
	e.anon = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return e
}

// browser is a logged-in client: its cookie jar holds the session.
type browser struct {
	e    *env
	c    *http.Client
	csrf string
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([0-9a-f]{64})">`)

// login opens a new login URL and the page it redirects to.
func (e *env) login() *browser {
	e.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, body := e.do(c, http.MethodGet, e.d.LoginURL(e.url), nil, nil)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.RawQuery != "" {
		e.t.Fatalf("login: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	m := csrfMeta.FindSubmatch(body)
	if m == nil {
		e.t.Fatalf("the page has no CSRF token:\n%s", body)
	}
	return &browser{e: e, c: c, csrf: string(m[1])}
}

// do sends a request and reads the whole answer.
func (e *env) do(c *http.Client, method, url string, body []byte, header http.Header) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, data
}

// get fetches a dashboard path with the session.
func (b *browser) get(path string) (*http.Response, []byte) {
	b.e.t.Helper()
	return b.e.do(b.c, http.MethodGet, b.e.url+path, nil, nil)
}

// getJSON fetches a dashboard API path and decodes its 200 answer.
func (b *browser) getJSON(path string, v any) {
	b.e.t.Helper()
	resp, body := b.get(path)
	if resp.StatusCode != http.StatusOK {
		b.e.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		b.e.t.Fatalf("GET %s: %v", path, err)
	}
}

// post sends a mutation as the page's script does.
func (b *browser) post(path, body string) (*http.Response, []byte) {
	b.e.t.Helper()
	return b.e.do(b.c, http.MethodPost, b.e.url+path, []byte(body),
		http.Header{"X-Csrf-Token": {b.csrf}, "Content-Type": {"application/json"}})
}

// api calls the fake's API with its token.
func (e *env) api(method, path, body string) (*http.Response, []byte) {
	e.t.Helper()
	h := http.Header{"X-Auth-Token": {"tok-SECRET-9f3a"}}
	if body != "" {
		h.Set("Content-Type", "application/json")
	}
	return e.do(e.anon, method, e.url+path, []byte(body), h)
}

// createEndpoint creates an endpoint through the API and returns its ID.
func (e *env) createEndpoint(name, direction string, subnets ...string) string {
	e.t.Helper()
	var ips []string
	for _, s := range subnets {
		ips = append(ips, `{"subnet_id":"`+s+`"}`)
	}
	resp, body := e.api(http.MethodPost, "/v2.1/endpoints",
		`{"name":"`+name+`","direction":"`+direction+`","region":"cn-north-4","ipaddresses":[`+strings.Join(ips, ",")+`]}`)
	if resp.StatusCode != http.StatusAccepted {
		e.t.Fatalf("create %s: %d %s", name, resp.StatusCode, body)
	}
	var out struct {
		Endpoint struct{ ID string }
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Endpoint.ID == "" {
		e.t.Fatalf("create %s: %v %s", name, err, body)
	}
	return out.Endpoint.ID
}
