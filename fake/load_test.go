package fake_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// The flags of TestLoad. The defaults make the short run of `make test`;
// `make load` runs the long one:
//
//	go test ./fake -run '^TestLoad$' -count=1 -v -args -load.clients=32 -load.duration=10s
var (
	loadClients   = flag.Int("load.clients", 8, "TestLoad: concurrent clients, each a wrapper client of its own")
	loadDuration  = flag.Duration("load.duration", time.Second, "TestLoad: how long the clients send requests")
	loadEndpoints = flag.Int("load.endpoints", 0, "TestLoad: endpoints the clients share (1 to 20; 0 for one per two clients, 2 to 20)")
	loadValidate  = flag.Bool("load.validate", true, "TestLoad: the fake validates its responses against the OpenAPI document (requests always)")
	loadMax       = flag.Int("load.max-requests", 2_000_000, "TestLoad: the most requests sent in all, whatever the duration")
)

// The operations of the load, in the order of the table.
var loadOps = []string{
	"AssociateEndpointIpaddress",
	"DisassociateEndpointIpaddress",
	"ListEndpointIpaddresses",
	"ListEndpoints",
	"ShowEndpoint",
	"UpdateEndpoint",
}

// loadPoolFirst is the first host address (in both default subnets) that
// the clients bind by hand; the endpoints' own addresses are assigned by the
// fake from the bottom of the subnets and stay below it.
const loadPoolFirst = 64

// TestLoad runs concurrent clients against the fake over loopback for a
// bounded time and prints, per operation and in total, the requests, the
// answers refused by the 2-to-6 rule (400 DNS.1514, expected when binds
// race), the errors, p50/p99 latency and requests per second. It fails on
// any error (another non-2xx answer, a transport error), on a status the
// OpenAPI document does not declare for its operation, and if the store's
// invariants (Server.Check) do not hold afterwards.
//
// The clients share a few endpoints of 3 to 5 addresses. Each client binds
// addresses of its own (so that it alone unbinds them), lists the
// endpoint's addresses to learn the ID of the one it bound, unbinds it, and
// in between shows endpoints, lists endpoints and renames one now and then.
func TestLoad(t *testing.T) {
	clients, endpoints := *loadClients, *loadEndpoints
	if endpoints == 0 {
		endpoints = min(max(clients/2, 2), 20)
	}
	switch {
	case clients < 1:
		t.Fatalf("-load.clients=%d: want at least 1", clients)
	case endpoints < 1 || endpoints > 20:
		t.Fatalf("-load.endpoints=%d: want 1 to 20", endpoints)
	case *loadDuration <= 0 || *loadMax < 1:
		t.Fatalf("-load.duration=%v -load.max-requests=%d: want both positive", *loadDuration, *loadMax)
	}
	pools := loadAddressPools(clients)
	if pools == nil {
		t.Fatalf("-load.clients=%d: the default subnets have addresses for at most %d clients", clients, 2*(255-loadPoolFirst))
	}
	srv := fake.NewTestServer(t, fake.WithValidation(*loadValidate))
	ctx, cancel := context.WithTimeout(t.Context(), *loadDuration+time.Minute)
	defer cancel()

	setup := newLoadClient(t, srv, 0, nil)
	var eps []string
	for i := range endpoints {
		in := make([]wrapper.IPAddressInfo, 3+i%3)
		for j := range in {
			in[j].SubnetID = loadSubnets[i%2]
		}
		ep, err := setup.c.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{
			Name: fmt.Sprintf("load-%d", i), Direction: []wrapper.Direction{wrapper.Inbound, wrapper.Outbound}[i/2%2],
			Region: "cn-north-4", Ipaddresses: in,
		})
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, ep.ID)
	}

	// Each client opens its connection before the clock starts.
	lcs := make([]*loadClient, clients)
	for i := range lcs {
		lcs[i] = newLoadClient(t, srv, i, pools[i])
		if _, err := lcs[i].c.ShowEndpoint(ctx, eps[i%len(eps)]); err != nil {
			t.Fatal(err)
		}
	}
	perClient := max(1, *loadMax/clients)
	start := time.Now()
	deadline := start.Add(*loadDuration)
	var wg sync.WaitGroup
	for _, lc := range lcs {
		wg.Go(func() { lc.run(ctx, eps, deadline, perClient) })
	}
	wg.Wait()
	elapsed := time.Since(start)

	total := map[string]*loadStats{}
	for _, lc := range lcs {
		for op, st := range lc.stats {
			if total[op] == nil {
				total[op] = &loadStats{statuses: map[int]int{}}
			}
			total[op].merge(st)
		}
	}
	t.Logf("load: %d clients, %d endpoints, %v, validation %v, GOMAXPROCS %d\n%s",
		clients, endpoints, elapsed.Round(time.Millisecond), onOff(*loadValidate), runtime.GOMAXPROCS(0), loadTable(total, elapsed))

	declared := declaredStatuses(t)
	for _, op := range loadOps {
		st := total[op]
		if st == nil {
			continue
		}
		for status, n := range st.statuses {
			if status != 0 && !slices.Contains(declared[op], status) { // 0: no answer, counted as an error
				t.Errorf("%s answered %d (%d times), which the document does not declare", op, status, n)
			}
		}
		if st.errors > 0 {
			t.Errorf("%s: %d errors, for example: %s", op, st.errors, strings.Join(st.samples, "; "))
		}
	}
	for _, r := range srv.Server.Requests() {
		if !slices.Contains(declared[r.Operation], r.Status) {
			t.Errorf("the fake recorded %s %s answered %d, which the document does not declare", r.Operation, r.Path, r.Status)
		}
	}
	if err := srv.Server.Check(); err != nil {
		t.Error(err)
	}
	for _, op := range []string{"AssociateEndpointIpaddress", "DisassociateEndpointIpaddress"} {
		if st := total[op]; st == nil || st.ok == 0 {
			t.Errorf("no %s succeeded", op)
		}
	}
}

var loadSubnets = []string{fake.DefaultSubnetID, fake.DefaultSubnet2ID}

// loadAddress is an address a client binds by hand.
type loadAddress struct {
	subnetID, ip string
}

// loadAddressPools splits the addresses from loadPoolFirst up of the two
// default subnets between the clients, up to 4 each; nil if there are not
// enough for one each.
func loadAddressPools(clients int) [][]loadAddress {
	var all []loadAddress
	for host := loadPoolFirst; host <= 254; host++ {
		for i, prefix := range []string{"192.168.0.", "192.168.1."} {
			all = append(all, loadAddress{loadSubnets[i], fmt.Sprint(prefix, host)})
		}
	}
	per := min(4, len(all)/clients)
	if per == 0 {
		return nil
	}
	pools := make([][]loadAddress, clients)
	for i := range pools {
		pools[i] = all[i*per : (i+1)*per]
	}
	return pools
}

// loadClient is one client of the load, used by one goroutine.
type loadClient struct {
	id     int
	c      *wrapper.Client
	status *statusRecorder
	rng    *rand.Rand
	pool   []loadAddress
	next   int // the next address of pool to bind
	stats  map[string]*loadStats

	// The address the client holds: bound to held.endpoint, its ID known
	// once listed.
	held    *loadAddress
	heldEP  string
	heldID  string
	renames int
}

// loadStats counts the answers to one operation.
type loadStats struct {
	ok, refused, errors int
	latencies           []time.Duration
	statuses            map[int]int // HTTP status -> answers; 0 for no answer
	samples             []string    // the first few errors
}

func (s *loadStats) merge(o *loadStats) {
	s.ok += o.ok
	s.refused += o.refused
	s.errors += o.errors
	s.latencies = append(s.latencies, o.latencies...)
	for k, v := range o.statuses {
		s.statuses[k] += v
	}
	for _, e := range o.samples {
		if len(s.samples) < 3 {
			s.samples = append(s.samples, e)
		}
	}
}

// statusRecorder remembers the status of the latest answer its client got.
type statusRecorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	last int
}

func (r *statusRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err == nil {
		r.mu.Lock()
		r.last = resp.StatusCode
		r.mu.Unlock()
	}
	return resp, err
}

func (r *statusRecorder) take() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.last
	r.last = 0
	return s
}

func newLoadClient(t *testing.T, srv *fake.TestServer, id int, pool []loadAddress) *loadClient {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	t.Cleanup(tr.CloseIdleConnections)
	rec := &statusRecorder{base: tr}
	c, err := wrapper.New(srv.URL, wrapper.WithToken(srv.Token),
		wrapper.WithHTTPClient(&http.Client{Transport: rec}),
		// Every failure counts: nothing is retried.
		wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return &loadClient{id: id, c: c, status: rec, pool: pool, stats: map[string]*loadStats{},
		rng: rand.New(rand.NewPCG(uint64(id), 0x10ad))}
}

// run sends requests until deadline, at most limit of them.
func (lc *loadClient) run(ctx context.Context, eps []string, deadline time.Time, limit int) {
	for range limit {
		if !time.Now().Before(deadline) || ctx.Err() != nil {
			return
		}
		ep := eps[lc.rng.IntN(len(eps))]
		switch n := lc.rng.IntN(100); {
		case n < 3:
			lc.renames++
			name := fmt.Sprintf("load-c%d-r%d", lc.id, lc.renames)
			lc.call("UpdateEndpoint", func() error {
				_, err := lc.c.UpdateEndpoint(ctx, ep, wrapper.UpdateEndpointRequest{Name: name})
				return err
			})
		case n < 18:
			lc.call("ShowEndpoint", func() error {
				_, err := lc.c.ShowEndpoint(ctx, ep)
				return err
			})
		case n < 25:
			d := []wrapper.Direction{wrapper.Inbound, wrapper.Outbound}[n%2]
			lc.call("ListEndpoints", func() error {
				_, err := lc.c.ListEndpoints(ctx, wrapper.ListEndpointsParams{Direction: d})
				return err
			})
		default:
			lc.step(ctx, ep)
		}
	}
}

// step moves the client's own address along: bind one to ep, list to learn
// its ID, unbind it.
func (lc *loadClient) step(ctx context.Context, ep string) {
	switch {
	case lc.held == nil:
		a := lc.pool[lc.next%len(lc.pool)]
		lc.next++
		ok := lc.call("AssociateEndpointIpaddress", func() error {
			_, err := lc.c.AssociateEndpointIpaddress(ctx, ep, wrapper.IPAddressInfo{SubnetID: a.subnetID, IP: &a.ip})
			return err
		})
		if ok {
			lc.held, lc.heldEP, lc.heldID = &a, ep, ""
		}
	case lc.heldID == "":
		lc.call("ListEndpointIpaddresses", func() error {
			list, err := lc.c.ListEndpointIpaddresses(ctx, lc.heldEP)
			if err != nil {
				return err
			}
			for _, ip := range list {
				if ip.IP == lc.held.ip {
					lc.heldID = ip.ID
					return nil
				}
			}
			err = fmt.Errorf("endpoint %s does not list the address %s bound to it", lc.heldEP, lc.held.ip)
			lc.held = nil // lost: count it and move on
			return err
		})
	default:
		if lc.call("DisassociateEndpointIpaddress", func() error {
			_, err := lc.c.DisassociateEndpointIpaddress(ctx, lc.heldEP, lc.heldID)
			return err
		}) {
			lc.held = nil
		}
	}
}

// call runs one request of operation op and counts its answer. It reports
// whether the request succeeded.
func (lc *loadClient) call(op string, f func() error) bool {
	st := lc.stats[op]
	if st == nil {
		st = &loadStats{statuses: map[int]int{}}
		lc.stats[op] = st
	}
	lc.status.take()
	start := time.Now()
	err := f()
	st.latencies = append(st.latencies, time.Since(start))
	st.statuses[lc.status.take()]++
	apiErr, isAPI := errors.AsType[*wrapper.APIError](err)
	switch {
	case err == nil:
		st.ok++
		return true
	case isAPI && apiErr.StatusCode == http.StatusBadRequest && apiErr.Code == "DNS.1514":
		st.refused++
	default:
		st.errors++
		if len(st.samples) < 3 {
			st.samples = append(st.samples, err.Error())
		}
	}
	return false
}

// loadTable renders the statistics, one line per operation and a total.
func loadTable(stats map[string]*loadStats, elapsed time.Duration) string {
	var b strings.Builder
	const format = "%-30s %9v %9v %16v %7v %9v %9v %8v\n"
	fmt.Fprintf(&b, format, "operation", "requests", "ok", "refused by rule", "errors", "p50", "p99", "req/s")
	all := &loadStats{statuses: map[int]int{}}
	row := func(name string, st *loadStats) {
		n := len(st.latencies)
		fmt.Fprintf(&b, format, name, n, st.ok, st.refused, st.errors,
			percentile(st.latencies, 50), percentile(st.latencies, 99), fmt.Sprintf("%.0f", float64(n)/elapsed.Seconds()))
	}
	for _, op := range loadOps {
		if st := stats[op]; st != nil {
			row(op, st)
			all.merge(st)
		}
	}
	row("total", all)
	return b.String()
}

// percentile returns the p-th percentile (nearest rank) of ds, rounded to
// the microsecond. It sorts ds.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	rank := (p*len(ds) + 99) / 100 // ceil(p/100 * n)
	return ds[max(rank, 1)-1].Round(time.Microsecond)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
