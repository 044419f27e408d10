package fake_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// benchParallelism is the number of concurrent clients per GOMAXPROCS in
// BenchmarkBindUnbind (8 clients on 2 cores).
const benchParallelism = 4

// benchSlots bounds the concurrent clients of BenchmarkBindUnbind: one
// endpoint each, within the fake's default quotas (50 per direction) and
// the addresses of its two default subnets.
const benchSlots = 64

// benchCycleRequests is the number of requests of one bind/unbind cycle:
// bind, list (the bind answers the endpoint, not the new address's ID),
// unbind.
const benchCycleRequests = 3

// benchUnvalidated remembers the wall time per request of the latest
// unvalidated run, by GOMAXPROCS, so that the validated run can report what
// validation costs.
var benchUnvalidated sync.Map // int -> float64 (ns per request)

// BenchmarkBindUnbind measures the fake's throughput over loopback: clients
// (benchParallelism per GOMAXPROCS, each with its own keep-alive connection
// pool) bind an auto-assigned IP address to an endpoint of 3 to 5 addresses,
// list the addresses to learn the new one's ID, and unbind it. One op is one
// cycle of three requests; req/s counts requests. The unvalidated run goes
// first, so that the validated one can report validation-% (the share of
// throughput that response validation costs; requests are always
// validated) and validation-ns/req (the wall time it adds to each request).
//
//	go test ./fake -run '^$' -bench BindUnbind -benchtime 3s
func BenchmarkBindUnbind(b *testing.B) {
	b.Run("unvalidated", func(b *testing.B) { benchBindUnbind(b, false) })
	b.Run("validated", func(b *testing.B) { benchBindUnbind(b, true) })
}

// benchSlot is one client with its own endpoint.
type benchSlot struct {
	client   *wrapper.Client
	endpoint string
	subnet   string
	base     []string // IDs of the endpoint's own addresses, never unbound
}

func benchBindUnbind(b *testing.B, validate bool) {
	var opts []fake.Option
	if !validate {
		opts = append(opts, fake.WithValidation(false))
	}
	srv := fake.NewTestServer(b, opts...)
	clients := benchParallelism * runtime.GOMAXPROCS(0)
	if clients > benchSlots {
		b.Fatalf("%d concurrent clients: at most %d", clients, benchSlots)
	}
	ctx := b.Context()
	slots := make([]benchSlot, clients)
	for i := range slots {
		slots[i] = newBenchSlot(b, srv, i)
	}

	var next atomic.Int32
	b.SetParallelism(benchParallelism)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		s := &slots[next.Add(1)-1]
		for pb.Next() {
			if err := s.cycle(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()

	if err := srv.Server.Check(); err != nil {
		b.Error(err)
	}
	requests := float64(b.N * benchCycleRequests)
	nsPerReq := float64(b.Elapsed().Nanoseconds()) / requests
	b.ReportMetric(requests/b.Elapsed().Seconds(), "req/s")
	procs := runtime.GOMAXPROCS(0)
	if !validate {
		benchUnvalidated.Store(procs, nsPerReq)
		return
	}
	if v, ok := benchUnvalidated.Load(procs); ok {
		plain := v.(float64)
		b.ReportMetric(100*(1-plain/nsPerReq), "validation-%")
		b.ReportMetric(nsPerReq-plain, "validation-ns/req")
	}
}

// newBenchSlot creates client i and its endpoint: 3 to 5 auto-assigned
// addresses in one of the default subnets, inbound or outbound, ACTIVE.
func newBenchSlot(b *testing.B, srv *fake.TestServer, i int) benchSlot {
	b.Helper()
	ctx := b.Context()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	b.Cleanup(tr.CloseIdleConnections)
	c, err := wrapper.New(srv.URL, wrapper.WithToken(srv.Token),
		wrapper.WithHTTPClient(&http.Client{Transport: tr}),
		wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		b.Fatal(err)
	}
	s := benchSlot{client: c, subnet: []string{fake.DefaultSubnetID, fake.DefaultSubnet2ID}[i%2]}
	dir := []wrapper.Direction{wrapper.Inbound, wrapper.Outbound}[i/2%2]
	in := make([]wrapper.IPAddressInfo, 3+i%3)
	for j := range in {
		in[j].SubnetID = s.subnet
	}
	ep, err := c.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{
		Name: fmt.Sprintf("bench-%d", i), Direction: dir, Region: "cn-north-4", Ipaddresses: in,
	})
	if err != nil {
		b.Fatal(err)
	}
	s.endpoint = ep.ID
	list, err := c.ListEndpointIpaddresses(ctx, ep.ID) // settles the endpoint
	if err != nil {
		b.Fatal(err)
	}
	for _, ip := range list {
		s.base = append(s.base, ip.ID)
	}
	return s
}

// cycle binds an auto-assigned address, finds its ID and unbinds it.
func (s *benchSlot) cycle(ctx context.Context) error {
	c := s.client
	if _, err := c.AssociateEndpointIpaddress(ctx, s.endpoint, wrapper.IPAddressInfo{SubnetID: s.subnet}); err != nil {
		return err
	}
	list, err := c.ListEndpointIpaddresses(ctx, s.endpoint)
	if err != nil {
		return err
	}
	added := ""
	for _, ip := range list {
		if ip.Status != wrapper.StatusPendingDelete && !slices.Contains(s.base, ip.ID) {
			added = ip.ID
		}
	}
	if added == "" {
		return fmt.Errorf("endpoint %s: the bound address is not listed", s.endpoint)
	}
	_, err = c.DisassociateEndpointIpaddress(ctx, s.endpoint, added)
	return err
}
