package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/openapi"
)

const (
	vtEndpointID = "ff80808169be2efb0169bef85d720013"
	vtIPID       = "ff80808169bf16c70169bf1d04ba0001"
	vtSubnet     = "1d7b8e2f-d2a6-4f5a-9a0b-3c7f0e6f5a11"
	vtVPC        = "dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b"
	vtRuleID     = "8a36f60a753badb401753bade3400002"
	vtRequestID  = "d59058a3efc5f8ca152d53154f90444b"
	vtUnbindPath = "/v2.1/endpoints/" + vtEndpointID + "/ipaddresses/" + vtIPID

	// vtEndpoint is a valid 202 answer of the unbind operation.
	vtEndpoint = `{"endpoint":{"id":"ff80808169be2efb0169bef85d720013","name":"NULL","direction":"inbound","status":"ACTIVE","vpc_id":"dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b","ipaddress_count":3,"resolver_rule_count":0,"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"}}`
)

var (
	vtOnce      sync.Once
	vtShared    *openapi.Validator
	vtSharedErr error
)

// vtValidator returns a Validator of the embedded document, shared by the
// tests (it is safe for concurrent use).
func vtValidator(tb testing.TB) *openapi.Validator {
	tb.Helper()
	vtOnce.Do(func() { vtShared, vtSharedErr = openapi.NewValidator(context.Background()) })
	if vtSharedErr != nil {
		tb.Fatalf("NewValidator: %v", vtSharedErr)
	}
	return vtShared
}

// vtWithRequestID stands for an outer middleware that sets X-Request-Id
// before validation runs.
func vtWithRequestID(id string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r)
	})
}

// vtViolations records what OnViolation reports.
type vtViolations struct {
	mu   sync.Mutex
	errs []*openapi.ContractError
}

func (v *vtViolations) record(_ *http.Request, err *openapi.ContractError) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.errs = append(v.errs, err)
}

func (v *vtViolations) list() []*openapi.ContractError {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]*openapi.ContractError(nil), v.errs...)
}

type vtErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func vtDecodeError(t *testing.T, rec *httptest.ResponseRecorder) vtErrorBody {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var e vtErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body %q: %v", rec.Body, err)
	}
	if strings.ContainsAny(e.Message, "\r\n") {
		t.Errorf("message spans several lines: %q", e.Message)
	}
	return e
}

func vtCreateBody(name, direction string, ips ...string) string {
	b, err := json.Marshal(map[string]any{
		"name":        name,
		"direction":   direction,
		"region":      "cn-north-4",
		"ipaddresses": vtIPs(ips...),
	})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// vtIPs returns one IP address to bind per element of ips ("" lets the
// service pick the address).
func vtIPs(ips ...string) []map[string]string {
	out := make([]map[string]string, 0, len(ips))
	for _, ip := range ips {
		m := map[string]string{"subnet_id": vtSubnet}
		if ip != "" {
			m["ip"] = ip
		}
		out = append(out, m)
	}
	return out
}

// vtRuleBody is a CreateResolverRule body on vtEndpointID with targets ips.
func vtRuleBody(name, domain string, ips ...string) string {
	targets := make([]map[string]string, 0, len(ips))
	for _, ip := range ips {
		targets = append(targets, map[string]string{"ip": ip})
	}
	b, err := json.Marshal(map[string]any{"name": name, "domain_name": domain, "endpoint_id": vtEndpointID, "ipaddresses": targets})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestMiddlewareRejectsRequests checks that requests breaking the contract
// are answered 400 with the service's own error code, never reach the
// handler, and keep the X-Request-Id of an outer middleware.
func TestMiddlewareRejectsRequests(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	tests := []struct {
		name         string
		method, path string
		contentType  string // "" is application/json
		body         string
		wantCode     string
		wantDetail   string // a part of the message
	}{
		{"name too long", http.MethodPost, "/v2.1/endpoints", "",
			vtCreateBody(strings.Repeat("a", 65), "inbound", "", ""), "DNS.1501", "maximum string length is 64"},
		{"name with a space", http.MethodPost, "/v2.1/endpoints", "",
			vtCreateBody("a b", "inbound", "", ""), "DNS.1501", "/name"},
		{"empty name", http.MethodPost, "/v2.1/endpoints", "",
			vtCreateBody("", "inbound", "", ""), "DNS.1501", "/name"},
		{"rename with a space", http.MethodPut, "/v2.1/endpoints/" + vtEndpointID, "",
			`{"name":"a b"}`, "DNS.1501", "/name"},
		{"name not a string", http.MethodPut, "/v2.1/endpoints/" + vtEndpointID, "",
			`{"name":12}`, "DNS.1501", "/name"},
		{"direction sideways in body", http.MethodPost, "/v2.1/endpoints", "",
			vtCreateBody("ep", "sideways", "", ""), "DNS.1503", "/direction"},
		{"direction sideways in query", http.MethodGet, "/v2.1/endpoints?direction=sideways", "",
			"", "DNS.1503", `query parameter "direction"`},
		{"one ipaddress", http.MethodPost, "/v2.1/endpoints", "",
			vtCreateBody("ep", "inbound", ""), "DNS.1514", "minimum number of items is 2"},
		{"seven ipaddresses", http.MethodPost, "/v2.1/endpoints", "",
			vtCreateBody("ep", "inbound", "", "", "", "", "", "", ""), "DNS.1514", "maximum number of items is 6"},
		{"ip out of range", http.MethodPost, "/v2.1/endpoints", "",
			vtCreateBody("ep", "inbound", "300.1.1.1", ""), "DNS.1515", "/ipaddresses/0/ip"},
		{"ip out of range on bind", http.MethodPost, "/v2.1/endpoints/" + vtEndpointID + "/ipaddresses", "",
			`{"ipaddress":{"subnet_id":"` + vtSubnet + `","ip":"300.1.1.1"}}`, "DNS.1515", "/ipaddress/ip"},
		{"ipv6 address", http.MethodPost, "/v2.1/endpoints/" + vtEndpointID + "/ipaddresses", "",
			`{"ipaddress":{"subnet_id":"` + vtSubnet + `","ip":"fe80::1"}}`, "DNS.1515", "ipv4"},
		{"empty subnet", http.MethodPost, "/v2.1/endpoints/" + vtEndpointID + "/ipaddresses", "",
			`{"ipaddress":{"subnet_id":""}}`, "DNS.1502", "/ipaddress/subnet_id"},
		{"empty region", http.MethodPost, "/v2.1/endpoints", "",
			`{"name":"ep","direction":"inbound","region":"","ipaddresses":[{"subnet_id":"s"},{"subnet_id":"s"}]}`, "DNS.0601", "/region"},
		{"limit 501", http.MethodGet, "/v2.1/endpoints?direction=inbound&limit=501", "",
			"", "DNS.0006", `query parameter "limit": number must be at most 500`},
		{"limit not a number", http.MethodGet, "/v2.1/vpcs?limit=ten", "",
			"", "DNS.0006", `query parameter "limit"`},
		{"offset -1", http.MethodGet, "/v2.1/vpcs?offset=-1", "",
			"", "DNS.0017", `query parameter "offset": number must be at least 0`},
		{"rule without targets", http.MethodPost, "/v2.1/resolverrules", "",
			vtRuleBody("rule", "example.com"), "DNS.1514", "minimum number of items is 1"},
		{"rule with six targets", http.MethodPost, "/v2.1/resolverrules", "",
			vtRuleBody("rule", "example.com", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"), "DNS.1514", "maximum number of items is 5"},
		{"rule target without ip", http.MethodPost, "/v2.1/resolverrules", "",
			strings.Replace(vtRuleBody("rule", "example.com", "10.0.0.1"), `{"ip":"10.0.0.1"}`, `{}`, 1), "DNS.1515", "/ipaddresses/0"},
		{"rule target ipv6", http.MethodPost, "/v2.1/resolverrules", "",
			vtRuleBody("rule", "example.com", "fe80::1"), "DNS.1515", "/ipaddresses/0/ip"},
		{"rule domain with a space", http.MethodPost, "/v2.1/resolverrules", "",
			vtRuleBody("rule", "www example.com", "10.0.0.1"), "DNS.0202", "/domain_name"},
		{"rule domain label starting with a hyphen", http.MethodPost, "/v2.1/resolverrules", "",
			vtRuleBody("rule", "-www.example.com", "10.0.0.1"), "DNS.0202", "/domain_name"},
		{"rule domain label of 64 characters", http.MethodPost, "/v2.1/resolverrules", "",
			vtRuleBody("rule", strings.Repeat("a", 64)+".com", "10.0.0.1"), "DNS.0202", "/domain_name"},
		{"rule domain with two dots at the end", http.MethodPost, "/v2.1/resolverrules", "",
			vtRuleBody("rule", "example.com..", "10.0.0.1"), "DNS.0202", "/domain_name"},
		{"rule name with a space", http.MethodPost, "/v2.1/resolverrules", "",
			vtRuleBody("a b", "example.com", "10.0.0.1"), "DNS.1501", "/name"},
		{"rule without endpoint", http.MethodPost, "/v2.1/resolverrules", "",
			strings.Replace(vtRuleBody("rule", "example.com", "10.0.0.1"), `"endpoint_id":"`+vtEndpointID+`"`, `"endpoint_id":""`, 1), "DNS.1509", "/endpoint_id"},
		{"rule update with six targets", http.MethodPut, "/v2.1/resolverrules/" + vtRuleID, "",
			`{"ipaddresses":[{"ip":"1.1.1.1"},{"ip":"1.1.1.2"},{"ip":"1.1.1.3"},{"ip":"1.1.1.4"},{"ip":"1.1.1.5"},{"ip":"1.1.1.6"}]}`, "DNS.1514", "/ipaddresses"},
		{"rule update with an empty name", http.MethodPut, "/v2.1/resolverrules/" + vtRuleID, "",
			`{"name":""}`, "DNS.1501", "/name"},
		{"associate an empty router", http.MethodPost, "/v2.1/resolverrules/" + vtRuleID + "/associaterouter", "",
			`{"router":{"router_id":""}}`, "DNS.0701", "/router/router_id"},
		{"rules limit 501", http.MethodGet, "/v2.1/resolverrules?limit=501", "",
			"", "DNS.0006", `query parameter "limit"`},
		// A missing parameter breaks the parameter's "required", not a
		// constraint of the Direction schema: DNS.0002.
		{"missing direction", http.MethodGet, "/v2.1/endpoints?limit=10", "",
			"", "DNS.0002", `query parameter "direction" is required`},
		{"missing name", http.MethodPost, "/v2.1/endpoints", "",
			`{"direction":"inbound","region":"r","ipaddresses":[{"subnet_id":"s"},{"subnet_id":"s"}]}`, "DNS.0002", `property "name" is missing`},
		{"ipaddress not an object", http.MethodPost, "/v2.1/endpoints", "",
			`{"name":"ep","direction":"inbound","region":"r","ipaddresses":["s",{"subnet_id":"s"}]}`, "DNS.0002", "/ipaddresses/0"},
		{"malformed JSON", http.MethodPost, "/v2.1/endpoints", "",
			`{"name":"ep",`, "DNS.0002", "cannot be decoded"},
		{"JSON syntax error", http.MethodPut, "/v2.1/endpoints/" + vtEndpointID, "",
			`{name: "ep"}`, "DNS.0002", "malformed JSON"},
		{"no body", http.MethodPut, "/v2.1/endpoints/" + vtEndpointID, "",
			"", "DNS.0002", "request body is required"},
		{"wrong content type", http.MethodPut, "/v2.1/endpoints/" + vtEndpointID, "text/plain",
			`{"name":"ep"}`, "DNS.0002", "Content-Type must be application/json"},
		{"body over 1 MiB", http.MethodPut, "/v2.1/endpoints/" + vtEndpointID, "",
			`{"name":"` + strings.Repeat("a", openapi.MaxRequestBody) + `"}`, "DNS.0002", "larger than"},
	}
	// Requests refuses what Middleware refuses, in the same words.
	validators := map[string]func(http.Handler, func(*http.Request, *openapi.ContractError)) http.Handler{
		"Middleware": v.Middleware, "Requests": v.Requests,
	}
	for _, tt := range tests {
		for vname, validate := range validators {
			t.Run(vname+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				var calls atomic.Int32
				next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls.Add(1) })
				var seen vtViolations
				h := vtWithRequestID(vtRequestID, validate(next, seen.record))
				var body io.Reader
				if tt.body != "" {
					body = strings.NewReader(tt.body)
				}
				req := httptest.NewRequest(tt.method, tt.path, body)
				ct := tt.contentType
				if ct == "" {
					ct = "application/json"
				}
				req.Header.Set("Content-Type", ct)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)

				if rec.Code != http.StatusBadRequest {
					t.Errorf("status %d, want 400; body %s", rec.Code, rec.Body)
				}
				if n := calls.Load(); n != 0 {
					t.Errorf("handler reached %d times", n)
				}
				if got := rec.Header().Get("X-Request-Id"); got != vtRequestID {
					t.Errorf("X-Request-Id %q, want %q", got, vtRequestID)
				}
				e := vtDecodeError(t, rec)
				if e.Code != tt.wantCode {
					t.Errorf("code %s, want %s; message %q", e.Code, tt.wantCode, e.Message)
				}
				if !strings.Contains(e.Message, tt.wantDetail) {
					t.Errorf("message %q does not contain %q", e.Message, tt.wantDetail)
				}
				if strings.Contains(e.Message, strings.Repeat("a", 65)) {
					t.Errorf("message repeats the offending value: %.100q", e.Message)
				}
				errs := seen.list()
				if len(errs) != 1 {
					t.Fatalf("OnViolation called %d times, want 1", len(errs))
				}
				ce := errs[0]
				if ce.Side != openapi.SideRequest || ce.Code != tt.wantCode || e.Message != ce.Message+" "+ce.Detail {
					t.Errorf("OnViolation got side %q code %q message %q detail %q; body message %q",
						ce.Side, ce.Code, ce.Message, ce.Detail, e.Message)
				}
				if ce.Err == nil || !errors.Is(ce, ce.Err) {
					t.Errorf("ContractError does not wrap the kin-openapi error: %v", ce.Err)
				}
			})
		}
	}
}

// vtOperation is a realistic, valid request of one operation.
type vtOperation struct {
	id, method, path, body string
}

var vtOperations = []vtOperation{
	{"CreateEndpoint", http.MethodPost, "/v2.1/endpoints",
		vtCreateBody("endpoint-inbound-1", "inbound", "192.168.0.10", "", "")},
	{"ListEndpoints", http.MethodGet, "/v2.1/endpoints?direction=outbound&vpc_id=" + vtVPC + "&name=endpoint-inbound-1&limit=100&offset=0", ""},
	{"ShowEndpoint", http.MethodGet, "/v2.1/endpoints/" + vtEndpointID, ""},
	{"UpdateEndpoint", http.MethodPut, "/v2.1/endpoints/" + vtEndpointID, `{"name":"解析终端节点_renamed.1"}`},
	{"DeleteEndpoint", http.MethodDelete, "/v2.1/endpoints/" + vtEndpointID, ""},
	{"ListEndpointIpaddresses", http.MethodGet, "/v2.1/endpoints/" + vtEndpointID + "/ipaddresses", ""},
	{"AssociateEndpointIpaddress", http.MethodPost, "/v2.1/endpoints/" + vtEndpointID + "/ipaddresses",
		`{"ipaddress":{"subnet_id":"` + vtSubnet + `","ip":"192.168.0.25"}}`},
	{"DisassociateEndpointIpaddress", http.MethodDelete, vtUnbindPath, ""},
	{"ListEndpointVpcs", http.MethodGet, "/v2.1/vpcs", ""},
	{"CreateResolverRule", http.MethodPost, "/v2.1/resolverrules",
		`{"name":"rule_1.转发","domain_name":"www.example.com","endpoint_id":"` + vtEndpointID + `","ipaddresses":[{"ip":"10.0.0.2"},{"ip":"10.0.0.3"}]}`},
	{"ListResolverRules", http.MethodGet, "/v2.1/resolverrules?domain_name=www.example.com.&name=rule-xxx&endpoint_id=" + vtEndpointID +
		"&id=" + vtRuleID + "&limit=10&offset=0&marker=" + vtRuleID, ""},
	{"ShowResolverRule", http.MethodGet, "/v2.1/resolverrules/" + vtRuleID, ""},
	{"UpdateResolverRule", http.MethodPut, "/v2.1/resolverrules/" + vtRuleID, `{"ipaddresses":[{"ip":"1.1.1.1"}]}`},
	{"DeleteResolverRule", http.MethodDelete, "/v2.1/resolverrules/" + vtRuleID, ""},
	{"AssociateResolverRuleRouter", http.MethodPost, "/v2.1/resolverrules/" + vtRuleID + "/associaterouter",
		`{"router":{"router_id":"` + vtVPC + `"}}`},
	{"DisassociateResolverRuleRouter", http.MethodPost, "/v2.1/resolverrules/" + vtRuleID + "/disassociaterouter",
		`{"router":{"router_id":"` + vtVPC + `"}}`},
}

// vtSuccess returns the success status of op and the document's example
// body for it.
func vtSuccess(t *testing.T, doc *openapi3.T, id string) (int, []byte) {
	t.Helper()
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID != id {
				continue
			}
			for _, status := range []int{200, 202} {
				if r := op.Responses.Status(status); r != nil {
					b, err := json.Marshal(r.Value.Content.Get("application/json").Example)
					if err != nil {
						t.Fatal(err)
					}
					return status, b
				}
			}
		}
	}
	t.Fatalf("no success response for %s", id)
	return 0, nil
}

// TestMiddlewarePassesValidRequests sends a valid request of each of the
// sixteen operations through Middleware; the handler sees it as sent and its
// valid answer (the document's example) goes back unchanged.
func TestMiddlewarePassesValidRequests(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range vtOperations {
		t.Run(op.id, func(t *testing.T) {
			t.Parallel()
			status, answer := vtSuccess(t, doc, op.id)
			var calls atomic.Int32
			var gotBody []byte
			var gotQuery string
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				gotBody, _ = io.ReadAll(r.Body)
				gotQuery = r.URL.RawQuery
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write(answer)
			})
			var seen vtViolations
			h := vtWithRequestID(vtRequestID, v.Middleware(next, seen.record))
			var body io.Reader
			if op.body != "" {
				body = strings.NewReader(op.body)
			}
			req := httptest.NewRequest(op.method, op.path, body)
			if op.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("X-Auth-Token", "secret-token")
			wantQuery := req.URL.RawQuery
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			if n := calls.Load(); n != 1 {
				t.Fatalf("handler reached %d times, want 1; answer %d %s", n, rec.Code, rec.Body)
			}
			for _, e := range seen.list() {
				t.Errorf("violation: %v", e)
			}
			if diff := cmp.Diff(op.body, string(gotBody)); diff != "" {
				t.Errorf("body at the handler (-sent +got):\n%s", diff)
			}
			if gotQuery != wantQuery {
				t.Errorf("query at the handler %q, want %q as sent (no defaults added)", gotQuery, wantQuery)
			}
			if rec.Code != status || !bytes.Equal(rec.Body.Bytes(), answer) {
				t.Errorf("answer %d %s, want %d %s", rec.Code, rec.Body, status, answer)
			}
			if got := rec.Header().Get("X-Request-Id"); got != vtRequestID {
				t.Errorf("X-Request-Id %q", got)
			}
		})
	}
}

// TestMiddlewareRejectsResponses checks that a response breaking the
// contract is replaced by a 500 DNS.0001 that names the problem.
func TestMiddlewareRejectsResponses(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantDetail  string
	}{
		{"missing status", http.StatusAccepted, "application/json",
			strings.Replace(vtEndpoint, `"status":"ACTIVE",`, "", 1), `response body at /endpoint: property "status" is missing`},
		{"month 13", http.StatusAccepted, "application/json",
			strings.Replace(vtEndpoint, `"create_time":"2019-03-27`, `"create_time":"2019-13-27`, 1), `/endpoint/create_time: string doesn't match the format "local-date-time"`},
		{"undeclared 418", http.StatusTeapot, "application/json",
			`{"code":"DNS.0001","message":"teapot"}`, "status 418 is not declared for DisassociateEndpointIpaddress"},
		{"html on 503", http.StatusServiceUnavailable, "text/html",
			`<html><body>Service Unavailable</body></html>`, "status 503 is not declared"},
		{"html on 202", http.StatusAccepted, "text/html",
			`<p>ok</p>`, "status 202: Content-Type must be application/json"},
		{"unknown status value", http.StatusAccepted, "application/json",
			strings.Replace(vtEndpoint, `"ACTIVE"`, `"active"`, 1), "/endpoint/status: value is not one of the allowed values"},
		{"nil list", http.StatusAccepted, "application/json",
			`{"endpoint":null}`, "/endpoint: Value is not nullable"},
		{"truncated JSON", http.StatusAccepted, "application/json",
			vtEndpoint[:40], "response body cannot be decoded"},
		{"declared 400 with a gateway body", http.StatusBadRequest, "application/json",
			`{"error_code":"APIGW.0301","error_msg":"x"}`, `property "code" is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The handler sets X-Request-Id itself here; in a second run an
			// outer middleware sets it.
			for _, outer := range []bool{false, true} {
				next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					if !outer {
						w.Header().Set("X-Request-Id", vtRequestID)
					}
					w.Header().Set("Content-Type", tt.contentType)
					w.Header().Set("Content-Length", fmt.Sprint(len(tt.body)))
					w.Header().Set("X-Debug", "handler")
					w.WriteHeader(tt.status)
					_, _ = io.WriteString(w, tt.body)
				})
				var seen vtViolations
				var h http.Handler = v.Middleware(next, seen.record)
				if outer {
					h = vtWithRequestID(vtRequestID, h)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, vtUnbindPath, nil))

				if rec.Code != http.StatusInternalServerError {
					t.Errorf("status %d, want 500; body %s", rec.Code, rec.Body)
				}
				e := vtDecodeError(t, rec)
				if e.Code != "DNS.0001" {
					t.Errorf("code %s, want DNS.0001", e.Code)
				}
				const prefix = "Internal error. The response broke the API contract: "
				if !strings.HasPrefix(e.Message, prefix) || !strings.Contains(e.Message, tt.wantDetail) {
					t.Errorf("message %q, want %q followed by something with %q", e.Message, prefix, tt.wantDetail)
				}
				if got := rec.Header().Get("X-Request-Id"); got != vtRequestID {
					t.Errorf("outer=%v: X-Request-Id %q, want %q", outer, got, vtRequestID)
				}
				if got := rec.Header().Get("X-Debug"); got != "" {
					t.Errorf("the handler's header X-Debug survived the replacement: %q", got)
				}
				if cl := rec.Header().Get("Content-Length"); cl != "" {
					t.Errorf("the handler's Content-Length %s survived the replacement", cl)
				}
				errs := seen.list()
				if len(errs) != 1 {
					t.Fatalf("OnViolation called %d times, want 1", len(errs))
				}
				if ce := errs[0]; ce.Side != openapi.SideResponse || ce.Operation != "DisassociateEndpointIpaddress" || !strings.Contains(ce.Detail, tt.wantDetail) {
					t.Errorf("OnViolation got %+v", ce)
				}
			}
		})
	}
}

// TestMiddlewarePassesValidResponse checks that a valid response goes out
// byte for byte, with the handler's status and headers.
func TestMiddlewarePassesValidResponse(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	// Odd spacing and key order: the bytes must not be re-encoded.
	const answer = "{ \"endpoint\" : {\"update_time\":\"2019-03-27T11:45:41.724\",\"id\":\"ff80808169be2efb0169bef85d720013\",\"name\":\"NULL\",\"direction\":\"inbound\",\"status\":\"ACTIVE\",\"vpc_id\":null,\"ipaddress_count\":3,\"resolver_rule_count\":0,\"create_time\":\"2019-03-27T11:45:41.724\"}}\n"
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("X-Request-Id", vtRequestID)
		w.Header().Add("X-Extra", "one")
		w.Header().Add("X-Extra", "two")
		w.WriteHeader(http.StatusAccepted)
		// Written in pieces.
		_, _ = io.WriteString(w, answer[:10])
		_, _ = io.WriteString(w, answer[10:])
	})
	var seen vtViolations
	h := v.Middleware(next, seen.record)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, vtUnbindPath, nil))

	for _, e := range seen.list() {
		t.Errorf("violation: %v", e)
	}
	if rec.Code != http.StatusAccepted {
		t.Errorf("status %d, want 202", rec.Code)
	}
	if diff := cmp.Diff(answer, rec.Body.String()); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	want := http.Header{
		"Content-Type": {"application/json;charset=UTF-8"},
		"X-Request-Id": {vtRequestID},
		"X-Extra":      {"one", "two"},
	}
	if diff := cmp.Diff(want, rec.Header()); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}

// TestMiddlewarePanicPropagates checks that Middleware does not recover a
// panic of the handler, and writes nothing that the handler buffered.
func TestMiddlewarePanicPropagates(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, vtEndpoint)
		panic(http.ErrAbortHandler)
	})
	h := v.Middleware(next, nil)
	rec := httptest.NewRecorder()
	got := func() (p any) {
		defer func() { p = recover() }()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, vtUnbindPath, nil))
		return nil
	}()
	if got != http.ErrAbortHandler {
		t.Errorf("recovered %v, want http.ErrAbortHandler", got)
	}
	if rec.Body.Len() != 0 {
		t.Errorf("buffered body written after the panic: %q", rec.Body)
	}
}

// TestMiddlewareNoRoute checks that a request that matches no operation
// reaches the handler untouched, and its response is not validated.
func TestMiddlewareNoRoute(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	for _, tt := range []struct{ method, path string }{
		{http.MethodGet, "/nope"},
		{http.MethodPatch, "/v2.1/endpoints/" + vtEndpointID},
	} {
		var calls atomic.Int32
		var gotBody []byte
		next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			gotBody, _ = io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, "404 page not found")
		})
		var seen vtViolations
		h := v.Middleware(next, seen.record)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, strings.NewReader("not json")))
		if calls.Load() != 1 || string(gotBody) != "not json" {
			t.Errorf("%s %s: handler reached %d times with body %q", tt.method, tt.path, calls.Load(), gotBody)
		}
		if rec.Code != http.StatusNotFound || rec.Body.String() != "404 page not found" {
			t.Errorf("%s %s: answer %d %q", tt.method, tt.path, rec.Code, rec.Body)
		}
		if errs := seen.list(); len(errs) != 0 {
			t.Errorf("%s %s: violations %v", tt.method, tt.path, errs)
		}
	}
}

// TestMiddlewareRequestBody checks what Middleware hands the handler and
// the violation handler: a body that can be read again (GetBody), and a
// ContractError that names the operation and wraps kin-openapi's error.
func TestMiddlewareRequestBody(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)

	body := vtCreateBody("ep", "inbound", "", "")
	var reads []string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 2 {
			got, _ := io.ReadAll(r.Body)
			reads = append(reads, string(got))
			var err error
			if r.Body, err = r.GetBody(); err != nil {
				t.Fatal(err)
			}
		}
		w.WriteHeader(http.StatusTeapot)
	})
	var seen vtViolations
	h := v.Middleware(next, seen.record)
	req := httptest.NewRequest(http.MethodPost, "/v2.1/endpoints", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if diff := cmp.Diff([]string{body, body}, reads); diff != "" {
		t.Errorf("bodies read by the handler (-want +got):\n%s", diff)
	}

	seen = vtViolations{}
	req = httptest.NewRequest(http.MethodPost, "/v2.1/endpoints", strings.NewReader(`{"name":"a b"}`))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(httptest.NewRecorder(), req)
	errs := seen.list()
	if len(errs) != 1 {
		t.Fatalf("violations %v, want one", errs)
	}
	err := errs[0]
	if err.Operation != "CreateEndpoint" {
		t.Errorf("Operation %q, want CreateEndpoint", err.Operation)
	}
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		t.Errorf("%v does not unwrap to a *openapi3filter.RequestError", err)
	}
	if want := `openapi: CreateEndpoint request breaks the contract: request body at /name: `; !strings.HasPrefix(err.Error(), want) ||
		!strings.HasSuffix(err.Error(), "(DNS.1501 Invalid endpoint name.)") {
		t.Errorf("Error() = %q", err)
	}
}

// TestMiddlewareResponseStatus checks that declared statuses pass and an
// undeclared one is named.
func TestMiddlewareResponseStatus(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	for _, tt := range []struct {
		status     int
		body       string
		wantDetail string // "" for valid
	}{
		{http.StatusAccepted, vtEndpoint, ""},
		{http.StatusNotFound, `{"code":"DNS.1511","message":"Ipaddress not exist."}`, ""},
		{http.StatusOK, vtEndpoint, "status 200 is not declared for DisassociateEndpointIpaddress"},
	} {
		next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Request-Id", vtRequestID)
			w.WriteHeader(tt.status)
			_, _ = io.WriteString(w, tt.body)
		})
		var seen vtViolations
		rec := httptest.NewRecorder()
		v.Middleware(next, seen.record).ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, vtUnbindPath, nil))
		// Requests leaves every response alone, valid or not.
		var unchecked vtViolations
		rec2 := httptest.NewRecorder()
		v.Requests(next, unchecked.record).ServeHTTP(rec2, httptest.NewRequest(http.MethodDelete, vtUnbindPath, nil))
		if n := len(unchecked.list()); n != 0 || rec2.Code != tt.status || rec2.Body.String() != tt.body {
			t.Errorf("%d through Requests: answer %d %q, %d violations; want it passed unchanged", tt.status, rec2.Code, rec2.Body, n)
		}
		errs := seen.list()
		switch {
		case tt.wantDetail == "" && (len(errs) != 0 || rec.Code != tt.status):
			t.Errorf("%d: answer %d, violations %v; want it passed", tt.status, rec.Code, errs)
		case tt.wantDetail != "" && (len(errs) != 1 || errs[0].Side != openapi.SideResponse || errs[0].Code != "DNS.0001" || errs[0].Detail != tt.wantDetail):
			t.Errorf("%d: violations %v, want one with %q", tt.status, errs, tt.wantDetail)
		}
	}
}

// TestNewValidatorShares checks that Validators share one document, loaded
// once, that routing ignores the document's servers without changing them,
// and that Load still returns a copy of the caller's own.
func TestNewValidatorShares(t *testing.T) {
	t.Parallel()
	v1 := vtValidator(t)
	v2, err := openapi.NewValidator(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v1.Document() != v2.Document() {
		t.Error("two Validators hold different documents; want the one loaded once")
	}
	if n := len(v1.Document().Servers); n != 1 {
		t.Errorf("the shared document has %d servers, want its 1", n)
	}
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if doc == v1.Document() {
		t.Fatal("Load returned the shared document")
	}
	doc.Servers = nil
	doc.Paths.Delete("/v2.1/vpcs")
	if len(v1.Document().Servers) != 1 || v1.Document().Paths.Value("/v2.1/vpcs") == nil {
		t.Error("changing Load's copy changed the shared document")
	}
	// Any host matches.
	var seen vtViolations
	var op string
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	v2.Middleware(next, seen.record).ServeHTTP(httptest.NewRecorder(),
		httptest.NewRequest(http.MethodDelete, "http://127.0.0.1:1234"+vtUnbindPath, nil))
	if errs := seen.list(); len(errs) == 1 {
		op = errs[0].Operation
	}
	if op != "DisassociateEndpointIpaddress" {
		t.Errorf("a request to another host matched %q, want DisassociateEndpointIpaddress", op)
	}
}

// TestValidatorsInParallel runs Middleware and RoundTripper of several
// Validators on many goroutines at once, valid and invalid traffic mixed,
// for the race detector: the shared document and router must only be read.
func TestValidatorsInParallel(t *testing.T) {
	t.Parallel()
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", vtRequestID)
		w.WriteHeader(http.StatusAccepted)
		if r.URL.Query().Get("bad") != "" {
			_, _ = io.WriteString(w, strings.Replace(vtEndpoint, `"ACTIVE"`, `"active"`, 1))
			return
		}
		_, _ = io.WriteString(w, vtEndpoint)
	})
	var wg sync.WaitGroup
	var bad atomic.Int32
	for g := range 8 {
		wg.Go(func() {
			v, err := openapi.NewValidator(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			h := v.Middleware(next, func(*http.Request, *openapi.ContractError) { bad.Add(1) })
			for i := range 50 {
				target := vtUnbindPath
				if (g+i)%2 == 1 {
					target += "?bad=1"
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, target, nil))
				body := vtCreateBody("ep", "inbound", "", "")
				if i%3 == 0 {
					body = vtCreateBody("a b", "inbound", "", "")
				}
				req := httptest.NewRequest(http.MethodPost, "/v2.1/endpoints", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
	wg.Wait()
	// Per goroutine: 25 bad responses ((g+i)%2 == 1) and 17 bad requests
	// (i%3 == 0); the other creates get an endpoint, a valid answer.
	if got, want := bad.Load(), int32(8*(25+17)); got != want {
		t.Errorf("%d violations, want %d", got, want)
	}
}

// vtReporter is a Reporter that records what it is told.
type vtReporter struct {
	mu   sync.Mutex
	msgs []string
}

func (r *vtReporter) Helper() {}

func (r *vtReporter) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func (r *vtReporter) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}

var _ openapi.Reporter = (*vtReporter)(nil)
var _ openapi.Reporter = (*testing.T)(nil)

// TestRoundTripper checks the client-side transport against a loopback
// server that answers as told by the request's "answer" query parameter.
func TestRoundTripper(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	var mu sync.Mutex
	var serverBodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		serverBodies = append(serverBodies, string(b))
		mu.Unlock()
		w.Header().Set("X-Request-Id", vtRequestID)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("answer") == "teapot" || r.Header.Get("X-Answer") == "teapot" {
			w.WriteHeader(http.StatusTeapot)
			_, _ = io.WriteString(w, `{"tea":true}`)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, vtEndpoint)
	}))
	t.Cleanup(srv.Close)

	tests := []struct {
		name         string
		method, path string
		body         string
		teapot       bool
		wantStatus   int
		wantReports  []string // parts of each report, in order
		wantSentBody string
	}{
		{name: "valid", method: http.MethodDelete, path: vtUnbindPath, wantStatus: 202},
		{name: "valid with body", method: http.MethodPut, path: "/v2.1/endpoints/" + vtEndpointID,
			body: `{"name":"renamed"}`, wantStatus: 202, wantSentBody: `{"name":"renamed"}`},
		{name: "bad request body", method: http.MethodPost, path: "/v2.1/endpoints",
			body: vtCreateBody("a b", "inbound", "", ""), wantStatus: 202,
			wantReports:  []string{"CreateEndpoint request breaks the contract: request body at /name", "DNS.1501", "status 202"},
			wantSentBody: vtCreateBody("a b", "inbound", "", "")},
		{name: "invalid response", method: http.MethodDelete, path: vtUnbindPath, teapot: true, wantStatus: 418,
			wantReports: []string{"DisassociateEndpointIpaddress response breaks the contract: status 418 is not declared", "status 418"}},
		{name: "no route", method: http.MethodGet, path: "/nope", teapot: true, wantStatus: 418},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &vtReporter{}
			c := &http.Client{Transport: v.RoundTripper(srv.Client().Transport, rep)}
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			if tt.teapot {
				req.Header.Set("X-Answer", "teapot")
			}
			mu.Lock()
			serverBodies = nil
			mu.Unlock()
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			wantBody := vtEndpoint
			if tt.teapot {
				wantBody = `{"tea":true}`
			}
			if string(got) != wantBody {
				t.Errorf("caller read %q, want %q", got, wantBody)
			}
			mu.Lock()
			sent := serverBodies
			mu.Unlock()
			if diff := cmp.Diff([]string{tt.wantSentBody}, sent); diff != "" {
				t.Errorf("bodies at the server (-want +got):\n%s", diff)
			}
			reports := rep.list()
			if len(tt.wantReports) == 0 {
				if len(reports) != 0 {
					t.Errorf("unexpected reports: %q", reports)
				}
				return
			}
			if len(reports) != 1 {
				t.Fatalf("%d reports, want 1: %q", len(reports), reports)
			}
			for _, part := range tt.wantReports {
				if !strings.Contains(reports[0], part) {
					t.Errorf("report %q does not contain %q", reports[0], part)
				}
			}
		})
	}
}

// TestDNSErrorExtensions checks every x-dns-error extension of the
// document: a DNS or API gateway code and a message.
func TestDNSErrorExtensions(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := doc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	codeRE := regexp.MustCompile(`^(DNS|APIGW)\.\d{4}$`)
	found := map[string]string{}
	var walk func(path string, n any)
	walk = func(path string, n any) {
		switch n := n.(type) {
		case map[string]any:
			for k, child := range n {
				if k != "x-dns-error" {
					walk(path+"/"+k, child)
					continue
				}
				ext, ok := child.(map[string]any)
				if !ok {
					t.Errorf("%s: x-dns-error is %T, want an object", path, child)
					continue
				}
				code, _ := ext["code"].(string)
				msg, _ := ext["message"].(string)
				if !codeRE.MatchString(code) {
					t.Errorf("%s: code %q does not match %s", path, code, codeRE)
				}
				if strings.TrimSpace(msg) == "" {
					t.Errorf("%s: empty message", path)
				}
				if len(ext) != 2 {
					t.Errorf("%s: x-dns-error has fields other than code and message: %v", path, ext)
				}
				found[path] = code
			}
		case []any:
			for i, child := range n {
				walk(fmt.Sprintf("%s/%d", path, i), child)
			}
		}
	}
	walk("", tree)
	// The codes the contract tests rely on must be among them.
	have := map[string]bool{}
	for _, code := range found {
		have[code] = true
	}
	for _, code := range []string{"DNS.1501", "DNS.1502", "DNS.1503", "DNS.1514", "DNS.1515", "DNS.0601", "DNS.0006", "DNS.0017"} {
		if !have[code] {
			t.Errorf("no x-dns-error with code %s; found %v", code, found)
		}
	}
}

// vtDiscard is a reusable ResponseWriter for the benchmark.
type vtDiscard struct {
	h      http.Header
	status int
	n      int
}

func (d *vtDiscard) Header() http.Header         { return d.h }
func (d *vtDiscard) WriteHeader(code int)        { d.status = code }
func (d *vtDiscard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

// BenchmarkMiddleware measures one unbind request with a valid 202 answer
// through Middleware, both sides validated.
func BenchmarkMiddleware(b *testing.B) {
	v := vtValidator(b)
	answer := []byte(vtEndpoint)
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("X-Request-Id", vtRequestID)
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write(answer)
	})
	var violations atomic.Int32
	h := v.Middleware(next, func(*http.Request, *openapi.ContractError) { violations.Add(1) })
	req := httptest.NewRequest(http.MethodDelete, vtUnbindPath, nil)
	req.Header.Set("X-Auth-Token", "secret-token")
	w := &vtDiscard{h: make(http.Header, 4)}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		w.status = 0
		h.ServeHTTP(w, req)
	}
	if violations.Load() != 0 || w.status != http.StatusAccepted {
		b.Fatalf("violations %d, last status %d", violations.Load(), w.status)
	}
}

// TestMiddlewareOverHTTP runs Middleware in a loopback server and talks to
// it through RoundTripper, with injected faults.
func TestMiddlewareOverHTTP(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.Header.Get("X-Fault") {
		case "invalid":
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, strings.Replace(vtEndpoint, `"status":"ACTIVE",`, "", 1))
		case "abort":
			_, _ = io.WriteString(w, vtEndpoint)
			panic(http.ErrAbortHandler)
		default:
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, vtEndpoint)
		}
	})
	validated := v.Middleware(next, nil)
	// A truncated answer is injected around the middleware, as the fake's
	// faults are: it plays the valid answer, then cuts it.
	faults := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Fault") != "truncate" {
			validated.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		validated.ServeHTTP(rec, r)
		w.Header().Set("Content-Length", fmt.Sprint(rec.Body.Len()))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes()[:20])
	})
	srv := httptest.NewUnstartedServer(vtWithRequestID(vtRequestID, faults))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the aborted handler is logged
	srv.Start()
	t.Cleanup(srv.Close)

	tests := []struct {
		name, fault  string
		method, path string
		body         string
		wantStatus   int    // 0: no response
		wantCode     string // in the body, if an error
		wantReadErr  bool
		wantReport   string // part of the one report, "" for none
	}{
		{name: "valid", method: http.MethodDelete, path: vtUnbindPath, wantStatus: 202},
		{name: "invalid response replaced", fault: "invalid", method: http.MethodDelete, path: vtUnbindPath,
			wantStatus: 500, wantCode: "DNS.0001"},
		{name: "invalid request rejected", method: http.MethodPost, path: "/v2.1/endpoints",
			body: vtCreateBody("a b", "inbound", "", ""), wantStatus: 400, wantCode: "DNS.1501",
			wantReport: "CreateEndpoint request breaks the contract"},
		{name: "aborted", fault: "abort", method: http.MethodDelete, path: vtUnbindPath},
		{name: "truncated", fault: "truncate", method: http.MethodDelete, path: vtUnbindPath,
			wantStatus: 202, wantReadErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &vtReporter{}
			c := &http.Client{Transport: v.RoundTripper(srv.Client().Transport, rep)}
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Fault", tt.fault)
			resp, err := c.Do(req)
			if tt.wantStatus == 0 {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("got %d, want the connection dropped", resp.StatusCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, readErr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if (readErr != nil) != tt.wantReadErr {
				t.Errorf("reading the body: %v, want an error: %v", readErr, tt.wantReadErr)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d; body %s", resp.StatusCode, tt.wantStatus, got)
			}
			if id := resp.Header.Get("X-Request-Id"); id != vtRequestID {
				t.Errorf("X-Request-Id %q", id)
			}
			if tt.wantCode != "" {
				var e vtErrorBody
				if err := json.Unmarshal(got, &e); err != nil || e.Code != tt.wantCode {
					t.Errorf("body %s (%v), want code %s", got, err, tt.wantCode)
				}
			} else if !tt.wantReadErr && string(got) != vtEndpoint {
				t.Errorf("body %s, want %s", got, vtEndpoint)
			}
			reports := rep.list()
			switch {
			case tt.wantReport == "" && len(reports) != 0:
				t.Errorf("unexpected reports %q", reports)
			case tt.wantReport != "" && (len(reports) != 1 || !strings.Contains(reports[0], tt.wantReport)):
				t.Errorf("reports %q, want one with %q", reports, tt.wantReport)
			}
		})
	}
}
