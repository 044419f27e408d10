package wrapper

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// The fuzz targets of this file run as regression tests under plain go test
// (their f.Add seeds and testdata/fuzz/<name>/), and as fuzzers under
// make fuzz-smoke.

// fuzzSecret is the token of the fuzzed clients: it must show up in no error.
const fuzzSecret = "tok-SECRET-fuzz-7c1e"

// fuzzCall is one operation of the client, called with fixed, valid
// arguments.
type fuzzCall struct {
	op, method, path string
	call             func(context.Context, *Client) error
}

var fuzzCalls = []fuzzCall{
	{"ShowEndpoint", http.MethodGet, "/v2.1/endpoints/ep1", func(ctx context.Context, c *Client) error {
		_, err := c.ShowEndpoint(ctx, "ep1")
		return err
	}},
	{"ListEndpoints", http.MethodGet, "/v2.1/endpoints", func(ctx context.Context, c *Client) error {
		_, err := c.ListEndpoints(ctx, ListEndpointsParams{Direction: Inbound})
		return err
	}},
	{"UpdateEndpoint", http.MethodPut, "/v2.1/endpoints/ep1", func(ctx context.Context, c *Client) error {
		_, err := c.UpdateEndpoint(ctx, "ep1", UpdateEndpointRequest{Name: "n1"})
		return err
	}},
	{"DeleteEndpoint", http.MethodDelete, "/v2.1/endpoints/ep1", func(ctx context.Context, c *Client) error {
		_, err := c.DeleteEndpoint(ctx, "ep1")
		return err
	}},
	{"ListEndpointIpaddresses", http.MethodGet, "/v2.1/endpoints/ep1/ipaddresses", func(ctx context.Context, c *Client) error {
		_, err := c.ListEndpointIpaddresses(ctx, "ep1")
		return err
	}},
	{"AssociateEndpointIpaddress", http.MethodPost, "/v2.1/endpoints/ep1/ipaddresses", func(ctx context.Context, c *Client) error {
		_, err := c.AssociateEndpointIpaddress(ctx, "ep1", IPAddressInfo{SubnetID: "s1"})
		return err
	}},
	{"DisassociateEndpointIpaddress", http.MethodDelete, "/v2.1/endpoints/ep1/ipaddresses/ip~1.x", func(ctx context.Context, c *Client) error {
		_, err := c.DisassociateEndpointIpaddress(ctx, "ep1", "ip~1.x")
		return err
	}},
	{"CreateEndpoint", http.MethodPost, "/v2.1/endpoints", func(ctx context.Context, c *Client) error {
		_, err := c.CreateEndpoint(ctx, CreateEndpointRequest{Name: "n", Direction: Inbound, Region: "r",
			Ipaddresses: []IPAddressInfo{{SubnetID: "s"}, {SubnetID: "s"}}})
		return err
	}},
	{"ListEndpointVpcs", http.MethodGet, "/v2.1/vpcs", func(ctx context.Context, c *Client) error {
		_, err := c.ListEndpointVpcs(ctx, ListEndpointVpcsParams{})
		return err
	}},
}

// maxErrorLine bounds APIError.Error() beyond its operation and path: the
// cleaned code (64 bytes), message (512) and request ID (128), each with
// "...", the status text and the fixed words.
const maxErrorLine = 1024

// checkOneLine fails t if s holds a line break or another control
// character.
func checkOneLine(t *testing.T, what, s string) {
	t.Helper()
	for i, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			t.Fatalf("%s holds control character %q at byte %d: %q", what, r, i, s)
		}
	}
}

// checkAPIError checks the properties every *APIError has, whatever the
// server answered.
func checkAPIError(t *testing.T, e *APIError, fc fuzzCall, status int, retryAfter string) {
	t.Helper()
	if e.StatusCode != status {
		t.Fatalf("StatusCode = %d, want %d", e.StatusCode, status)
	}
	if e.Operation != fc.op || e.Method != fc.method || e.Path != fc.path {
		t.Fatalf("APIError names %s %s %s, want %s %s %s", e.Operation, e.Method, e.Path, fc.op, fc.method, fc.path)
	}
	for _, f := range []struct{ name, v string }{{"Code", e.Code}, {"Message", e.Message}, {"RequestID", e.RequestID}} {
		checkOneLine(t, f.name, f.v)
		if !utf8.ValidString(f.v) {
			t.Fatalf("%s is not valid UTF-8: %q", f.name, f.v)
		}
	}
	if len(e.Code) > 64+3 || len(e.Message) > 512+3 || len(e.RequestID) > 128+3 { // the cap and "..."
		t.Fatalf("field too long: code %d, message %d, request ID %d bytes", len(e.Code), len(e.Message), len(e.RequestID))
	}
	if e.RetryAfter < 0 {
		t.Fatalf("RetryAfter = %v, want >= 0", e.RetryAfter)
	}
	msg := e.Error()
	checkOneLine(t, "Error()", msg)
	if len(msg) > maxErrorLine+len(fc.op)+len(fc.path) {
		t.Fatalf("Error() is %d bytes long: %q", len(msg), msg)
	}
	for _, want := range []string{fc.op + " ", " " + fc.method + " ", " " + fc.path + ": ", ": " + strconv.Itoa(status)} {
		if !strings.Contains(msg, want) {
			t.Fatalf("Error() %q does not contain %q", msg, want)
		}
	}
	if !strings.HasPrefix(msg, "dnsep: "+fc.op+" "+fc.method+" "+fc.path+": "+strconv.Itoa(status)) {
		t.Fatalf("Error() %q does not start with the operation, method, path and status", msg)
	}
	// The sentinels follow the status class.
	if got, want := errors.Is(e, ErrServer), status >= 500 && status <= 599; got != want {
		t.Fatalf("errors.Is(ErrServer) = %v for status %d", got, status)
	}
	if got, want := errors.Is(e, ErrRedirect), status >= 300 && status <= 399; got != want {
		t.Fatalf("errors.Is(ErrRedirect) = %v for status %d", got, status)
	}
}

// FuzzErrorMapping: whatever status (100 to 999), headers and body the
// server answers, the client does not panic, an answer of 300 or more is an
// *APIError with that status, and every error is one bounded, printable line
// that names the operation, method, path and status and holds no credential.
// It checks newAPIError directly and through the real HTTP layer (the doer,
// with retries), over an in-memory transport.
func FuzzErrorMapping(f *testing.F) {
	f.Add(uint16(500), []byte(`{"code":"DNS.0000","message":"The system is busy."}`), "", "", "application/json", uint8(0))
	f.Add(uint16(401), []byte(`{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"r1"}`), "", "", "application/json;charset=utf-8", uint8(1))
	f.Add(uint16(429), []byte(`{"error_code":"APIGW.0308","error_msg":"throttled"}`), "2", "req-1", "application/json", uint8(2))
	f.Add(uint16(429), []byte(`{}`), "Wed, 21 Oct 2015 07:28:00 GMT", "", "application/json", uint8(3))
	f.Add(uint16(503), []byte("<html><head><title>503 Service\nUnavailable</title></head></html>"), "", "", "text/html", uint8(4))
	f.Add(uint16(502), []byte("<HTML><body>bad gateway"), "", "", "text/html", uint8(5))
	f.Add(uint16(307), []byte(nil), "", "", "", uint8(6))
	f.Add(uint16(404), []byte(`{"code":"DNS.1510","message":"line1\r\nline2\u2028\u0000\x1b[31m"}`), "", "id\x00\n", "application/json", uint8(7))
	f.Add(uint16(400), []byte(`{"code":"`+strings.Repeat("C", 100)+`","message":"`+strings.Repeat("é", 400)+`"}`), "-1", strings.Repeat("r", 300), "application/json", uint8(8))
	f.Add(uint16(200), []byte(`{"endpoint":{"id":"x"`), "", "", "application/json", uint8(0))
	f.Add(uint16(202), []byte(`not json`), "", "", "text/plain", uint8(2))
	f.Add(uint16(204), []byte(nil), "", "", "", uint8(3))
	f.Add(uint16(100), []byte("\xff\xfe"), "", "", "", uint8(4))
	f.Add(uint16(999), []byte(`{"code":1,"message":["x"]}`), "9223372037", "", "application/json", uint8(5))
	f.Fuzz(func(t *testing.T, rawStatus uint16, body []byte, retryAfter, requestID, contentType string, opIndex uint8) {
		status := 100 + int(rawStatus)%900
		fc := fuzzCalls[int(opIndex)%len(fuzzCalls)]
		header := http.Header{}
		for k, v := range map[string]string{"Retry-After": retryAfter, "X-Request-Id": requestID, "Content-Type": contentType} {
			if v != "" {
				header.Set(k, v)
			}
		}
		header.Set("Location", "https://elsewhere.example/steal")

		// newAPIError on its own.
		req, err := http.NewRequest(fc.method, "https://dns.example.com"+fc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp := &http.Response{StatusCode: status, Header: header, Request: req}
		checkAPIError(t, newAPIError(fc.op, req, resp, body, 1), fc, status, retryAfter)

		// Through the client: the doer, the retries and the generated parser.
		rt := &Script{Steps: []Step{func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: status, Header: header.Clone(), Body: io.NopCloser(bytes.NewReader(body)),
				ContentLength: int64(len(body)), Request: r}, nil
		}}}
		// Retries with waits of a nanosecond; a Retry-After above zero
		// ends them.
		policy := RetryPolicy{MaxAttempts: 3, BaseDelay: time.Nanosecond, MaxDelay: time.Nanosecond}
		c, err := New("https://dns.example.com", WithToken(fuzzSecret), WithRetryPolicy(policy),
			WithHTTPClient(&http.Client{Transport: rt}))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = fc.call(ctx, c)
		calls := len(rt.Requests())
		if calls < 1 || calls > policy.MaxAttempts {
			t.Fatalf("%d requests sent, want 1 to %d", calls, policy.MaxAttempts)
		}
		if err == nil {
			if status < 200 || status > 299 {
				t.Fatalf("status %d: no error", status)
			}
			return
		}
		if msg := err.Error(); strings.Contains(msg, fuzzSecret) {
			t.Fatalf("error holds the token: %q", msg)
		}
		apiErr, isAPI := errors.AsType[*APIError](err)
		if status >= 300 && !isAPI {
			t.Fatalf("status %d: error %T %q, want an *APIError", status, err, err)
		}
		if !isAPI {
			// A 1xx, or a 2xx whose body could not be decoded.
			checkOneLine(t, "error", err.Error())
			return
		}
		checkAPIError(t, apiErr, fc, status, retryAfter)
		if apiErr.Attempts != calls && status >= 300 {
			t.Fatalf("Attempts = %d, want %d", apiErr.Attempts, calls)
		}
		if calls > 1 && (!apiErr.Retryable() || fc.method == http.MethodPost) {
			t.Fatalf("%s %d (code %q) was sent %d times", fc.method, status, apiErr.Code, calls)
		}
	})
}

// FuzzIDGuard: an ID that checkID accepts cannot change the shape of the
// request path: ShowEndpoint(id) and DisassociateEndpointIpaddress(ep, id)
// send a path of exactly the expected segments, the ID segments decode back
// to the IDs, none is "." or "..", and path.Clean leaves the path as it is.
// An ID that checkID refuses sends nothing.
func FuzzIDGuard(f *testing.F) {
	for _, s := range [][2]string{
		{"ff80808169be2efb0169bef85d720013", "ip1"},
		{".", ".."}, {"...", "~"}, {"", "x"}, {"a/b", "%2e%2e"}, {"a?b", "a#b"},
		{"a%2Fb", "a b"}, {"..%2f", ".%2E"}, {"é", "\x00"}, {strings.Repeat("a", 129), strings.Repeat("b", 128)},
		{"-_.~", "A.Z"}, {"..a", "a.."},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, ep, ip string) {
		rt := &Script{Steps: []Step{Reply(http.StatusNotFound, "")}}
		c, err := New("https://dns.example.com", WithToken(fuzzSecret), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}),
			WithHTTPClient(&http.Client{Transport: rt}))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		checked := 0 // the requests of rt that earlier checks saw

		check := func(call string, err error, want []string, ids ...string) {
			t.Helper()
			sent := rt.Requests()[checked:]
			checked += len(sent)
			refused := false
			for _, id := range ids {
				refused = refused || checkID("id", id) != nil
			}
			if refused {
				if !errors.Is(err, ErrInvalidArgument) || len(sent) != 0 {
					t.Fatalf("%s: refused ID: err = %v, %d requests sent", call, err, len(sent))
				}
				return
			}
			if len(sent) != 1 {
				t.Fatalf("%s: %d requests sent, want 1 (err %v)", call, len(sent), err)
			}
			u := sent[0].URL
			p := u.EscapedPath()
			if u.RawQuery != "" || u.Fragment != "" || u.Host != "dns.example.com" {
				t.Fatalf("%s: request URL %q has a query, a fragment or another host", call, u)
			}
			if path.Clean(p) != p {
				t.Fatalf("%s: path.Clean(%q) = %q", call, p, path.Clean(p))
			}
			segs := strings.Split(p, "/")
			if len(segs) != len(want) {
				t.Fatalf("%s: path %q has %d segments, want %d", call, p, len(segs), len(want))
			}
			next := 0
			for i, w := range want {
				if w != "{}" {
					if segs[i] != w {
						t.Fatalf("%s: path %q: segment %d is %q, want %q", call, p, i, segs[i], w)
					}
					continue
				}
				id := ids[next]
				next++
				got, err := url.PathUnescape(segs[i])
				if err != nil || got != id {
					t.Fatalf("%s: path %q: segment %q decodes to %q (%v), want %q", call, p, segs[i], got, err, id)
				}
				if segs[i] == "." || segs[i] == ".." || got == "." || got == ".." {
					t.Fatalf("%s: path %q has a dot segment", call, p)
				}
			}
			// The path the server routes on, decoded, has the same shape.
			if dec := strings.Split(u.Path, "/"); len(dec) != len(want) {
				t.Fatalf("%s: decoded path %q has %d segments, want %d", call, u.Path, len(dec), len(want))
			}
		}

		_, err = c.ShowEndpoint(ctx, ep)
		check("ShowEndpoint", err, []string{"", "v2.1", "endpoints", "{}"}, ep)
		_, err = c.DisassociateEndpointIpaddress(ctx, ep, ip)
		check("DisassociateEndpointIpaddress", err, []string{"", "v2.1", "endpoints", "{}", "ipaddresses", "{}"}, ep, ip)
		_, err = c.ShowEndpoint(ctx, ip)
		check("ShowEndpoint", err, []string{"", "v2.1", "endpoints", "{}"}, ip)
	})
}
