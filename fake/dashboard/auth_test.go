package dashboard

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/fake"
)

func TestLoginSetsCookieAndDropsToken(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	login := e.d.LoginURL(e.url + "/")
	u, err := url.Parse(login)
	if err != nil || u.Path != "/dashboard/" || len(u.Query().Get("token")) != 64 || !strings.HasPrefix(login, e.url+"/dashboard/?token=") {
		t.Fatalf("LoginURL = %q (%v), want %s/dashboard/?token=<64 hex>", login, err, e.url)
	}
	resp, _ := e.do(e.anon, http.MethodGet, login, nil, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dashboard/" {
		t.Fatalf("login: %d to %q, want 303 to /dashboard/", resp.StatusCode, resp.Header.Get("Location"))
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies %v, want one", cookies)
	}
	c := cookies[0]
	if c.Name != "dnsep_dashboard" || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/dashboard/" ||
		len(c.Value) != 64 || c.MaxAge != 0 || !c.Expires.IsZero() {
		t.Errorf("cookie %+v, want dnsep_dashboard, HttpOnly, SameSite=Strict, Path=/dashboard/, a session cookie", c)
	}
	if strings.Contains(c.Value, u.Query().Get("token")) {
		t.Error("the session cookie holds the login token")
	}

	// The cookie opens the pages; the token does not work twice.
	req, _ := http.NewRequest(http.MethodGet, e.url+"/dashboard/api/faults", nil)
	req.AddCookie(c)
	if r2, err := e.anon.Do(req); err != nil || r2.StatusCode != http.StatusOK {
		t.Fatalf("with the cookie: %v %v", r2, err)
	} else {
		r2.Body.Close()
	}
	for name, u := range map[string]string{
		"used token":  login,
		"wrong token": e.url + "/dashboard/?token=" + strings.Repeat("0", 64),
		"empty token": e.url + "/dashboard/?token=",
	} {
		resp, body := e.do(e.anon, http.MethodGet, u, nil, nil)
		if resp.StatusCode != http.StatusUnauthorized || len(resp.Cookies()) != 0 || !strings.Contains(string(body), "dashboard:") {
			t.Errorf("%s: %d, cookies %v, body %q; want 401, no cookie, and a hint", name, resp.StatusCode, resp.Cookies(), body)
		}
	}
}

func TestLoginKeepsOtherQueryAndPath(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	tok := strings.TrimPrefix(e.d.LoginURL(e.url), e.url+"/dashboard/?token=")
	resp, _ := e.do(e.anon, http.MethodGet, e.url+"/dashboard/requests?op=ListEndpoints&token="+tok, nil, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dashboard/requests?op=ListEndpoints" {
		t.Errorf("%d to %q, want 303 to /dashboard/requests?op=ListEndpoints", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// withoutSession are the dashboard's paths, each with a method.
var everyPath = []struct{ method, path string }{
	{"GET", "/dashboard/"}, {"GET", "/dashboard/requests"}, {"GET", "/dashboard/faults"},
	{"GET", "/dashboard/static/app.js"}, {"GET", "/dashboard/static/style.css"}, {"GET", "/dashboard/static/endpoints.js"},
	{"GET", "/dashboard/static/nothing.js"}, {"GET", "/dashboard/no-such-page"},
	{"GET", "/dashboard/api/endpoints"}, {"GET", "/dashboard/api/requests"}, {"GET", "/dashboard/api/requests/x"},
	{"GET", "/dashboard/api/faults"}, {"HEAD", "/dashboard/"},
	{"POST", "/dashboard/api/faults"}, {"POST", "/dashboard/api/faults/clear"}, {"POST", "/dashboard/api/reset"},
}

func TestWithoutSessionEverythingIs401(t *testing.T) {
	t.Parallel()
	e := setup(t, []fake.Option{fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "seed-visible-name", Direction: "inbound",
		IPs: twoIPs()})})
	id := e.createEndpoint("created-visible-name", "outbound", fake.DefaultSubnetID, fake.DefaultSubnet2ID)
	e.srv.InjectFault("ShowEndpoint", 3, fake.ServiceError(500, "DNS.0001", "x"))
	b := e.login() // a session exists, but these requests do not carry it
	var seen struct{ Inbound []endpointView }
	b.getJSON("/dashboard/api/endpoints", &seen)
	if len(seen.Inbound) != 1 {
		t.Fatalf("the seed endpoint is missing: %+v", seen)
	}
	secrets := []string{"seed-visible-name", "created-visible-name", id, seen.Inbound[0].ID, b.csrf}

	for _, cookie := range []string{"", "dnsep_dashboard=" + strings.Repeat("a", 64), "dnsep_dashboard="} {
		for _, p := range everyPath {
			h := http.Header{"X-Csrf-Token": {b.csrf}}
			if cookie != "" {
				h.Set("Cookie", cookie)
			}
			resp, body := e.do(e.anon, p.method, e.url+p.path, []byte(`{"kind":"drop"}`), h)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s (cookie %q): %d, want 401", p.method, p.path, cookie, resp.StatusCode)
			}
			for _, s := range secrets {
				if strings.Contains(string(body), s) {
					t.Errorf("%s %s: the 401 body shows %q", p.method, p.path, s)
				}
			}
			checkSecurityHeaders(t, p.method+" "+p.path, resp.Header)
			wantType := "text/html"
			if strings.HasPrefix(p.path, "/dashboard/api/") {
				wantType = "application/json"
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), wantType) {
				t.Errorf("%s %s: Content-Type %q, want %s", p.method, p.path, resp.Header.Get("Content-Type"), wantType)
			}
		}
	}
	if n := len(e.srv.Faults()); n != 1 {
		t.Errorf("%d faults queued after the refused POSTs, want the 1 injected", n)
	}
	if err := e.srv.Check(); err != nil {
		t.Fatal(err)
	}
}

func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
}

func TestSecurityHeadersWithSession(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	b := e.login()
	for _, p := range everyPath {
		var resp *http.Response
		if p.method == http.MethodPost {
			resp, _ = b.post(p.path, `{"kind":"drop"}`)
		} else {
			resp, _ = b.e.do(b.c, p.method, e.url+p.path, nil, nil)
		}
		checkSecurityHeaders(t, p.method+" "+p.path, resp.Header)
	}
	for file, ctype := range map[string]string{"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8", "favicon.svg": "image/svg+xml"} {
		resp, _ := b.get("/dashboard/static/" + file)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ctype {
			t.Errorf("%s: %d %q, want 200 %q", file, resp.StatusCode, resp.Header.Get("Content-Type"), ctype)
		}
	}
}

func TestMutationsNeedCSRFTokenAndSameOrigin(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	b := e.login()
	other := b.e.login() // a second session: its token is not b's
	const fault = `{"operation":"ListEndpoints","times":2,"kind":"service-error","status":503,"code":"DNS.9999","message":"down"}`
	origin := strings.Replace(e.url, "127.0.0.1:", "127.0.0.1:1", 1) // another port
	for _, tt := range []struct {
		name   string
		header http.Header
	}{
		{"no CSRF header", http.Header{}},
		{"wrong CSRF header", http.Header{"X-Csrf-Token": {strings.Repeat("0", 64)}}},
		{"another session's CSRF token", http.Header{"X-Csrf-Token": {other.csrf}}},
		{"Origin of another port", http.Header{"X-Csrf-Token": {b.csrf}, "Origin": {origin}}},
		{"Sec-Fetch-Site cross-site", http.Header{"X-Csrf-Token": {b.csrf}, "Sec-Fetch-Site": {"cross-site"}}},
		{"Sec-Fetch-Site same-site", http.Header{"X-Csrf-Token": {b.csrf}, "Sec-Fetch-Site": {"same-site"}}},
	} {
		for _, path := range []string{"/dashboard/api/faults", "/dashboard/api/faults/clear", "/dashboard/api/reset"} {
			if path != "/dashboard/api/faults" {
				e.srv.InjectFault("", 1, fake.Fault{Drop: true})
			}
			before := len(e.srv.Faults())
			resp, body := e.do(b.c, http.MethodPost, e.url+path, []byte(fault), tt.header)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s, POST %s: %d %s, want 403", tt.name, path, resp.StatusCode, body)
			}
			if after := len(e.srv.Faults()); after != before {
				t.Errorf("%s, POST %s: %d faults queued, want %d: it changed the fake", tt.name, path, after, before)
			}
		}
	}
	e.srv.ClearFaults()

	// With the session, the token and the same origin, it works.
	resp, body := e.do(b.c, http.MethodPost, e.url+"/dashboard/api/faults", []byte(fault),
		http.Header{"X-Csrf-Token": {b.csrf}, "Origin": {e.url}, "Sec-Fetch-Site": {"same-origin"}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	got := e.srv.Faults()
	if len(got) != 1 || got[0].Operation != "ListEndpoints" || got[0].Left != 2 || got[0].Fault.Status != 503 ||
		!strings.Contains(got[0].Fault.Body, "DNS.9999") {
		t.Errorf("Faults() = %+v", got)
	}
	// A GET with a session changes nothing, whatever it carries.
	if resp, _ := b.get("/dashboard/api/reset"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET reset: %d, want 405", resp.StatusCode)
	}
}

func TestSessionIdleExpiry(t *testing.T) {
	t.Parallel()
	e := setup(t, nil, WithIdleTimeout(time.Hour))
	b := e.login()
	for range 3 { // each request restarts the idle time
		e.tick(59 * time.Minute)
		if resp, _ := b.get("/dashboard/api/faults"); resp.StatusCode != http.StatusOK {
			t.Fatalf("after 59 idle minutes: %d, want 200", resp.StatusCode)
		}
	}
	e.tick(time.Hour)
	if resp, _ := b.get("/dashboard/api/faults"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("after an idle hour: %d, want 401", resp.StatusCode)
	}
	e.tick(-2 * time.Hour) // the session is gone, not merely late
	if resp, _ := b.get("/dashboard/api/faults"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an expired session came back: %d", resp.StatusCode)
	}
}

func TestSessionLimitEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	e := setup(t, nil, WithSessionLimit(3))
	var bs []*browser
	for range 3 {
		bs = append(bs, e.login())
		e.tick(time.Second)
	}
	if resp, _ := bs[0].get("/dashboard/api/faults"); resp.StatusCode != http.StatusOK { // now bs[1] is the least recently used
		t.Fatal(resp.StatusCode)
	}
	e.tick(time.Second)
	bs = append(bs, e.login())
	for i, want := range []int{200, 401, 200, 200} {
		if resp, _ := bs[i].get("/dashboard/api/faults"); resp.StatusCode != want {
			t.Errorf("session %d: %d, want %d", i, resp.StatusCode, want)
		}
	}
	e.d.sessions.mu.Lock()
	n := len(e.d.sessions.live)
	e.d.sessions.mu.Unlock()
	if n != 3 {
		t.Errorf("%d live sessions, want 3", n)
	}
}

func TestDefaultSessionLimit(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	first := e.login()
	for range 64 {
		e.tick(time.Second)
		e.login()
	}
	if resp, _ := first.get("/dashboard/"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the 65th session left the first alive: %d", resp.StatusCode)
	}
	e.d.sessions.mu.Lock()
	n := len(e.d.sessions.live)
	e.d.sessions.mu.Unlock()
	if n != 64 {
		t.Errorf("%d live sessions, want 64", n)
	}
}

func TestUnusedLoginTokensAreBounded(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	first := e.d.LoginURL(e.url)
	for range maxLoginTokens {
		e.d.LoginURL(e.url)
	}
	if resp, _ := e.do(e.anon, http.MethodGet, first, nil, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the oldest of %d unused tokens still works: %d", maxLoginTokens+1, resp.StatusCode)
	}
}

func TestOptionsRefuseBadValues(t *testing.T) {
	t.Parallel()
	srv, err := fake.New()
	if err != nil {
		t.Fatal(err)
	}
	for name, opt := range map[string]Option{
		"nil clock": WithClock(nil), "session limit 0": WithSessionLimit(0), "idle 0": WithIdleTimeout(0),
	} {
		if _, err := New(srv, opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := New(nil); err == nil {
		t.Error("nil server: no error")
	}
}
