package wrapper_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/openapi"
	"github.com/dnsep/dnsep/openapi/apitime"
	"github.com/dnsep/dnsep/wrapper"
)

const testToken = "tok-SECRET-5f2a"

// fastRetries keeps retry tests quick on real time.
var fastRetries = wrapper.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxRetryAfter: time.Minute}

// setup returns a client with a static token and fast retries whose
// requests the scripted transport answers with steps, in turn.
func setup(t *testing.T, steps ...wrapper.Step) (*wrapper.Client, *wrapper.Script) {
	t.Helper()
	return scripted(t, wrapper.WithToken(testToken), steps, wrapper.WithRetryPolicy(fastRetries))
}

// scripted returns a client with the credentials cred whose requests the
// scripted transport answers with steps.
func scripted(t *testing.T, cred wrapper.Option, steps []wrapper.Step, opts ...wrapper.Option) (*wrapper.Client, *wrapper.Script) {
	t.Helper()
	s := &wrapper.Script{Steps: steps}
	opts = append([]wrapper.Option{cred, wrapper.WithHTTPClient(&http.Client{Transport: s})}, opts...)
	c, err := wrapper.New("https://dns.cn-north-4.myhuaweicloud.com", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

// onFake starts a fake with opts on an in-memory network and returns a
// client of it with a static token and opts. Call it inside a
// testing/synctest bubble: the fake reads the bubble's clock, so its pending
// states last fake time. A response of the fake that breaks the API
// contract fails the test.
func onFake(t *testing.T, fakeOpts []fake.Option, opts ...wrapper.Option) (*wrapper.Client, *fake.Server) {
	t.Helper()
	srv, err := fake.New(append([]fake.Option{fake.WithToken(testToken),
		fake.WithViolationHandler(func(e *openapi.ContractError) { t.Errorf("fake broke the API contract: %v", e) })}, fakeOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	mn := wrapper.NewMemNet()
	url := mn.Serve(t, "dns.test", srv)
	opts = append([]wrapper.Option{wrapper.WithToken(testToken), wrapper.WithHTTPClient(&http.Client{Transport: mn.Transport(t)})}, opts...)
	c, err := wrapper.New(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

const endpointJSON = `{"id":"ff80808169be2efb0169bef85d720013","name":"NULL","direction":"inbound","status":"ACTIVE","vpc_id":"dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b","ipaddress_count":3,"resolver_rule_count":0,"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"}`

var seedTime = apitime.Time{Time: time.Date(2019, 3, 27, 11, 45, 41, 724e6, time.UTC)}

func ptr[T any](v T) *T { return &v }

func seedEndpoint() *wrapper.Endpoint {
	return &wrapper.Endpoint{
		ID: "ff80808169be2efb0169bef85d720013", Name: "NULL", Direction: wrapper.Inbound, Status: wrapper.StatusActive,
		VpcID: ptr("dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b"), IpaddressCount: 3, ResolverRuleCount: 0,
		CreateTime: seedTime, UpdateTime: seedTime,
	}
}

// TestOperations calls each of the nine operations once and checks the
// request on the wire and the typed result.
func TestOperations(t *testing.T) {
	t.Parallel()
	const ep = "ff80808169be2efb0169bef85d720013"
	ipJSON := `{"id":"ab12","ip":"192.168.0.10","subnet_id":"sn1","status":"ACTIVE","error_info":null,"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"}`
	tests := []struct {
		name                      string
		status                    int
		body                      string
		call                      func(context.Context, *wrapper.Client) (any, error)
		method, path, query, sent string
		want                      any
	}{
		{
			name: "CreateEndpoint", status: 202, body: `{"endpoint":` + endpointJSON + `}`,
			call: func(ctx context.Context, c *wrapper.Client) (any, error) {
				return c.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{Name: "ep1", Direction: wrapper.Inbound, Region: "cn-north-4",
					Ipaddresses: []wrapper.IPAddressInfo{{SubnetID: "s1", IP: ptr("192.168.0.10")}, {SubnetID: "s1"}}})
			},
			method: "POST", path: "/v2.1/endpoints",
			sent: `{"direction":"inbound","ipaddresses":[{"ip":"192.168.0.10","subnet_id":"s1"},{"subnet_id":"s1"}],"name":"ep1","region":"cn-north-4"}`,
			want: seedEndpoint(),
		},
		{
			name: "ListEndpoints", status: 200, body: `{"endpoints":[` + endpointJSON + `],"metadata":{"total_count":1}}`,
			call: func(ctx context.Context, c *wrapper.Client) (any, error) {
				return c.ListEndpoints(ctx, wrapper.ListEndpointsParams{Direction: wrapper.Inbound, VpcID: ptr("v 1"), Limit: ptr(10), Offset: ptr(0)})
			},
			method: "GET", path: "/v2.1/endpoints", query: "direction=inbound&vpc_id=v+1&limit=10&offset=0",
			want: &wrapper.EndpointList{Endpoints: []wrapper.Endpoint{*seedEndpoint()}, Metadata: wrapper.Metadata{TotalCount: 1}},
		},
		{
			name: "ShowEndpoint", status: 200, body: `{"endpoint":` + endpointJSON + `}`,
			call:   func(ctx context.Context, c *wrapper.Client) (any, error) { return c.ShowEndpoint(ctx, ep) },
			method: "GET", path: "/v2.1/endpoints/" + ep, want: seedEndpoint(),
		},
		{
			name: "UpdateEndpoint", status: 202, body: `{"endpoint":` + endpointJSON + `}`,
			call: func(ctx context.Context, c *wrapper.Client) (any, error) {
				return c.UpdateEndpoint(ctx, ep, wrapper.UpdateEndpointRequest{Name: "new-name"})
			},
			method: "PUT", path: "/v2.1/endpoints/" + ep, sent: `{"name":"new-name"}`, want: seedEndpoint(),
		},
		{
			name: "DeleteEndpoint", status: 202, body: `{"endpoint":` + endpointJSON + `}`,
			call:   func(ctx context.Context, c *wrapper.Client) (any, error) { return c.DeleteEndpoint(ctx, ep) },
			method: "DELETE", path: "/v2.1/endpoints/" + ep, want: seedEndpoint(),
		},
		{
			name: "ListEndpointIpaddresses", status: 200, body: `{"ipaddresses":[` + ipJSON + `]}`,
			call:   func(ctx context.Context, c *wrapper.Client) (any, error) { return c.ListEndpointIpaddresses(ctx, ep) },
			method: "GET", path: "/v2.1/endpoints/" + ep + "/ipaddresses",
			want: []wrapper.IPAddress{{ID: "ab12", IP: "192.168.0.10", SubnetID: "sn1", Status: wrapper.StatusActive, CreateTime: seedTime, UpdateTime: seedTime}},
		},
		{
			name: "AssociateEndpointIpaddress", status: 202, body: `{"endpoint":` + endpointJSON + `}`,
			call: func(ctx context.Context, c *wrapper.Client) (any, error) {
				return c.AssociateEndpointIpaddress(ctx, ep, wrapper.IPAddressInfo{SubnetID: "s1"})
			},
			method: "POST", path: "/v2.1/endpoints/" + ep + "/ipaddresses", sent: `{"ipaddress":{"subnet_id":"s1"}}`, want: seedEndpoint(),
		},
		{
			name: "DisassociateEndpointIpaddress", status: 202, body: `{"endpoint":` + endpointJSON + `}`,
			call: func(ctx context.Context, c *wrapper.Client) (any, error) {
				return c.DisassociateEndpointIpaddress(ctx, ep, "ab12")
			},
			method: "DELETE", path: "/v2.1/endpoints/" + ep + "/ipaddresses/ab12", want: seedEndpoint(),
		},
		{
			name: "ListEndpointVpcs", status: 200, body: `{"vpcs":[{"id":"v1","inbound_endpoint_count":2}],"metadata":{"total_count":1}}`,
			call: func(ctx context.Context, c *wrapper.Client) (any, error) {
				return c.ListEndpointVpcs(ctx, wrapper.ListEndpointVpcsParams{VpcID: ptr("v1")})
			},
			method: "GET", path: "/v2.1/vpcs", query: "vpc_id=v1",
			want: &wrapper.VPCList{Vpcs: []wrapper.VPC{{ID: "v1", InboundEndpointCount: 2}}, Metadata: wrapper.Metadata{TotalCount: 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, rec := setup(t, wrapper.Reply(tt.status, tt.body))
			got, err := tt.call(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			reqs := rec.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tt.method || r.URL.Path != tt.path || r.URL.RawQuery != tt.query {
				t.Errorf("request %s %s ?%s, want %s %s ?%s", r.Method, r.URL.Path, r.URL.RawQuery, tt.method, tt.path, tt.query)
			}
			if tt.sent != "" {
				if diff := cmp.Diff(decode(t, tt.sent), decode(t, r.Body)); diff != "" {
					t.Errorf("request body (-want +got):\n%s", diff)
				}
				if ct := r.Header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
			}
			if v := r.Header.Values("X-Auth-Token"); len(v) != 1 || v[0] != testToken {
				t.Errorf("X-Auth-Token %q, want exactly one %q", v, testToken)
			}
			if ua := r.Header.Get("User-Agent"); ua != "dnsep/"+wrapper.Version {
				t.Errorf("User-Agent %q", ua)
			}
		})
	}
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return v
}

func TestRegionURL(t *testing.T) {
	t.Parallel()
	if got, want := wrapper.RegionURL("cn-north-4"), "https://dns.cn-north-4.myhuaweicloud.com"; got != want {
		t.Errorf("RegionURL = %q, want %q", got, want)
	}
}

// TestNewValidates: New refuses bad options and base URLs with an error that
// says why, and never quotes a credential it was given: every credential
// below holds "SECRET".
func TestNewValidates(t *testing.T) {
	t.Parallel()
	const (
		token = "tok-SECRET-1"
		sk    = "sk-SECRET-2"
	)
	tests := []struct {
		name string
		url  string
		opts []wrapper.Option
		want string
	}{
		{"no credentials", "https://h", nil, "no credentials"},
		{"two credentials", "https://h", []wrapper.Option{wrapper.WithToken(token), wrapper.WithAKSK("ak", sk, "p")}, "more than one"},
		{"empty token", "https://h", []wrapper.Option{wrapper.WithToken("")}, "empty token"},
		{"token with newline", "https://h", []wrapper.Option{wrapper.WithToken(token + "\nb")}, "control character"},
		{"token with trailing space", "https://h", []wrapper.Option{wrapper.WithToken(token + " ")}, "trailing space"},
		{"nil token source", "https://h", []wrapper.Option{wrapper.WithTokenSource(nil)}, "nil TokenSource"},
		{"empty access key", "https://h", []wrapper.Option{wrapper.WithAKSK("", sk, "p")}, "empty access key"},
		{"access key with newline", "https://h", []wrapper.Option{wrapper.WithAKSK("ak-SECRET\n", sk, "p")}, "control character"},
		{"empty secret key", "https://h", []wrapper.Option{wrapper.WithAKSK("ak", "", "p")}, "empty secret key"},
		{"empty project", "https://h", []wrapper.Option{wrapper.WithAKSK("ak", sk, "")}, "empty project ID"},
		{"project with newline", "https://h", []wrapper.Option{wrapper.WithAKSK("ak", sk, "p\n")}, "control character"},
		{"nil http client", "https://h", []wrapper.Option{wrapper.WithToken(token), wrapper.WithHTTPClient(nil)}, "nil http.Client"},
		{"zero attempts", "https://h", []wrapper.Option{wrapper.WithToken(token), wrapper.WithRetryPolicy(wrapper.RetryPolicy{})}, "MaxAttempts"},
		{"base above max", "https://h", []wrapper.Option{wrapper.WithToken(token), wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 2, BaseDelay: 2, MaxDelay: 1})}, "BaseDelay"},
		{"empty user agent", "https://h", []wrapper.Option{wrapper.WithToken(token), wrapper.WithUserAgent("")}, "empty user agent"},
		{"nil logger", "https://h", []wrapper.Option{wrapper.WithToken(token), wrapper.WithLogger(nil)}, "nil logger"},
		{"zero body cap", "https://h", []wrapper.Option{wrapper.WithToken(token), wrapper.WithMaxResponseBytes(0)}, "must be positive"},
		{"ftp", "ftp://h", []wrapper.Option{wrapper.WithToken(token)}, "scheme"},
		{"no host", "https://", []wrapper.Option{wrapper.WithToken(token)}, "no host"},
		{"user info", "https://u:pw-SECRET-3@h", []wrapper.Option{wrapper.WithToken(token)}, "credentials in the URL"},
		{"query", "https://h?x=1", []wrapper.Option{wrapper.WithToken(token)}, "query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := wrapper.New(tt.url, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New = %v, %v; want an error containing %q", c, err, tt.want)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error leaks a secret: %v", err)
			}
		})
	}
}

func TestUserAgent(t *testing.T) {
	t.Parallel()
	c, rec := scripted(t, wrapper.WithToken("t"), []wrapper.Step{wrapper.Reply(200, `{"endpoint":`+endpointJSON+`}`)}, wrapper.WithUserAgent("myapp/1.2"))
	if _, err := c.ShowEndpoint(context.Background(), "e1"); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.Requests()[0].Header.Get("User-Agent"), "myapp/1.2 dnsep/"+wrapper.Version; got != want {
		t.Errorf("User-Agent %q, want %q", got, want)
	}
}

func TestBaseURLPathPrefix(t *testing.T) {
	t.Parallel()
	rec := &wrapper.Script{Steps: []wrapper.Step{wrapper.Reply(200, `{"endpoint":`+endpointJSON+`}`)}}
	c, err := wrapper.New("https://dns.example.com/proxy/dns/", wrapper.WithToken("t"), wrapper.WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ShowEndpoint(context.Background(), "e1"); err != nil {
		t.Fatal(err)
	}
	if got := rec.Requests()[0].URL.Path; got != "/proxy/dns/v2.1/endpoints/e1" {
		t.Errorf("path %q", got)
	}
}
