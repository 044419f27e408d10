package fake_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/gen"
	"github.com/dnsep/dnsep/openapi"
)

// fzToken is the token the fuzzed fakes accept.
const fzToken = "tok-SECRET-fakefuzz"

// fzMethods are the methods a fuzzed request mostly uses; the last choice
// of the selector is the fuzzed method itself.
var fzMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete,
	http.MethodHead, http.MethodPatch, http.MethodOptions}

// fzContract is what the OpenAPI document says about routes and statuses.
type fzDoc struct {
	statuses  map[string]map[int]bool // operationId -> declared statuses
	defaults  map[string]bool         // operationId -> declares a default response
	templates []fzRoute
}

type fzRoute struct {
	method string
	segs   []string // "{}" for a path parameter
	op     string
}

func loadContract(t testing.TB) *fzDoc {
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := &fzDoc{statuses: map[string]map[int]bool{}, defaults: map[string]bool{}}
	for p, item := range doc.Paths.Map() {
		segs := strings.Split(p, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, "{") {
				segs[i] = "{}"
			}
		}
		for method, op := range item.Operations() {
			c.templates = append(c.templates, fzRoute{method, segs, op.OperationID})
			c.statuses[op.OperationID] = map[int]bool{}
			for code := range op.Responses.Map() {
				if code == "default" {
					c.defaults[op.OperationID] = true
					continue
				}
				n, err := strconv.Atoi(code)
				if err != nil {
					t.Fatalf("%s: status %q", op.OperationID, code)
				}
				c.statuses[op.OperationID][n] = true
			}
		}
	}
	return c
}

// route returns the operation of the document whose method and path
// template match, reading the escaped path segment by segment (a path
// parameter matches one non-empty segment), or "". HEAD matches nothing:
// the document has no HEAD operation.
func (c *fzDoc) route(method, escapedPath string) string {
	segs := strings.Split(escapedPath, "/")
	for _, r := range c.templates {
		if r.method != method || len(r.segs) != len(segs) {
			continue
		}
		match := true
		for i, s := range r.segs {
			if s == "{}" && segs[i] == "" || s != "{}" && s != segs[i] {
				match = false
				break
			}
		}
		if match {
			return r.op
		}
	}
	return ""
}

// fzFake is one fake under fuzzing. It is rebuilt, from the same seed, after
// any answer that may have changed its state, so that every input starts
// from the same state and a failing input reproduces on its own.
type fzFake struct {
	name       string
	opts       []fake.Option
	srv        *fake.Server
	violations []string
	ep, ip     string // the seeded endpoint and one of its addresses
	dirty      bool   // the last input may have changed the state
}

func (f *fzFake) build(t testing.TB) {
	f.violations, f.dirty = nil, false
	opts := append([]fake.Option{
		fake.WithToken(fzToken),
		fake.WithRandSeed(7),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "seed", Direction: gen.DirectionInbound,
			IPs: []gen.IpaddressInfo{{SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnetID}}}),
		fake.WithViolationHandler(func(e *openapi.ContractError) { f.violations = append(f.violations, e.Error()) }),
	}, f.opts...)
	srv, err := fake.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	if f.ep != "" {
		return
	}
	var list gen.EndpointList
	f.get(t, "/v2.1/endpoints?direction=inbound", &list)
	if len(list.Endpoints) != 1 || list.Endpoints[0].ID == "" {
		t.Fatalf("%s: seeded endpoints: %+v", f.name, list.Endpoints)
	}
	f.ep = list.Endpoints[0].ID
	var ips gen.IpaddressList
	f.get(t, "/v2.1/endpoints/"+f.ep+"/ipaddresses", &ips)
	if len(ips.Ipaddresses) == 0 || ips.Ipaddresses[0].ID == "" {
		t.Fatalf("%s: seeded addresses: %+v", f.name, ips.Ipaddresses)
	}
	f.ip = ips.Ipaddresses[0].ID
	f.srv.ResetRequests()
}

func (f *fzFake) get(t testing.TB, target string, v any) {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("X-Auth-Token", fzToken)
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: GET %s: %d %s", f.name, target, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("%s: GET %s: %v", f.name, target, err)
	}
}

// fzRequest builds the raw HTTP/1.1 request of an input and reads it back
// as a server would, so that the fake sees only requests that net/http
// delivers. It reports false for an input that net/http refuses.
func fzRequest(method, uri, header string, token bool, body []byte) (*http.Request, bool) {
	var raw bytes.Buffer
	raw.WriteString(method + " " + uri + " HTTP/1.1\r\nHost: dns.cn-north-4.myhuaweicloud.com\r\n")
	if token {
		raw.WriteString("X-Auth-Token: " + fzToken + "\r\n")
	}
	for line := range strings.SplitSeq(header, "\n") {
		if line = strings.TrimSuffix(line, "\r"); line != "" {
			raw.WriteString(line + "\r\n")
		}
	}
	raw.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
	raw.Write(body)
	req, err := http.ReadRequest(bufio.NewReader(&raw))
	if err != nil {
		return nil, false
	}
	req.RemoteAddr = "127.0.0.1:40000"
	return req, true
}

var (
	fzOnce     sync.Once
	fzContract *fzDoc
)

// FuzzFakeRequests sends arbitrary requests (method, path under /v2.1/,
// query, headers, body; the valid token most of the time) to the fake's
// handler, one instance with contract validation and one without. No input
// may make the fake answer 5xx, report a contract violation or panic; an
// unknown route is 404; every answer of an operation has a status the
// OpenAPI document declares for it, a request ID, and, for an error, a JSON
// error body. In the path, {ep} and {ip} stand for the seeded endpoint and
// one of its addresses, so that inputs reach the handlers of existing
// resources.
func FuzzFakeRequests(f *testing.F) {
	create := `{"name":"ep-2","direction":"inbound","region":"cn-north-4","ipaddresses":[{"subnet_id":"` +
		fake.DefaultSubnetID + `"},{"subnet_id":"` + fake.DefaultSubnetID + `","ip":"192.168.0.9"}]}`
	type seed struct {
		sel                         uint8
		method, path, query, header string
		body                        string
	}
	for _, s := range []seed{
		{0, "", "endpoints", "direction=inbound&limit=1&offset=0", "", ""},
		{0, "", "endpoints", "direction=sideways&limit=-1", "", ""},
		{0, "", "endpoints", "", "", ""},
		{0, "", "endpoints/{ep}", "", "", ""},
		{0, "", "endpoints/{ep}/ipaddresses", "", "", ""},
		{0, "", "vpcs", "limit=abc&offset=1e3", "", ""},
		{1, "", "endpoints", "", "Content-Type: application/json", create},
		{1, "", "endpoints", "", "Content-Type: application/json", `{"name":"x","direction":"inbound"`},
		{1, "", "endpoints", "", "Content-Type: text/plain", create},
		{1, "", "endpoints/{ep}/ipaddresses", "", "Content-Type: application/json", `{"ipaddress":{"subnet_id":"` + fake.DefaultSubnetID + `"}}`},
		{1, "", "endpoints/{ep}/ipaddresses", "", "Content-Type: application/json", `{"ipaddress":{"subnet_id":"nope","ip":"300.1.1.1"}}`},
		{2, "", "endpoints/{ep}", "", "Content-Type: application/json", `{"name":"renamed"}`},
		{2, "", "endpoints/{ep}", "", "Content-Type: application/json", `{"name":""}`},
		{3, "", "endpoints/{ep}/ipaddresses/{ip}", "", "", ""},
		{3, "", "endpoints/{ep}/ipaddresses/nope", "", "", ""},
		{3, "", "endpoints/{ep}", "", "", ""},
		{4, "", "endpoints/{ep}", "", "", ""},
		{5, "", "endpoints/{ep}", "", "", ""},
		{6, "", "vpcs", "", "", ""},
		{7, "BREW", "endpoints", "", "", ""},
		{7, "get", "endpoints", "direction=inbound", "", ""},
		{0, "", "endpoints/", "", "", ""},
		{0, "", "endpoints//ipaddresses", "", "", ""},
		{0, "", "endpoints/%2e%2e", "", "", ""},
		{0, "", "endpoints/../vpcs", "", "", ""},
		{0, "", "endpoints/a%2Fb/ipaddresses", "", "", ""},
		{0, "", "nope", "", "", ""},
		{8 * 3, "", "endpoints", "direction=inbound", "", ""}, // no token
		{8 * 3, "", "endpoints", "direction=inbound", "X-Auth-Token: wrong", ""},
		{8 * 3, "", "endpoints", "direction=inbound", "Authorization: SDK-HMAC-SHA256 Access=a, SignedHeaders=host;x-sdk-date, Signature=00\nX-Sdk-Date: 20260101T000000Z", ""},
		{0, "", "endpoints", "direction=inbound", "Transfer-Encoding: chunked", "0\r\n\r\n"},
	} {
		f.Add(s.sel, s.method, s.path, s.query, s.header, []byte(s.body))
	}
	fzOnce.Do(func() { fzContract = loadContract(f) })
	fakes := []*fzFake{{name: "fake"}}
	for _, fk := range fakes {
		fk.build(f)
	}

	f.Fuzz(func(t *testing.T, sel uint8, method, path, query, header string, body []byte) {
		if i := int(sel) % 8; i < len(fzMethods) {
			method = fzMethods[i]
		}
		token := sel>>3%4 != 3
		for _, fk := range fakes {
			p := strings.NewReplacer("{ep}", fk.ep, "{ip}", fk.ip).Replace(path)
			uri := "/v2.1/" + p
			if query != "" {
				uri += "?" + query
			}
			req, ok := fzRequest(method, uri, header, token, body)
			if !ok {
				return
			}
			if fk.dirty {
				fk.build(t)
			}
			escaped := req.URL.EscapedPath()
			rec := httptest.NewRecorder()
			fk.srv.ServeHTTP(rec, req)
			code := rec.Code
			// A write that succeeded may have changed the state.
			fk.dirty = code < 300 && req.Method != http.MethodGet && req.Method != http.MethodHead
			what := fk.name + ": " + req.Method + " " + req.URL.RequestURI()
			if code >= 500 {
				t.Fatalf("%s: answered %d: %s", what, code, rec.Body)
			}
			if len(fk.violations) > 0 {
				t.Fatalf("%s: contract violations: %q", what, fk.violations)
			}
			if rec.Header().Get("X-Request-Id") == "" {
				t.Fatalf("%s: answered %d without X-Request-Id", what, code)
			}
			reqs := fk.srv.Requests()
			if len(reqs) != 1 || reqs[0].Status != code {
				t.Fatalf("%s: recorded %+v for an answer %d", what, reqs, code)
			}
			op := reqs[0].Operation
			fk.srv.ResetRequests()
			if want := fzContract.route(req.Method, escaped); op != want {
				t.Fatalf("%s: the fake routed it to %q, the document to %q", what, op, want)
			}
			switch {
			case op == "" && code != http.StatusNotFound:
				t.Fatalf("%s: unknown route answered %d, want 404", what, code)
			case op != "" && !fzContract.statuses[op][code] && !fzContract.defaults[op]:
				t.Fatalf("%s: %s answered %d, which the document does not declare (%v)", what, op, code,
					slices.Sorted(func(yield func(int) bool) {
						for c := range fzContract.statuses[op] {
							if !yield(c) {
								return
							}
						}
					}))
			}
			if code >= 400 && req.Method != http.MethodHead {
				var e struct{ Code, ErrorCode string }
				var raw map[string]json.RawMessage
				if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
					t.Fatalf("%s: answered %d with a body that is not a JSON object: %q", what, code, rec.Body)
				}
				_ = json.Unmarshal(raw["code"], &e.Code)
				_ = json.Unmarshal(raw["error_code"], &e.ErrorCode)
				if e.Code == "" && e.ErrorCode == "" {
					t.Fatalf("%s: answered %d without an error code: %s", what, code, rec.Body)
				}
			}
		}
	})
}
