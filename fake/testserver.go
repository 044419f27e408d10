package fake

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dnsep/dnsep/openapi"
)

// TestServer is a fake endpoint service listening on loopback for a test.
// It hands out what a client needs, URL, Token and HTTPClient, and meets
// the client only on the wire, as the real service does.
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
//	client, err := wrapper.New(srv.URL, wrapper.WithToken(srv.Token), wrapper.WithHTTPClient(srv.HTTPClient(t)))
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

// HTTPClient returns an *http.Client that also checks, on the client side,
// every request it sends and every response it receives against the
// OpenAPI document, and reports each violation to r (a testing.T will do).
// It still delivers the response, so that the test goes on.
func (ts *TestServer) HTTPClient(r openapi.Reporter) *http.Client {
	return &http.Client{Transport: ts.Server.valid.RoundTripper(http.DefaultTransport, r)}
}
