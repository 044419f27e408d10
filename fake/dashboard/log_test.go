package dashboard

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/aksk"
	"github.com/dnsep/dnsep/fake"
)

func TestRequestsFilterAndDetail(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	id := e.createEndpoint("logged", "inbound", fake.DefaultSubnetID, fake.DefaultSubnetID)
	e.api(http.MethodGet, "/v2.1/endpoints/"+id, "")
	e.api(http.MethodGet, "/v2.1/endpoints/"+strings.Repeat("f", 32), "") // 404 DNS.1510
	e.api(http.MethodGet, "/v2.1/endpoints?direction=inbound", "")
	b := e.login()

	var all requestsView
	b.getJSON("/dashboard/api/requests", &all)
	if all.Total != 4 || len(all.Requests) != 4 {
		t.Fatalf("%d of %d requests, want 4: %+v", len(all.Requests), all.Total, all)
	}
	first, last := all.Requests[3], all.Requests[0] // newest first
	if first.Operation != "CreateEndpoint" || first.Status != 202 || first.Method != "POST" || first.Path != "/v2.1/endpoints" ||
		last.Operation != "ListEndpoints" || last.Query != "direction=inbound" || last.Seq <= first.Seq || first.Time.IsZero() {
		t.Errorf("newest %+v, oldest %+v", last, first)
	}
	if !strings.Contains(strings.Join(all.Operations, " "), "CreateResolverRule") {
		t.Errorf("operations %v", all.Operations)
	}

	for _, tt := range []struct {
		query string
		want  []string // operation and status of each, newest first
	}{
		{"op=ShowEndpoint", []string{"ShowEndpoint 404", "ShowEndpoint 200"}},
		{"status=4xx", []string{"ShowEndpoint 404"}},
		{"status=4XX", []string{"ShowEndpoint 404"}},
		{"status=202", []string{"CreateEndpoint 202"}},
		{"op=ShowEndpoint&status=2xx", []string{"ShowEndpoint 200"}},
		{"op=DeleteEndpoint", nil},
	} {
		var v requestsView
		b.getJSON("/dashboard/api/requests?"+tt.query, &v)
		var got []string
		for _, r := range v.Requests {
			got = append(got, fmt.Sprintf("%s %d", r.Operation, r.Status))
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") || v.Total != len(tt.want) {
			t.Errorf("%s: %v (total %d), want %v", tt.query, got, v.Total, tt.want)
		}
		if tt.query == "status=4xx" && v.Requests[0].Code != "DNS.1510" {
			t.Errorf("the 404's service code: %q", v.Requests[0].Code)
		}
	}
	for _, bad := range []string{"status=abc", "status=6xx", "status=-1", "status=1000"} {
		if resp, _ := b.get("/dashboard/api/requests?" + bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, resp.StatusCode)
		}
	}

	var d requestDetail
	b.getJSON("/dashboard/api/requests/"+first.RequestID, &d)
	if d.RequestID != first.RequestID || !strings.Contains(d.RequestBody, `"name":"logged"`) || !strings.Contains(d.ResponseBody, id) ||
		d.Header["Content-Type"][0] != "application/json" || d.Header["X-Auth-Token"][0] != "REDACTED" {
		t.Errorf("detail %+v", d)
	}
	if resp, _ := b.get("/dashboard/api/requests/" + strings.Repeat("0", 32)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown request: %d, want 404", resp.StatusCode)
	}
}

func TestRequestsAreCappedWithTotal(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	for range maxRows + 50 {
		e.api(http.MethodGet, "/v2.1/vpcs", "")
	}
	e.api(http.MethodGet, "/v2.1/nothing", "") // 404 APIGW.0101, no operation
	b := e.login()
	var v requestsView
	b.getJSON("/dashboard/api/requests", &v)
	if v.Total != maxRows+51 || len(v.Requests) != maxRows || v.Requests[0].Operation != "" || v.Requests[0].Code != "APIGW.0101" {
		t.Errorf("%d shown of %d (want %d of %d), newest %+v", len(v.Requests), v.Total, maxRows, maxRows+51, v.Requests[0])
	}
	for i := 1; i < len(v.Requests); i++ {
		if v.Requests[i].Seq >= v.Requests[i-1].Seq {
			t.Fatalf("not newest first at %d", i)
		}
	}
	b.getJSON("/dashboard/api/requests?op=ListEndpointVpcs", &v)
	if v.Total != maxRows+50 || len(v.Requests) != maxRows {
		t.Errorf("filtered: %d shown of %d", len(v.Requests), v.Total)
	}
}

// TestNoCredentialInAnyAnswer makes requests with every kind of
// credential, then reads every answer of the dashboard: none may hold one.
func TestNoCredentialInAnyAnswer(t *testing.T) {
	t.Parallel()
	const (
		ak, sk   = "AKDASHTEST", "sk-never-shown-5e1b"
		sts      = "sts-SECURITY-TOKEN-77c0"
		password = "hunter2-PASSWORD-d41d"
	)
	e := setup(t, []fake.Option{fake.WithTemporaryAccessKey(ak, sk, sts), fake.WithUser("acme", "ops", password)})
	var signatures []string

	// IAM logins with the password, a right one and a wrong one.
	for _, pw := range []string{password, "wrong-" + password} {
		resp, body := e.do(e.anon, http.MethodPost, e.url+"/v3/auth/tokens", []byte(`{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"ops","password":"`+pw+`","domain":{"name":"acme"}}}},"scope":{"project":{"name":"cn-north-4"}}}}`),
			http.Header{"Content-Type": {"application/json"}})
		if want := map[bool]int{true: 201, false: 401}[pw == password]; resp.StatusCode != want {
			t.Fatalf("IAM login: %d %s, want %d", resp.StatusCode, body, want)
		}
		if tok := resp.Header.Get("X-Subject-Token"); tok != "" {
			signatures = append(signatures, tok) // an issued token must not show either
			e.do(e.anon, http.MethodGet, e.url+"/v2.1/vpcs", nil, http.Header{"X-Auth-Token": {tok}})
		}
	}
	if len(signatures) != 1 {
		t.Fatal("IAM issued no token")
	}

	// A token request, with a security token beside it, and a body with a password.
	e.do(e.anon, http.MethodPost, e.url+"/v2.1/endpoints",
		[]byte(`{"name":"x","direction":"inbound","region":"cn-north-4","password":"`+password+`","ipaddresses":[{"subnet_id":"`+fake.DefaultSubnetID+`"},{"subnet_id":"`+fake.DefaultSubnetID+`"}]}`),
		http.Header{"X-Auth-Token": {"tok-SECRET-9f3a"}, "X-Security-Token": {sts}, "Content-Type": {"application/json"}})
	// Signed requests with the temporary key, one with a wrong secret key (refused).
	for _, secret := range []string{sk, "wrong-" + sk} {
		req, err := http.NewRequest(http.MethodGet, e.url+"/v2.1/endpoints?direction=inbound", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Project-Id", "p1")
		req.Header.Set("X-Security-Token", sts)
		if err := aksk.Sign(req, nil, ak, secret, e.clock()); err != nil {
			t.Fatal(err)
		}
		sig := req.Header.Get("Authorization")
		signatures = append(signatures, sig[strings.LastIndex(sig, "Signature=")+len("Signature="):])
		resp, err := e.anon.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	// A wrong token, refused at the gateway.
	e.do(e.anon, http.MethodGet, e.url+"/v2.1/vpcs", nil, http.Header{"X-Auth-Token": {"wrong-TOKEN-a1b2"}})
	e.do(e.anon, http.MethodGet, e.url+"/v2.1/vpcs", nil, http.Header{"Authorization": {"Bearer bearer-TOKEN-c3d4"}})
	// A token to check in X-Subject-Token, as IAM's token validation takes
	// it: the fake records that header as it came, the dashboard must not
	// show it.
	e.do(e.anon, http.MethodGet, e.url+"/v2.1/vpcs", nil, http.Header{"X-Auth-Token": {"tok-SECRET-9f3a"}, "X-Subject-Token": {"subject-TOKEN-e5f6"}})

	b := e.login()
	var v requestsView
	b.getJSON("/dashboard/api/requests", &v)
	if v.Total != 9 {
		t.Fatalf("%d requests recorded, want 9", v.Total)
	}
	var answers bytes.Buffer
	paths := []string{"/dashboard/", "/dashboard/requests", "/dashboard/faults", "/dashboard/api/endpoints",
		"/dashboard/api/requests", "/dashboard/api/faults", "/dashboard/api/requests?status=4xx"}
	for _, r := range v.Requests {
		paths = append(paths, "/dashboard/api/requests/"+r.RequestID)
	}
	for _, p := range paths {
		resp, body := b.get(p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
		fmt.Fprintf(&answers, "%s\n%v\n%s\n", p, resp.Header, body)
	}
	if !strings.Contains(answers.String(), "REDACTED") || !strings.Contains(answers.String(), fake.IAMOperation) {
		t.Fatal("no redacted header in the answers: the test reads the wrong ones")
	}
	for _, secret := range append([]string{"tok-SECRET-9f3a", sk, sts, password, "wrong-TOKEN-a1b2", "bearer-TOKEN-c3d4", "subject-TOKEN-e5f6", "Signature="}, signatures...) {
		if strings.Contains(answers.String(), secret) {
			t.Errorf("an answer of the dashboard holds %q", secret)
		}
	}
}

func TestInjectClearAndReset(t *testing.T) {
	t.Parallel()
	e := setup(t, []fake.Option{fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "seed", Direction: "inbound", IPs: twoIPs()})})
	b := e.login()
	for _, tt := range []struct {
		body, kind, detail string
		status, left       int
	}{
		{`{"operation":"ShowEndpoint","times":3,"kind":"service-error","status":503,"code":"DNS.0999","message":"busy"}`, "service-error", `503 {"code":"DNS.0999","message":"busy"}`, 503, 3},
		{`{"operation":"","times":"2","kind":"service-error"}`, "service-error", `500 {"code":"DNS.0001"`, 500, 2},
		{`{"operation":"ListEndpoints","kind":"throttled","retry_after":"7"}`, "throttled", "Retry-After: 7", 429, 1},
		{`{"operation":"ListEndpoints","kind":"html","status":"504"}`, "html", "504 HTML page", 504, 1},
		{`{"operation":"DeleteEndpoint","kind":"delay","delay":"1.5s"}`, "delay", "after 1.5s", 0, 1},
		{`{"operation":"DeleteEndpoint","kind":"delay","delay":"2"}`, "delay", "after 2s", 0, 1},
		{`{"operation":"CreateEndpoint","kind":"drop"}`, "drop", "", 0, 1},
		{`{"operation":"` + fake.IAMOperation + `","kind":"drop"}`, "drop", "", 0, 1},
		{`{"operation":"CreateEndpoint","kind":"truncate","times":1000}`, "truncate", "", 0, 1000},
	} {
		resp, body := b.post("/dashboard/api/faults", tt.body)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("%s: %d %s", tt.body, resp.StatusCode, body)
		}
		var v faultsView
		b.getJSON("/dashboard/api/faults", &v)
		last := v.Pending[len(v.Pending)-1]
		if last.Kind != tt.kind || !strings.HasPrefix(last.Detail, tt.detail) || last.Status != tt.status || last.Left != tt.left {
			t.Errorf("%s: pending %+v", tt.body, last)
		}
	}
	if n := len(e.srv.Faults()); n != 9 {
		t.Fatalf("%d faults queued, want 9", n)
	}
	// The first fault plays on the API.
	if resp, body := e.api(http.MethodGet, "/v2.1/endpoints/"+strings.Repeat("a", 32), ""); resp.StatusCode != 503 || !strings.Contains(string(body), "DNS.0999") {
		t.Errorf("the injected fault did not play: %d %s", resp.StatusCode, body)
	}

	for _, bad := range []string{
		`{"operation":"NoSuchOperation","kind":"drop"}`, `{"kind":"nothing"}`, `{"kind":"drop","times":0.5}`,
		`{"kind":"drop","times":1001}`, `{"kind":"drop","times":-1}`, `{"kind":"service-error","status":200}`,
		`{"kind":"html","status":600}`, `{"kind":"delay"}`, `{"kind":"delay","delay":"11m"}`, `{"kind":"delay","delay":"-1s"}`,
		`{"kind":"service-error","code":"a\nb"}`, `{"kind":"throttled","retry_after":"` + strings.Repeat("9", 300) + `"}`, `not json`,
	} {
		if resp, body := b.post("/dashboard/api/faults", bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", bad, resp.StatusCode, body)
		}
	}
	if resp, _ := b.post("/dashboard/api/faults", `{"kind":"drop","message":"`+strings.Repeat("x", maxBody)+`"}`); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over %d bytes: %d, want 413", maxBody, resp.StatusCode)
	}
	if n := len(e.srv.Faults()); n != 9 {
		t.Errorf("refused requests queued faults: %d, want 9", n)
	}

	if resp, _ := b.post("/dashboard/api/faults/clear", "{}"); resp.StatusCode != http.StatusOK || len(e.srv.Faults()) != 0 {
		t.Errorf("clear: %d, %d faults left", resp.StatusCode, len(e.srv.Faults()))
	}

	e.createEndpoint("extra", "outbound", fake.DefaultSubnetID, fake.DefaultSubnetID)
	e.srv.InjectFault("", 1, fake.Fault{Drop: true})
	resp, body := b.post("/dashboard/api/reset", "{}")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reset: %d %s", resp.StatusCode, body)
	}
	var v endpointsView
	b.getJSON("/dashboard/api/endpoints", &v)
	if len(v.Inbound) != 1 || v.Inbound[0].Name != "seed" || len(v.Outbound) != 0 || len(e.srv.Faults()) != 0 || len(e.srv.Requests()) != 0 {
		t.Errorf("after reset: %d inbound, %d outbound, %d faults, %d requests; want the seed only",
			len(v.Inbound), len(v.Outbound), len(e.srv.Faults()), len(e.srv.Requests()))
	}
	if resp, _ := e.api(http.MethodGet, "/v2.1/vpcs", ""); resp.StatusCode != 200 {
		t.Errorf("the token does not work after a reset: %d", resp.StatusCode)
	}
}
