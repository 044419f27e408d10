package fake_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// apiView is everything the API shows of a fake.
type apiView struct {
	Endpoints []wrapper.Endpoint
	Shown     []wrapper.Endpoint
	IPs       map[string][]wrapper.IPAddress
	VPCs      []wrapper.VPC
}

func readAll(t *testing.T, c *wrapper.Client) apiView {
	t.Helper()
	v := apiView{IPs: map[string][]wrapper.IPAddress{}}
	for _, d := range []wrapper.Direction{wrapper.Inbound, wrapper.Outbound} {
		eps, err := c.ListAllEndpoints(bg, wrapper.ListEndpointsParams{Direction: d})
		if err != nil {
			t.Fatal(err)
		}
		v.Endpoints = append(v.Endpoints, eps...)
	}
	for _, ep := range v.Endpoints {
		shown, err := c.ShowEndpoint(bg, ep.ID)
		if err != nil {
			t.Fatal(err)
		}
		v.Shown = append(v.Shown, *shown)
		if v.IPs[ep.ID], err = c.ListEndpointIpaddresses(bg, ep.ID); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if v.VPCs, err = c.ListAllEndpointVpcs(bg, wrapper.ListEndpointVpcsParams{}); err != nil {
		t.Fatal(err)
	}
	return v
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestStateRoundTrip(t *testing.T) {
	t.Parallel()
	src, clk := clockedServer(t, time.Minute, fake.WithVPC(otherVPC))
	clk.Add(123456789 * time.Nanosecond) // times keep their nanoseconds
	c := checkedClient(t, src)
	ep := must[*wrapper.Endpoint](t)
	other := wrapper.IPAddressInfo{SubnetID: otherVPC.Subnets[0].ID}

	one := ep(c.CreateEndpoint(bg, create("one", wrapper.Inbound, at("192.168.0.50"), ips(1)[0], wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnet2ID})))
	two := ep(c.CreateEndpoint(bg, create("two", wrapper.Outbound, other, other)))
	gone := ep(c.CreateEndpoint(bg, create("gone", wrapper.Inbound, ips(2)...)))
	clk.Add(time.Minute)
	ep(c.UpdateEndpoint(bg, one.ID, wrapper.UpdateEndpointRequest{Name: "uno"}))
	ep(c.AssociateEndpointIpaddress(bg, two.ID, other)) // PENDING_CREATE address and endpoint
	oneIPs := must[[]wrapper.IPAddress](t)(c.ListEndpointIpaddresses(bg, one.ID))
	clk.Add(time.Second)
	ep(c.DisassociateEndpointIpaddress(bg, one.ID, oneIPs[1].ID)) // PENDING_DELETE address
	ep(c.DeleteEndpoint(bg, gone.ID))                             // PENDING_DELETE endpoint
	clk.Add(time.Second)
	fresh := ep(c.CreateEndpoint(bg, create("fresh", wrapper.Outbound, ips(2)...))) // PENDING_CREATE, no VPC yet
	clk.Add(time.Millisecond)

	before := readAll(t, c)
	data, err := src.Server.State()
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) || !strings.Contains(string(data), `"version": 1`) {
		t.Fatalf("State is not a version 1 JSON document:\n%s", data)
	}
	if !strings.Contains(string(data), `"create_time": "2026-11-26T08:00:00.123456789Z"`) {
		t.Errorf("times are not RFC 3339 with nanoseconds:\n%s", data)
	}

	dst := fake.NewTestServer(t, fake.WithDelay(time.Minute), fake.WithClock(clk.Now), fake.WithVPC(otherVPC), fake.WithState(data))
	if dst.Token != src.Token {
		t.Errorf("token %q, want the saved %q", dst.Token, src.Token)
	}
	c2 := checkedClient(t, dst)
	after := readAll(t, c2)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("the API shows the restored fake differently (-saved +restored):\n%s", diff)
	}
	if again, err := dst.Server.State(); err != nil || string(again) != string(data) {
		t.Errorf("State of the restored fake differs (%v):\n%s\nwant\n%s", err, again, data)
	}
	statuses := map[string]wrapper.Status{}
	for _, e := range after.Endpoints {
		statuses[e.Name] = e.Status
	}
	want := map[string]wrapper.Status{"uno": wrapper.StatusActive, "two": wrapper.StatusPendingCreate, "gone": wrapper.StatusPendingDelete, "fresh": wrapper.StatusPendingCreate}
	if diff := cmp.Diff(want, statuses); diff != "" {
		t.Errorf("statuses before settling (-want +got):\n%s", diff)
	}

	// The pending states settle at their due times, as in the saved fake.
	clk.Add(time.Minute - 2*time.Second - 2*time.Millisecond) // 1 ms before the bind's due time
	if got := ep(c2.ShowEndpoint(bg, two.ID)); got.Status != wrapper.StatusPendingCreate {
		t.Errorf("before its due time, two is %s", got.Status)
	}
	clk.Add(time.Millisecond)
	if got := ep(c2.ShowEndpoint(bg, two.ID)); got.Status != wrapper.StatusActive || got.IpaddressCount != 3 {
		t.Errorf("at its due time, two is %s with %d addresses, want ACTIVE with 3", got.Status, got.IpaddressCount)
	}
	clk.Add(2 * time.Second)
	if diff := cmp.Diff(readAll(t, c), readAll(t, c2)); diff != "" {
		t.Errorf("after settling, the fakes differ (-saved +restored):\n%s", diff)
	}
	if _, err := c2.ShowEndpoint(bg, gone.ID); !wrapper.IsNotFound(err) {
		t.Errorf("deleted endpoint: %v, want 404", err)
	}
	if got := ep(c2.ShowEndpoint(bg, fresh.ID)); got.Status != wrapper.StatusActive || got.VpcID == nil {
		t.Errorf("fresh endpoint is %s with VPC %v, want ACTIVE in its VPC", got.Status, got.VpcID)
	}
	if got := must[[]wrapper.IPAddress](t)(c2.ListEndpointIpaddresses(bg, one.ID)); len(got) != 2 {
		t.Errorf("uno holds %d addresses after the unbind settled, want 2", len(got))
	}
	// The restored fake keeps the rules: the addresses in use stay in use.
	_, err = plainClient(t, dst).CreateEndpoint(bg, create("clash", wrapper.Inbound, at("192.168.0.50"), ips(1)[0]))
	wantAPIError(t, err, 400, "DNS.1507")
	_, err = plainClient(t, dst).CreateEndpoint(bg, create("uno", wrapper.Inbound, ips(2)...))
	wantAPIError(t, err, 400, "DNS.1504")
	if err := dst.Server.Check(); err != nil {
		t.Error(err)
	}
}

func TestStateEmpty(t *testing.T) {
	t.Parallel()
	src, err := fake.New(fake.WithToken("saved-token"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := src.State()
	if err != nil {
		t.Fatal(err)
	}
	dst := fake.NewTestServer(t, fake.WithState(data))
	if dst.Token != "saved-token" {
		t.Errorf("token %q, want the saved one", dst.Token)
	}
	if got := readAll(t, checkedClient(t, dst)); len(got.Endpoints) != 0 {
		t.Errorf("endpoints %v, want none", got.Endpoints)
	}
	// WithToken wins over the saved token, in either order.
	for _, opts := range [][]fake.Option{
		{fake.WithState(data), fake.WithToken("new-token")},
		{fake.WithToken("new-token"), fake.WithState(data)},
	} {
		s, err := fake.New(opts...)
		if err != nil {
			t.Fatal(err)
		}
		if s.Token() != "new-token" {
			t.Errorf("token %q, want the one of WithToken", s.Token())
		}
	}
}

func TestStateReplacesSeeds(t *testing.T) {
	t.Parallel()
	seed := fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "seeded", Direction: wrapper.Inbound, IPs: ips(2)})
	src := fake.NewTestServer(t, seed)
	c := checkedClient(t, src)
	eps := must[[]wrapper.Endpoint](t)(c.ListAllEndpoints(bg, wrapper.ListEndpointsParams{Direction: wrapper.Inbound}))
	if len(eps) != 1 {
		t.Fatalf("seeded fake holds %d endpoints", len(eps))
	}
	if _, err := c.DeleteEndpoint(bg, eps[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitEndpointDeleted(bg, eps[0].ID, wrapper.WithPollDelay(time.Millisecond, time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	data, err := src.Server.State()
	if err != nil {
		t.Fatal(err)
	}
	dst := fake.NewTestServer(t, seed, fake.WithState(data))
	if got := readAll(t, checkedClient(t, dst)); len(got.Endpoints) != 0 {
		t.Errorf("the seed came back: %v", got.Endpoints)
	}
}

func TestStateRandSeed(t *testing.T) {
	t.Parallel()
	firstID := func(opts ...fake.Option) string {
		srv := fake.NewTestServer(t, append(opts, fake.WithRandSeed(7))...)
		return must[*wrapper.Endpoint](t)(checkedClient(t, srv).CreateEndpoint(bg, create("y", wrapper.Inbound, ips(2)...))).ID
	}
	src := fake.NewTestServer(t, fake.WithRandSeed(7))
	saved := must[*wrapper.Endpoint](t)(checkedClient(t, src).CreateEndpoint(bg, create("x", wrapper.Inbound, ips(2)...))).ID
	data, err := src.Server.State()
	if err != nil {
		t.Fatal(err)
	}
	a, b := firstID(fake.WithState(data)), firstID(fake.WithState(data))
	if a != b {
		t.Errorf("same seed and state, different IDs: %s %s", a, b)
	}
	if a == saved {
		t.Errorf("the restored fake handed out the saved endpoint's ID %s again", a)
	}
}

// savedState returns the State of a fake with one endpoint in each VPC.
func savedState(t *testing.T) string {
	t.Helper()
	srv := fake.NewTestServer(t, fake.WithVPC(otherVPC), fake.WithToken("tok"))
	c := checkedClient(t, srv)
	for _, req := range []wrapper.CreateEndpointRequest{
		create("a", wrapper.Inbound, at("192.168.0.10"), at("192.168.0.11")),
		create("b", wrapper.Outbound, wrapper.IPAddressInfo{SubnetID: otherVPC.Subnets[0].ID, IP: ptr("10.0.0.5")}, wrapper.IPAddressInfo{SubnetID: otherVPC.Subnets[0].ID, IP: ptr("10.0.0.6")}),
	} {
		ep := must[*wrapper.Endpoint](t)(c.CreateEndpoint(bg, req))
		if _, err := c.WaitEndpointActive(bg, ep.ID, wrapper.WithPollDelay(time.Millisecond, time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	data, err := srv.Server.State()
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestStateErrors(t *testing.T) {
	t.Parallel()
	good := savedState(t)
	withOther := fake.WithVPC(otherVPC)
	if _, err := fake.New(withOther, fake.WithState([]byte(good))); err != nil {
		t.Fatalf("the good state: %v", err)
	}
	// edit changes the first endpoint of the good state.
	edit := func(f func(ep map[string]any)) string {
		var doc map[string]any
		if err := json.Unmarshal([]byte(good), &doc); err != nil {
			t.Fatal(err)
		}
		f(doc["endpoints"].([]any)[0].(map[string]any))
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	firstIP := func(ep map[string]any) map[string]any { return ep["ipaddresses"].([]any)[0].(map[string]any) }
	tests := []struct {
		name, state, want string
		noOther           bool // start without otherVPC
	}{
		{name: "empty", state: "", want: "empty"},
		{name: "garbage", state: "dnsep state\x00", want: "not a saved state"},
		{name: "not an object", state: `[1,2]`, want: "not a saved state"},
		{name: "no version", state: `{"endpoints":[]}`, want: "no version"},
		{name: "unknown version", state: `{"version":2,"endpoints":[]}`, want: "unsupported version 2"},
		{name: "unknown field", state: strings.Replace(good, `"version": 1,`, `"version": 1, "colour": "red",`, 1), want: `unknown field "colour"`},
		{name: "trailing data", state: good + "{}", want: "not a saved state"},
		{name: "unknown subnet", state: good, noOther: true, want: `subnet "` + otherVPC.Subnets[0].ID + `" is not in the inventory`},
		{name: "unknown subnet ID", state: strings.ReplaceAll(good, fake.DefaultSubnetID, "no-such-subnet"), want: `subnet "no-such-subnet" is not in the inventory`},
		{name: "unknown VPC", state: strings.ReplaceAll(good, fake.DefaultVPCID, "no-such-vpc"), want: `VPC "no-such-vpc" is not in the inventory`},
		{name: "bad ID", state: edit(func(ep map[string]any) { ep["id"] = "x" }), want: "ID is not 32"},
		{name: "bad name", state: edit(func(ep map[string]any) { ep["name"] = "a b" }), want: "invalid name"},
		{name: "same name", state: edit(func(ep map[string]any) { ep["name"] = "b" }), want: `name "b" used twice`},
		{name: "bad direction", state: edit(func(ep map[string]any) { ep["direction"] = "sideways" }), want: "invalid direction"},
		{name: "bad status", state: edit(func(ep map[string]any) { ep["status"] = "ERROR" }), want: `status "ERROR"`},
		{name: "pending without due time", state: edit(func(ep map[string]any) { ep["status"] = "PENDING_DELETE" }), want: "no due_time"},
		{name: "active with due time", state: edit(func(ep map[string]any) { ep["due_time"] = ep["create_time"] }), want: "ACTIVE with a due time"},
		{name: "creating but active", state: edit(func(ep map[string]any) { ep["creating"] = true }), want: "creating, but ACTIVE"},
		{name: "bad time", state: edit(func(ep map[string]any) { ep["create_time"] = "2026-11-26 08:00" }), want: "not an RFC 3339 time"},
		{name: "updated before created", state: edit(func(ep map[string]any) { ep["update_time"] = "2000-01-01T00:00:00Z" }), want: "update_time is before create_time"},
		{name: "one address", state: edit(func(ep map[string]any) { ep["ipaddresses"] = ep["ipaddresses"].([]any)[:1] }), want: "keeps 1 IP addresses"},
		{name: "seven addresses", state: edit(func(ep map[string]any) {
			var list []any
			for i := range 7 {
				ip := map[string]any{}
				for k, v := range firstIP(ep) {
					ip[k] = v
				}
				ip["id"] = strings.Repeat("0", 31) + string(rune('1'+i))
				ip["ip"] = "192.168.0." + string(rune('2'+i))
				list = append(list, ip)
			}
			ep["ipaddresses"] = list
		}), want: "keeps 7 IP addresses"},
		{name: "seven slots, one leaving", state: edit(func(ep map[string]any) {
			// Six kept and one being deleted: a seventh slot, which an
			// older fake could save and the service never holds.
			var list []any
			for i := range 7 {
				ip := map[string]any{}
				for k, v := range firstIP(ep) {
					ip[k] = v
				}
				ip["id"] = strings.Repeat("0", 31) + string(rune('1'+i))
				ip["ip"] = "192.168.0." + string(rune('2'+i))
				if i == 6 {
					ip["status"], ip["due_time"] = "PENDING_DELETE", ep["update_time"]
				}
				list = append(list, ip)
			}
			ep["ipaddresses"] = list
		}), want: "holds 7"},
		{name: "address bound twice", state: strings.Replace(good, "192.168.0.11", "192.168.0.10", 1), want: "192.168.0.10 is bound twice"},
		{name: "address outside its subnet", state: strings.Replace(good, "192.168.0.11", "192.168.1.11", 1), want: "not in subnet"},
		{name: "gateway address", state: strings.Replace(good, "192.168.0.11", "192.168.0.1", 1), want: "gateway"},
		{name: "not an address", state: strings.Replace(good, "192.168.0.11", "fe80::1", 1), want: "not an IPv4 address"},
		{name: "address in another VPC", state: edit(func(ep map[string]any) {
			firstIP(ep)["subnet_id"], firstIP(ep)["ip"] = otherVPC.Subnets[0].ID, "10.0.0.9"
		}), want: "is not in the endpoint's VPC"},
		{name: "repeated ID", state: edit(func(ep map[string]any) { firstIP(ep)["id"] = ep["id"] }), want: "ID already used"},
		{name: "bad address status", state: edit(func(ep map[string]any) { firstIP(ep)["status"] = "GONE" }), want: `status "GONE"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := []fake.Option{fake.WithState([]byte(tt.state))}
			if !tt.noOther {
				opts = append(opts, withOther)
			}
			_, err := fake.New(opts...)
			if err == nil {
				t.Fatalf("New accepted the state:\n%s", tt.state)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "fake: state: ") {
				t.Errorf("error %q, want %q in it", err, tt.want)
			}
		})
	}
}
