package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	dns "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2/model"
)

// settleReads is how many reads a pending state may take to settle: with
// --delay 0 the fake settles it on the next one.
const settleReads = 3

// missingID is an ID of the right shape that names nothing.
const missingID = "0123456789abcdef0123456789abcdef"

var idShape = regexp.MustCompile(`^[0-9a-f]{32}$`)

// compat is the state that the steps of TestSDKCompat hand on.
type compat struct {
	sdk    *dns.DnsClient
	rec    *recorder
	banner serveBanner

	endpointID, boundIPID string
	ruleID, rule2ID       string
}

// TestSDKCompat proves that the official Go SDK (huaweicloud-sdk-go-v3),
// signing with AK/SK, completes the nine endpoint operations and the seven
// resolver-rule operations against `dnsep serve`, and decodes every answer
// and error: each step checks the values, that the SDK's model holds every
// field the fake sent (nothing it cannot decode), and for each error the
// status, code, message and request ID of the SDK's ServiceResponseError.
func TestSDKCompat(t *testing.T) {
	bin := buildDNSEP(t)
	skFile := filepath.Join(t.TempDir(), "sk")
	if err := os.WriteFile(skFile, []byte(secretKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	proc, banner := startServe(t, bin, "--listen", "127.0.0.1:0", "--access-key", accessKey,
		"--secret-key-file", skFile, "--project-id", projectID, "--delay", "0")
	rec := &recorder{rt: loopback(t)}
	c := &compat{sdk: sdkClient(t, banner.url, accessKey, secretKey, rec, serveWait), rec: rec, banner: banner}

	steps := []struct {
		name string
		run  func(*testing.T, *compat)
	}{
		{"gateway", stepGateway},
		{"create endpoint", stepCreateEndpoint},
		{"list endpoints", stepListEndpoints},
		{"update endpoint", stepUpdateEndpoint},
		{"bind and unbind an address", stepAddresses},
		{"list VPCs", stepListVPCs},
		{"create rules", stepCreateRules},
		{"list rules", stepListRules},
		{"update rule", stepUpdateRule},
		{"associate and disassociate a VPC", stepRouters},
		{"delete rules", stepDeleteRules},
		{"delete endpoint", stepDeleteEndpoint},
	}
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) { s.run(t, c) }) {
			t.FailNow() // each step builds on the ones before
		}
	}
	stopServe(t, proc)
}

// stepGateway: a bad signature is refused at the gateway, and the SDK reads
// the gateway's error_code and error_msg.
func stepGateway(t *testing.T, c *compat) {
	rec := &recorder{rt: loopback(t)}
	bad := sdkClient(t, c.banner.url, accessKey, "not-"+secretKey, rec, serveWait)
	fails(t, rec, "ListResolverRules with a wrong secret key", apiError{401, "APIGW.0301"}, func() (any, error) {
		return bad.ListResolverRules(&model.ListResolverRulesRequest{})
	})
}

func stepCreateEndpoint(t *testing.T, c *compat) {
	b := c.banner
	fails(t, c.rec, "ShowEndpoint of a missing endpoint", apiError{404, "DNS.1510"}, func() (any, error) {
		return c.sdk.ShowEndpoint(&model.ShowEndpointRequest{EndpointId: missingID})
	})
	created := ok(t, c.rec, "CreateEndpoint", func() (*model.CreateEndpointResponse, error) {
		return c.sdk.CreateEndpoint(&model.CreateEndpointRequest{Body: &model.CreateEndpointRequestBody{
			Name: "compat-out", Direction: "outbound", Region: b.region,
			Ipaddresses: []model.IpaddressInfo{{SubnetId: b.subnets[0]}, {SubnetId: b.subnets[0]}},
		}})
	})
	ep := created.Endpoint
	if created.HttpStatusCode != 202 || ep == nil || !idShape.MatchString(str(ep.Id)) {
		t.Fatalf("CreateEndpoint: status %d, endpoint %v; want 202 and an ID of 32 hex digits", created.HttpStatusCode, ep)
	}
	c.endpointID = *ep.Id
	checkTime(t, "CreateEndpoint", ep.CreateTime, ep.UpdateTime)
	if diff := cmp.Diff([]string{"compat-out", "outbound", "PENDING_CREATE"}, []string{str(ep.Name), str(ep.Direction), str(ep.Status)}); diff != "" {
		t.Errorf("CreateEndpoint: name, direction, status (-want +got):\n%s", diff)
	}
	shown := settle(t, c.rec, "ShowEndpoint", func() (*model.ShowEndpointResponse, error) {
		return c.sdk.ShowEndpoint(&model.ShowEndpointRequest{EndpointId: c.endpointID})
	}, func(r *model.ShowEndpointResponse) bool {
		return r.Endpoint != nil && str(r.Endpoint.Status) == "ACTIVE"
	})
	ep = shown.Endpoint
	if str(ep.VpcId) != b.vpc || num(ep.IpaddressCount) != 2 || ep.ResolverRuleCount == nil || *ep.ResolverRuleCount != 0 {
		t.Errorf("ShowEndpoint: VPC %q, %d addresses, %v rules; want %q, 2 and 0", str(ep.VpcId), num(ep.IpaddressCount), ep.ResolverRuleCount, b.vpc)
	}
}

func stepListEndpoints(t *testing.T, c *compat) {
	name := "compat-out"
	all := ok(t, c.rec, "ListEndpoints", func() (*model.ListEndpointsResponse, error) {
		return c.sdk.ListEndpoints(&model.ListEndpointsRequest{Direction: "outbound", Name: &name, VpcId: &c.banner.vpc})
	})
	if got := endpointIDs(all.Endpoints); !slices.Equal(got, []string{c.endpointID}) || total(all.Metadata) != 1 {
		t.Errorf("ListEndpoints by name and VPC: %v, total %d; want [%s], total 1", got, total(all.Metadata), c.endpointID)
	}
	limit, offset := int32(1), int32(1)
	past := ok(t, c.rec, "ListEndpoints past the end", func() (*model.ListEndpointsResponse, error) {
		return c.sdk.ListEndpoints(&model.ListEndpointsRequest{Direction: "outbound", Limit: &limit, Offset: &offset})
	})
	if got := endpointIDs(past.Endpoints); len(got) != 0 || total(past.Metadata) != 1 {
		t.Errorf("ListEndpoints offset 1: %v, total %d; want none, total 1", got, total(past.Metadata))
	}
	inbound := ok(t, c.rec, "ListEndpoints inbound", func() (*model.ListEndpointsResponse, error) {
		return c.sdk.ListEndpoints(&model.ListEndpointsRequest{Direction: "inbound"})
	})
	if got := endpointIDs(inbound.Endpoints); len(got) != 0 || total(inbound.Metadata) != 0 {
		t.Errorf("ListEndpoints inbound: %v, total %d; want none", got, total(inbound.Metadata))
	}
}

func stepUpdateEndpoint(t *testing.T, c *compat) {
	updated := ok(t, c.rec, "UpdateEndpoint", func() (*model.UpdateEndpointResponse, error) {
		return c.sdk.UpdateEndpoint(&model.UpdateEndpointRequest{EndpointId: c.endpointID,
			Body: &model.UpdateEndpointRequestBody{Name: "compat-outbound"}})
	})
	if ep := updated.Endpoint; ep == nil || str(ep.Name) != "compat-outbound" || str(ep.Id) != c.endpointID {
		t.Errorf("UpdateEndpoint: %v, want endpoint %s named compat-outbound", ep, c.endpointID)
	}
}

func stepAddresses(t *testing.T, c *compat) {
	ip := "192.168.1.10"
	if c.banner.cidrs[1] != "192.168.1.0/24" {
		t.Fatalf("second subnet %s, want 192.168.1.0/24 (the fake's default)", c.banner.cidrs[1])
	}
	fails(t, c.rec, "AssociateEndpointIpaddress of the gateway address", apiError{400, "DNS.1507"}, func() (any, error) {
		gw := "192.168.1.1"
		return c.sdk.AssociateEndpointIpaddress(&model.AssociateEndpointIpaddressRequest{EndpointId: c.endpointID,
			Body: &model.Ipaddresses{Ipaddress: &model.IpaddressInfo{SubnetId: c.banner.subnets[1], Ip: &gw}}})
	})
	bound := ok(t, c.rec, "AssociateEndpointIpaddress", func() (*model.AssociateEndpointIpaddressResponse, error) {
		return c.sdk.AssociateEndpointIpaddress(&model.AssociateEndpointIpaddressRequest{EndpointId: c.endpointID,
			Body: &model.Ipaddresses{Ipaddress: &model.IpaddressInfo{SubnetId: c.banner.subnets[1], Ip: &ip}}})
	})
	if bound.HttpStatusCode != 202 || bound.Endpoint == nil || str(bound.Endpoint.Status) != "PENDING_CREATE" {
		t.Errorf("AssociateEndpointIpaddress: status %d, endpoint %v; want 202 and PENDING_CREATE", bound.HttpStatusCode, bound.Endpoint)
	}
	listIPs := func() (*model.ListEndpointIpaddressesResponse, error) {
		return c.sdk.ListEndpointIpaddresses(&model.ListEndpointIpaddressesRequest{EndpointId: c.endpointID})
	}
	ips := settle(t, c.rec, "ListEndpointIpaddresses", listIPs, func(r *model.ListEndpointIpaddressesResponse) bool {
		return allIPs(r, "ACTIVE") && len(*r.Ipaddresses) == 3
	})
	for _, a := range *ips.Ipaddresses {
		checkTime(t, "ListEndpointIpaddresses", a.CreateTime, a.UpdateTime)
		if str(a.Ip) == ip {
			c.boundIPID = str(a.Id)
		}
	}
	if !idShape.MatchString(c.boundIPID) {
		t.Fatalf("ListEndpointIpaddresses: no address %s with an ID of 32 hex digits", ip)
	}

	unbound := ok(t, c.rec, "DisassociateEndpointIpaddress", func() (*model.DisassociateEndpointIpaddressResponse, error) {
		return c.sdk.DisassociateEndpointIpaddress(&model.DisassociateEndpointIpaddressRequest{EndpointId: c.endpointID, IpaddressId: c.boundIPID})
	})
	if ep := unbound.Endpoint; ep == nil || str(ep.Status) != "ACTIVE" || num(ep.IpaddressCount) != 3 {
		t.Errorf("DisassociateEndpointIpaddress: %v, want ACTIVE, still counting 3 addresses", ep)
	}
	settle(t, c.rec, "ListEndpointIpaddresses after the unbind", listIPs, func(r *model.ListEndpointIpaddressesResponse) bool {
		return allIPs(r, "ACTIVE") && len(*r.Ipaddresses) == 2
	})
	fails(t, c.rec, "DisassociateEndpointIpaddress below two addresses", apiError{400, "DNS.1514"}, func() (any, error) {
		ips := ok(t, c.rec, "ListEndpointIpaddresses", listIPs)
		return c.sdk.DisassociateEndpointIpaddress(&model.DisassociateEndpointIpaddressRequest{EndpointId: c.endpointID, IpaddressId: str((*ips.Ipaddresses)[0].Id)})
	})
}

func stepListVPCs(t *testing.T, c *compat) {
	vpcs := ok(t, c.rec, "ListEndpointVpcs", func() (*model.ListEndpointVpcsResponse, error) {
		return c.sdk.ListEndpointVpcs(&model.ListEndpointVpcsRequest{VpcId: &c.banner.vpc})
	})
	if vpcs.Vpcs == nil || len(*vpcs.Vpcs) != 1 || total(vpcs.Metadata) != 1 {
		t.Fatalf("ListEndpointVpcs: %v, total %d; want the default VPC alone", vpcs.Vpcs, total(vpcs.Metadata))
	}
	v := (*vpcs.Vpcs)[0]
	if str(v.Id) != c.banner.vpc || num(v.OutboundEndpointCount) != 1 || num(v.InboundEndpointCount) != 0 {
		t.Errorf("ListEndpointVpcs: VPC %s with %d outbound and %d inbound endpoints; want %s with 1 and 0",
			str(v.Id), num(v.OutboundEndpointCount), num(v.InboundEndpointCount), c.banner.vpc)
	}
}

// createRule creates a rule with the SDK and checks the answer.
func createRule(t *testing.T, c *compat, name, domain string, targets ...string) string {
	t.Helper()
	created := ok(t, c.rec, "CreateResolverRule", func() (*model.CreateResolverRuleResponse, error) {
		return c.sdk.CreateResolverRule(&model.CreateResolverRuleRequest{Body: &model.CreateResolverRuleRequestBody{
			Name: name, DomainName: domain, EndpointId: c.endpointID, Ipaddresses: ipInfos(targets),
		}})
	})
	r := created.ResolverRule
	if created.HttpStatusCode != 202 || r == nil || !idShape.MatchString(str(r.Id)) {
		t.Fatalf("CreateResolverRule: status %d, rule %v; want 202 and an ID of 32 hex digits", created.HttpStatusCode, r)
	}
	checkTime(t, "CreateResolverRule", r.CreateTime, r.UpdateTime)
	want := []string{name, domain + ".", c.endpointID, "PENDING_CREATE", "FORWARD"}
	got := []string{str(r.Name), str(r.DomainName), str(r.EndpointId), str(r.Status), str(r.RuleType)}
	if diff := cmp.Diff(want, got); diff != "" || num(r.IpaddressCount) != len(targets) {
		t.Errorf("CreateResolverRule: name, domain (with its dot), endpoint, status, type (-want +got):\n%s\naddresses %d, want %d",
			diff, num(r.IpaddressCount), len(targets))
	}
	return *r.Id
}

func stepCreateRules(t *testing.T, c *compat) {
	fails(t, c.rec, "CreateResolverRule on a missing endpoint", apiError{404, "DNS.1510"}, func() (any, error) {
		return c.sdk.CreateResolverRule(&model.CreateResolverRuleRequest{Body: &model.CreateResolverRuleRequestBody{
			Name: "orphan", DomainName: "orphan.example", EndpointId: missingID, Ipaddresses: ipInfos([]string{"10.0.0.1"}),
		}})
	})
	fails(t, c.rec, "CreateResolverRule with a repeated target", apiError{400, "DNS.1506"}, func() (any, error) {
		return c.sdk.CreateResolverRule(&model.CreateResolverRuleRequest{Body: &model.CreateResolverRuleRequestBody{
			Name: "twice", DomainName: "twice.example", EndpointId: c.endpointID, Ipaddresses: ipInfos([]string{"10.0.0.1", "10.0.0.1"}),
		}})
	})
	c.ruleID = createRule(t, c, "compat-rule", "corp.example.com", "10.0.0.1", "10.0.0.2")
	shown := settle(t, c.rec, "ShowResolverRule", showRule(c, c.ruleID), ruleStatus("ACTIVE"))
	r := shown.ResolverRule
	if got := targets(r.Ipaddresses); !slices.Equal(got, []string{"10.0.0.1", "10.0.0.2"}) {
		t.Errorf("ShowResolverRule: targets %v, want [10.0.0.1 10.0.0.2]", got)
	}
	if r.Routers == nil || len(*r.Routers) != 0 {
		t.Errorf("ShowResolverRule: routers %v, want an empty list", r.Routers)
	}
	c.rule2ID = createRule(t, c, "compat-rule-2", "other.example.org", "10.0.1.1")
	settle(t, c.rec, "ShowResolverRule", showRule(c, c.rule2ID), ruleStatus("ACTIVE"))

	ep := ok(t, c.rec, "ShowEndpoint", func() (*model.ShowEndpointResponse, error) {
		return c.sdk.ShowEndpoint(&model.ShowEndpointRequest{EndpointId: c.endpointID})
	})
	if n := num(ep.Endpoint.ResolverRuleCount); n != 2 {
		t.Errorf("ShowEndpoint: resolver_rule_count %d, want 2", n)
	}
	fails(t, c.rec, "DeleteEndpoint with rules", apiError{400, "DNS.0608"}, func() (any, error) {
		return c.sdk.DeleteEndpoint(&model.DeleteEndpointRequest{EndpointId: c.endpointID})
	})
}

func stepListRules(t *testing.T, c *compat) {
	list := func(req model.ListResolverRulesRequest) func() (*model.ListResolverRulesResponse, error) {
		return func() (*model.ListResolverRulesResponse, error) { return c.sdk.ListResolverRules(&req) }
	}
	domain, name, limit, offset := "corp.example.com", "compat-rule-2", int32(1), int32(1)
	cases := []struct {
		name  string
		req   model.ListResolverRulesRequest
		want  []string
		total int
		next  string // page_info.next_marker
	}{
		{"all", model.ListResolverRulesRequest{}, []string{c.ruleID, c.rule2ID}, 2, ""},
		{"by domain without its dot", model.ListResolverRulesRequest{DomainName: &domain}, []string{c.ruleID}, 1, ""},
		{"by name", model.ListResolverRulesRequest{Name: &name}, []string{c.rule2ID}, 1, ""},
		{"by endpoint", model.ListResolverRulesRequest{EndpointId: &c.endpointID}, []string{c.ruleID, c.rule2ID}, 2, ""},
		{"by ID", model.ListResolverRulesRequest{Id: &c.rule2ID}, []string{c.rule2ID}, 1, ""},
		{"first page", model.ListResolverRulesRequest{Limit: &limit}, []string{c.ruleID}, 2, c.ruleID},
		{"by offset", model.ListResolverRulesRequest{Limit: &limit, Offset: &offset}, []string{c.rule2ID}, 2, ""},
		{"by marker", model.ListResolverRulesRequest{Limit: &limit, Marker: &c.ruleID}, []string{c.rule2ID}, 2, ""},
		{"past the end", model.ListResolverRulesRequest{Offset: ptr(int32(5))}, []string{}, 2, ""},
	}
	for _, tc := range cases {
		got := ok(t, c.rec, "ListResolverRules "+tc.name, list(tc.req))
		ids := []string{}
		for _, r := range deref(got.ResolverRules) {
			ids = append(ids, str(r.Id))
			if r.Routers == nil || str(r.Status) != "ACTIVE" || str(r.RuleType) != "FORWARD" {
				t.Errorf("ListResolverRules %s: rule %s is %s of type %s with routers %v; want ACTIVE, FORWARD, a list",
					tc.name, str(r.Id), str(r.Status), str(r.RuleType), r.Routers)
			}
		}
		next := ""
		if got.PageInfo != nil {
			next = str(got.PageInfo.NextMarker)
		}
		if diff := cmp.Diff(tc.want, ids); diff != "" || total(got.Metadata) != tc.total || next != tc.next {
			t.Errorf("ListResolverRules %s: IDs (-want +got):\n%s\ntotal %d, want %d; next marker %q, want %q",
				tc.name, diff, total(got.Metadata), tc.total, next, tc.next)
		}
		if tc.next != "" {
			checkNextLink(t, got.Links, tc.next)
		}
	}
	fails(t, c.rec, "ListResolverRules with an unknown marker", apiError{400, "DNS.0007"}, func() (any, error) {
		return c.sdk.ListResolverRules(&model.ListResolverRulesRequest{Marker: ptr(missingID)})
	})
}

// checkNextLink checks that links.next asks for the page after marker.
func checkNextLink(t *testing.T, links *model.PageLink, marker string) {
	t.Helper()
	if links == nil {
		t.Errorf("ListResolverRules: no links on a page with more after it")
		return
	}
	u, err := url.Parse(str(links.Next))
	if err != nil || u.Path != "/v2.1/resolverrules" || u.Query().Get("marker") != marker {
		t.Errorf("ListResolverRules: links.next %q, want /v2.1/resolverrules with marker=%s", str(links.Next), marker)
	}
}

func stepUpdateRule(t *testing.T, c *compat) {
	fails(t, c.rec, "UpdateResolverRule of a missing rule", apiError{404, "DNS.1601"}, func() (any, error) {
		return c.sdk.UpdateResolverRule(&model.UpdateResolverRuleRequest{ResolverruleId: missingID,
			Body: &model.UpdateResolverRuleRequestBody{Name: ptr("nobody")}})
	})
	newTargets := ipInfos([]string{"10.0.0.3", "10.0.0.4", "10.0.0.5"})
	updated := ok(t, c.rec, "UpdateResolverRule", func() (*model.UpdateResolverRuleResponse, error) {
		return c.sdk.UpdateResolverRule(&model.UpdateResolverRuleRequest{ResolverruleId: c.ruleID,
			Body: &model.UpdateResolverRuleRequestBody{Name: ptr("compat-rule-renamed"), Ipaddresses: &newTargets}})
	})
	if r := updated.ResolverRule; updated.HttpStatusCode != 202 || r == nil || str(r.Name) != "compat-rule-renamed" || num(r.IpaddressCount) != 3 {
		t.Errorf("UpdateResolverRule: status %d, rule %v; want 202, renamed, 3 addresses", updated.HttpStatusCode, r)
	}
	shown := settle(t, c.rec, "ShowResolverRule", showRule(c, c.ruleID), ruleStatus("ACTIVE"))
	if got := targets(shown.ResolverRule.Ipaddresses); !slices.Equal(got, []string{"10.0.0.3", "10.0.0.4", "10.0.0.5"}) {
		t.Errorf("ShowResolverRule after the update: targets %v, want the new three alone", got)
	}
}

func stepRouters(t *testing.T, c *compat) {
	router := func(id string) *model.AssociateOrDisassociateRouterWithRuleRequestBody {
		return &model.AssociateOrDisassociateRouterWithRuleRequestBody{Router: &model.RouterForRule{RouterId: id}}
	}
	associate := func(rule, vpc string) func() (*model.AssociateResolverRuleRouterResponse, error) {
		return func() (*model.AssociateResolverRuleRouterResponse, error) {
			return c.sdk.AssociateResolverRuleRouter(&model.AssociateResolverRuleRouterRequest{ResolverruleId: rule, Body: router(vpc)})
		}
	}
	disassociate := func() (*model.DisassociateResolverRuleRouterResponse, error) {
		return c.sdk.DisassociateResolverRuleRouter(&model.DisassociateResolverRuleRouterRequest{ResolverruleId: c.ruleID, Body: router(c.banner.vpc)})
	}
	vpc, region := c.banner.vpc, c.banner.region

	fails(t, c.rec, "AssociateResolverRuleRouter of an unknown VPC", apiError{404, "DNS.0711"}, func() (any, error) {
		return associate(c.ruleID, "00000000-0000-4000-8000-000000000000")()
	})
	a := ok(t, c.rec, "AssociateResolverRuleRouter", associate(c.ruleID, vpc))
	if diff := cmp.Diff([]string{vpc, region, "PENDING_CREATE"}, []string{str(a.RouterId), str(a.RouterRegion), str(a.Status)}); diff != "" || a.HttpStatusCode != 202 {
		t.Errorf("AssociateResolverRuleRouter: status %d; router, region, status (-want +got):\n%s", a.HttpStatusCode, diff)
	}
	shown := settle(t, c.rec, "ShowResolverRule", showRule(c, c.ruleID), func(r *model.ShowResolverRuleResponse) bool {
		return r.ResolverRule != nil && len(deref(r.ResolverRule.Routers)) == 1 && str((*r.ResolverRule.Routers)[0].Status) == "ACTIVE"
	})
	if rt := (*shown.ResolverRule.Routers)[0]; rt.RouterId != vpc || str(rt.RouterRegion) != region {
		t.Errorf("ShowResolverRule: router %s in %s, want %s in %s", rt.RouterId, str(rt.RouterRegion), vpc, region)
	}
	fails(t, c.rec, "AssociateResolverRuleRouter twice", apiError{400, "DNS.0212"}, func() (any, error) {
		return associate(c.ruleID, vpc)()
	})
	a2 := ok(t, c.rec, "AssociateResolverRuleRouter of the same VPC to a rule for another domain", associate(c.rule2ID, vpc))
	if str(a2.Status) != "PENDING_CREATE" {
		t.Errorf("AssociateResolverRuleRouter of the second rule: status %s, want PENDING_CREATE", str(a2.Status))
	}
	listed := settle(t, c.rec, "ListResolverRules", func() (*model.ListResolverRulesResponse, error) {
		return c.sdk.ListResolverRules(&model.ListResolverRulesRequest{Id: &c.rule2ID})
	}, func(r *model.ListResolverRulesResponse) bool {
		rules := deref(r.ResolverRules)
		return len(rules) == 1 && len(deref(rules[0].Routers)) == 1 && str((*rules[0].Routers)[0].Status) == "ACTIVE"
	})
	if rt := (*deref(listed.ResolverRules)[0].Routers)[0]; rt.RouterId != vpc {
		t.Errorf("ListResolverRules: router %s, want %s", rt.RouterId, vpc)
	}

	d := ok(t, c.rec, "DisassociateResolverRuleRouter", disassociate)
	if diff := cmp.Diff([]string{vpc, region, "PENDING_DELETE"}, []string{str(d.RouterId), str(d.RouterRegion), str(d.Status)}); diff != "" || d.HttpStatusCode != 202 {
		t.Errorf("DisassociateResolverRuleRouter: status %d; router, region, status (-want +got):\n%s", d.HttpStatusCode, diff)
	}
	settle(t, c.rec, "ShowResolverRule", showRule(c, c.ruleID), func(r *model.ShowResolverRuleResponse) bool {
		return r.ResolverRule != nil && r.ResolverRule.Routers != nil && len(*r.ResolverRule.Routers) == 0
	})
	fails(t, c.rec, "DisassociateResolverRuleRouter of a VPC the rule does not have", apiError{400, "DNS.0707"}, func() (any, error) {
		return disassociate()
	})
}

func stepDeleteRules(t *testing.T, c *compat) {
	for _, id := range []string{c.ruleID, c.rule2ID} {
		deleted := ok(t, c.rec, "DeleteResolverRule", func() (*model.DeleteResolverRuleResponse, error) {
			return c.sdk.DeleteResolverRule(&model.DeleteResolverRuleRequest{ResolverruleId: id})
		})
		if r := deleted.ResolverRule; deleted.HttpStatusCode != 202 || r == nil || str(r.Id) != id || str(r.Status) != "PENDING_DELETE" {
			t.Errorf("DeleteResolverRule: status %d, rule %v; want 202 and %s PENDING_DELETE", deleted.HttpStatusCode, r, id)
		}
		tomb := settle(t, c.rec, "ShowResolverRule of a deleted rule", showRule(c, id), ruleStatus("DELETED"))
		if r := tomb.ResolverRule; str(r.Id) != id || len(deref(r.Routers)) != 0 {
			t.Errorf("ShowResolverRule of a deleted rule: %s with routers %v, want %s with none", str(r.Id), r.Routers, id)
		}
	}
	fails(t, c.rec, "DeleteResolverRule of a deleted rule", apiError{404, "DNS.1601"}, func() (any, error) {
		return c.sdk.DeleteResolverRule(&model.DeleteResolverRuleRequest{ResolverruleId: c.ruleID})
	})
	fails(t, c.rec, "ShowResolverRule of an unknown rule", apiError{404, "DNS.1601"}, func() (any, error) {
		return c.sdk.ShowResolverRule(&model.ShowResolverRuleRequest{ResolverruleId: missingID})
	})
	left := ok(t, c.rec, "ListResolverRules", func() (*model.ListResolverRulesResponse, error) {
		return c.sdk.ListResolverRules(&model.ListResolverRulesRequest{})
	})
	if n := len(deref(left.ResolverRules)); n != 0 || total(left.Metadata) != 0 {
		t.Errorf("ListResolverRules after the deletes: %d rules, total %d; want none", n, total(left.Metadata))
	}
}

func stepDeleteEndpoint(t *testing.T, c *compat) {
	deleted := ok(t, c.rec, "DeleteEndpoint", func() (*model.DeleteEndpointResponse, error) {
		return c.sdk.DeleteEndpoint(&model.DeleteEndpointRequest{EndpointId: c.endpointID})
	})
	if ep := deleted.Endpoint; deleted.HttpStatusCode != 202 || ep == nil || str(ep.Status) != "PENDING_DELETE" || num(ep.ResolverRuleCount) != 0 {
		t.Errorf("DeleteEndpoint: status %d, endpoint %v; want 202, PENDING_DELETE, no rules", deleted.HttpStatusCode, ep)
	}
	fails(t, c.rec, "ShowEndpoint of a deleted endpoint", apiError{404, "DNS.1510"}, func() (any, error) {
		return c.sdk.ShowEndpoint(&model.ShowEndpointRequest{EndpointId: c.endpointID})
	})
}

// ok makes a call that must succeed, and checks that the answer carried a
// request ID and that the SDK's model holds all of it.
func ok[R any](t *testing.T, rec *recorder, op string, call func() (R, error)) R {
	t.Helper()
	resp, err := call()
	ex := rec.lastExchange()
	if err != nil {
		t.Fatalf("%s: %v\nexchange:\n%s", op, err, ex)
	}
	if ex.header.Get("X-Request-Id") == "" {
		t.Errorf("%s: the answer has no X-Request-Id", op)
	}
	decodedAll(t, op, ex, resp)
	return resp
}

// decodedAll checks that the SDK's model holds every field of the answer.
func decodedAll(t *testing.T, op string, ex exchange, resp any) {
	t.Helper()
	diff, err := decodeDiff(ex.body, resp)
	if err != nil {
		t.Errorf("%s: %v\nexchange:\n%s", op, err, ex)
	} else if diff != "" {
		t.Errorf("%s: the SDK's model differs from the answer (-answer +decoded):\n%s\nexchange:\n%s", op, diff, ex)
	}
}

// decodeDiff compares an answer with the model the SDK decoded it into,
// encoded again: they must be the same JSON once nulls are dropped (the
// SDK's pointers with omitempty make null and absent one). A difference is
// a field the SDK cannot decode, or decodes differently.
func decodeDiff(body []byte, resp any) (string, error) {
	var want, got any
	if err := json.Unmarshal(body, &want); err != nil {
		return "", fmt.Errorf("the answer is not JSON: %w", err)
	}
	b, err := json.Marshal(resp)
	if err == nil {
		err = json.Unmarshal(b, &got)
	}
	if err != nil {
		return "", fmt.Errorf("encoding the SDK's model: %w", err)
	}
	return cmp.Diff(dropNulls(want), got), nil
}

func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e == nil {
				delete(v, k)
			} else {
				v[k] = dropNulls(e)
			}
		}
	case []any:
		for i, e := range v {
			v[i] = dropNulls(e)
		}
	}
	return v
}

// apiError is what a test expects of a failed call.
type apiError struct {
	Status int
	Code   string
}

// fails makes a call that must fail with want, and checks that the SDK's
// ServiceResponseError holds the status, the code and the message of the
// answer and the request ID of its X-Request-Id header.
func fails(t *testing.T, rec *recorder, op string, want apiError, call func() (any, error)) {
	t.Helper()
	_, err := call()
	ex := rec.lastExchange()
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) {
		t.Fatalf("%s: error %v (%T), want a *sdkerr.ServiceResponseError\nexchange:\n%s", op, err, err, ex)
	}
	var body struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		ErrorCode string `json:"error_code"`
		ErrorMsg  string `json:"error_msg"`
	}
	_ = json.Unmarshal(ex.body, &body) // a body that is no JSON leaves the strings empty, caught below
	if body.ErrorCode != "" {          // the gateway's shape
		body.Code, body.Message = body.ErrorCode, body.ErrorMsg
	}
	if diff := cmp.Diff(want, apiError{se.StatusCode, se.ErrorCode}); diff != "" {
		t.Errorf("%s: status and code (-want +got):\n%s\nexchange:\n%s", op, diff, ex)
	}
	if se.ErrorMessage == "" || se.ErrorMessage != body.Message || se.ErrorCode != body.Code {
		t.Errorf("%s: the SDK's code and message %q, %q; the answer's %q, %q\nexchange:\n%s",
			op, se.ErrorCode, se.ErrorMessage, body.Code, body.Message, ex)
	}
	if id := ex.header.Get("X-Request-Id"); id == "" || se.RequestId != id {
		t.Errorf("%s: the SDK's request ID %q, the answer's X-Request-Id %q", op, se.RequestId, id)
	}
}

// settle reads until done holds: at most settleReads times, as --delay 0
// settles a pending state on the next read.
func settle[R any](t *testing.T, rec *recorder, op string, call func() (R, error), done func(R) bool) R {
	t.Helper()
	for range settleReads {
		if resp := ok(t, rec, op, call); done(resp) {
			return resp
		}
	}
	t.Fatalf("%s: not settled after %d reads with --delay 0; the last:\n%s", op, settleReads, rec.lastExchange())
	panic("unreachable")
}

func showRule(c *compat, id string) func() (*model.ShowResolverRuleResponse, error) {
	return func() (*model.ShowResolverRuleResponse, error) {
		return c.sdk.ShowResolverRule(&model.ShowResolverRuleRequest{ResolverruleId: id})
	}
}

func ruleStatus(want string) func(*model.ShowResolverRuleResponse) bool {
	return func(r *model.ShowResolverRuleResponse) bool {
		return r.ResolverRule != nil && str(r.ResolverRule.Status) == want
	}
}

// checkTime checks the API's zone-less timestamps.
func checkTime(t *testing.T, op string, stamps ...*string) {
	t.Helper()
	for _, s := range stamps {
		if _, err := time.Parse("2006-01-02T15:04:05.000", str(s)); err != nil {
			t.Errorf("%s: timestamp %q: %v", op, str(s), err)
		}
	}
}

func ipInfos(ips []string) []model.IpInfo {
	out := make([]model.IpInfo, len(ips))
	for i := range ips {
		out[i].Ip = &ips[i]
	}
	return out
}

// targets returns a rule's target addresses, sorted: the service does not
// keep their order.
func targets(ips *[]model.IpValue) []string {
	var out []string
	for _, ip := range deref(ips) {
		out = append(out, str(ip.Ip))
	}
	slices.Sort(out)
	return out
}

func allIPs(r *model.ListEndpointIpaddressesResponse, status string) bool {
	for _, a := range deref(r.Ipaddresses) {
		if str(a.Status) != status {
			return false
		}
	}
	return r.Ipaddresses != nil
}

func endpointIDs(eps *[]model.EndpointResp) []string {
	var out []string
	for _, ep := range deref(eps) {
		out = append(out, str(ep.Id))
	}
	return out
}

func total(m *model.Metadata) int {
	if m == nil {
		return -1
	}
	return num(m.TotalCount)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func num(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

func deref[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

// TestDecodeDiff shows that decodeDiff sees what the SDK loses: a field its
// model lacks, a value of another type, and nothing for a null.
func TestDecodeDiff(t *testing.T) {
	tests := []struct {
		name, body string
		same       bool
	}{
		{"all decoded", `{"resolver_rule":{"id":"a","ipaddress_count":2}}`, true},
		{"null dropped", `{"resolver_rule":{"id":"a","ipaddress_count":2,"name":null}}`, true},
		{"unknown field", `{"resolver_rule":{"id":"a","ipaddress_count":2,"port":53}}`, false},
		{"unknown top-level field", `{"resolver_rule":{"id":"a","ipaddress_count":2},"extra":{}}`, false},
		{"number as text", `{"resolver_rule":{"id":"a","ipaddress_count":"2"}}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// What the SDK decodes from the first body; the others it
			// would decode the same way or not at all.
			resp := &model.CreateResolverRuleResponse{ResolverRule: &model.ResolverRuleParam{Id: ptr("a"), IpaddressCount: ptr(int32(2))}}
			diff, err := decodeDiff([]byte(tc.body), resp)
			if err != nil {
				t.Fatal(err)
			}
			if (diff == "") != tc.same {
				t.Errorf("decodeDiff(%s): diff %q, want a difference: %v", tc.body, diff, !tc.same)
			}
		})
	}
}
