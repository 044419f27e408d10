package fake_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/dnsep/dnsep/fake"
)

// benchBatch is how many servers of each kind BenchmarkNewTestServer keeps
// open before it closes them, as a test suite's cleanups would.
const benchBatch = 100

// batchTB is a testing.TB whose cleanups run when the benchmark says so,
// not when the benchmark ends: otherwise b.N servers would stay open.
type batchTB struct {
	testing.TB
	cleanups []func()
}

func (tb *batchTB) Cleanup(f func()) { tb.cleanups = append(tb.cleanups, f) }

func (tb *batchTB) runCleanups() {
	for _, f := range slices.Backward(tb.cleanups) {
		f()
	}
	tb.cleanups = tb.cleanups[:0]
}

// serverCost is what starting one server cost.
type serverCost struct {
	ns, bytes, allocs float64
}

// measure starts one server with start and returns its cost. Memory is
// read from runtime.MemStats around the start, so the server's own
// goroutines count too.
func measure(start func()) serverCost {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	start()
	ns := time.Since(t0)
	runtime.ReadMemStats(&after)
	return serverCost{
		ns:     float64(ns.Nanoseconds()),
		bytes:  float64(after.TotalAlloc - before.TotalAlloc),
		allocs: float64(after.Mallocs - before.Mallocs),
	}
}

// BenchmarkNewTestServer compares fake.NewTestServer with a bare
// httptest.NewServer. Each op starts one server of each kind, in
// alternating order, so that both kinds see the same machine; servers are
// closed by batches of benchBatch, outside the measured calls. It reports
// each kind's median time and mean memory per server, and fake/bare, the
// median of the ratios of the pairs' times.
//
//	go test ./fake -run '^$' -bench NewTestServer -benchtime 2000x -count 3
func BenchmarkNewTestServer(b *testing.B) {
	// The first server of the process loads the OpenAPI document (about
	// 5 ms, 1 MB); what a test suite pays per test is what comes after.
	if _, err := fake.New(); err != nil {
		b.Fatal(err)
	}
	tb := &batchTB{TB: b}
	defer tb.runCleanups()
	bareHandler := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	var bare, fk []serverCost
	var ratios []float64
	startBare := func() { tb.Cleanup(httptest.NewServer(bareHandler).Close) }
	startFake := func() { fake.NewTestServer(tb) }
	for i := 0; b.Loop(); i++ {
		var cb, cf serverCost
		if i%2 == 0 {
			cb, cf = measure(startBare), measure(startFake)
		} else {
			cf, cb = measure(startFake), measure(startBare)
		}
		bare, fk = append(bare, cb), append(fk, cf)
		ratios = append(ratios, cf.ns/cb.ns)
		if len(tb.cleanups) >= 2*benchBatch {
			tb.runCleanups()
		}
	}
	report := func(kind string, costs []serverCost) {
		var bytes, allocs float64
		ns := make([]float64, len(costs))
		for i, c := range costs {
			ns[i], bytes, allocs = c.ns, bytes+c.bytes, allocs+c.allocs
		}
		n := float64(len(costs))
		b.ReportMetric(median(ns), kind+"-ns/server")
		b.ReportMetric(bytes/n, kind+"-B/server")
		b.ReportMetric(allocs/n, kind+"-allocs/server")
	}
	report("bare", bare)
	report("fake", fk)
	b.ReportMetric(median(ratios), "fake/bare")
}

// median returns the median of xs, which it sorts.
func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}
