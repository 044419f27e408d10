package fake_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/gen"
	"github.com/dnsep/dnsep/wrapper"
)

func ptr[T any](v T) *T { return &v }

var bg = context.Background()

// otherVPC is a second VPC for the cross-VPC rules.
var otherVPC = fake.VPC{ID: "5a6b7c8d-0000-4000-8000-000000000002", Subnets: []fake.Subnet{
	{ID: "5a6b7c8d-0000-4000-8000-00000000000a", NeutronID: "5a6b7c8d-0000-4000-8000-00000000000b", CIDR: "10.0.0.0/28"},
}}

// ips returns n IP address requests in the default subnet, auto-assigned.
func ips(n int) []wrapper.IPAddressInfo {
	out := make([]wrapper.IPAddressInfo, n)
	for i := range out {
		out[i].SubnetID = fake.DefaultSubnetID
	}
	return out
}

func create(name string, d wrapper.Direction, in ...wrapper.IPAddressInfo) wrapper.CreateEndpointRequest {
	return wrapper.CreateEndpointRequest{Name: name, Direction: d, Region: "cn-north-4", Ipaddresses: in}
}

func at(ip string) wrapper.IPAddressInfo {
	return wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID, IP: ptr(ip)}
}

// wantAPIError fails unless err is an *APIError with this status and code.
func wantAPIError(t *testing.T, err error, status int, code string) {
	t.Helper()
	apiErr, ok := errors.AsType[*wrapper.APIError](err)
	if !ok {
		t.Fatalf("err = %v, want %d %s", err, status, code)
	}
	if apiErr.StatusCode != status || apiErr.Code != code {
		t.Fatalf("got %d %s (%s), want %d %s", apiErr.StatusCode, apiErr.Code, apiErr.Message, status, code)
	}
	if apiErr.RequestID == "" {
		t.Errorf("no request ID on %v", err)
	}
}

// clockedServer starts a test server whose PENDING_* states last delay, on
// a clock that stands at 2026-11-26 08:00 UTC until the test moves it.
func clockedServer(t *testing.T, delay time.Duration, opts ...fake.Option) (*fake.TestServer, *fake.TestClock) {
	t.Helper()
	clk := fake.NewTestClock(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
	return fake.NewTestServer(t, append([]fake.Option{fake.WithDelay(delay), fake.WithClock(clk.Now)}, opts...)...), clk
}

// checkedClient is a client for srv that also checks every exchange
// against the document on the client side, as a user's test would build
// it. opts are added to its options.
func checkedClient(t *testing.T, srv *fake.TestServer, opts ...wrapper.Option) *wrapper.Client {
	t.Helper()
	return newClient(t, srv, append([]wrapper.Option{wrapper.WithHTTPClient(srv.HTTPClient(t))}, opts...)...)
}

// plainClient is a client for srv without client-side contract checks, for
// tests that send requests breaking the document on purpose.
func plainClient(t *testing.T, srv *fake.TestServer) *wrapper.Client {
	t.Helper()
	return newClient(t, srv, wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1}))
}

func newClient(t *testing.T, srv *fake.TestServer, opts ...wrapper.Option) *wrapper.Client {
	t.Helper()
	c, err := wrapper.New(srv.URL, append([]wrapper.Option{wrapper.WithToken(srv.Token)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCreateEndpointRules(t *testing.T) {
	t.Parallel()
	sub2 := wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnet2ID}
	tests := []struct {
		name   string
		req    wrapper.CreateEndpointRequest
		status int
		code   string
	}{
		{"empty name", create("", wrapper.Inbound, ips(2)...), 400, "DNS.1501"},
		{"name of 65 characters", create(strings.Repeat("a", 65), wrapper.Inbound, ips(2)...), 400, "DNS.1501"},
		{"name with a space", create("my endpoint", wrapper.Inbound, ips(2)...), 400, "DNS.1501"},
		{"unknown direction", create("ep", "sideways", ips(2)...), 400, "DNS.1503"},
		{"other region", wrapper.CreateEndpointRequest{Name: "ep", Direction: wrapper.Inbound, Region: "eu-de", Ipaddresses: ips(2)}, 400, "DNS.0601"},
		{"one IP", create("ep", wrapper.Inbound, ips(1)...), 400, "DNS.1514"},
		{"seven IPs", create("ep", wrapper.Inbound, ips(7)...), 400, "DNS.1514"},
		{"unknown subnet", create("ep", wrapper.Inbound, ips(1)[0], wrapper.IPAddressInfo{SubnetID: "nope"}), 400, "DNS.1502"},
		{"subnets of two VPCs", create("ep", wrapper.Inbound, ips(1)[0], wrapper.IPAddressInfo{SubnetID: otherVPC.Subnets[0].ID}), 400, "DNS.1508"},
		{"IP outside its subnet", create("ep", wrapper.Inbound, at("192.168.1.10"), sub2), 400, "DNS.1505"},
		{"network address", create("ep", wrapper.Inbound, at("192.168.0.0"), sub2), 400, "DNS.1516"},
		{"broadcast address", create("ep", wrapper.Inbound, at("192.168.0.255"), sub2), 400, "DNS.1516"},
		{"malformed IP", create("ep", wrapper.Inbound, at("192.168.0.300"), sub2), 400, "DNS.1515"},
		{"IP repeated", create("ep", wrapper.Inbound, at("192.168.0.20"), at("192.168.0.20")), 400, "DNS.1506"},
		{"IP in use", create("ep", wrapper.Inbound, at("192.168.0.2"), sub2), 400, "DNS.1507"},
		{"gateway", create("ep", wrapper.Inbound, at("192.168.0.1"), sub2), 400, "DNS.1507"},
		{"name taken", create("seeded", wrapper.Outbound, ips(2)...), 400, "DNS.1504"},
		{"inbound quota", create("ep", wrapper.Inbound, ips(2)...), 403, "DNS.0406"},
		{"outbound quota", create("ep", wrapper.Outbound, ips(2)...), 403, "DNS.0407"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			quota := fake.WithQuota(50, 50)
			if strings.HasSuffix(tt.name, "quota") {
				quota = fake.WithQuota(1, 0)
			}
			srv := fake.NewTestServer(t, fake.WithVPC(otherVPC), quota,
				fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "seeded", Direction: wrapper.Inbound, IPs: []gen.IpaddressInfo{at("192.168.0.2"), at("192.168.0.3")}}))
			_, err := plainClient(t, srv).CreateEndpoint(bg, tt.req)
			wantAPIError(t, err, tt.status, tt.code)
			if err := srv.Server.Check(); err != nil {
				t.Error(err)
			}
		})
	}
}

var hexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestCreateEndpointLifecycle(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t)
	c := checkedClient(t, srv)
	ep, err := c.CreateEndpoint(bg, create("inbound-1", wrapper.Inbound, at("192.168.0.50"), ips(1)[0], wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnet2ID}))
	if err != nil {
		t.Fatal(err)
	}
	if !hexID.MatchString(ep.ID) || ep.Status != wrapper.StatusPendingCreate || ep.VpcID != nil || ep.IpaddressCount != 0 || ep.ResolverRuleCount != 0 {
		t.Errorf("202 answer %+v: want a 32-hex ID, PENDING_CREATE, no VPC, count 0", ep)
	}
	if !ep.CreateTime.Equal(ep.UpdateTime.Time) || time.Since(ep.CreateTime.Time) > time.Minute {
		t.Errorf("times %v %v", ep.CreateTime, ep.UpdateTime)
	}
	got, err := c.ShowEndpoint(bg, ep.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != wrapper.StatusActive || got.VpcID == nil || *got.VpcID != fake.DefaultVPCID || got.IpaddressCount != 3 {
		t.Errorf("next read %+v: want ACTIVE in the default VPC with 3 IPs", got)
	}
	list, err := c.ListEndpointIpaddresses(bg, ep.ID)
	if err != nil {
		t.Fatal(err)
	}
	var addrs, subnets []string
	for _, ip := range list {
		addrs = append(addrs, ip.IP)
		subnets = append(subnets, ip.SubnetID)
		if !hexID.MatchString(ip.ID) || ip.Status != wrapper.StatusActive || ip.ErrorInfo != nil {
			t.Errorf("IP %+v", ip)
		}
	}
	if diff := cmp.Diff([]string{"192.168.0.50", "192.168.0.2", "192.168.1.2"}, addrs); diff != "" {
		t.Errorf("addresses: chosen one kept, the others the lowest free (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{fake.DefaultSubnetNeutron, fake.DefaultSubnetNeutron, fake.DefaultSubnet2Neutron}, subnets); diff != "" {
		t.Errorf("IP lists report the Neutron subnet IDs (-want +got):\n%s", diff)
	}
}

func TestDelay(t *testing.T) {
	t.Parallel()
	srv, clk := clockedServer(t, 30*time.Second)
	c := checkedClient(t, srv)
	ep, err := c.CreateEndpoint(bg, create("slow", wrapper.Outbound, ips(2)...))
	if err != nil {
		t.Fatal(err)
	}
	if want := "2026-11-26T08:00:00.000"; ep.CreateTime.String() != want {
		t.Errorf("create_time %s, want %s", ep.CreateTime, want)
	}
	clk.Add(29 * time.Second)
	if got, _ := c.ShowEndpoint(bg, ep.ID); got.Status != wrapper.StatusPendingCreate {
		t.Errorf("after 29 s: %s, want PENDING_CREATE", got.Status)
	}
	clk.Add(time.Second)
	got, _ := c.ShowEndpoint(bg, ep.ID)
	if got.Status != wrapper.StatusActive || got.UpdateTime.String() != "2026-11-26T08:00:30.000" {
		t.Errorf("after 30 s: %s updated %s, want ACTIVE updated at 08:00:30", got.Status, got.UpdateTime)
	}
	if _, err := c.DeleteEndpoint(bg, ep.ID); err != nil {
		t.Fatal(err)
	}
	clk.Add(10 * time.Second)
	if got, err := c.ShowEndpoint(bg, ep.ID); err != nil || got.Status != wrapper.StatusPendingDelete {
		t.Errorf("10 s into the delete: %v %v, want PENDING_DELETE", got, err)
	}
	clk.Add(20 * time.Second)
	if _, err := c.ShowEndpoint(bg, ep.ID); !wrapper.IsNotFound(err) {
		t.Errorf("30 s into the delete: %v, want 404", err)
	}
}

// newEndpoint creates an endpoint with n auto-assigned IPs and settles it.
func newEndpoint(t *testing.T, c *wrapper.Client, name string, n int) (*wrapper.Endpoint, []wrapper.IPAddress) {
	t.Helper()
	ep, err := c.CreateEndpoint(bg, create(name, wrapper.Inbound, ips(n)...))
	if err != nil {
		t.Fatal(err)
	}
	ep, err = c.WaitEndpointActive(bg, ep.ID, wrapper.WithPollDelay(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.ListEndpointIpaddresses(bg, ep.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ep, list
}

func TestBindUnbindRules(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t, fake.WithVPC(otherVPC))
	c := plainClient(t, srv)
	two, twoIPs := newEndpoint(t, c, "two", 2)
	six, _ := newEndpoint(t, c, "six", 6)
	const unknown = "0123456789abcdef0123456789abcdef"

	_, err := c.AssociateEndpointIpaddress(bg, six.ID, wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID})
	wantAPIError(t, err, 400, "DNS.1514")
	_, err = c.DisassociateEndpointIpaddress(bg, two.ID, twoIPs[0].ID)
	wantAPIError(t, err, 400, "DNS.1514")
	_, err = c.DisassociateEndpointIpaddress(bg, two.ID, unknown) // existence before the count
	wantAPIError(t, err, 404, "DNS.1511")
	_, err = c.DisassociateEndpointIpaddress(bg, unknown, twoIPs[0].ID)
	wantAPIError(t, err, 404, "DNS.1510")
	_, err = c.AssociateEndpointIpaddress(bg, unknown, wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID})
	wantAPIError(t, err, 404, "DNS.1510")
	_, err = c.DisassociateEndpointIpaddress(bg, "not-an-id", twoIPs[0].ID)
	wantAPIError(t, err, 400, "DNS.1509")
	// An address ID of the wrong shape names no address: 404 DNS.1511,
	// after the endpoint is found; the service has no code for it.
	_, err = c.DisassociateEndpointIpaddress(bg, two.ID, "not-an-id")
	wantAPIError(t, err, 404, "DNS.1511")
	_, err = c.DisassociateEndpointIpaddress(bg, unknown, "not-an-id")
	wantAPIError(t, err, 404, "DNS.1510")
	_, err = c.DisassociateEndpointIpaddress(bg, "not-an-id", "not-an-id")
	wantAPIError(t, err, 400, "DNS.1509")
	_, err = c.ShowEndpoint(bg, "ABCDEF0123456789ABCDEF0123456789")
	wantAPIError(t, err, 400, "DNS.1509")
	_, err = c.AssociateEndpointIpaddress(bg, two.ID, wrapper.IPAddressInfo{SubnetID: otherVPC.Subnets[0].ID})
	wantAPIError(t, err, 400, "DNS.1508")
	_, err = c.AssociateEndpointIpaddress(bg, two.ID, wrapper.IPAddressInfo{SubnetID: "nope"})
	wantAPIError(t, err, 400, "DNS.1502")
	_, err = c.AssociateEndpointIpaddress(bg, two.ID, at(twoIPs[1].IP))
	wantAPIError(t, err, 400, "DNS.1507")
	_, err = c.AssociateEndpointIpaddress(bg, two.ID, at("10.0.0.5"))
	wantAPIError(t, err, 400, "DNS.1505")
	if err := srv.Server.Check(); err != nil {
		t.Error(err)
	}
}

func TestBindUnbindLifecycle(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t)
	c := checkedClient(t, srv)
	ep, list := newEndpoint(t, c, "ep", 3)

	bound, err := c.AssociateEndpointIpaddress(bg, ep.ID, at("192.168.0.77"))
	if err != nil {
		t.Fatal(err)
	}
	if bound.Status != wrapper.StatusPendingCreate || bound.IpaddressCount != 3 {
		t.Errorf("bind answer %s count %d, want PENDING_CREATE with the old count 3", bound.Status, bound.IpaddressCount)
	}
	after, _ := c.ListEndpointIpaddresses(bg, ep.ID)
	if n := len(after); n != 4 || after[3].IP != "192.168.0.77" || after[3].Status != wrapper.StatusActive {
		t.Errorf("after the bind settled: %+v", after)
	}

	unbound, err := c.DisassociateEndpointIpaddress(bg, ep.ID, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if unbound.Status != wrapper.StatusActive || unbound.IpaddressCount != 4 {
		t.Errorf("unbind answer %s count %d, want ACTIVE, still counting the address", unbound.Status, unbound.IpaddressCount)
	}
	if _, err := c.WaitIpaddressGone(bg, ep.ID, list[0].ID, wrapper.WithPollDelay(time.Millisecond, time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	got, _ := c.ShowEndpoint(bg, ep.ID)
	final, _ := c.ListEndpointIpaddresses(bg, ep.ID)
	if got.IpaddressCount != 3 || len(final) != 3 {
		t.Errorf("count %d, list %d: want 3 and 3", got.IpaddressCount, len(final))
	}
	// The released address can be bound again.
	if _, err := c.AssociateEndpointIpaddress(bg, ep.ID, at(list[0].IP)); err != nil {
		t.Errorf("rebinding a released address: %v", err)
	}
}

func TestUnbindShowsPendingDelete(t *testing.T) {
	t.Parallel()
	srv, clk := clockedServer(t, time.Minute)
	c := checkedClient(t, srv)
	ep, err := c.CreateEndpoint(bg, create("ep", wrapper.Inbound, ips(3)...))
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	list, _ := c.ListEndpointIpaddresses(bg, ep.ID)
	if _, err := c.DisassociateEndpointIpaddress(bg, ep.ID, list[1].ID); err != nil {
		t.Fatal(err)
	}
	during, _ := c.ListEndpointIpaddresses(bg, ep.ID)
	if len(during) != 3 || during[1].Status != wrapper.StatusPendingDelete {
		t.Errorf("during the unbind: %+v, want the address PENDING_DELETE", during)
	}
	// Unbinding the same address again is a 404: it is on its way out.
	_, err = c.DisassociateEndpointIpaddress(bg, ep.ID, list[1].ID)
	wantAPIError(t, err, 404, "DNS.1511")
	// With one address leaving, the endpoint keeps 2: no more unbinding.
	_, err = c.DisassociateEndpointIpaddress(bg, ep.ID, list[0].ID)
	wantAPIError(t, err, 400, "DNS.1514")
}

func TestUpdateAndDelete(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t)
	c := plainClient(t, srv) // sends a bad name on purpose
	a, aIPs := newEndpoint(t, c, "a", 2)
	newEndpoint(t, c, "b", 2)

	renamed, err := c.UpdateEndpoint(bg, a.ID, wrapper.UpdateEndpointRequest{Name: "a-renamed.解析"})
	if err != nil || renamed.Name != "a-renamed.解析" || renamed.Status != wrapper.StatusActive {
		t.Fatalf("rename: %+v %v", renamed, err)
	}
	_, err = c.UpdateEndpoint(bg, a.ID, wrapper.UpdateEndpointRequest{Name: "b"})
	wantAPIError(t, err, 400, "DNS.1504")
	_, err = c.UpdateEndpoint(bg, a.ID, wrapper.UpdateEndpointRequest{Name: "bad/name"})
	wantAPIError(t, err, 400, "DNS.1501")

	deleting, err := c.DeleteEndpoint(bg, a.ID)
	if err != nil || deleting.Status != wrapper.StatusPendingDelete {
		t.Fatalf("delete: %+v %v", deleting, err)
	}
	if _, err := c.WaitEndpointDeleted(bg, a.ID, wrapper.WithPollDelay(time.Millisecond, time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	_, err = c.ShowEndpoint(bg, a.ID)
	wantAPIError(t, err, 404, "DNS.1510")
	_, err = c.DeleteEndpoint(bg, a.ID)
	wantAPIError(t, err, 404, "DNS.1510")
	// Its addresses are free again.
	if _, err := c.CreateEndpoint(bg, create("c", wrapper.Inbound, at(aIPs[0].IP), at(aIPs[1].IP))); err != nil {
		t.Errorf("reusing a deleted endpoint's addresses: %v", err)
	}
}

func TestWritesToADeletingEndpoint(t *testing.T) {
	t.Parallel()
	srv, clk := clockedServer(t, time.Minute)
	c := checkedClient(t, srv)
	ep, _ := c.CreateEndpoint(bg, create("ep", wrapper.Inbound, ips(3)...))
	clk.Add(time.Minute)
	list, _ := c.ListEndpointIpaddresses(bg, ep.ID)
	if _, err := c.DeleteEndpoint(bg, ep.ID); err != nil {
		t.Fatal(err)
	}
	again, err := c.DeleteEndpoint(bg, ep.ID)
	if err != nil || again.Status != wrapper.StatusPendingDelete {
		t.Errorf("second delete: %v %v, want the same 202", again, err)
	}
	_, err = c.UpdateEndpoint(bg, ep.ID, wrapper.UpdateEndpointRequest{Name: "x"})
	wantAPIError(t, err, 400, "DNS.0002")
	_, err = c.AssociateEndpointIpaddress(bg, ep.ID, wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID})
	wantAPIError(t, err, 400, "DNS.0002")
	_, err = c.DisassociateEndpointIpaddress(bg, ep.ID, list[0].ID)
	wantAPIError(t, err, 400, "DNS.0002")
}

func TestListEndpoints(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t, fake.WithVPC(otherVPC))
	c := checkedClient(t, srv)
	for i := range 5 {
		newEndpoint(t, c, fmt.Sprintf("in-%d", i), 2)
	}
	newEndpoint(t, c, "out-0", 2) // inbound too, for the name filter
	if _, err := c.CreateEndpoint(bg, create("out-1", wrapper.Outbound, wrapper.IPAddressInfo{SubnetID: otherVPC.Subnets[0].ID}, wrapper.IPAddressInfo{SubnetID: otherVPC.Subnets[0].ID})); err != nil {
		t.Fatal(err)
	}
	names := func(l *wrapper.EndpointList) []string {
		var out []string
		for _, ep := range l.Endpoints {
			out = append(out, ep.Name)
		}
		return out
	}
	tests := []struct {
		name   string
		params wrapper.ListEndpointsParams
		want   []string
		total  int
	}{
		{"inbound", wrapper.ListEndpointsParams{Direction: wrapper.Inbound}, []string{"in-0", "in-1", "in-2", "in-3", "in-4", "out-0"}, 6},
		{"outbound", wrapper.ListEndpointsParams{Direction: wrapper.Outbound}, []string{"out-1"}, 1},
		{"by VPC", wrapper.ListEndpointsParams{Direction: wrapper.Outbound, VpcID: ptr(otherVPC.ID)}, []string{"out-1"}, 1},
		{"by VPC, none", wrapper.ListEndpointsParams{Direction: wrapper.Inbound, VpcID: ptr(otherVPC.ID)}, nil, 0},
		{"by name", wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Name: ptr("in-3")}, []string{"in-3"}, 1},
		{"page", wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: ptr(2), Offset: ptr(2)}, []string{"in-2", "in-3"}, 6},
		{"last page", wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: ptr(4), Offset: ptr(4)}, []string{"in-4", "out-0"}, 6},
		{"past the end", wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Offset: ptr(6)}, nil, 6},
		{"limit 0 is the default", wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: ptr(0)}, []string{"in-0", "in-1", "in-2", "in-3", "in-4", "out-0"}, 6},
	}
	for _, tt := range tests {
		l, err := c.ListEndpoints(bg, tt.params)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, names(l)); diff != "" || l.Metadata.TotalCount != tt.total {
			t.Errorf("%s: total %d (want %d) (-want +got):\n%s", tt.name, l.Metadata.TotalCount, tt.total, diff)
		}
		if l.Endpoints == nil {
			t.Errorf("%s: endpoints is null, want []", tt.name)
		}
	}
	all, err := c.ListAllEndpoints(bg, wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: ptr(4)})
	if err != nil || len(all) != 6 {
		t.Errorf("ListAllEndpoints: %d, %v", len(all), err)
	}
	plain := plainClient(t, srv)
	_, err = plain.ListEndpoints(bg, wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Limit: ptr(501)})
	wantAPIError(t, err, 400, "DNS.0006")
	_, err = plain.ListEndpoints(bg, wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Offset: ptr(-1)})
	wantAPIError(t, err, 400, "DNS.0017")
}

func TestListEndpointVpcs(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t, fake.WithVPC(otherVPC))
	c := checkedClient(t, srv)
	newEndpoint(t, c, "in-0", 2)
	newEndpoint(t, c, "in-1", 2)
	other := wrapper.IPAddressInfo{SubnetID: otherVPC.Subnets[0].ID}
	if _, err := c.CreateEndpoint(bg, create("out-0", wrapper.Outbound, other, other)); err != nil {
		t.Fatal(err)
	}
	l, err := c.ListEndpointVpcs(bg, wrapper.ListEndpointVpcsParams{})
	if err != nil {
		t.Fatal(err)
	}
	want := &wrapper.VPCList{Vpcs: []wrapper.VPC{
		{ID: otherVPC.ID, OutboundEndpointCount: 1},
		{ID: fake.DefaultVPCID, InboundEndpointCount: 2},
	}, Metadata: wrapper.Metadata{TotalCount: 2}}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("VPCs (-want +got):\n%s", diff)
	}
	one, err := c.ListEndpointVpcs(bg, wrapper.ListEndpointVpcsParams{VpcID: ptr(fake.DefaultVPCID)})
	if err != nil || len(one.Vpcs) != 1 || one.Metadata.TotalCount != 1 {
		t.Errorf("by VPC: %+v %v", one, err)
	}
	paged, err := c.ListEndpointVpcs(bg, wrapper.ListEndpointVpcsParams{Limit: ptr(1), Offset: ptr(1)})
	if err != nil || len(paged.Vpcs) != 1 || paged.Vpcs[0].ID != fake.DefaultVPCID || paged.Metadata.TotalCount != 2 {
		t.Errorf("paged: %+v %v", paged, err)
	}
	empty, err := c.ListEndpointVpcs(bg, wrapper.ListEndpointVpcsParams{Offset: ptr(5)})
	if err != nil || empty.Vpcs == nil || len(empty.Vpcs) != 0 || empty.Metadata.TotalCount != 2 {
		t.Errorf("past the end: %+v %v", empty, err)
	}
}

// TestScenario is the seed operation's story: create an inbound endpoint
// with 3 IPs, wait for ACTIVE, unbind one, check 2 left, fail to unbind
// another with DNS.1514, delete, wait for 404.
func TestScenario(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t, fake.WithDelay(20*time.Millisecond))
	c := checkedClient(t, srv)
	ctx, cancel := context.WithTimeout(bg, 10*time.Second)
	defer cancel()
	poll := wrapper.WithPollDelay(5*time.Millisecond, 20*time.Millisecond)

	ep, err := c.CreateEndpoint(ctx, create("scenario", wrapper.Inbound, ips(3)...))
	if err != nil {
		t.Fatal(err)
	}
	if ep, err = c.WaitEndpointActive(ctx, ep.ID, poll); err != nil || ep.IpaddressCount != 3 {
		t.Fatalf("wait active: %+v %v", ep, err)
	}
	list, err := c.ListEndpointIpaddresses(ctx, ep.ID)
	if err != nil || len(list) != 3 {
		t.Fatalf("list: %v %v", list, err)
	}
	if _, err := c.DisassociateEndpointIpaddress(ctx, ep.ID, list[0].ID); err != nil {
		t.Fatalf("unbind: %v", err)
	}
	if _, err := c.WaitIpaddressGone(ctx, ep.ID, list[0].ID, poll); err != nil {
		t.Fatal(err)
	}
	ep, err = c.ShowEndpoint(ctx, ep.ID)
	if err != nil || ep.IpaddressCount != 2 {
		t.Fatalf("after the unbind: %+v %v", ep, err)
	}
	rest, _ := c.ListEndpointIpaddresses(ctx, ep.ID)
	for _, ip := range rest {
		if ip.ID == list[0].ID {
			t.Error("the unbound IP is still listed")
		}
	}
	_, err = c.DisassociateEndpointIpaddress(ctx, ep.ID, rest[0].ID)
	wantAPIError(t, err, 400, "DNS.1514")
	if _, err := c.DeleteEndpoint(ctx, ep.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitEndpointDeleted(ctx, ep.ID, poll); err != nil {
		t.Fatal(err)
	}
	_, err = c.ShowEndpoint(ctx, ep.ID)
	wantAPIError(t, err, 404, "DNS.1510")
}
