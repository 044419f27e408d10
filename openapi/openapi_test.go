package openapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/openapi"
)

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return doc
}

type operation struct {
	ID, Method, Path string
	Success          int
}

// TestOperations pins the nine operations of the endpoint-management group
// and the seven of the resolver rules:
// their IDs, methods, paths and the one success status each declares.
func TestOperations(t *testing.T) {
	t.Parallel()
	doc := load(t)
	want := []operation{
		{"AssociateEndpointIpaddress", http.MethodPost, "/v2.1/endpoints/{endpoint_id}/ipaddresses", 202},
		{"AssociateResolverRuleRouter", http.MethodPost, "/v2.1/resolverrules/{resolverrule_id}/associaterouter", 202},
		{"CreateEndpoint", http.MethodPost, "/v2.1/endpoints", 202},
		{"CreateResolverRule", http.MethodPost, "/v2.1/resolverrules", 202},
		{"DeleteEndpoint", http.MethodDelete, "/v2.1/endpoints/{endpoint_id}", 202},
		{"DeleteResolverRule", http.MethodDelete, "/v2.1/resolverrules/{resolverrule_id}", 202},
		{"DisassociateEndpointIpaddress", http.MethodDelete, "/v2.1/endpoints/{endpoint_id}/ipaddresses/{ipaddress_id}", 202},
		{"DisassociateResolverRuleRouter", http.MethodPost, "/v2.1/resolverrules/{resolverrule_id}/disassociaterouter", 202},
		{"ListEndpointIpaddresses", http.MethodGet, "/v2.1/endpoints/{endpoint_id}/ipaddresses", 200},
		{"ListEndpointVpcs", http.MethodGet, "/v2.1/vpcs", 200},
		{"ListEndpoints", http.MethodGet, "/v2.1/endpoints", 200},
		{"ListResolverRules", http.MethodGet, "/v2.1/resolverrules", 200},
		{"ShowEndpoint", http.MethodGet, "/v2.1/endpoints/{endpoint_id}", 200},
		{"ShowResolverRule", http.MethodGet, "/v2.1/resolverrules/{resolverrule_id}", 200},
		{"UpdateEndpoint", http.MethodPut, "/v2.1/endpoints/{endpoint_id}", 202},
		{"UpdateResolverRule", http.MethodPut, "/v2.1/resolverrules/{resolverrule_id}", 202},
	}
	var got []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			var success []int
			for code := range op.Responses.Map() {
				if strings.HasPrefix(code, "2") {
					n := 0
					for _, c := range code {
						n = n*10 + int(c-'0')
					}
					success = append(success, n)
				}
			}
			if len(success) != 1 {
				t.Errorf("%s declares success statuses %v, want exactly one", op.OperationID, success)
				continue
			}
			got = append(got, operation{op.OperationID, method, path, success[0]})
		}
	}
	sort.Slice(got, func(i, j int) bool { return got[i].ID < got[j].ID })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
}

// TestResponses checks the error shapes and headers every operation declares.
func TestResponses(t *testing.T) {
	t.Parallel()
	doc := load(t)
	dnsError := doc.Components.Schemas["DnsError"].Value
	gatewayError := doc.Components.Schemas["GatewayError"].Value
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			codes := op.Responses.Map()
			for _, code := range []string{"400", "401", "403", "429", "500"} {
				if codes[code] == nil {
					t.Errorf("%s: no %s response", name, code)
				}
			}
			if (strings.Contains(path, "{endpoint_id}") || strings.Contains(path, "{resolverrule_id}")) && codes["404"] == nil {
				t.Errorf("%s: no 404 response", name)
			}
			for code, ref := range codes {
				resp := ref.Value
				if resp.Headers["X-Request-Id"] == nil {
					t.Errorf("%s %s: no X-Request-Id header", name, code)
				}
				media := resp.Content.Get("application/json")
				if media == nil || media.Schema == nil {
					t.Errorf("%s %s: no application/json schema", name, code)
					continue
				}
				if media.Example == nil {
					t.Errorf("%s %s: no example", name, code)
				}
				switch code {
				case "400", "403", "404", "500":
					if media.Schema.Value != dnsError {
						t.Errorf("%s %s: body is not DnsError", name, code)
					}
				case "401", "429":
					if media.Schema.Value != gatewayError {
						t.Errorf("%s %s: body is not GatewayError", name, code)
					}
				}
			}
			if op.RequestBody != nil {
				media := op.RequestBody.Value.Content.Get("application/json")
				if media == nil || media.Example == nil {
					t.Errorf("%s: request body without a JSON example", name)
				}
			}
		}
	}
}

// TestUnbindOperation checks the seed operation against its API page.
func TestUnbindOperation(t *testing.T) {
	t.Parallel()
	doc := load(t)
	op := doc.Paths.Find("/v2.1/endpoints/{endpoint_id}/ipaddresses/{ipaddress_id}").Delete
	if op == nil {
		t.Fatal("no DELETE on the unbind path")
	}

	var params []string
	for _, p := range doc.Paths.Find("/v2.1/endpoints/{endpoint_id}/ipaddresses/{ipaddress_id}").Parameters {
		v := p.Value
		if v.In != "path" || !v.Required || !v.Schema.Value.Type.Is("string") {
			t.Errorf("parameter %s: in %s, required %v, type %v; want a required path string", v.Name, v.In, v.Required, v.Schema.Value.Type)
		}
		params = append(params, v.Name)
	}
	if diff := cmp.Diff([]string{"endpoint_id", "ipaddress_id"}, params); diff != "" {
		t.Errorf("path parameters (-want +got):\n%s", diff)
	}

	token := doc.Components.SecuritySchemes["AuthToken"].Value
	if token.Type != "apiKey" || token.In != "header" || token.Name != "X-Auth-Token" {
		t.Errorf("AuthToken scheme = %s in %s named %s, want apiKey in header named X-Auth-Token", token.Type, token.In, token.Name)
	}
	if op.Security == nil || !slices.ContainsFunc(*op.Security, func(r openapi3.SecurityRequirement) bool {
		_, ok := r["AuthToken"]
		return ok && len(r) == 1
	}) {
		t.Error("unbind does not accept X-Auth-Token alone")
	}

	endpoint := doc.Components.Schemas["EndpointResp"].Value
	wantFields := []string{"create_time", "direction", "id", "ipaddress_count", "name", "resolver_rule_count", "status", "update_time", "vpc_id"}
	gotFields := slices.Sorted(func(yield func(string) bool) {
		for k := range endpoint.Properties {
			if !yield(k) {
				return
			}
		}
	})
	if diff := cmp.Diff(wantFields, gotFields); diff != "" {
		t.Errorf("EndpointResp properties (-want +got):\n%s", diff)
	}
	// resolver_rule_count is optional: see TestResponseRequiredness.
	wantRequired := slices.DeleteFunc(slices.Clone(wantFields), func(f string) bool { return f == "resolver_rule_count" })
	if diff := cmp.Diff(wantRequired, slices.Sorted(slices.Values(endpoint.Required))); diff != "" {
		t.Errorf("EndpointResp required (-want +got):\n%s", diff)
	}
	if !endpoint.Properties["vpc_id"].Value.Nullable {
		t.Error("vpc_id is not nullable")
	}

	const seed = `{"endpoint":{"id":"ff80808169be2efb0169bef85d720013","name":"NULL","direction":"inbound","status":"ACTIVE","vpc_id":"dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b","ipaddress_count":3,"resolver_rule_count":0,"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"}}`
	example := op.Responses.Status(202).Value.Content.Get("application/json").Example
	if diff := cmp.Diff(decodeJSON(t, []byte(seed)), roundTripJSON(t, example)); diff != "" {
		t.Errorf("202 example differs from the API page (-want +got):\n%s", diff)
	}
	for _, code := range []int{400, 500} {
		if op.Responses.Status(code) == nil {
			t.Errorf("unbind declares no %d", code)
		}
	}
}

func TestConstraints(t *testing.T) {
	t.Parallel()
	doc := load(t)
	s := doc.Components.Schemas
	name := s["EndpointName"].Value
	if name.MinLength != 1 || name.MaxLength == nil || *name.MaxLength != 64 {
		t.Errorf("EndpointName length %d..%v, want 1..64", name.MinLength, name.MaxLength)
	}
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"endpoint-inbound_1.a", true},
		{"解析终端节点", true},
		{"has space", false},
		{"slash/name", false},
		{"", false},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
	} {
		err := name.VisitJSON(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("name %q: err = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
	ips := s["CreateEndpointRequestBody"].Value.Properties["ipaddresses"].Value
	if ips.MinItems != 2 || ips.MaxItems == nil || *ips.MaxItems != 6 {
		t.Errorf("ipaddresses items %d..%v, want 2..6", ips.MinItems, ips.MaxItems)
	}
	if diff := cmp.Diff([]any{"inbound", "outbound"}, s["Direction"].Value.Enum); diff != "" {
		t.Errorf("Direction enum (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{"PENDING_CREATE", "ACTIVE", "PENDING_DELETE", "ERROR"}, s["Status"].Value.Enum); diff != "" {
		t.Errorf("Status enum (-want +got):\n%s", diff)
	}
	limit := doc.Components.Parameters["Limit"].Value.Schema.Value
	if *limit.Min != 0 || *limit.Max != 500 || limit.Default != 500.0 {
		t.Errorf("limit %v..%v default %v, want 0..500 default 500", *limit.Min, *limit.Max, limit.Default)
	}
	if offset := doc.Components.Parameters["Offset"].Value.Schema.Value; *offset.Min != 0 {
		t.Errorf("offset minimum %v, want 0", *offset.Min)
	}
	list := doc.Paths.Find("/v2.1/endpoints").Get
	if p := list.Parameters.GetByInAndName("query", "direction"); p == nil || !p.Required {
		t.Error("ListEndpoints: direction is not a required query parameter")
	}
	if got := doc.Servers[0].URL; got != "https://dns.{region}.myhuaweicloud.com" {
		t.Errorf("server URL %q", got)
	}
	if got := doc.Servers[0].Variables["region"].Default; got != "cn-north-4" {
		t.Errorf("region default %q, want cn-north-4", got)
	}
	if _, ok := doc.Components.SecuritySchemes["AKSK"]; !ok {
		t.Error("AK/SK signing is not documented as a security scheme")
	}
}

// TestIPv4IsChecked proves that the loaded document enforces "ipv4", which
// kin-openapi leaves opt-in. (load_internal_test.go checks local-date-time.)
func TestIPv4IsChecked(t *testing.T) {
	t.Parallel()
	doc := load(t)
	info := doc.Components.Schemas["IpaddressInfo"].Value
	opts := doc.GetSchemaValidationOptions()
	if err := info.VisitJSON(map[string]any{"subnet_id": "s", "ip": "192.168.0.300"}, opts...); err == nil {
		t.Error("ip 192.168.0.300 passed validation")
	}
	if err := info.VisitJSON(map[string]any{"subnet_id": "s", "ip": "192.168.0.30"}, opts...); err != nil {
		t.Errorf("ip 192.168.0.30: %v", err)
	}
}

// TestGenDoesNotLinkKinOpenAPI keeps the generated client light: programs
// that only embed the client must not pull in kin-openapi.
func TestGenDoesNotLinkKinOpenAPI(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/dnsep/dnsep/gen").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/getkin/") {
			t.Errorf("package gen depends on %s", dep)
		}
	}
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func roundTripJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return decodeJSON(t, b)
}
