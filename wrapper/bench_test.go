package wrapper_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/dnsep/dnsep/wrapper"
)

// The quick benchmarks of the client's own CPU cost: one unbind call over an
// in-memory transport, no network. The full comparison (plain net/http, the
// bare generated client, the official SDK, loopback, concurrent callers) is
// the separate module in bench/; see BENCHMARKS.md.

// unbindAnswer is the body of a 202 to DisassociateEndpointIpaddress.
var unbindAnswer = []byte(`{"endpoint":` + endpointJSON + `}`)

// cannedTransport answers every request with the same 202 without touching
// the network. The header map is shared and must not be modified.
type cannedTransport struct{ header http.Header }

func newCannedTransport() cannedTransport {
	return cannedTransport{http.Header{
		"Content-Type":   {"application/json"},
		"Content-Length": {strconv.Itoa(len(unbindAnswer))},
		"X-Request-Id":   {"d59058a3efc5f8ca152d53154f90444b"},
	}}
}

func (t cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{
		Status:        "202 Accepted",
		StatusCode:    http.StatusAccepted,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        t.header,
		Body:          io.NopCloser(bytes.NewReader(unbindAnswer)),
		ContentLength: int64(len(unbindAnswer)),
		Request:       req,
	}, nil
}

func benchmarkUnbind(b *testing.B, creds wrapper.Option) {
	c, err := wrapper.New("https://dns.cn-north-4.myhuaweicloud.com", creds,
		wrapper.WithHTTPClient(&http.Client{Transport: newCannedTransport()}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		ep, err := c.DisassociateEndpointIpaddress(ctx, "ff80808169be2efb0169bef85d720013", "ff80808169bf16c70169bf1d04ba0001")
		if err != nil {
			b.Fatal(err)
		}
		if ep.Status != wrapper.StatusActive {
			b.Fatalf("status %q", ep.Status)
		}
	}
}

// BenchmarkUnbindToken measures DisassociateEndpointIpaddress with a static
// token (WithToken).
func BenchmarkUnbindToken(b *testing.B) { benchmarkUnbind(b, wrapper.WithToken(testToken)) }

// BenchmarkUnbindAKSK measures DisassociateEndpointIpaddress with AK/SK
// signing (WithAKSK).
func BenchmarkUnbindAKSK(b *testing.B) {
	benchmarkUnbind(b, wrapper.WithAKSK("QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"))
}
