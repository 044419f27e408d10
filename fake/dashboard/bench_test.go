package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/gen"
)

// benchSession returns a dashboard of srv and a request with its session.
func benchSession(b *testing.B, srv *fake.Server, path string) (*Dashboard, *http.Request) {
	b.Helper()
	d, err := New(srv)
	if err != nil {
		b.Fatal(err)
	}
	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, d.LoginURL("")+"", nil))
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusSeeOther || len(cookies) != 1 {
		b.Fatalf("login: %d", rec.Code)
	}
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(cookies[0])
	return d, req
}

func serveOK(b *testing.B, d *Dashboard, req *http.Request) int {
	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%d %s", rec.Code, rec.Body)
	}
	return rec.Body.Len()
}

// BenchmarkRequestsAPI is one poll of the Requests page with 10,000
// recorded requests (the recorder's default limit), a tenth of them 404s.
func BenchmarkRequestsAPI(b *testing.B) {
	srv, err := fake.New(fake.WithToken("t"))
	if err != nil {
		b.Fatal(err)
	}
	for i := range 10000 {
		req := httptest.NewRequest(http.MethodGet, "/v2.1/vpcs", nil)
		if i%10 == 0 {
			req = httptest.NewRequest(http.MethodGet, "/v2.1/endpoints/"+strings.Repeat("f", 32), nil)
		}
		req.Header.Set("X-Auth-Token", "t")
		srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	if n := len(srv.Requests()); n != 10000 {
		b.Fatalf("%d recorded", n)
	}
	for _, bm := range []struct{ name, query string }{
		{"unfiltered", ""},
		{"status=4xx", "?status=4xx"},
		{"op=ShowEndpoint", "?op=ShowEndpoint"},
		{"no match", "?op=DeleteEndpoint"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			d, req := benchSession(b, srv, "/dashboard/api/requests"+bm.query)
			b.ReportAllocs()
			for b.Loop() {
				serveOK(b, d, req)
			}
		})
	}
}

// BenchmarkEndpointsAPI is one poll of the Endpoints page with the most
// endpoints the default quotas allow (50 inbound and 50 outbound, 6
// addresses each) and the default rule quota (50 rules, each with a VPC).
func BenchmarkEndpointsAPI(b *testing.B) {
	srv, err := fake.New(fake.WithVPC(fake.VPC{ID: "5a1b2c3d-0000-4000-8000-000000000001", Subnets: []fake.Subnet{
		{ID: "5a1b2c3d-0000-4000-8000-000000000002", CIDR: "10.0.0.0/16"},
		{ID: "5a1b2c3d-0000-4000-8000-000000000003", CIDR: "10.1.0.0/16"},
	}}))
	if err != nil {
		b.Fatal(err)
	}
	vpc := srv.VPCs()[1]
	ctx := b.Context()
	var outbound []string
	for i := range 100 {
		dir := gen.DirectionInbound
		if i%2 == 1 {
			dir = gen.DirectionOutbound
		}
		var ips []gen.IpaddressInfo
		for j := range 6 {
			ips = append(ips, gen.IpaddressInfo{SubnetID: vpc.Subnets[j%2].ID})
		}
		resp, err := srv.CreateEndpoint(ctx, gen.CreateEndpointRequestObject{Body: &gen.CreateEndpointRequestBody{
			Name: fmt.Sprintf("ep-%03d", i), Direction: dir, Region: srv.Region(), Ipaddresses: ips}})
		if err != nil {
			b.Fatal(err)
		}
		if dir == gen.DirectionOutbound {
			outbound = append(outbound, resp.(gen.CreateEndpoint202JSONResponse).Body.Endpoint.ID)
		}
	}
	srv.ListEndpoints(ctx, gen.ListEndpointsRequestObject{Params: gen.ListEndpointsParams{Direction: gen.DirectionInbound}}) // settles them
	for i := range 50 {
		resp, err := srv.CreateResolverRule(ctx, gen.CreateResolverRuleRequestObject{Body: &gen.CreateResolverRuleRequestBody{
			Name: fmt.Sprintf("rule-%02d", i), DomainName: fmt.Sprintf("d%02d.example.", i), EndpointID: outbound[i],
			Ipaddresses: []gen.IPInfo{{IP: "10.9.0.53"}, {IP: "10.9.1.53"}}}})
		if err != nil {
			b.Fatal(err)
		}
		id := resp.(gen.CreateResolverRule202JSONResponse).Body.ResolverRule.ID
		srv.ShowResolverRule(ctx, gen.ShowResolverRuleRequestObject{ResolverruleID: id}) // settles it
		if _, err := srv.AssociateResolverRuleRouter(ctx, gen.AssociateResolverRuleRouterRequestObject{ResolverruleID: id,
			Body: &gen.AssociateResolverRuleRouterJSONRequestBody{Router: gen.RouterForRule{RouterID: vpc.ID}}}); err != nil {
			b.Fatal(err)
		}
	}
	d, req := benchSession(b, srv, "/dashboard/api/endpoints")
	var v endpointsView
	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, req)
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || len(v.Inbound) != 50 || len(v.Outbound) != 50 || len(v.Rules) != 50 ||
		len(v.Inbound[0].Subnets) != 2 || len(v.Rules[0].VPCs) != 1 {
		b.Fatalf("%v: %d in, %d out, %d rules", err, len(v.Inbound), len(v.Outbound), len(v.Rules))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		serveOK(b, d, req)
	}
}
