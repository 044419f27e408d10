package fake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/gen"
)

// ruleVPC is a second VPC of the inventory, for the association tests.
var ruleVPC = VPC{ID: "5a6b7c8d-0000-4000-8000-000000000002", Subnets: []Subnet{
	{ID: "5a6b7c8d-0000-4000-8000-00000000000a", NeutronID: "5a6b7c8d-0000-4000-8000-00000000000b", CIDR: "10.0.0.0/28"},
}}

// ruleAPI calls a test server through the generated client, with the
// client-side contract check of TestServer.HTTPClient: the rule tests send
// only requests the document allows, so every refusal is the handler's.
type ruleAPI struct {
	t   *testing.T
	c   *gen.ClientWithResponses
	srv *TestServer
	ep  string // the ID of the seeded outbound endpoint, ACTIVE
}

// ruleServer starts a test server with one ACTIVE outbound endpoint and
// ruleVPC, whose PENDING_* states last delay, on a clock that stands at t0
// until the test moves it.
func ruleServer(t *testing.T, delay time.Duration, opts ...Option) (*ruleAPI, *TestClock) {
	t.Helper()
	clk := NewTestClock(t0)
	seed := SeedEndpoint{Name: "ep-out", Direction: gen.DirectionOutbound, IPs: []gen.IpaddressInfo{{SubnetID: DefaultSubnetID}, {SubnetID: DefaultSubnetID}}}
	srv := NewTestServer(t, append([]Option{WithDelay(delay), WithClock(clk.Now), WithVPC(ruleVPC), WithSeedEndpoint(seed)}, opts...)...)
	token := srv.Token
	c, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(srv.HTTPClient(t)),
		gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("X-Auth-Token", token)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return &ruleAPI{t: t, c: c, srv: srv, ep: srv.Server.st.endpoints[0].id}, clk
}

// answer is what every generated response offers.
type answer interface {
	StatusCode() int
	GetBody() []byte
}

// want fails the test unless r has the status and, for an error, the code.
func want[R answer](t *testing.T, r R, err error, status int, code string) R {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var e gen.DNSError
	if r.StatusCode() >= 300 {
		_ = json.Unmarshal(r.GetBody(), &e)
	}
	if r.StatusCode() != status || e.Code != code {
		t.Fatalf("got %d %s, want %d %s", r.StatusCode(), r.GetBody(), status, code)
	}
	return r
}

func targets(ips ...string) []gen.IPInfo {
	out := make([]gen.IPInfo, len(ips))
	for i, ip := range ips {
		out[i].IP = ip
	}
	return out
}

func (a *ruleAPI) create(name, domain, endpointID string, ips ...string) (*gen.CreateResolverRuleResponse, error) {
	return a.c.CreateResolverRuleWithResponse(context.Background(), gen.CreateResolverRuleRequestBody{
		Name: name, DomainName: domain, EndpointID: endpointID, Ipaddresses: targets(ips...)})
}

// mustCreate creates a rule on the seeded endpoint and returns it.
func (a *ruleAPI) mustCreate(name, domain string, ips ...string) gen.ResolverRuleParam {
	a.t.Helper()
	r, err := a.create(name, domain, a.ep, ips...)
	return want(a.t, r, err, http.StatusAccepted, "").JSON202.ResolverRule
}

func (a *ruleAPI) show(id string) (*gen.ShowResolverRuleResponse, error) {
	return a.c.ShowResolverRuleWithResponse(context.Background(), id)
}

func (a *ruleAPI) mustShow(id string) gen.ShowResolverRuleRespParam {
	a.t.Helper()
	r, err := a.show(id)
	return want(a.t, r, err, http.StatusOK, "").JSON200.ResolverRule
}

func (a *ruleAPI) update(id string, body gen.UpdateResolverRuleRequestBody) (*gen.UpdateResolverRuleResponse, error) {
	return a.c.UpdateResolverRuleWithResponse(context.Background(), id, body)
}

func (a *ruleAPI) del(id string) (*gen.DeleteResolverRuleResponse, error) {
	return a.c.DeleteResolverRuleWithResponse(context.Background(), id)
}

func (a *ruleAPI) list(p gen.ListResolverRulesParams) gen.ResolverRuleList {
	a.t.Helper()
	r, err := a.c.ListResolverRulesWithResponse(context.Background(), &p)
	return *want(a.t, r, err, http.StatusOK, "").JSON200
}

func (a *ruleAPI) ruleCount(endpointID string) int {
	a.t.Helper()
	r, err := a.c.ShowEndpointWithResponse(context.Background(), endpointID)
	return want(a.t, r, err, http.StatusOK, "").JSON200.Endpoint.ResolverRuleCount
}

func showIPs(r gen.ShowResolverRuleRespParam) []string {
	var out []string
	for _, v := range r.Ipaddresses {
		out = append(out, v.IP)
	}
	slices.Sort(out) // the service does not keep the order
	return out
}

// TestCreateResolverRule checks the answer to a create and what reads show
// next: the trailing dot, FORWARD, the count, the endpoint's rule count.
func TestCreateResolverRule(t *testing.T) {
	t.Parallel()
	a, _ := ruleServer(t, 0)
	got := a.mustCreate("rule-1", "www.Example.com", "10.0.0.2", "10.0.0.3")
	if got.Status != gen.ResolverRuleStatusPendingCreate || got.DomainName != "www.Example.com." || got.RuleType != "FORWARD" ||
		got.IpaddressCount != 2 || got.EndpointID != a.ep || !isID(got.ID) {
		t.Errorf("create answered %+v", got)
	}
	shown := a.mustShow(got.ID)
	if shown.Status != gen.ResolverRuleStatusActive || len(shown.Routers) != 0 {
		t.Errorf("show: %+v, want ACTIVE without VPCs", shown)
	}
	if diff := cmp.Diff([]string{"10.0.0.2", "10.0.0.3"}, showIPs(shown)); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
	if n := a.ruleCount(a.ep); n != 1 {
		t.Errorf("resolver_rule_count = %d, want 1", n)
	}
	// A name that already has its dot keeps one.
	if d := a.mustCreate("rule-2", "example.org.", "10.0.0.2").DomainName; d != "example.org." {
		t.Errorf("domain name %q, want example.org.", d)
	}
}

// TestCreateResolverRuleRefused sends one valid request per rule of state
// that the handler keeps, and one per request rule that the document keeps.
func TestCreateResolverRuleRefused(t *testing.T) {
	t.Parallel()
	a, _ := ruleServer(t, 0)
	tests := []struct {
		name     string
		endpoint string // "" is the seeded one
		ips      []string
		status   int
		code     string
	}{
		{"repeated target", "", []string{"10.0.0.2", "10.0.0.3", "10.0.0.2"}, 400, codeTargetRepeated},
		{"unknown endpoint", "0123456789abcdef0123456789abcdef", []string{"10.0.0.2"}, 404, "DNS.1510"},
		{"malformed endpoint", "not-an-id", []string{"10.0.0.2"}, 400, "DNS.1509"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := tt.endpoint
			if ep == "" {
				ep = a.ep
			}
			r, err := a.create("rule", "example.com", ep, tt.ips...)
			want(t, r, err, tt.status, tt.code)
		})
	}
	if n := a.ruleCount(a.ep); n != 0 {
		t.Errorf("refused creates left resolver_rule_count = %d", n)
	}
	// The request rules are the document's: the validator in front of the
	// handlers answers with their codes.
	for _, tt := range []struct{ name, body, code string }{
		{"no target", `{"name":"r","domain_name":"example.com","endpoint_id":"` + a.ep + `","ipaddresses":[]}`, "DNS.1514"},
		{"six targets", `{"name":"r","domain_name":"example.com","endpoint_id":"` + a.ep + `","ipaddresses":[{"ip":"1.1.1.1"},{"ip":"1.1.1.2"},{"ip":"1.1.1.3"},{"ip":"1.1.1.4"},{"ip":"1.1.1.5"},{"ip":"1.1.1.6"}]}`, "DNS.1514"},
		{"IPv6 target", `{"name":"r","domain_name":"example.com","endpoint_id":"` + a.ep + `","ipaddresses":[{"ip":"fe80::1"}]}`, "DNS.1515"},
		{"target without ip", `{"name":"r","domain_name":"example.com","endpoint_id":"` + a.ep + `","ipaddresses":[{}]}`, "DNS.1515"},
		{"bad domain", `{"name":"r","domain_name":"-x.example.com","endpoint_id":"` + a.ep + `","ipaddresses":[{"ip":"1.1.1.1"}]}`, "DNS.0202"},
		{"bad name", `{"name":"r r","domain_name":"example.com","endpoint_id":"` + a.ep + `","ipaddresses":[{"ip":"1.1.1.1"}]}`, "DNS.1501"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, code := rawCall(t, a.srv, http.MethodPost, "/v2.1/resolverrules", tt.body)
			if status != http.StatusBadRequest || code != tt.code {
				t.Errorf("got %d %s, want 400 %s", status, code, tt.code)
			}
		})
	}
}

// rawCall sends a request without the client-side contract check, for
// requests that break the document on purpose, and returns the status and
// the error code.
func rawCall(t *testing.T, srv *TestServer, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Auth-Token", srv.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e gen.DNSError
	_ = json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e.Code
}

// TestResolverRuleNeedsActiveEndpoint creates a rule on an endpoint that is
// still being created, then once it is ACTIVE.
func TestResolverRuleNeedsActiveEndpoint(t *testing.T) {
	t.Parallel()
	a, clk := ruleServer(t, time.Minute)
	r, err := a.c.CreateEndpointWithResponse(context.Background(), gen.CreateEndpointRequestBody{
		Name: "ep-new", Direction: gen.DirectionOutbound, Region: "cn-north-4",
		Ipaddresses: []gen.IpaddressInfo{{SubnetID: DefaultSubnetID}, {SubnetID: DefaultSubnetID}}})
	id := want(t, r, err, http.StatusAccepted, "").JSON202.Endpoint.ID
	cr, err := a.create("rule", "example.com", id, "10.0.0.2")
	want(t, cr, err, http.StatusBadRequest, codeEndpointNotActive)
	clk.Add(time.Minute)
	cr, err = a.create("rule", "example.com", id, "10.0.0.2")
	want(t, cr, err, http.StatusAccepted, "")
}

// TestResolverRuleQuota fills a quota of 2; a deleted rule frees its place.
func TestResolverRuleQuota(t *testing.T) {
	t.Parallel()
	a, _ := ruleServer(t, 0, WithRuleQuota(2))
	first := a.mustCreate("r1", "a.example.com", "10.0.0.2")
	a.mustCreate("r2", "b.example.com", "10.0.0.2")
	r, err := a.create("r3", "c.example.com", a.ep, "10.0.0.2")
	want(t, r, err, http.StatusForbidden, codeRuleQuota)
	d, err := a.del(first.ID)
	want(t, d, err, http.StatusAccepted, "")
	a.mustShow(first.ID) // settles the deletion
	a.mustCreate("r3", "c.example.com", "10.0.0.2")
}

// TestResolverRuleDefaultQuota fills the default quota of 50.
func TestResolverRuleDefaultQuota(t *testing.T) {
	t.Parallel()
	a, _ := ruleServer(t, 0)
	for i := range defaultRuleQuota {
		a.mustCreate(fmt.Sprintf("r%d", i), "example.com", fmt.Sprintf("10.0.0.%d", i+1))
	}
	r, err := a.create("r", "example.com", a.ep, "10.0.0.1")
	want(t, r, err, http.StatusForbidden, codeRuleQuota)
}

// TestUpdateResolverRule replaces the targets, then renames only.
func TestUpdateResolverRule(t *testing.T) {
	t.Parallel()
	a, clk := ruleServer(t, 0)
	id := a.mustCreate("rule", "example.com", "10.0.0.2", "10.0.0.3").ID
	clk.Add(time.Second)
	r, err := a.update(id, gen.UpdateResolverRuleRequestBody{Ipaddresses: targets("1.1.1.1")})
	got := want(t, r, err, http.StatusAccepted, "").JSON202.ResolverRule
	if got.Status != gen.ResolverRuleStatusActive || got.IpaddressCount != 1 || got.Name != "rule" || !got.UpdateTime.Time.Equal(t0.Add(time.Second)) {
		t.Errorf("update answered %+v", got)
	}
	if diff := cmp.Diff([]string{"1.1.1.1"}, showIPs(a.mustShow(id))); diff != "" {
		t.Errorf("targets after the update (-want +got):\n%s", diff)
	}
	r, err = a.update(id, gen.UpdateResolverRuleRequestBody{Name: "renamed"})
	want(t, r, err, http.StatusAccepted, "")
	shown := a.mustShow(id)
	if shown.Name != "renamed" || len(shown.Ipaddresses) != 1 {
		t.Errorf("after a rename: %+v", shown)
	}
	r, err = a.update(id, gen.UpdateResolverRuleRequestBody{Ipaddresses: targets("1.1.1.1", "1.1.1.1")})
	want(t, r, err, http.StatusBadRequest, codeTargetRepeated)
}

// TestUnknownResolverRule sends every operation on a rule to an unknown ID.
func TestUnknownResolverRule(t *testing.T) {
	t.Parallel()
	a, _ := ruleServer(t, 0)
	ctx := context.Background()
	const id = "0123456789abcdef0123456789abcdef"
	body := gen.AssociateOrDisassociateRouterWithRuleRequestBody{Router: gen.RouterForRule{RouterID: ruleVPC.ID}}
	checks := map[string]func() (answer, error){
		"show":   func() (answer, error) { return a.show(id) },
		"update": func() (answer, error) { return a.update(id, gen.UpdateResolverRuleRequestBody{Name: "x"}) },
		"delete": func() (answer, error) { return a.del(id) },
		"associate": func() (answer, error) {
			return a.c.AssociateResolverRuleRouterWithResponse(ctx, id, body)
		},
		"disassociate": func() (answer, error) {
			return a.c.DisassociateResolverRuleRouterWithResponse(ctx, id, body)
		},
		"malformed ID": func() (answer, error) { return a.show("x") },
	}
	for name, call := range checks {
		t.Run(name, func(t *testing.T) {
			r, err := call()
			want(t, r, err, http.StatusNotFound, codeRuleNotFound)
		})
	}
}
