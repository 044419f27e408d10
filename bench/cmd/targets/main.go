// Command targets reads the output of BenchmarkUnbind run in rounds (go test
// -count 1, repeated, all output in one or more files) and checks the
// project's performance targets on paired rounds: for each round it takes the
// ratio of two variants measured in that round, then reports the median,
// minimum and maximum of those ratios. Pairing within a round cancels the
// drift of a busy machine better than a ratio of overall medians.
//
// Usage:
//
//	go run ./cmd/targets results.txt...
//
// It prints Markdown: the ratio of every client to plain net/http (a) per
// transport, and the targets with their verdicts. It exits with status 1 if
// the input holds no BenchmarkUnbind results; a missed target is reported,
// not fatal.
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// A sample is one result line: the metrics of one variant in one round.
// cpu is the process CPU time per op (cpu-ns/op), 0 if not reported.
type sample struct{ ns, cpu, bytes, allocs float64 }

// results maps transport, then client, to the samples in round order.
type results map[string]map[string][]sample

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: targets results.txt...")
		os.Exit(2)
	}
	res := results{}
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		err = res.read(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(2)
		}
	}
	if len(res) == 0 {
		fmt.Fprintln(os.Stderr, "targets: no BenchmarkUnbind results in the input")
		os.Exit(1)
	}
	res.printRatios(os.Stdout)
	res.printTargets(os.Stdout)
}

// read adds the BenchmarkUnbind lines of r. A line looks like
// "BenchmarkUnbind/transport=mem/client=a-nethttp-2  75613  6351 ns/op  2880 B/op  27 allocs/op".
func (res results) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "BenchmarkUnbind/") {
			continue
		}
		transport, client, ok := parseName(fields[0])
		if !ok {
			continue
		}
		var s sample
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return fmt.Errorf("%q: %v", sc.Text(), err)
			}
			switch fields[i+1] {
			case "ns/op":
				s.ns = v
			case "cpu-ns/op":
				s.cpu = v
			case "B/op":
				s.bytes = v
			case "allocs/op":
				s.allocs = v
			}
		}
		if res[transport] == nil {
			res[transport] = map[string][]sample{}
		}
		res[transport][client] = append(res[transport][client], s)
	}
	return sc.Err()
}

// parseName splits "BenchmarkUnbind/transport=T/client=C-N" into T and C.
func parseName(name string) (transport, client string, ok bool) {
	for _, part := range strings.Split(name, "/")[1:] {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "transport":
			transport = v
		case "client":
			client = v
		}
	}
	// Drop the GOMAXPROCS suffix ("-2") that go test appends.
	if i := strings.LastIndexByte(client, '-'); i > 0 {
		if _, err := strconv.Atoi(client[i+1:]); err == nil {
			client = client[:i]
		}
	}
	return transport, client, transport != "" && client != ""
}

// paired returns, for each round that measured both clients, f(x, y) of
// their samples.
func (res results) paired(transport, x, y string, f func(x, y sample) float64) []float64 {
	xs, ys := res[transport][x], res[transport][y]
	n := min(len(xs), len(ys))
	out := make([]float64, n)
	for i := range n {
		out[i] = f(xs[i], ys[i])
	}
	return out
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

var transports = []string{"mem", "loopback", "loopback8"}

const floor = "a-nethttp"

// A metric is one column of the results.
type metric struct {
	name string
	get  func(sample) float64
}

var (
	wall   = metric{"ns/op", func(s sample) float64 { return s.ns }}
	cpu    = metric{"cpu-ns/op", func(s sample) float64 { return s.cpu }}
	bytes  = metric{"B/op", func(s sample) float64 { return s.bytes }}
	allocs = metric{"allocs/op", func(s sample) float64 { return s.allocs }}
)

// ratios returns, per round, x's metric divided by y's; nil if the metric
// was not reported.
func (res results) ratios(transport, x, y string, m metric) []float64 {
	v := res.paired(transport, x, y, func(a, b sample) float64 { return m.get(a) / m.get(b) })
	for _, r := range v {
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return nil
		}
	}
	return v
}

// printRatios prints, per transport, every client's median metrics and the
// medians of its per-round ratios to plain net/http.
func (res results) printRatios(w io.Writer) {
	fmt.Fprintln(w, "### Medians over the rounds, and ratios to (a) plain net/http (median of per-round ratios)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| transport | client | rounds | ns/op | cpu-ns/op | B/op | allocs/op | ns/op ÷ (a) | cpu-ns/op ÷ (a) | B/op ÷ (a) | allocs/op ÷ (a) |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, t := range transports {
		clients := make([]string, 0, len(res[t]))
		for c := range res[t] {
			clients = append(clients, c)
		}
		slices.Sort(clients)
		for _, c := range clients {
			ss := res[t][c]
			fmt.Fprintf(w, "| %s | %s | %d |", t, c, len(ss))
			for _, m := range []metric{wall, cpu, bytes, allocs} {
				v := make([]float64, len(ss))
				for i, s := range ss {
					v[i] = m.get(s)
				}
				fmt.Fprintf(w, " %.0f |", median(v))
			}
			for _, m := range []metric{wall, cpu, bytes, allocs} {
				if r := res.ratios(t, c, floor, m); r != nil {
					fmt.Fprintf(w, " %.2f× |", median(r))
				} else {
					fmt.Fprint(w, " – |")
				}
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w)
}

// A target compares two clients in one transport: the ratio x/y of ns/op
// (and of cpu-ns/op), or with diff the difference x−y of allocs/op, must not
// exceed limit.
type target struct {
	what      string
	transport string
	x, y      string
	diff      bool
	limit     float64
}

var targets = []target{
	{"wrapper's own cost: (c) ÷ (b)", "mem", "c-token", "b-gen", false, 1.15},
	{"wrapper's own cost: (c) − (b), allocs/op", "mem", "c-token", "b-gen", true, 8},
	{"whole generated stack: (c) ÷ (a)", "mem", "c-token", "a-nethttp", false, 1.6},
	{"AK/SK against the official SDK: (d) ÷ (e)", "mem", "d-aksk", "e-sdk", false, 0.45},
	{"the same against the SDK without its timeout: (d) ÷ (e-sdk-notimeout)", "mem", "d-aksk", "e-sdk-notimeout", false, 0.45},
	{"wrapper's own cost: (c) ÷ (b)", "loopback", "c-token", "b-gen", false, 1.15},
	{"wrapper's own cost: (c) − (b), allocs/op", "loopback", "c-token", "b-gen", true, 8},
	{"whole generated stack: (c) ÷ (a)", "loopback", "c-token", "a-nethttp", false, 1.6},
	{"AK/SK against the official SDK: (d) ÷ (e)", "loopback", "d-aksk", "e-sdk", false, 0.45},
	{"8 concurrent callers: (c) ÷ (a), per call", "loopback8", "c-token", "a-nethttp", false, 1.10},
}

func (res results) printTargets(w io.Writer) {
	fmt.Fprintln(w, "### Targets: median of the per-round values [min, max]; the verdict is on ns/op")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| transport | target | limit | ns/op | cpu-ns/op | verdict |")
	fmt.Fprintln(w, "|---|---|---:|---|---|---|")
	for _, tg := range targets {
		if tg.diff {
			v := res.paired(tg.transport, tg.x, tg.y, func(x, y sample) float64 { return x.allocs - y.allocs })
			fmt.Fprintf(w, "| %s | %s | %+.0f | %s | | %s |\n", tg.transport, tg.what, tg.limit,
				summary(v, "%+.0f"), verdict(v, tg.limit, true))
			continue
		}
		v := res.ratios(tg.transport, tg.x, tg.y, wall)
		fmt.Fprintf(w, "| %s | %s | %.2f | %s | %s | %s |\n", tg.transport, tg.what, tg.limit,
			summary(v, "%.2f"), summary(res.ratios(tg.transport, tg.x, tg.y, cpu), "%.2f"), verdict(v, tg.limit, false))
	}
	fmt.Fprintln(w)
}

func summary(v []float64, format string) string {
	if len(v) == 0 {
		return "–"
	}
	f := func(x float64) string { return fmt.Sprintf(format, x) }
	return f(median(v)) + " [" + f(slices.Min(v)) + ", " + f(slices.Max(v)) + "]"
}

func verdict(v []float64, limit float64, diff bool) string {
	m := median(v)
	switch {
	case len(v) == 0:
		return "not measured"
	case m <= limit:
		return "met"
	case diff:
		return fmt.Sprintf("missed by %+.0f", m-limit)
	}
	return fmt.Sprintf("missed by %.1f%%", (m/limit-1)*100)
}
