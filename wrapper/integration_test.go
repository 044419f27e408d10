package wrapper_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
	"github.com/dnsep/dnsep/wrapper/iam"
)

const (
	testAK      = "QTWAOYTTINDUT2QVKYUC"
	testSK      = "SK-SECRET-MFyfvK41ba2giqM7Uio6Pz"
	testProject = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
)

// TestAKSKSigning: every operation signed by the client verifies at the
// fake, which knows the key pair, retries included (each attempt is signed
// anew), and so does a path with "~" and "." in an ID.
func TestAKSKSigning(t *testing.T) {
	t.Parallel()
	in := wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}
	srv := fake.NewTestServer(t, fake.WithAccessKey(testAK, testSK), fake.WithProjectID(testProject),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "seed", Direction: wrapper.Inbound, IPs: []wrapper.IPAddressInfo{in, in, in}}))
	// The injected 503 breaks the contract on purpose: no client-side checks.
	c, err := wrapper.New(srv.URL, wrapper.WithAKSK(testAK, testSK, testProject), wrapper.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	list, err := c.ListEndpoints(ctx, wrapper.ListEndpointsParams{Direction: wrapper.Inbound})
	if err != nil || len(list.Endpoints) != 1 {
		t.Fatalf("signed GET: %v, %v", list, err)
	}
	ep := list.Endpoints[0].ID
	ips, err := c.ListEndpointIpaddresses(ctx, ep)
	if err != nil || len(ips) != 3 {
		t.Fatalf("signed GET: %v, %v", ips, err)
	}

	srv.Server.ResetRequests()
	srv.Server.InjectFault("UpdateEndpoint", 1, fake.HTMLError(503)) // the first PUT is retried and signed again
	if _, err := c.UpdateEndpoint(ctx, ep, wrapper.UpdateEndpointRequest{Name: "renamed"}); err != nil {
		t.Fatalf("signed PUT: %v", err)
	}
	if _, err := c.DisassociateEndpointIpaddress(ctx, ep, ips[0].ID); err != nil {
		t.Fatalf("signed DELETE: %v", err)
	}
	// A 404 comes after the signature was verified: a bad one is a 401.
	if _, err := c.DisassociateEndpointIpaddress(ctx, ep, "ip~1.x"); !wrapper.IsNotFound(err) {
		t.Fatalf("signed DELETE of an unknown ID: %v, want not found", err)
	}
	if _, err := c.AssociateEndpointIpaddress(ctx, ep, in); err != nil {
		t.Fatalf("signed POST: %v", err)
	}
	var got []string
	for _, r := range srv.Server.Requests() {
		got = append(got, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
		if r.Header.Get("Authorization") == "" || r.Header.Get("X-Project-Id") != testProject {
			t.Errorf("%s %s: unsigned or without the project: %v", r.Method, r.Path, r.Header)
		}
	}
	base := "/v2.1/endpoints/" + ep
	want := []string{"PUT " + base + " 503", "PUT " + base + " 202", "DELETE " + base + "/ipaddresses/" + ips[0].ID + " 202",
		"DELETE " + base + "/ipaddresses/ip~1.x 404", "POST " + base + "/ipaddresses 202"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests the fake verified (-want +got):\n%s", diff)
	}

	// A client with the wrong secret is refused, and its error shows no secret.
	bad, err := wrapper.New(srv.URL, wrapper.WithAKSK(testAK, "SK-SECRET-wrong", testProject))
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.ShowEndpoint(ctx, ep)
	if !wrapper.IsUnauthorized(err) || strings.Contains(err.Error(), "SK-SECRET") {
		t.Errorf("wrong secret: err = %v, want a 401 without the secret", err)
	}
}

// iamServer issues tokens tok-1, tok-2, ... slowly, counting requests.
type iamServer struct {
	issued atomic.Int32
	delay  time.Duration
}

func (s *iamServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v3/auth/tokens" {
		http.NotFound(w, r)
		return
	}
	time.Sleep(s.delay)
	n := s.issued.Add(1)
	w.Header().Set("X-Subject-Token", fmt.Sprintf("tok-%d", n))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(201)
	json.NewEncoder(w).Encode(map[string]any{"token": map[string]any{"expires_at": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339Nano)}})
}

// TestIAMTokenSharedAndRenewed: concurrent calls share one IAM token; when
// the service starts refusing it, the client fetches one new token and
// every call succeeds.
func TestIAMTokenSharedAndRenewed(t *testing.T) {
	t.Parallel()
	idp := &iamServer{delay: 50 * time.Millisecond}
	iamSrv := httptest.NewServer(idp)
	defer iamSrv.Close()

	dns := fake.NewTestServer(t, fake.WithToken("tok-1"))
	setup, err := wrapper.New(dns.URL, wrapper.WithToken("tok-1"))
	if err != nil {
		t.Fatal(err)
	}
	created, err := setup.CreateEndpoint(t.Context(), wrapper.CreateEndpointRequest{Name: "shared", Direction: wrapper.Inbound, Region: "cn-north-4",
		Ipaddresses: []wrapper.IPAddressInfo{{SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnetID}}})
	if err != nil {
		t.Fatal(err)
	}
	// statuses counts the answers of ShowEndpoint since the last call.
	statuses := func() map[int]int {
		n := map[int]int{}
		for _, r := range dns.Server.Requests() {
			if r.Operation == "ShowEndpoint" {
				n[r.Status]++
			}
		}
		dns.Server.ResetRequests()
		return n
	}

	ts, err := iam.NewPasswordTokenSource(iam.PasswordAuth{Endpoint: iamSrv.URL, DomainName: "d", UserName: "u", Password: "PW-SECRET", ProjectName: "cn-north-4"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := wrapper.New(dns.URL, wrapper.WithTokenSource(ts), wrapper.WithHTTPClient(dns.HTTPClient(t)))
	if err != nil {
		t.Fatal(err)
	}
	statuses()
	run := func() {
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for range 32 {
			wg.Go(func() {
				if _, err := c.ShowEndpoint(context.Background(), created.ID); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
	run()
	if n := idp.issued.Load(); n != 1 {
		t.Fatalf("%d IAM requests for 32 concurrent calls, want 1", n)
	}
	if got := statuses(); got[200] != 32 || len(got) != 1 {
		t.Errorf("answers with tok-1: %v, want 32 of 200", got)
	}
	dns.Server.SetToken("tok-2") // the service now refuses tok-1
	run()
	if n := idp.issued.Load(); n != 2 {
		t.Errorf("%d IAM requests after the token was refused, want 2", n)
	}
	// Each call is refused at most once (with tok-1) and then succeeds
	// once (with tok-2).
	if got := statuses(); got[200] != 32 || got[401] < 1 || got[401] > 32 || len(got) != 2 {
		t.Errorf("answers after tok-1 was refused: %v, want 32 of 200 and 1 to 32 of 401", got)
	}
	if _, err := c.ShowEndpoint(context.Background(), ""); !errors.Is(err, wrapper.ErrInvalidArgument) {
		t.Errorf("empty ID: %v", err)
	}
}
