package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/gen"
)

func twoIPs() []gen.IpaddressInfo {
	return []gen.IpaddressInfo{{SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnet2ID}}
}

// otherVPC is a VPC whose subnet's network ID differs from its ID, as on
// the real service.
var otherVPC = fake.VPC{ID: "0d5b7a34-5f2e-4a67-9f3b-2c1d0e9f8a77", Subnets: []fake.Subnet{
	{ID: "7e1f0c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b", NeutronID: "aa11bb22-cc33-4d44-8e55-ff6677889900", CIDR: "10.20.0.0/24"},
}}

func TestEndpointsAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, []fake.Option{fake.WithDelay(time.Minute), fake.WithVPC(otherVPC)})
	in := e.createEndpoint("in-1", "inbound", fake.DefaultSubnetID, fake.DefaultSubnetID, fake.DefaultSubnet2ID)
	out := e.createEndpoint("out-1", "outbound", otherVPC.Subnets[0].ID, otherVPC.Subnets[0].ID)
	b := e.login()

	var v endpointsView
	b.getJSON("/dashboard/api/endpoints", &v)
	if len(v.Inbound) != 1 || len(v.Outbound) != 1 || v.Region != "cn-north-4" {
		t.Fatalf("%+v", v)
	}
	if ep := v.Inbound[0]; ep.ID != in || ep.Status != "PENDING_CREATE" || !ep.Pending || ep.VPC != "" || ep.IPCount != 0 {
		t.Errorf("a new endpoint: %+v, want PENDING_CREATE, pending, no VPC yet", ep)
	}

	e.tick(2 * time.Minute)
	b.getJSON("/dashboard/api/endpoints", &v)
	ep := v.Inbound[0]
	if ep.Status != "ACTIVE" || ep.Pending || ep.VPC != fake.DefaultVPCID || ep.IPCount != 3 || ep.Age != "2m0s" {
		t.Errorf("settled: %+v", ep)
	}
	var subnets []string
	for _, sn := range ep.Subnets {
		subnets = append(subnets, fmt.Sprintf("%s %s %d", sn.ID, sn.CIDR, len(sn.Addresses)))
	}
	slices.Sort(subnets)
	want := []string{fake.DefaultSubnetID + " 192.168.0.0/24 2", fake.DefaultSubnet2ID + " 192.168.1.0/24 1"}
	slices.Sort(want)
	if diff := cmp.Diff(want, subnets); diff != "" {
		t.Errorf("addresses by subnet (-want +got):\n%s", diff)
	}
	// The network ID an address list reports maps back to the subnet.
	if o := v.Outbound[0]; o.ID != out || len(o.Subnets) != 1 || o.Subnets[0].ID != otherVPC.Subnets[0].ID || o.Subnets[0].CIDR != "10.20.0.0/24" {
		t.Errorf("outbound in a VPC with network IDs: %+v", o)
	}

	// A new address shows pending beside the others; a rule and its VPC.
	resp, body := e.api(http.MethodPost, "/v2.1/resolverrules",
		`{"name":"corp","domain_name":"corp.example.","endpoint_id":"`+out+`","ipaddresses":[{"ip":"10.1.0.53"},{"ip":"10.1.1.53"}]}`)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("rule: %d %s", resp.StatusCode, body)
	}
	var rule struct {
		ResolverRule struct{ ID string } `json:"resolver_rule"`
	}
	if err := json.Unmarshal(body, &rule); err != nil {
		t.Fatal(err)
	}
	e.tick(2 * time.Minute)
	resp, body = e.api(http.MethodPost, "/v2.1/endpoints/"+in+"/ipaddresses", `{"ipaddress":{"subnet_id":"`+fake.DefaultSubnet2ID+`"}}`)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("bind: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(http.MethodPost, "/v2.1/resolverrules/"+rule.ResolverRule.ID+"/associaterouter", `{"router":{"router_id":"`+fake.DefaultVPCID+`"}}`)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("associate: %d %s", resp.StatusCode, body)
	}
	b.getJSON("/dashboard/api/endpoints", &v)
	var pendingIPs int
	for _, sn := range v.Inbound[0].Subnets {
		for _, a := range sn.Addresses {
			if a.Pending {
				pendingIPs++
			}
		}
	}
	if pendingIPs != 1 || v.Inbound[0].Status != "PENDING_CREATE" || !v.Inbound[0].Pending {
		t.Errorf("after a bind: %d pending addresses (want 1), endpoint %s", pendingIPs, v.Inbound[0].Status)
	}
	if len(v.Rules) != 1 {
		t.Fatalf("rules: %+v", v.Rules)
	}
	r := v.Rules[0]
	wantRule := ruleView{ID: rule.ResolverRule.ID, Name: "corp", Domain: "corp.example.", EndpointID: out, Status: "ACTIVE",
		Targets: []string{"10.1.0.53", "10.1.1.53"}, VPCs: []vpcView{{ID: fake.DefaultVPCID, Status: "PENDING_CREATE", Pending: true}}, Age: "2m0s"}
	slices.Sort(r.Targets)
	if diff := cmp.Diff(wantRule, r); diff != "" {
		t.Errorf("rule (-want +got):\n%s", diff)
	}
	if v.Outbound[0].RuleCount != 1 {
		t.Errorf("rule count %d, want 1", v.Outbound[0].RuleCount)
	}
}

func TestPages(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	b := e.login()
	for path, hooks := range map[string][]string{
		"/dashboard/":         {`<section id="inbound">`, `<section id="outbound">`, `<section id="rules">`, `src="/dashboard/static/endpoints.js"`},
		"/dashboard/requests": {`<table id="requests">`, `<select id="filter-op">`, `<input id="filter-status"`, `<section id="request-detail" hidden>`, `<pre id="detail-request-body">`, `<pre id="detail-response-body">`, `<pre id="detail-headers">`},
		"/dashboard/faults": {`<form id="fault-form"`, `<select id="fault-op">`, `<input id="fault-times"`, `<select id="fault-kind">`,
			`<option value="service-error">`, `<option value="throttled">`, `<option value="html">`, `<option value="delay">`, `<option value="drop">`, `<option value="truncate">`,
			`<input id="fault-status"`, `<input id="fault-code"`, `<input id="fault-message"`, `<input id="fault-retry-after"`, `<input id="fault-delay"`,
			`<button id="fault-submit"`, `<table id="faults">`, `<button id="faults-clear"`, `<button id="reset"`, `<button id="reset-confirm"`, `id="reset-done"`},
	} {
		resp, body := b.get(path)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		page := string(body)
		hooks = append(hooks, `<meta name="csrf-token" content="`+b.csrf+`">`,
			`<a id="nav-endpoints" href="/dashboard/"`, `<a id="nav-requests" href="/dashboard/requests"`, `<a id="nav-faults" href="/dashboard/faults"`)
		for _, h := range hooks {
			if !strings.Contains(page, h) {
				t.Errorf("%s lacks %s", path, h)
			}
		}
	}
	if resp, _ := b.get("/dashboard/static/page.html"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the template is served as a static file: %d", resp.StatusCode)
	}
}

// The scripts render data as text only, and the pages have no inline
// script or style, which the CSP would block anyway.
func TestAssetsRenderDataAsText(t *testing.T) {
	t.Parallel()
	entries, err := assets.ReadDir("assets")
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range entries {
		data, err := assets.ReadFile("assets/" + ent.Name())
		if err != nil {
			t.Fatal(err)
		}
		src := string(data)
		if ent.Name() == "favicon.svg" {
			src = strings.Replace(src, `xmlns="http://www.w3.org/2000/svg"`, "", 1)
		}
		for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
			"style=", " onclick=", " onload=", "javascript:", "http://", "https://", "<script>"} {
			if strings.Contains(src, bad) {
				t.Errorf("%s holds %q", ent.Name(), bad)
			}
		}
	}
}
