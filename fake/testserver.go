package fake

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dnsep/dnsep/openapi"
	"github.com/dnsep/dnsep/wrapper"
)

// TestServer is a fake endpoint service listening on loopback for a test.
type TestServer struct {
	URL    string  // base URL, for wrapper.New
	Token  string  // the IAM token it accepts
	Server *Server // the fake, for faults, recorded requests and settings
}

// NewTestServer starts a fake on a loopback port for the duration of the
// test and stops it in the test's cleanup. Contract validation is on: a
// response of the fake that breaks the OpenAPI document fails the test.
//
//	srv := fake.NewTestServer(t)
//	client, _ := wrapper.New(srv.URL, wrapper.WithToken(srv.Token))
func NewTestServer(tb testing.TB, opts ...Option) *TestServer {
	tb.Helper()
	report := WithViolationHandler(func(e *openapi.ContractError) { tb.Errorf("fake broke the API contract: %v", e) })
	s, err := New(append([]Option{report}, opts...)...)
	if err != nil {
		tb.Fatalf("fake.NewTestServer: %v", err)
	}
	hs := httptest.NewServer(s)
	tb.Cleanup(hs.Close)
	return &TestServer{URL: hs.URL, Token: s.Token(), Server: s}
}

// Client returns a wrapper client for the test server, authenticated with
// its token, that also checks every request and response against the
// OpenAPI document on the client side and reports violations to tb. opts
// are added to those; they must not include another credential option.
func (ts *TestServer) Client(tb testing.TB, opts ...wrapper.Option) *wrapper.Client {
	tb.Helper()
	v := ts.Server.valid
	if v == nil {
		var err error
		if v, err = openapi.NewValidator(tb.Context()); err != nil {
			tb.Fatalf("fake: %v", err)
		}
	}
	hc := &http.Client{Transport: v.RoundTripper(http.DefaultTransport, tb)}
	c, err := wrapper.New(ts.URL, append([]wrapper.Option{wrapper.WithToken(ts.Token), wrapper.WithHTTPClient(hc)}, opts...)...)
	if err != nil {
		tb.Fatalf("fake: %v", err)
	}
	return c
}
