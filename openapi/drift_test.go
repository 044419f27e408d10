package openapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/openapi"
)

// dtEndpoint is a ShowEndpoint body that matches the document, with extra
// properties spliced in where extra says.
func dtEndpoint(fields string) string {
	base := `"id":"ff80808169bf16c70169bf1d02270000","name":"endpoint-inbound-1","direction":"inbound","status":"ACTIVE",` +
		`"vpc_id":"dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b","ipaddress_count":3,"resolver_rule_count":0,` +
		`"create_time":"2019-03-27T12:25:43.181","update_time":"2019-03-27T12:26:05.402"`
	return `{"endpoint":{` + base + fields + `}}`
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

func TestDrifts(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	show := httptest.NewRequest(http.MethodGet, "/v2.1/endpoints/ff80808169bf16c70169bf1d02270000", nil)
	drift := func(status int, kind openapi.DriftKind, path, expected, got string) openapi.Drift {
		return openapi.Drift{Operation: "ShowEndpoint", Status: status, Kind: kind, Path: path, Expected: expected, Got: got}
	}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   []openapi.Drift
	}{
		{"valid", 200, jsonHeader, dtEndpoint(""), nil},
		{"declared error", 404, jsonHeader, `{"code":"DNS.1510","message":"Endpoint not exist."}`, nil},
		{"undeclared status", 418, jsonHeader, `{}`, []openapi.Drift{
			drift(418, openapi.DriftStatus, "", "one of 200, 400, 401, 403, 404, 429, 500", "418")}},
		{"content type", 200, http.Header{"Content-Type": {"text/html; charset=utf-8"}}, `<html></html>`, []openapi.Drift{
			drift(200, openapi.DriftContentType, "Content-Type", "application/json", "text/html")}},
		{"not JSON", 200, jsonHeader, `{"endpoint":`, []openapi.Drift{
			drift(200, openapi.DriftUnreadable, "", "JSON: object", "12 bytes that are not JSON")}},
		{"empty", 200, jsonHeader, ``, []openapi.Drift{
			drift(200, openapi.DriftUnreadable, "", "JSON: object", "an empty body")}},
		{"missing required", 200, jsonHeader, strings.Replace(dtEndpoint(""), `"id":"ff80808169bf16c70169bf1d02270000",`, "", 1), []openapi.Drift{
			drift(200, openapi.DriftMissing, "/endpoint/id", "string (required)", "nothing")}},
		{"every rule at once", 200, jsonHeader,
			strings.NewReplacer(`"inbound"`, `"sideways"`, `"ipaddress_count":3`, `"ipaddress_count":"three"`,
				`"2019-03-27T12:25:43.181"`, `"2019-03-27T12:25:43Z"`, `"update_time":"2019-03-27T12:26:05.402"`, `"update_time":null`).
				Replace(dtEndpoint(`,"tags":[{"key":"k","value":"secret-value"}],"zone~/x":true`)),
			[]openapi.Drift{
				drift(200, openapi.DriftFormat, "/endpoint/create_time", "string in format local-date-time", "string of length 20"),
				drift(200, openapi.DriftEnum, "/endpoint/direction", "one of inbound, outbound", "string of length 8"),
				drift(200, openapi.DriftType, "/endpoint/ipaddress_count", "integer", "string of length 5"),
				drift(200, openapi.DriftUndocumented, "/endpoint/tags", "no such property", "array of 1 items"),
				drift(200, openapi.DriftType, "/endpoint/update_time", "string in format local-date-time", "null"),
				drift(200, openapi.DriftUndocumented, "/endpoint/zone~0~1x", "no such property", "boolean"),
			}},
		{"constraint", 200, jsonHeader, strings.Replace(dtEndpoint(""), `"ipaddress_count":3`, `"ipaddress_count":-12`, 1), []openapi.Drift{
			drift(200, openapi.DriftConstraint, "/endpoint/ipaddress_count", "at least 0", "number of length 3")}},
		{"undocumented at the top", 200, jsonHeader, strings.TrimSuffix(dtEndpoint(""), "}") + `,"links":{"self":"https://x"}}`, []openapi.Drift{
			drift(200, openapi.DriftUndocumented, "/links", "no such property", "object of 1 properties")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			op, got := v.Drifts(show, tt.status, tt.header, []byte(tt.body))
			if op != "ShowEndpoint" {
				t.Errorf("operation = %q, want ShowEndpoint", op)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("drifts (-want +got):\n%s", diff)
			}
			for _, d := range got {
				if strings.Contains(d.Got, "secret") || strings.Contains(d.Got, "sideways") || strings.Contains(d.Got, "three") {
					t.Errorf("drift %+v quotes a value", d)
				}
				if d.Failure() == (d.Kind == openapi.DriftUndocumented) {
					t.Errorf("drift %+v: Failure() = %v", d, d.Failure())
				}
			}
		})
	}
}

// TestDriftsInLists checks the pointers into arrays, and that a request of
// no operation has no drift.
func TestDriftsInLists(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	list := httptest.NewRequest(http.MethodGet, "/v2.1/vpcs?limit=2", nil)
	body := `{"vpcs":[{"id":"a","inbound_endpoint_count":1},{"inbound_endpoint_count":2,"router":{}}],"metadata":{"total_count":2}}`
	op, got := v.Drifts(list, 200, jsonHeader, []byte(body))
	want := []openapi.Drift{
		{Operation: "ListEndpointVpcs", Status: 200, Kind: openapi.DriftMissing, Path: "/vpcs/1/id", Expected: "string (required)", Got: "nothing"},
		{Operation: "ListEndpointVpcs", Status: 200, Kind: openapi.DriftUndocumented, Path: "/vpcs/1/router", Expected: "no such property", Got: "object of 0 properties"},
	}
	if diff := cmp.Diff(want, got); op != "ListEndpointVpcs" || diff != "" {
		t.Errorf("operation %q, drifts (-want +got):\n%s", op, diff)
	}
	if op, got := v.Drifts(httptest.NewRequest(http.MethodGet, "/v3/auth/tokens", nil), 418, nil, nil); op != "" || got != nil {
		t.Errorf("unknown route: %q %v, want no operation and no drift", op, got)
	}
}

// TestDriftRoundTripper checks that the transport observes every response
// of an operation, drifts or none, and hands the body on whole.
func TestDriftRoundTripper(t *testing.T) {
	t.Parallel()
	v := vtValidator(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v2.1/endpoints/bad" {
			_, _ = io.WriteString(w, strings.Replace(dtEndpoint(`,"extra":1`), `"ACTIVE"`, `"GONE"`, 1))
			return
		}
		_, _ = io.WriteString(w, dtEndpoint(""))
	}))
	t.Cleanup(srv.Close)
	type seen struct {
		op     string
		drifts int
	}
	var log []seen
	hc := &http.Client{Transport: v.DriftRoundTripper(nil, func(op string, d []openapi.Drift) { log = append(log, seen{op, len(d)}) })}
	for _, path := range []string{"/v2.1/endpoints/good", "/v2.1/endpoints/bad", "/elsewhere"} {
		resp, err := hc.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || !strings.HasPrefix(string(b), `{"endpoint":`) {
			t.Errorf("%s: body %q, %v: want it whole", path, b, err)
		}
	}
	want := []seen{{"ShowEndpoint", 0}, {"ShowEndpoint", 2}}
	if diff := cmp.Diff(want, log, cmp.AllowUnexported(seen{})); diff != "" {
		t.Errorf("observed (-want +got):\n%s", diff)
	}
}
