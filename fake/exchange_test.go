package fake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/gen"
)

// serve sends one request to srv and returns the answer.
func serve(t *testing.T, srv *Server, method, target, token, body string) *httptest.ResponseRecorder {
	t.Helper()
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, target, nil)
	} else {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("X-Auth-Token", token)
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	return w
}

const createBody = `{"name":"rec","direction":"inbound","region":"cn-north-4","ipaddresses":[{"subnet_id":"` +
	DefaultSubnetID + `"},{"subnet_id":"` + DefaultSubnetID + `"}]}`

// TestRecordedExchange: a recorded request carries its sequence number,
// its arrival by the fake's clock, its latency, both bodies and the
// service code of an error answer; a refused one carries no body.
func TestRecordedExchange(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	srv, err := New(WithToken("T"), WithClock(func() time.Time { return at }))
	if err != nil {
		t.Fatal(err)
	}
	created := serve(t, srv, http.MethodPost, "/v2.1/endpoints", "T", createBody)
	if created.Code != http.StatusAccepted {
		t.Fatalf("create: %d %s", created.Code, created.Body)
	}
	dup := serve(t, srv, http.MethodPost, "/v2.1/endpoints", "T", createBody)
	refused := serve(t, srv, http.MethodPost, "/v2.1/endpoints", "wrong", createBody)

	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests recorded, want 3", len(reqs))
	}
	for i, r := range reqs {
		if r.Seq != uint64(i+1) || !r.Time.Equal(at) || r.Latency <= 0 {
			t.Errorf("request %d: Seq %d, Time %v, Latency %v; want Seq %d at %v, a latency", i, r.Seq, r.Time, r.Latency, i+1, at)
		}
	}
	if r := reqs[0]; string(r.RequestBody) != createBody || !bytes.Equal(r.ResponseBody, created.Body.Bytes()) || r.ServiceCode != "" {
		t.Errorf("create recorded with bodies %q / %q and code %q", r.RequestBody, r.ResponseBody, r.ServiceCode)
	}
	if r := reqs[1]; r.Status != dup.Code || r.ServiceCode != "DNS.1504" {
		t.Errorf("duplicate recorded as %d %q, answered %d %s", r.Status, r.ServiceCode, dup.Code, dup.Body)
	}
	if r := reqs[2]; r.RequestBody != nil || r.ServiceCode != "APIGW.0301" || r.Status != refused.Code {
		t.Errorf("refused request recorded with body %q, code %q, status %d", r.RequestBody, r.ServiceCode, r.Status)
	}

	srv.ResetRequests()
	serve(t, srv, http.MethodGet, "/v2.1/endpoints?direction=inbound", "T", "")
	if r := srv.Requests(); len(r) != 1 || r[0].Seq != 4 {
		t.Errorf("after ResetRequests: %+v, want one request with Seq 4", r)
	}
}

// TestRecordedBodiesCapped: the recorder keeps at most 64 KiB of each body.
func TestRecordedBodiesCapped(t *testing.T) {
	t.Parallel()
	srv, err := New(WithToken("T"))
	if err != nil {
		t.Fatal(err)
	}
	big := `{"name":"` + strings.Repeat("x", 200<<10) + `"}`
	w := serve(t, srv, http.MethodPut, "/v2.1/endpoints/0123456789abcdef0123456789abcdef", "T", big)
	r := srv.Requests()[0]
	if len(r.RequestBody) != maxRecordedBody || string(r.RequestBody) != big[:maxRecordedBody] {
		t.Errorf("request body recorded with %d bytes, want the first %d", len(r.RequestBody), maxRecordedBody)
	}
	if r.Status != w.Code || !bytes.Equal(r.ResponseBody, w.Body.Bytes()) {
		t.Errorf("response recorded as %d %q, answered %d %q", r.Status, r.ResponseBody, w.Code, w.Body)
	}
}

// TestRedactPasswords: no password reaches the recorder, whatever the
// body's shape.
func TestRedactPasswords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{`{"name":"a"}`, `{"name":"a"}`},
		{`{"auth":{"identity":{"password":{"user":{"name":"u","password":"S3CRET"}}}}}`, `{"auth":{"identity":{"password":"REDACTED"}}}`},
		{`[{"Password":"S3CRET","n":1.50}]`, `[{"Password":"REDACTED","n":1.50}]`},
		{`{"password":"S3CRET"`, string(redactedBody)},
		{`{"password":"S3CRET"} {"x":1}`, string(redactedBody)},
		{`password=S3CRET`, string(redactedBody)},
	} {
		got := string(redactPasswords([]byte(tt.in)))
		if got != tt.want || strings.Contains(got, "S3CRET") {
			t.Errorf("redactPasswords(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
	srv, err := New(WithToken("T"))
	if err != nil {
		t.Fatal(err)
	}
	serve(t, srv, http.MethodPost, "/v2.1/endpoints", "T", `{"name":"x","password":"S3CRET"}`)
	if r := srv.Requests()[0]; bytes.Contains(r.RequestBody, []byte("S3CRET")) || len(r.RequestBody) == 0 {
		t.Errorf("recorded body %q", r.RequestBody)
	}
}

// TestServiceCode reads the code of each error shape the fake answers.
func TestServiceCode(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		status int
		body   string
		want   string
	}{
		{400, `{"code":"DNS.1514","message":"m"}`, "DNS.1514"},
		{401, `{"error_code":"APIGW.0301","error_msg":"m"}`, "APIGW.0301"},
		{401, `{"error":{"code":401,"message":"m","title":"Unauthorized"}}`, "401"},
		{500, `<html></html>`, ""},
		{202, `{"code":"not an error"}`, ""},
		{500, `{"code":`, ""},
	} {
		if got := serviceCode(tt.status, []byte(tt.body)); got != tt.want {
			t.Errorf("serviceCode(%d, %s) = %q, want %q", tt.status, tt.body, got, tt.want)
		}
	}
}

// TestRecentRequests: newest first, filtered, at most n; a request is found
// by its request ID.
func TestRecentRequests(t *testing.T) {
	t.Parallel()
	srv, err := New(WithToken("T"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		tok := "T"
		if i%2 == 1 {
			tok = "wrong"
		}
		serve(t, srv, http.MethodGet, "/v2.1/endpoints?direction=inbound", tok, "")
	}
	got := srv.RecentRequests(3, func(r *Request) bool { return r.Status == http.StatusUnauthorized })
	if len(got) != 3 || got[0].Seq != 10 || got[1].Seq != 8 || got[2].Seq != 6 {
		t.Fatalf("RecentRequests(3, 401s) = %+v, want Seq 10, 8, 6", got)
	}
	if all := srv.RecentRequests(100, nil); len(all) != 10 || all[0].Seq != 10 {
		t.Errorf("RecentRequests(100, nil): %d requests, newest Seq %d", len(all), all[0].Seq)
	}
	r, ok := srv.RecordedRequest(got[1].RequestID)
	if !ok || r.Seq != 8 {
		t.Errorf("RecordedRequest(%s) = %d, %v", got[1].RequestID, r.Seq, ok)
	}
	if _, ok := srv.RecordedRequest("nope"); ok {
		t.Error("RecordedRequest found an unknown ID")
	}
}

// TestPendingFaults: Faults shows what is queued and counts down; ClearFaults
// empties the queue.
func TestPendingFaults(t *testing.T) {
	t.Parallel()
	srv, err := New(WithToken("T"))
	if err != nil {
		t.Fatal(err)
	}
	srv.InjectFault("ListEndpoints", 2, Throttled("3"))
	srv.InjectFault("", 1, Fault{Drop: true})
	got := srv.Faults()
	if len(got) != 2 || got[0].Operation != "ListEndpoints" || got[0].Left != 2 || got[0].Fault.Status != 429 || got[1].Operation != "" || !got[1].Fault.Drop {
		t.Fatalf("Faults() = %+v", got)
	}
	got[0].Fault.Header.Set("Retry-After", "99") // a copy
	if w := serve(t, srv, http.MethodGet, "/v2.1/endpoints?direction=inbound", "T", ""); w.Code != 429 || w.Header().Get("Retry-After") != "3" {
		t.Fatalf("first call: %d Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	if got := srv.Faults(); len(got) != 2 || got[0].Left != 1 {
		t.Fatalf("after one call: %+v", got)
	}
	srv.ClearFaults()
	if got := srv.Faults(); len(got) != 0 {
		t.Fatalf("after ClearFaults: %+v", got)
	}
	if w := serve(t, srv, http.MethodGet, "/v2.1/endpoints?direction=inbound", "T", ""); w.Code != 200 {
		t.Fatalf("after ClearFaults: %d", w.Code)
	}
}

// TestReset: the state goes back to the seed endpoints, with new IDs,
// and the change hook runs; the token, faults and requests stay.
func TestReset(t *testing.T) {
	t.Parallel()
	hooks := 0
	srv, err := New(WithToken("T"), WithRandSeed(1), WithChangeHook(func() { hooks++ }),
		WithSeedEndpoint(SeedEndpoint{Name: "seed", Direction: gen.DirectionOutbound,
			IPs: []gen.IpaddressInfo{{SubnetID: DefaultSubnetID}, {SubnetID: DefaultSubnet2ID}}}))
	if err != nil {
		t.Fatal(err)
	}
	list := func() []gen.EndpointResp {
		t.Helper()
		var all []gen.EndpointResp
		for _, d := range []string{"inbound", "outbound"} {
			w := serve(t, srv, http.MethodGet, "/v2.1/endpoints?direction="+d, "T", "")
			var page gen.EndpointList
			if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
				t.Fatal(err)
			}
			all = append(all, page.Endpoints...)
		}
		return all
	}
	before := list()
	if w := serve(t, srv, http.MethodPost, "/v2.1/endpoints", "T", createBody); w.Code != http.StatusAccepted {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	srv.InjectFault("ShowEndpoint", 1, HTMLError(502))
	hooks = 0
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	after := list()
	if len(before) != 1 || len(after) != 1 || after[0].Name != "seed" || after[0].ID == before[0].ID || after[0].Status != gen.StatusActive {
		t.Fatalf("before %+v, after Reset %+v: want the seed alone, with a new ID", before, after)
	}
	if hooks != 1 || srv.Token() != "T" || len(srv.Faults()) != 1 || len(srv.Requests()) == 0 {
		t.Errorf("after Reset: %d hook calls, token %q, %d faults, %d requests", hooks, srv.Token(), len(srv.Faults()), len(srv.Requests()))
	}
	if err := srv.Check(); err != nil {
		t.Error(err)
	}
	// The seed's addresses are free again only through Reset's store: a
	// new endpoint in the same subnet gets addresses that do not clash.
	if w := serve(t, srv, http.MethodPost, "/v2.1/endpoints", "T", createBody); w.Code != http.StatusAccepted {
		t.Fatalf("create after Reset: %d %s", w.Code, w.Body)
	}
	if err := srv.Check(); err != nil {
		t.Error(err)
	}
}

// TestInventory: VPCs and Region report the configuration, as copies.
func TestInventory(t *testing.T) {
	t.Parallel()
	srv, err := New(WithRegion("ap-southeast-1"))
	if err != nil {
		t.Fatal(err)
	}
	v := srv.VPCs()
	if len(v) != 1 || v[0].ID != DefaultVPCID || len(v[0].Subnets) != 2 || srv.Region() != "ap-southeast-1" {
		t.Fatalf("VPCs %+v, region %q", v, srv.Region())
	}
	v[0].Subnets[0].CIDR = "10.0.0.0/8"
	if srv.VPCs()[0].Subnets[0].CIDR != "192.168.0.0/24" {
		t.Error("VPCs returned the inventory itself, not a copy")
	}
}
