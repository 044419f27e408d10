package fake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/fake"
)

// send sends one request with the fake's token and returns the status and
// the service's error code, if the answer has one.
func send(t *testing.T, srv *fake.TestServer, method, target, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Auth-Token", srv.Token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var e struct{ Code, ErrorCode string }
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	_ = json.Unmarshal(m["code"], &e.Code)
	_ = json.Unmarshal(m["error_code"], &e.ErrorCode)
	if e.Code == "" {
		e.Code = e.ErrorCode
	}
	return resp.StatusCode, e.Code
}

// countNamed returns how many inbound endpoints are named name.
func countNamed(t *testing.T, srv *fake.TestServer, name string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+"/v2.1/endpoints?direction=inbound&name="+name, nil)
	req.Header.Set("X-Auth-Token", srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Metadata struct {
			TotalCount int `json:"total_count"`
		} `json:"metadata"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	return list.Metadata.TotalCount
}

// TestHandlerReadsWhatWasValidated sends requests that a validator and a
// handler could read differently: keys that differ only in case, repeated
// keys, data after the JSON value, query pairs that do not decode, and HEAD.
// Each is refused with the service's code and changes nothing.
func TestHandlerReadsWhatWasValidated(t *testing.T) {
	t.Parallel()
	ips := `"ipaddresses":[{"subnet_id":"` + fake.DefaultSubnetID + `"},{"subnet_id":"` + fake.DefaultSubnetID + `"}]`
	createBody := func(fields string) string {
		return `{` + fields + `,"direction":"inbound","region":"cn-north-4",` + ips + `}`
	}
	bind := func(inner string) string { return `{"ipaddress":{` + inner + `}}` }
	tests := []struct {
		name, method, target, body string
		status                     int
		code                       string
	}{
		{"control: create", "POST", "/v2.1/endpoints", createBody(`"name":"ok"`) + "\n", 202, ""},
		{"control: escaped query", "GET", "/v2.1/endpoints?direction=inbound&name=%73eeded", "", 200, ""},
		{"name and NAME", "POST", "/v2.1/endpoints", createBody(`"name":"a","NAME":"b"`), 400, "DNS.0002"},
		{"NAME after name, valid both", "POST", "/v2.1/endpoints", createBody(`"name":"a","NAME":"bad/name"`), 400, "DNS.0002"},
		{"only Name", "POST", "/v2.1/endpoints", createBody(`"Name":"a"`), 400, "DNS.0002"},
		{"name twice", "POST", "/v2.1/endpoints", createBody(`"name":"a","name":"b"`), 400, "DNS.0002"},
		{"escaped case variant", "POST", "/v2.1/endpoints", createBody(`"name":"a","n\u0041me":"b"`), 400, "DNS.0002"},
		{"nested case variant", "POST", "/v2.1/endpoints/{ep}/ipaddresses", bind(`"subnet_id":"` + fake.DefaultSubnetID + `","SUBNET_ID":"nope"`), 400, "DNS.0002"},
		{"rename with nAme", "PUT", "/v2.1/endpoints/{ep}", `{"name":"ok2","nAme":"b"}`, 400, "DNS.0002"},
		{"data after the object", "POST", "/v2.1/endpoints", createBody(`"name":"a"`) + ` x`, 400, "DNS.0002"},
		{"second object", "PUT", "/v2.1/endpoints/{ep}", `{"name":"ok3"}{"name":"b"}`, 400, "DNS.0002"},
		{"name=%zz", "GET", "/v2.1/endpoints?direction=inbound&name=%zz", "", 400, "DNS.0002"},
		{"vpc_id=%zz", "GET", "/v2.1/endpoints?direction=inbound&vpc_id=%zz", "", 400, "DNS.0002"},
		{"VPCs vpc_id=%zz", "GET", "/v2.1/vpcs?vpc_id=%zz", "", 400, "DNS.0002"},
		{"limit=%zz", "GET", "/v2.1/vpcs?limit=%zz", "", 400, "DNS.0006"},
		{"semicolon", "GET", "/v2.1/endpoints?direction=inbound&name=a;b", "", 400, "DNS.0002"},
		{"key %zz", "GET", "/v2.1/endpoints?direction=inbound&%zz=1", "", 400, "DNS.0002"},
		{"HEAD", "HEAD", "/v2.1/endpoints?direction=inbound", "", 404, ""},
		{"HEAD one", "HEAD", "/v2.1/endpoints/{ep}", "", 404, ""},
	}
	srv := fake.NewTestServer(t)
	ep, _ := newEndpoint(t, plainClient(t, srv), "seeded", 2)
	for _, tt := range tests {
		target := strings.ReplaceAll(tt.target, "{ep}", ep.ID)
		status, code := send(t, srv, tt.method, target, tt.body)
		if status != tt.status || code != tt.code {
			t.Errorf("%s: %d %q, want %d %q", tt.name, status, code, tt.status, tt.code)
		}
	}
	// Nothing but the control changed anything.
	got, err := plainClient(t, srv).ShowEndpoint(bg, ep.ID)
	if err != nil || got.Name != "seeded" || got.IpaddressCount != 2 {
		t.Errorf("after the refused requests: %+v, %v", got, err)
	}
	for name, want := range map[string]int{"ok": 200, "a": 404, "b": 404, "ok2": 404, "ok3": 404} {
		status, _ := send(t, srv, "GET", "/v2.1/endpoints?direction=inbound&name="+name, "")
		n := countNamed(t, srv, name)
		if status != 200 || (want == 200) != (n == 1) || n > 1 {
			t.Errorf("endpoints named %q: %d", name, n)
		}
	}
	if err := srv.Server.Check(); err != nil {
		t.Error(err)
	}
}

// TestRequestsAlwaysValidated turns response validation off: requests are
// still validated, since the handlers leave the document's rules to the
// validator. A limit that is not a number gets the limit's own code, which
// only the validator knows.
func TestRequestsAlwaysValidated(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t, fake.WithValidation(false))
	for _, tt := range []struct{ method, target, body, code string }{
		{"GET", "/v2.1/endpoints?direction=inbound&limit=abc", "", "DNS.0006"},
		{"GET", "/v2.1/endpoints?direction=sideways", "", "DNS.1503"},
		{"POST", "/v2.1/endpoints", `{"name":"ep","direction":"inbound","region":"cn-north-4","ipaddresses":[{"subnet_id":"` + fake.DefaultSubnetID + `"}]}`, "DNS.1514"},
	} {
		if status, code := send(t, srv, tt.method, tt.target, tt.body); status != http.StatusBadRequest || code != tt.code {
			t.Errorf("%s %s: %d %q, want 400 %q", tt.method, tt.target, status, code, tt.code)
		}
	}
}
