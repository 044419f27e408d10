package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

var dashboardLine = regexp.MustCompile(`^dashboard: (http://127\.0\.0\.1:[0-9]+)/dashboard/\?token=[0-9a-f]{64}$`)

func TestServeDashboard(t *testing.T) {
	t.Parallel()
	lines := startServeInProcess(t, "--token", "T")
	base, ok := strings.CutPrefix(lines[0], serveBanner)
	if !ok || len(lines) < 2 {
		t.Fatalf("output %q", lines)
	}
	m := dashboardLine.FindStringSubmatch(lines[1])
	if m == nil || m[1] != base {
		t.Fatalf("second line %q, want dashboard: %s/dashboard/?token=<64 hex>", lines[1], base)
	}
	login := strings.TrimPrefix(lines[1], "dashboard: ")

	// An endpoint made through the API shows on the dashboard.
	c := serveClient(t, base, wrapper.WithToken("T"))
	ctx, cancel := context.WithTimeout(t.Context(), serveWait)
	defer cancel()
	ep, err := c.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{Name: "on-the-dashboard", Direction: wrapper.Inbound, Region: "cn-north-4", Ipaddresses: serveTwoIPs})
	if err != nil {
		t.Fatal(err)
	}

	anon := &http.Client{Timeout: serveWait}
	if resp, err := anon.Get(base + "/dashboard/api/endpoints"); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without a session: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{Jar: jar, Timeout: serveWait}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := browser.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(body)
	}
	resp, err := browser.Get(login)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.String() != base+"/dashboard/" {
		t.Fatalf("login: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	code, body := get("/dashboard/api/endpoints")
	var eps struct{ Inbound []struct{ ID, Name string } }
	if err := json.Unmarshal([]byte(body), &eps); code != http.StatusOK || err != nil || len(eps.Inbound) != 1 || eps.Inbound[0].ID != ep.ID {
		t.Errorf("endpoints: %d %v %s", code, err, body)
	}
	code, body = get("/dashboard/api/requests?op=CreateEndpoint")
	if code != http.StatusOK || !strings.Contains(body, `"total":1`) || strings.Contains(body, `"T"`) {
		t.Errorf("requests: %d %s", code, body)
	}
	if code, _ := get(strings.TrimPrefix(login, base)); code != http.StatusUnauthorized {
		t.Errorf("the login URL worked twice: %d", code)
	}
}

func TestServeNoDashboard(t *testing.T) {
	t.Parallel()
	lines := startServeInProcess(t, "--token", "T", "--no-dashboard")
	base, _ := strings.CutPrefix(lines[0], serveBanner)
	for _, l := range lines {
		if strings.Contains(l, "dashboard") {
			t.Errorf("the output names a dashboard: %q", l)
		}
	}
	resp, err := (&http.Client{Timeout: serveWait}).Get(base + "/dashboard/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /dashboard/ with --no-dashboard: %d, want 404", resp.StatusCode)
	}
}

// TestServeRecorderBounded: with the dashboard, serve's fake records
// requests, as many as the recorder's default limit; with --no-dashboard
// it records none.
func TestServeRecorderBounded(t *testing.T) {
	t.Parallel()
	a := newApp(nil, nil, func(string) string { return "" })
	for _, tt := range []struct {
		name        string
		noDashboard bool
		want        int
	}{
		{"dashboard", false, 10000},
		{"no dashboard", true, 0},
	} {
		srv, err := fake.New(a.serveOptions(serveFlags{token: "T", tokenSet: true, noDashboard: tt.noDashboard}, "cn-north-4", nil)...)
		if err != nil {
			t.Fatal(err)
		}
		// Refused requests, handled in the process: the cheapest flood.
		for range 10001 {
			req := httptest.NewRequest(http.MethodGet, "/v2.1/vpcs", nil)
			req.Header.Set("X-Auth-Token", "wrong")
			srv.ServeHTTP(httptest.NewRecorder(), req)
		}
		n := len(srv.Requests())
		switch {
		case tt.want == 0 && n != 0:
			t.Errorf("%s: %d requests recorded, want none", tt.name, n)
		case tt.want > 0 && (n == 0 || n > tt.want):
			t.Errorf("%s: %d requests recorded after 10,001, want 1 to %d", tt.name, n, tt.want)
		}
	}
}
