package fake_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
)

const (
	iamDomain   = "acme"
	iamUserName = "dns-operator"
	iamPassword = "pw-S3CRET-fake"
)

var (
	iamEpoch = time.Date(2026, 11, 26, 8, 0, 0, 123456000, time.UTC)
	hex32    = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// iamFake returns a fake with one IAM user, the static token T and a clock
// that tests move.
func iamFake(t *testing.T, opts ...fake.Option) (*fake.Server, *fake.TestClock) {
	t.Helper()
	clock := fake.NewTestClock(iamEpoch)
	srv, err := fake.New(append([]fake.Option{fake.WithToken("T"), fake.WithClock(clock.Now),
		fake.WithUser(iamDomain, iamUserName, iamPassword)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, clock
}

// tokenRequest returns a password token request body scoped by project.
func tokenRequest(domain, user, password string, project map[string]string) string {
	b, _ := json.Marshal(map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"password"},
			"password": map[string]any{"user": map[string]any{"name": user, "password": password, "domain": map[string]string{"name": domain}}}},
		"scope": map[string]any{"project": project},
	}})
	return string(b)
}

func goodRequest() string {
	return tokenRequest(iamDomain, iamUserName, iamPassword, map[string]string{"name": "cn-north-4"})
}

func login(srv *fake.Server, query, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/v3/auth/tokens"+query, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json;charset=utf8")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	return w
}

// callDNS lists the VPCs with token and returns the answer.
func callDNS(srv *fake.Server, token string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/v2.1/vpcs", nil)
	r.Header.Set("X-Auth-Token", token)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	return w
}

type tokenBody struct {
	Token struct {
		ExpiresAt string   `json:"expires_at"`
		IssuedAt  string   `json:"issued_at"`
		Methods   []string `json:"methods"`
		Project   struct {
			ID, Name string
			Domain   struct{ ID, Name string }
		} `json:"project"`
		User struct {
			ID, Name          string
			Domain            struct{ ID, Name string }
			PasswordExpiresAt *string `json:"password_expires_at"`
		} `json:"user"`
		Roles   []struct{ ID, Name string } `json:"roles"`
		Catalog []struct {
			ID, Name, Type string
			Endpoints      []struct {
				ID, Interface, Region, URL string
				RegionID                   string `json:"region_id"`
			}
		} `json:"catalog"`
	} `json:"token"`
}

func decodeToken(t *testing.T, w *httptest.ResponseRecorder) tokenBody {
	t.Helper()
	if w.Code != http.StatusCreated {
		t.Fatalf("status %d, want 201: %s", w.Code, w.Body)
	}
	var b tokenBody
	dec := json.NewDecoder(bytes.NewReader(w.Body.Bytes()))
	if err := dec.Decode(&b); err != nil {
		t.Fatalf("decode %s: %v", w.Body, err)
	}
	return b
}

// TestIAMIssuesToken: a right password gets 201, a fresh token in
// X-Subject-Token and the body IAM sends; the DNS API accepts the token
// next to the static one.
func TestIAMIssuesToken(t *testing.T) {
	t.Parallel()
	hooks := 0
	srv, _ := iamFake(t, fake.WithTokenTTL(2*time.Hour), fake.WithChangeHook(func() { hooks++ }))
	w := login(srv, "", goodRequest())
	b := decodeToken(t, w)
	tok := w.Header().Get("X-Subject-Token")
	if !strings.HasPrefix(tok, "MIIfake-") || len(tok) < 40 || tok == srv.Token() {
		t.Errorf("X-Subject-Token %q: want a long MIIfake- token, not the static one", tok)
	}
	if id := w.Header().Get("X-IAM-Trace-Id"); id == "" || id != w.Header().Get("X-Request-Id") {
		t.Errorf("X-IAM-Trace-Id %q, X-Request-Id %q: want the same ID", id, w.Header().Get("X-Request-Id"))
	}
	tb := b.Token
	if tb.ExpiresAt != "2026-11-26T10:00:00.123456Z" || tb.IssuedAt != "2026-11-26T08:00:00.123456Z" {
		t.Errorf("issued_at %s, expires_at %s: want the clock and 2h later, with microseconds and Z", tb.IssuedAt, tb.ExpiresAt)
	}
	if _, err := time.Parse(time.RFC3339Nano, tb.ExpiresAt); err != nil {
		t.Error(err)
	}
	for what, id := range map[string]string{"project": tb.Project.ID, "domain": tb.Project.Domain.ID, "user": tb.User.ID, "user domain": tb.User.Domain.ID} {
		if !hex32.MatchString(id) {
			t.Errorf("%s ID %q is not 32 hex characters", what, id)
		}
	}
	if tb.Project.Name != "cn-north-4" || tb.User.Name != iamUserName || tb.User.Domain.Name != iamDomain ||
		tb.Project.Domain != tb.User.Domain || tb.User.PasswordExpiresAt == nil || *tb.User.PasswordExpiresAt != "" {
		t.Errorf("project %+v, user %+v", tb.Project, tb.User)
	}
	if diff := cmp.Diff([]string{"password"}, tb.Methods); diff != "" || len(tb.Roles) == 0 {
		t.Errorf("methods (-want +got):\n%s\nroles %+v", diff, tb.Roles)
	}
	if len(tb.Catalog) != 1 || tb.Catalog[0].Type != "dns" || len(tb.Catalog[0].Endpoints) != 1 ||
		tb.Catalog[0].Endpoints[0].URL != "http://127.0.0.1:8080" || tb.Catalog[0].Endpoints[0].Region != "cn-north-4" {
		t.Errorf("catalog %+v: want the fake's DNS API", tb.Catalog)
	}

	// The IDs are stable: a second login, or another fake, shows the same.
	other, _ := iamFake(t)
	b2 := decodeToken(t, login(other, "", goodRequest()))
	if b2.Token.User.ID != tb.User.ID || b2.Token.Project.ID != tb.Project.ID || b2.Token.Project.Domain.ID != tb.Project.Domain.ID {
		t.Errorf("IDs differ between fakes: %+v / %+v", b2.Token, tb)
	}

	for _, token := range []string{tok, "T"} {
		if w := callDNS(srv, token); w.Code != http.StatusOK {
			t.Errorf("DNS API with %q: %d %s", token, w.Code, w.Body)
		}
	}
	if w := callDNS(srv, tok+"x"); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "decrypt token fail") {
		t.Errorf("a made-up token: %d %s", w.Code, w.Body)
	}
	reqs := srv.Requests()
	if len(reqs) == 0 || reqs[0].Operation != fake.IAMOperation || reqs[0].Status != http.StatusCreated {
		t.Errorf("recorded %+v, want the login first as %s", reqs, fake.IAMOperation)
	}
	if hooks != 0 {
		t.Errorf("the change hook ran %d times: issued tokens are not state", hooks)
	}
}

// TestIAMNoUsers: without WithUser the IAM route does not exist.
func TestIAMNoUsers(t *testing.T) {
	t.Parallel()
	srv, err := fake.New(fake.WithToken("T"))
	if err != nil {
		t.Fatal(err)
	}
	w := login(srv, "", goodRequest())
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "APIGW.0101") {
		t.Errorf("%d %s, want 404 APIGW.0101", w.Code, w.Body)
	}
	// With users, other methods on the route are not IAM either.
	withUser, _ := iamFake(t)
	r := httptest.NewRequest(http.MethodGet, "/v3/auth/tokens", nil)
	gw := httptest.NewRecorder()
	withUser.ServeHTTP(gw, r)
	if gw.Code != http.StatusNotFound {
		t.Errorf("GET /v3/auth/tokens: %d, want 404", gw.Code)
	}
}

// TestIAMErrors: IAM's error shape for a bad request, bad credentials and a
// project that is not the fake's; never the password in the answer or the
// log.
func TestIAMErrors(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	srv, _ := iamFake(t, fake.WithProjectID("0123456789abcdef0123456789abcdef"),
		fake.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	scope := map[string]string{"name": "cn-north-4"}
	const wrongUser = `{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}`
	for _, tt := range []struct {
		name, body string
		status     int
		want       string // the whole body, or a part of its message
	}{
		{"not JSON", "{" + iamPassword, 400, "not a valid token request"},
		{"password a number", strings.Replace(goodRequest(), `"`+iamPassword+`"`, "98765432101234", 1), 400, "not a valid token request"},
		{"no auth", `{}`, 400, "Expecting to find auth in"},
		{"token method", strings.Replace(goodRequest(), `["password"]`, `["token"]`, 1), 400, "auth.identity.methods"},
		{"no user name", tokenRequest(iamDomain, "", iamPassword, scope), 400, "auth.identity.password.user.name"},
		{"no password", tokenRequest(iamDomain, iamUserName, "", scope), 400, "auth.identity.password.user.password"},
		{"no domain", tokenRequest("", iamUserName, iamPassword, scope), 400, "auth.identity.password.user.domain.name"},
		{"no scope", tokenRequest(iamDomain, iamUserName, iamPassword, nil), 400, "auth.scope.project"},
		{"empty project", tokenRequest(iamDomain, iamUserName, iamPassword, map[string]string{}), 400, "auth.scope.project.name"},
		{"too big", goodRequest() + strings.Repeat(" ", 64<<10), 413, "too large"},
		{"wrong password", tokenRequest(iamDomain, iamUserName, iamPassword+"x", scope), 401, wrongUser},
		{"wrong user", tokenRequest(iamDomain, "someone", iamPassword, scope), 401, wrongUser},
		{"wrong domain", tokenRequest("other", iamUserName, iamPassword, scope), 401, wrongUser},
		{"password of a prefix", tokenRequest(iamDomain, iamUserName, iamPassword[:5], scope), 401, wrongUser},
		{"other region", tokenRequest(iamDomain, iamUserName, iamPassword, map[string]string{"name": "eu-de"}), 401, "requires authentication"},
		{"other project ID", tokenRequest(iamDomain, iamUserName, iamPassword, map[string]string{"id": strings.Repeat("f", 32)}), 401, "requires authentication"},
	} {
		w := login(srv, "", tt.body)
		if w.Code != tt.status || w.Header().Get("X-Subject-Token") != "" {
			t.Errorf("%s: status %d, token %q; want %d and none", tt.name, w.Code, w.Header().Get("X-Subject-Token"), tt.status)
		}
		var e struct {
			Error struct {
				Code           int
				Message, Title string
			}
		}
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code != tt.status || e.Error.Title != http.StatusText(tt.status) {
			t.Errorf("%s: body %s (%v): want IAM's error shape", tt.name, w.Body, err)
		}
		if strings.HasPrefix(tt.want, "{") {
			if got := strings.TrimSpace(w.Body.String()); got != tt.want {
				t.Errorf("%s: body %s, want %s", tt.name, got, tt.want)
			}
		} else if !strings.Contains(e.Error.Message, tt.want) {
			t.Errorf("%s: message %q, want %q in it", tt.name, e.Error.Message, tt.want)
		}
		if all := w.Body.String(); strings.Contains(all, "S3CRET") || strings.Contains(all, "98765432101234") {
			t.Errorf("%s: the password is in the answer: %s", tt.name, all)
		}
	}
	if strings.Contains(log.String(), "S3CRET") || !strings.Contains(log.String(), "operation="+fake.IAMOperation) {
		t.Errorf("log:\n%s", log.String())
	}
}

// TestIAMScope: the project by name is the region; by ID it is
// WithProjectID's, else an ID derived from the region.
func TestIAMScope(t *testing.T) {
	t.Parallel()
	derived := func(region string) string {
		srv, _ := iamFake(t, fake.WithRegion(region))
		b := decodeToken(t, login(srv, "", tokenRequest(iamDomain, iamUserName, iamPassword, map[string]string{"name": region})))
		return b.Token.Project.ID
	}
	north, de := derived("cn-north-4"), derived("eu-de")
	if !hex32.MatchString(north) || north == de {
		t.Errorf("derived project IDs %q and %q: want 32 hex characters, one per region", north, de)
	}
	srv, _ := iamFake(t)
	b := decodeToken(t, login(srv, "", tokenRequest(iamDomain, iamUserName, iamPassword, map[string]string{"id": north})))
	if b.Token.Project.ID != north || b.Token.Project.Name != "cn-north-4" {
		t.Errorf("scoped by ID: project %+v", b.Token.Project)
	}
	const given = "0123456789abcdef0123456789abcdef"
	srv, _ = iamFake(t, fake.WithProjectID(given))
	b = decodeToken(t, login(srv, "", tokenRequest(iamDomain, iamUserName, iamPassword, map[string]string{"id": given})))
	if b.Token.Project.ID != given {
		t.Errorf("with WithProjectID: project %+v", b.Token.Project)
	}
	if w := login(srv, "", tokenRequest(iamDomain, iamUserName, iamPassword, map[string]string{"id": north})); w.Code != http.StatusUnauthorized {
		t.Errorf("the derived ID with WithProjectID set: %d", w.Code)
	}
}

// TestIAMNocatalog: any non-empty nocatalog drops the catalog.
func TestIAMNocatalog(t *testing.T) {
	t.Parallel()
	srv, _ := iamFake(t)
	for query, want := range map[string]bool{"": true, "?nocatalog=": true, "?nocatalog=true": false, "?nocatalog=1": false} {
		w := login(srv, query, goodRequest())
		decodeToken(t, w)
		if got := strings.Contains(w.Body.String(), `"catalog"`); got != want {
			t.Errorf("%q: catalog %v, want %v", query, got, want)
		}
	}
}

// TestIAMTokenExpiry: an issued token works until its expires_at by the
// fake's clock, then gets the gateway's "token expires"; the static token
// keeps working.
func TestIAMTokenExpiry(t *testing.T) {
	t.Parallel()
	srv, clock := iamFake(t, fake.WithTokenTTL(time.Minute))
	w := login(srv, "", goodRequest())
	b := decodeToken(t, w)
	tok := w.Header().Get("X-Subject-Token")
	clock.Add(time.Minute - time.Nanosecond)
	if w := callDNS(srv, tok); w.Code != http.StatusOK {
		t.Fatalf("just before expiry: %d %s", w.Code, w.Body)
	}
	clock.Add(time.Nanosecond)
	w = callDNS(srv, tok)
	want := `"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: token expires, expires_at: ` + b.Token.ExpiresAt + `"`
	if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), want) {
		t.Errorf("at expires_at: %d %s, want 401 and %s", w.Code, w.Body, want)
	}
	if w := callDNS(srv, "T"); w.Code != http.StatusOK {
		t.Errorf("the static token: %d", w.Code)
	}
	// A new login gets a token that works again.
	w = login(srv, "", goodRequest())
	if w := callDNS(srv, w.Header().Get("X-Subject-Token")); w.Code != http.StatusOK {
		t.Errorf("a new token: %d %s", w.Code, w.Body)
	}
}

// TestIAMRevoke: RevokeIssuedTokens refuses every issued token, not the
// static one nor tokens issued afterwards.
func TestIAMRevoke(t *testing.T) {
	t.Parallel()
	srv, _ := iamFake(t)
	a := login(srv, "", goodRequest()).Header().Get("X-Subject-Token")
	b := login(srv, "", goodRequest()).Header().Get("X-Subject-Token")
	if a == b {
		t.Fatal("two logins got the same token")
	}
	srv.RevokeIssuedTokens()
	for _, tok := range []string{a, b} {
		if w := callDNS(srv, tok); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "APIGW.0301") {
			t.Errorf("a revoked token: %d %s", w.Code, w.Body)
		}
	}
	c := login(srv, "", goodRequest()).Header().Get("X-Subject-Token")
	for _, tok := range []string{c, "T"} {
		if w := callDNS(srv, tok); w.Code != http.StatusOK {
			t.Errorf("%q after the revocation: %d", tok, w.Code)
		}
	}
}

// TestIAMFault: injected faults apply to the IAM route too.
func TestIAMFault(t *testing.T) {
	t.Parallel()
	srv, _ := iamFake(t)
	srv.InjectFault(fake.IAMOperation, 1, fake.Throttled("1"))
	if w := login(srv, "", goodRequest()); w.Code != http.StatusTooManyRequests || w.Header().Get("X-Subject-Token") != "" {
		t.Errorf("with a fault: %d", w.Code)
	}
	if w := login(srv, "", goodRequest()); w.Code != http.StatusCreated {
		t.Errorf("after the fault: %d", w.Code)
	}
}

// TestIAMOptions refuses bad users and validities, without quoting the
// password.
func TestIAMOptions(t *testing.T) {
	t.Parallel()
	for _, opt := range []struct {
		name string
		opt  fake.Option
	}{
		{"empty domain", fake.WithUser("", "u", "p")},
		{"empty user", fake.WithUser("d", "", "p")},
		{"empty password", fake.WithUser("d", "u", "")},
		{"control character", fake.WithUser("d", "u\x1b[2J", "p")},
		{"control character in the password", fake.WithUser("d", "u", "S3CRET\n")},
		{"bad UTF-8", fake.WithUser("d\xff", "u", "p")},
		{"zero TTL", fake.WithTokenTTL(0)},
		{"negative TTL", fake.WithTokenTTL(-time.Second)},
	} {
		_, err := fake.New(opt.opt)
		if err == nil || strings.Contains(err.Error(), "S3CRET") {
			t.Errorf("%s: %v, want an error without the password", opt.name, err)
		}
	}
	// Several users, and the last password of a user wins.
	srv, err := fake.New(fake.WithUser("d", "u", "old"), fake.WithUser("d", "u", "new"), fake.WithUser("d2", "v", "pw"))
	if err != nil {
		t.Fatal(err)
	}
	scope := map[string]string{"name": "cn-north-4"}
	for _, tt := range []struct {
		domain, user, password string
		status                 int
	}{{"d", "u", "new", 201}, {"d", "u", "old", 401}, {"d2", "v", "pw", 201}, {"d", "v", "pw", 401}} {
		if w := login(srv, "", tokenRequest(tt.domain, tt.user, tt.password, scope)); w.Code != tt.status {
			t.Errorf("%s/%s: %d, want %d", tt.domain, tt.user, w.Code, tt.status)
		}
	}
}

// TestIAMRecorded: the recorder keeps a login under IAMOperation with the
// password redacted and IAM's numeric code as the service code; the
// issued token is in no recorded field.
func TestIAMRecorded(t *testing.T) {
	t.Parallel()
	srv, _ := iamFake(t)
	okLogin := login(srv, "", goodRequest())
	bad := login(srv, "", tokenRequest(iamDomain, iamUserName, "wrong-S3CRET", map[string]string{"name": "cn-north-4"}))
	for _, tt := range []struct {
		w            *httptest.ResponseRecorder
		status       int
		serviceCode  string
		responseHint string
	}{{okLogin, 201, "", `"expires_at"`}, {bad, 401, "401", "The username or password is wrong."}} {
		id := tt.w.Header().Get("X-IAM-Trace-Id")
		rec, ok := srv.RecordedRequest(id)
		if !ok {
			t.Fatalf("no recorded request %q", id)
		}
		if rec.Operation != fake.IAMOperation || rec.Status != tt.status || rec.ServiceCode != tt.serviceCode ||
			!strings.Contains(string(rec.ResponseBody), tt.responseHint) || !strings.Contains(string(rec.RequestBody), `"REDACTED"`) {
			t.Errorf("recorded %s %d %q, bodies %s / %s", rec.Operation, rec.Status, rec.ServiceCode, rec.RequestBody, rec.ResponseBody)
		}
		all, _ := json.Marshal(rec)
		if strings.Contains(string(all), "S3CRET") || strings.Contains(string(all), okLogin.Header().Get("X-Subject-Token")) {
			t.Errorf("a secret is recorded: %s", all)
		}
	}
}
