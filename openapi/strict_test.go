package openapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/openapi"
)

// stCases are requests that a validator and a handler could read
// differently, and a few that look alike but are fine.
var stCases = []struct {
	name, method, target, body string
	code                       string // "" for a request that passes
	detail                     string
}{
	{"valid", "POST", "/v2.1/endpoints", vtCreateBody("ep", "inbound", "", "") + "\n\t ", "", ""},
	{"exact key escaped", "PUT", "/v2.1/endpoints/" + vtEndpointID, `{"n\u0061me":"ep"}`, "", ""},
	{"unknown key", "PUT", "/v2.1/endpoints/" + vtEndpointID, `{"name":"ep","comment":"x"}`, "", ""},
	{"valid escapes", "GET", "/v2.1/endpoints?direction=inbound&name=%65p+1&vpc_id=" + vtVPC, "", "", ""},
	{"name and NAME", "PUT", "/v2.1/endpoints/" + vtEndpointID, `{"name":"a","NAME":"b"}`, "DNS.0002",
		`request body has a key that differs only in case from "name"`},
	{"Name alone", "PUT", "/v2.1/endpoints/" + vtEndpointID, `{"Name":"a"}`, "DNS.0002", `differs only in case from "name"`},
	{"long s", "POST", "/v2.1/endpoints/" + vtEndpointID + "/ipaddresses", `{"ipaddress":{"subnet_id":"` + vtSubnet + `","\u017fubnet_id":"x"}}`, "DNS.0002",
		`differs only in case from "subnet_id"`},
	{"escaped repeat", "PUT", "/v2.1/endpoints/" + vtEndpointID, `{"name":"a","nam\u0065":"b"}`, "DNS.0002", "repeats a key"},
	{"nested", "POST", "/v2.1/endpoints/" + vtEndpointID + "/ipaddresses", `{"ipaddress":{"subnet_id":"` + vtSubnet + `","Subnet_Id":"x"}}`, "DNS.0002",
		`differs only in case from "subnet_id" at /ipaddress`},
	{"in an array", "POST", "/v2.1/endpoints", `{"name":"ep","direction":"inbound","region":"cn-north-4","ipaddresses":[{"subnet_id":"` + vtSubnet + `"},{"subnet_id":"` + vtSubnet + `","IP":"192.168.0.9"}]}`,
		"DNS.0002", `differs only in case from "ip" at /ipaddresses/1`},
	{"repeated key", "PUT", "/v2.1/endpoints/" + vtEndpointID, `{"name":"a","name":"b"}`, "DNS.0002", "request body repeats a key"},
	{"repeated unknown key", "PUT", "/v2.1/endpoints/" + vtEndpointID, `{"name":"a","x":{"y":1,"y":2}}`, "DNS.0002", "repeats a key at /x"},
	{"data after", "PUT", "/v2.1/endpoints/" + vtEndpointID, `{"name":"a"} x`, "DNS.0002", "request body has data after its JSON value"},
	{"second value", "PUT", "/v2.1/endpoints/" + vtEndpointID, `{"name":"a"}{}`, "DNS.0002", "has data after its JSON value"},
	{"name=%zz", "GET", "/v2.1/endpoints?direction=inbound&name=%zz", "", "DNS.0002", `query parameter "name" cannot be decoded`},
	{"vpc_id=%zz", "GET", "/v2.1/vpcs?vpc_id=%zz", "", "DNS.0002", `query parameter "vpc_id" cannot be decoded`},
	{"limit=%zz", "GET", "/v2.1/vpcs?limit=%zz", "", "DNS.0006", `query parameter "limit" cannot be decoded`},
	{"offset=1;2", "GET", "/v2.1/vpcs?offset=1;2", "", "DNS.0017", `query parameter "offset" cannot be decoded`},
	{"unknown name=%zz", "GET", "/v2.1/vpcs?other=%zz", "", "DNS.0002", `query parameter "other" cannot be decoded`},
	{"bad key", "GET", "/v2.1/vpcs?%zz=1", "", "DNS.0002", "query parameter name cannot be decoded"},
}

func stRequest(method, target, body string) *http.Request {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	} else {
		req.Body = http.NoBody
	}
	return req
}

// TestMiddlewareStrict checks that Middleware refuses what readers could
// read differently, with the service's codes, before the handler and
// before kin-openapi's validation.
func TestMiddlewareStrict(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	for _, tt := range stCases {
		reached := false
		next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			reached = true
			w.WriteHeader(http.StatusTeapot) // undeclared: a violation if it is validated
		})
		var seen vtViolations
		rec := httptest.NewRecorder()
		v.Middleware(next, seen.record).ServeHTTP(rec, stRequest(tt.method, tt.target, tt.body))
		errs := seen.list()
		if tt.code == "" {
			// Valid: the handler runs and its undeclared status is the one
			// violation.
			if !reached || len(errs) != 1 || errs[0].Side != openapi.SideResponse {
				t.Errorf("%s: reached %v, violations %v; want only the response's", tt.name, reached, errs)
			}
			continue
		}
		if reached || len(errs) != 1 {
			t.Errorf("%s: reached %v, violations %v; want one, before the handler", tt.name, reached, errs)
			continue
		}
		ce := errs[0]
		if ce.Side != openapi.SideRequest || ce.Code != tt.code || !strings.Contains(ce.Detail, tt.detail) {
			t.Errorf("%s: %s %s %q, want request %s and %q", tt.name, ce.Side, ce.Code, ce.Detail, tt.code, tt.detail)
		}
		if e := vtDecodeError(t, rec); rec.Code != http.StatusBadRequest || e.Code != tt.code {
			t.Errorf("%s: answer %d %s, want 400 %s", tt.name, rec.Code, e.Code, tt.code)
		}
	}
}

// TestStrict checks Strict, the refusal without validation: the same
// requests never reach the handler, and the others reach it with their body
// intact, unvalidated.
func TestStrict(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	var got string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
		w.WriteHeader(http.StatusTeapot)
	})
	h := v.Strict(next, nil)
	for _, tt := range stCases {
		got = "(not reached)"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, stRequest(tt.method, tt.target, tt.body))
		if tt.code == "" {
			if rec.Code != http.StatusTeapot || got != tt.body {
				t.Errorf("%s: %d, body %q; want it passed through", tt.name, rec.Code, got)
			}
			continue
		}
		e := vtDecodeError(t, rec)
		if rec.Code != http.StatusBadRequest || e.Code != tt.code || got != "(not reached)" {
			t.Errorf("%s: %d %s (handler saw %q), want 400 %s", tt.name, rec.Code, e.Code, got, tt.code)
		}
	}
	// Strict alone does not validate.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, stRequest("PUT", "/v2.1/endpoints/"+vtEndpointID, `{"name":"a b"}`))
	if rec.Code != http.StatusTeapot {
		t.Errorf("a request that only breaks the schema: %d, want it passed through", rec.Code)
	}
}
