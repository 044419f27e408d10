package fake_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/gen"
)

// BenchmarkServeHTTP measures the fake in process, without a network: one
// op is two requests to a seeded endpoint, a list of its addresses (a
// query, a 200 list) and a rename (a JSON body, a 202 endpoint), through
// Server.ServeHTTP with requests validated (always) and responses checked
// or not (WithValidation). The difference per request is what checking
// responses costs; profile the checked run to see where validation goes:
//
//	go test ./fake -run '^$' -bench ServeHTTP -count 5
//	go test ./fake -run '^$' -bench 'ServeHTTP/responses-checked' -cpuprofile cpu.out
func BenchmarkServeHTTP(b *testing.B) {
	b.Run("requests-only", func(b *testing.B) { benchServeHTTP(b, fake.WithValidation(false)) })
	b.Run("responses-checked", func(b *testing.B) { benchServeHTTP(b) })
}

func benchServeHTTP(b *testing.B, opts ...fake.Option) {
	ips := []gen.IpaddressInfo{{SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnetID}}
	s, err := fake.New(append(opts, fake.WithToken("T"),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "bench", Direction: gen.DirectionInbound, IPs: ips}))...)
	if err != nil {
		b.Fatal(err)
	}
	serve := func(method, target, body string, want int) []byte {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("X-Auth-Token", "T")
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != want {
			b.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
		}
		return rec.Body.Bytes()
	}
	var list struct{ Endpoints []struct{ ID string } }
	if err := json.Unmarshal(serve("GET", "/v2.1/endpoints?direction=inbound", "", 200), &list); err != nil || len(list.Endpoints) != 1 {
		b.Fatalf("seeded endpoint: %v %v", list, err)
	}
	path := "/v2.1/endpoints/" + list.Endpoints[0].ID
	b.ReportAllocs()
	for b.Loop() {
		serve("GET", path+"/ipaddresses", "", http.StatusOK)
		serve("PUT", path, `{"name":"bench-renamed"}`, http.StatusAccepted)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/req")
}
