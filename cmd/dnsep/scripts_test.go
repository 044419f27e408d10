package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/openapi"
)

var idLine = regexp.MustCompile(`^[0-9a-f]{32}\n$`)

// TestScripts walks the output for scripts through the endpoint, address,
// VPC and rule commands against the fake: -o name, --no-headers, --jq, the
// paging hints, null after delete --wait and errors as JSON, comparing each
// transcript with a golden file.
func TestScripts(t *testing.T) {
	c := newCLI(t,
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "out", Direction: "outbound", IPs: ips(2)}),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "in", Direction: "inbound", IPs: ips(2)}))
	out := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "outbound")[0]
	in := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound")[0]
	inIP := c.jsonIDs("ipaddresses", "ip", "list", in)[0]
	s1, s2 := fake.DefaultSubnetID, fake.DefaultSubnet2ID
	ids := map[string]string{"OUT": out, "IN": in, "INIP": inIP}
	steps := []struct {
		name       string
		args       []string
		code       int
		save       string // the name of the placeholder that stdout, one ID, becomes
		noRequests bool   // a usage error found before any request
	}{
		{"rule-list-empty-name", []string{"rule", "list", "-o", "name"}, 0, "", false},
		{"create-name", []string{"endpoint", "create", "--name", "web", "--direction", "inbound", "--ip", "subnet=" + s1, "--ip", "subnet=" + s2, "-o", "name"}, 0, "NEW", false},
		{"list-name", []string{"endpoint", "list", "--direction", "inbound", "-o", "name"}, 0, "", false},
		{"list-no-headers", []string{"endpoint", "list", "--direction", "inbound", "--no-headers"}, 0, "", false},
		{"list-limit", []string{"endpoint", "list", "--direction", "inbound", "--limit", "1"}, 0, "", false},
		{"list-last-page", []string{"endpoint", "list", "--direction", "inbound", "--limit", "1", "--offset", "1", "-o", "name"}, 0, "", false},
		{"list-jq", []string{"endpoint", "list", "--direction", "inbound", "--jq", ".endpoints[].name"}, 0, "", false},
		{"list-jq-values", []string{"endpoint", "list", "--direction", "inbound", "--jq", ".metadata.total_count, (.endpoints[0] | {id, name}), null, true, [.endpoints[].status]"}, 0, "", false},
		{"ip-list-name", []string{"ip", "list", "NEW", "-o", "name"}, 0, "", false},
		{"ip-list-no-headers", []string{"ip", "list", "NEW", "--no-headers"}, 0, "", false},
		{"ip-bind-name", []string{"ip", "bind", "NEW", "--subnet", s1, "--ip", "192.168.0.99", "-o", "name"}, 0, "", false},
		{"vpc-list-name", []string{"vpc", "list", "-o", "name"}, 0, "", false},
		{"rule-create-name", []string{"rule", "create", "--name", "corp", "--domain", "corp.example.", "--endpoint-id", "OUT", "--target", "10.1.0.53", "-o", "name"}, 0, "RULE", false},
		{"rule-create-lab", []string{"rule", "create", "--name", "lab", "--domain", "lab.example.", "--endpoint-id", "OUT", "--target", "10.1.0.53", "--jq", ".id"}, 0, "RULE2", false},
		{"rule-create-dev", []string{"rule", "create", "--name", "dev", "--domain", "dev.example.", "--endpoint-id", "OUT", "--target", "10.1.0.53", "-o", "name"}, 0, "RULE3", false},
		{"rule-list-limit", []string{"rule", "list", "--limit", "2", "-o", "name"}, 0, "", false},
		{"rule-list-marker", []string{"rule", "list", "--limit", "1", "--marker", "RULE3", "--no-headers"}, 0, "", false},
		{"rule-list-jq", []string{"rule", "list", "--jq", ".resolver_rules[].domain_name"}, 0, "", false},
		{"rule-associate-name", []string{"rule", "associate", "RULE", "--vpc", fake.DefaultVPCID, "-o", "name"}, 0, "", false},
		{"rule-delete-wait-json", []string{"rule", "delete", "RULE3", "--wait", "-o", "json"}, 0, "", false},
		{"delete-wait-json", []string{"endpoint", "delete", "NEW", "--wait", "-o", "json"}, 0, "", false},
		{"rule-delete-wait-yaml", []string{"rule", "delete", "RULE2", "--wait", "-o", "yaml"}, 0, "", false},
		{"error-json-not-found", []string{"endpoint", "show", "0123456789abcdef0123456789abcdef", "-o", "json"}, 3, "", false},
		{"error-json-api", []string{"ip", "unbind", "IN", "INIP", "--jq", ".id"}, 1, "", false},
		{"error-json-usage", []string{"vpc", "list", "--colour", "-o", "json"}, 2, "", true},
		{"error-jq-parse", []string{"vpc", "list", "--jq", ".["}, 2, "", true},
		{"error-jq-format", []string{"vpc", "list", "--jq", ".", "-o", "yaml"}, 2, "", true},
		{"error-jq-runtime", []string{"vpc", "list", "--jq", ".vpcs.id"}, 2, "", false},
		{"error-name-no-ids", []string{"config", "-o", "name"}, 2, "", true},
	}
	for _, st := range steps {
		before := len(c.srv.Server.Requests())
		args := resolve(st.args, ids)
		r := c.run(nil, args...)
		if r.code != st.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", st.name, r.code, st.code, r.stdout, r.stderr)
		}
		if st.noRequests && len(c.srv.Server.Requests()) != before {
			t.Errorf("%s: a usage error sent a request", st.name)
		}
		if st.save != "" {
			if !idLine.MatchString(r.stdout) {
				t.Fatalf("%s: stdout %q, want one ID", st.name, r.stdout)
			}
			ids[st.save] = strings.TrimSpace(r.stdout)
		}
		golden(t, "scripts/"+st.name, c.transcript(args, r))
	}
}

// TestErrorJSON checks the fields of an error under -o json: those of the
// API's answer, and one object on the last line of stderr.
func TestErrorJSON(t *testing.T) {
	c := newCLI(t, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "two", Direction: "inbound", IPs: ips(2)}))
	ep := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound")[0]
	ip := c.jsonIDs("ipaddresses", "ip", "list", ep)[0]
	tests := []struct {
		args []string
		code int
		want jsonError // Message and RequestID are checked for presence only
	}{
		{[]string{"ip", "unbind", ep, ip, "-o", "json"}, 1, jsonError{Code: "DNS.1514", Status: 400, Operation: "DisassociateEndpointIpaddress", RequestID: "?"}},
		{[]string{"endpoint", "show", "0123456789abcdef0123456789abcdef", "-ojson"}, 3, jsonError{Code: "DNS.1510", Status: 404, Operation: "ShowEndpoint", RequestID: "?"}},
		{[]string{"vpc", "list", "--output=json"}, 4, jsonError{Code: "APIGW.0301", Status: 401, Operation: "ListEndpointVpcs", RequestID: "?"}},
		{[]string{"endpoint", "list", "--jq=.", "--direction", "up"}, 2, jsonError{}},
	}
	for _, tt := range tests {
		env := map[string]string{}
		if tt.code == 4 {
			env["HW_AUTH_TOKEN"] = "wrong"
		}
		r := c.run(env, tt.args...)
		if r.code != tt.code {
			t.Errorf("%v: exit %d, want %d", tt.args, r.code, tt.code)
		}
		lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
		var got jsonError
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &got); err != nil {
			t.Errorf("%v: the last line of stderr is no JSON object: %v\n%s", tt.args, err, r.stderr)
			continue
		}
		if got.Message == "" || strings.HasPrefix(got.Message, "dnsep:") {
			t.Errorf("%v: message %q", tt.args, got.Message)
		}
		if got.RequestID != "" && tt.want.RequestID == "?" {
			got.RequestID = "?"
		}
		got.Message = ""
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%v: (-want +got)\n%s", tt.args, diff)
		}
	}
}

// TestTerminalTables: people at a terminal see ages, scripts RFC 3339 times
// under a header that says what they are.
func TestTerminalTables(t *testing.T) {
	c := newCLI(t, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "in", Direction: "inbound", IPs: ips(2)}))
	ep := c.jsonIDs("endpoints", "endpoint", "list", "--direction", "inbound")[0]
	for _, tt := range []struct {
		terminal bool
		args     []string
		want     []string
		not      []string
	}{
		{true, []string{"endpoint", "list", "--direction", "inbound"}, []string{"AGE\n", "  1m\n"}, []string{"CREATED", "2026-"}},
		{false, []string{"endpoint", "list", "--direction", "inbound"}, []string{"CREATED\n", "  2026-11-26T08:00:00Z\n"}, []string{"AGE", " 1m"}},
		{true, []string{"ip", "list", ep}, []string{"AGE\n", "  1m\n"}, []string{"CREATED"}},
		{false, []string{"ip", "list", ep}, []string{"CREATED\n", "  2026-11-26T08:00:00Z\n"}, []string{"AGE"}},
		{true, []string{"endpoint", "show", ep}, []string{"Created:         2026-11-26T08:00:00.000 UTC (1m ago)\n"}, nil},
		{false, []string{"endpoint", "show", ep}, []string{"Created:         2026-11-26T08:00:00Z\n"}, []string{"ago"}},
	} {
		r := c.runWith(t.Context(), func(a *app) { a.outTerminal = tt.terminal }, nil, tt.args...)
		for _, w := range tt.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("terminal %v, %v: no %q in\n%s%s", tt.terminal, tt.args, w, r.stdout, r.stderr)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(r.stdout, w) {
				t.Errorf("terminal %v, %v: %q in\n%s", tt.terminal, tt.args, w, r.stdout)
			}
		}
	}
}

func TestVersionJSON(t *testing.T) {
	doc, err := openapi.Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c := newCLI(t)
	r := c.run(nil, "version", "-o", "json")
	var v map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &v); r.code != 0 || err != nil {
		t.Fatalf("exit %d, %v:\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if v["api_document"] != doc.Info.Version || v["version"] == "" || !strings.HasPrefix(v["go"], "go") || !strings.HasPrefix(v["user_agent"], "dnsep/") {
		t.Errorf("version -o json: %v", v)
	}
	if r := c.run(nil, "version", "--jq", ".api_document"); r.code != 0 || r.stdout != doc.Info.Version+"\n" {
		t.Errorf("version --jq .api_document: exit %d, %q, want %q", r.code, r.stdout, doc.Info.Version)
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json string
		want []string
		ok   bool
	}{
		{`null`, nil, true},
		{`{"id": "a", "routers": [{"router_id": "r"}]}`, []string{"a"}, true},
		{`{"router_id": "r", "status": "ACTIVE"}`, []string{"r"}, true},
		{`{"endpoints": [{"id": "a"}, {"id": "b"}], "metadata": {"total_count": 9}}`, []string{"a", "b"}, true},
		{`{"ipaddresses": []}`, nil, true},
		{`[{"id": "a"}, {"id": "b"}]`, []string{"a", "b"}, true},
		{`{"version": "v1"}`, nil, false},
		{`[{"name": "region", "value": "x"}]`, nil, false},
		{`{"endpoints": [{"name": "no id"}]}`, nil, false},
		{`"text"`, nil, false},
	}
	for _, tt := range tests {
		var v any
		if err := json.Unmarshal([]byte(tt.json), &v); err != nil {
			t.Fatal(err)
		}
		got, ok := names(v)
		if ok != tt.ok || !cmp.Equal(got, tt.want) {
			t.Errorf("names(%s) = %q, %v; want %q, %v", tt.json, got, ok, tt.want, tt.ok)
		}
	}
}

func TestWantsJSON(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"vpc", "list", "-o", "json"}, true},
		{[]string{"vpc", "list", "--output", "json"}, true},
		{[]string{"vpc", "list", "-ojson"}, true},
		{[]string{"vpc", "list", "-o=json"}, true},
		{[]string{"vpc", "list", "--output=json"}, true},
		{[]string{"vpc", "list", "--jq", "."}, true},
		{[]string{"vpc", "list", "--jq=."}, true},
		{[]string{"vpc", "list", "-o", "yaml"}, false},
		{[]string{"vpc", "list", "-o"}, false},
		{[]string{"vpc", "list", "--", "-o", "json"}, false},
		{[]string{"endpoint", "show", "json"}, false},
	} {
		if got := wantsJSON(tt.args); got != tt.want {
			t.Errorf("wantsJSON(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}
