package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	dns "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2/model"

	"github.com/dnsep/dnsep/gen"
	"github.com/dnsep/dnsep/wrapper"
)

// What every variant sends and what the canned answer holds: the example of
// the OpenAPI document.
const (
	endpointID  = "ff80808169be2efb0169bef85d720013"
	ipaddressID = "ff80808169bf16c70169bf1d04ba0001"
	token       = "MIIbench-token-not-a-real-one"
	accessKey   = "QTWAOYTTINDUT2QVKYUC"
	secretKey   = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
	projectID   = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	requestID   = "d59058a3efc5f8ca152d53154f90444b"

	// memBaseURL is the base URL of the in-memory runs: a real host name,
	// never dialled.
	memBaseURL = "https://dns.cn-north-4.myhuaweicloud.com"
)

var answer = []byte(`{"endpoint":{"id":"ff80808169be2efb0169bef85d720013","name":"NULL","direction":"inbound",` +
	`"status":"ACTIVE","vpc_id":"dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b","ipaddress_count":3,"resolver_rule_count":0,` +
	`"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"}}`)

// answerHeader is what the canned 202 carries, as the service sends it.
// The in-memory transport shares it between responses: no client under test
// modifies a response's header.
var answerHeader = http.Header{
	"Content-Type":   {"application/json"},
	"Content-Length": {strconv.Itoa(len(answer))},
	"X-Request-Id":   {requestID},
}

// cannedTransport answers every request with the same 202 without any
// network: what remains is the client's own CPU and memory. Its per-call
// cost (a Response, a body reader) is the same for every variant.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{
		Status:        "202 Accepted",
		StatusCode:    http.StatusAccepted,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        answerHeader,
		Body:          io.NopCloser(bytes.NewReader(answer)),
		ContentLength: int64(len(answer)),
		Request:       req,
	}, nil
}

// newServer starts a loopback server that answers the canned 202.
func newServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = answerHeader["Content-Type"]
		h["X-Request-Id"] = answerHeader["X-Request-Id"]
		w.WriteHeader(http.StatusAccepted)
		w.Write(answer)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// loopbackTransport is the transport of the plain net/http and generated
// client variants over loopback: configured like the wrapper's own default
// (no proxy, 64 idle connections per host), so that all three pay the same
// for connections.
func loopbackTransport(b *testing.B) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	b.Cleanup(t.CloseIdleConnections)
	return t
}

// unbind is one DisassociateEndpointIpaddress call that must succeed.
type unbind func(ctx context.Context) error

// A variant builds an unbind for a base URL. rt is the in-memory transport,
// or nil for loopback, where each variant uses its usual transport.
type variant struct {
	name string
	new  func(b *testing.B, baseURL string, rt http.RoundTripper) unbind
}

var (
	netHTTP      = variant{"a-nethttp", newNetHTTP}
	generated    = variant{"b-gen", newGenerated}
	wrapperToken = variant{"c-token", newWrapperToken}
	wrapperAKSK  = variant{"d-aksk", newWrapperAKSK}
	officialSDK  = variant{"e-sdk", func(b *testing.B, baseURL string, rt http.RoundTripper) unbind {
		return newOfficialSDK(b, baseURL, rt, config.DefaultTimeout)
	}}
	// sdkNoTimeout is (e) with HttpConfig.Timeout 0, in memory only. With a
	// timeout and a RoundTripper that is not an *http.Transport, as the
	// in-memory one is, http.Client starts a goroutine and a timer for every
	// request; over a real transport the same timeout costs only a
	// context.WithDeadline. The default (e) therefore overstates the SDK's
	// in-memory cost and this one slightly understates it.
	sdkNoTimeout = variant{"e-sdk-notimeout", func(b *testing.B, baseURL string, rt http.RoundTripper) unbind {
		return newOfficialSDK(b, baseURL, rt, 0)
	}}
)

// smallEndpoint is what the plain net/http variant decodes.
type smallEndpoint struct {
	Endpoint struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"endpoint"`
}

// newNetHTTP is the floor (a): build the request, set X-Auth-Token, Do,
// check the status, decode into a small struct, close.
func newNetHTTP(b *testing.B, baseURL string, rt http.RoundTripper) unbind {
	if rt == nil {
		rt = loopbackTransport(b)
	}
	hc := &http.Client{Transport: rt}
	return func(ctx context.Context) error {
		u := baseURL + "/v2.1/endpoints/" + url.PathEscape(endpointID) + "/ipaddresses/" + url.PathEscape(ipaddressID)
		req, err := http.NewRequestWithContext(ctx, http.MethodDelete, u, nil)
		if err != nil {
			return err
		}
		req.Header.Set("X-Auth-Token", token)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		var v smallEndpoint
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			return err
		}
		return checkStatus(v.Endpoint.Status)
	}
}

// newGenerated is (b): gen.ClientWithResponses with the token set by a
// request editor.
func newGenerated(b *testing.B, baseURL string, rt http.RoundTripper) unbind {
	if rt == nil {
		rt = loopbackTransport(b)
	}
	c, err := gen.NewClientWithResponses(baseURL,
		gen.WithHTTPClient(&http.Client{Transport: rt}),
		gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("X-Auth-Token", token)
			return nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	return func(ctx context.Context) error {
		r, err := c.DisassociateEndpointIpaddressWithResponse(ctx, endpointID, ipaddressID)
		if err != nil {
			return err
		}
		if r.StatusCode() != http.StatusAccepted || r.JSON202 == nil {
			return fmt.Errorf("status %d", r.StatusCode())
		}
		return checkStatus(string(r.JSON202.Endpoint.Status))
	}
}

// newWrapper is (c) and (d): the wrapper with the given credentials and,
// over loopback, its own default transport.
func newWrapper(b *testing.B, baseURL string, rt http.RoundTripper, creds wrapper.Option) unbind {
	opts := []wrapper.Option{creds}
	if rt != nil {
		opts = append(opts, wrapper.WithHTTPClient(&http.Client{Transport: rt}))
	}
	c, err := wrapper.New(baseURL, opts...)
	if err != nil {
		b.Fatal(err)
	}
	return func(ctx context.Context) error {
		ep, err := c.DisassociateEndpointIpaddress(ctx, endpointID, ipaddressID)
		if err != nil {
			return err
		}
		return checkStatus(string(ep.Status))
	}
}

func newWrapperToken(b *testing.B, baseURL string, rt http.RoundTripper) unbind {
	return newWrapper(b, baseURL, rt, wrapper.WithToken(token))
}

func newWrapperAKSK(b *testing.B, baseURL string, rt http.RoundTripper) unbind {
	return newWrapper(b, baseURL, rt, wrapper.WithAKSK(accessKey, secretKey, projectID))
}

// newOfficialSDK is (e): huaweicloud-sdk-go-v3's DNS client with AK/SK and
// the given HttpConfig.Timeout (the SDK's default is config.DefaultTimeout).
// The explicit project ID and the endpoint given without a region keep it
// from asking IAM for the project. The User-Agent is set so that building
// the client does not write $HOME/.huaweicloud/application_id; the
// per-call work is the same either way. In memory the canned transport goes
// in through HttpConfig.WithHttpRoundTripper; over loopback the SDK uses
// its default transport (2 idle connections per host).
func newOfficialSDK(b *testing.B, baseURL string, rt http.RoundTripper, timeout time.Duration) unbind {
	c := sdkClient(b, baseURL, accessKey, secretKey, rt, timeout)
	return func(context.Context) error { // the SDK takes no context
		resp, err := c.DisassociateEndpointIpaddress(&model.DisassociateEndpointIpaddressRequest{
			EndpointId:  endpointID,
			IpaddressId: ipaddressID,
		})
		if err != nil {
			return err
		}
		if resp.Endpoint == nil || resp.Endpoint.Status == nil {
			return fmt.Errorf("status %d: no endpoint", resp.HttpStatusCode)
		}
		return checkStatus(*resp.Endpoint.Status)
	}
}

// sdkClient builds the official SDK's DNS client with AK/SK, an explicit
// project ID (so that it never asks IAM), the endpoint baseURL, and rt as
// its transport unless rt is nil.
func sdkClient(tb testing.TB, baseURL, ak, sk string, rt http.RoundTripper, timeout time.Duration) *dns.DnsClient {
	tb.Helper()
	cred, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId(projectID).SafeBuild()
	if err != nil {
		tb.Fatal(err)
	}
	cfg := config.DefaultHttpConfig().WithUserAgent("dnsep-bench").WithTimeout(timeout)
	if rt != nil {
		cfg = cfg.WithHttpRoundTripper(rt)
	}
	hc, err := dns.DnsClientBuilder().WithEndpoints([]string{baseURL}).WithCredential(cred).WithHttpConfig(cfg).SafeBuild()
	if err != nil {
		tb.Fatal(err)
	}
	return dns.NewDnsClient(hc)
}

func checkStatus(s string) error {
	if s != "ACTIVE" {
		return fmt.Errorf("endpoint status %q, want ACTIVE", s)
	}
	return nil
}

// callers is the number of concurrent callers of the parallel benchmarks.
const callers = 8

// BenchmarkUnbind runs one unbind through every variant: in memory
// (transport=mem, plus the SDK without its timeout), over loopback HTTP/1.1
// (transport=loopback), and over
// loopback from 8 concurrent callers (transport=loopback8, for a, c, e; the
// time per op is wall time divided by calls, so it is per call across all
// callers). Run it with -count 1 in several rounds (see the Makefile's bench
// target) so that the variants interleave and drift cancels.
func BenchmarkUnbind(b *testing.B) {
	all := []variant{netHTTP, generated, wrapperToken, wrapperAKSK, officialSDK}
	for _, v := range append(all, sdkNoTimeout) {
		b.Run("transport=mem/client="+v.name, func(b *testing.B) {
			run(b, v.new(b, memBaseURL, cannedTransport{}))
		})
	}
	for _, v := range all {
		b.Run("transport=loopback/client="+v.name, func(b *testing.B) {
			srv := newServer(b)
			run(b, v.new(b, srv.URL, nil))
		})
	}
	for _, v := range []variant{netHTTP, wrapperToken, officialSDK} {
		b.Run("transport=loopback8/client="+v.name, func(b *testing.B) {
			srv := newServer(b)
			runParallel(b, v.new(b, srv.URL, nil))
		})
	}
}

func run(b *testing.B, call unbind) {
	ctx := context.Background()
	if err := call(ctx); err != nil { // warm up: connection, caches
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		if err := call(ctx); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

func runParallel(b *testing.B, call unbind) {
	ctx := context.Background()
	if err := call(ctx); err != nil {
		b.Fatal(err)
	}
	// RunParallel starts parallelism × GOMAXPROCS goroutines.
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((callers + procs - 1) / procs)
	b.ReportAllocs()
	cpu := startCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := call(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	cpu.report(b)
}

// cpuClock measures the process's CPU time per operation, reported as
// cpu-ns/op beside the wall-clock ns/op. On a machine shared with other work
// the wall clock also counts the time the benchmark waited for a core; the
// CPU time does not, so it is the steadier of the two. It covers every
// thread of the process: the garbage collector, and over loopback the
// server too.
type cpuClock struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuClock {
	t, ok := processCPU()
	return cpuClock{t, ok}
}

func (c cpuClock) report(b *testing.B) {
	end, ok := processCPU()
	if !c.ok || !ok || b.N == 0 {
		return
	}
	b.ReportMetric(float64(end-c.start)/float64(b.N), "cpu-ns/op")
}
