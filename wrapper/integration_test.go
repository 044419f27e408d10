package wrapper_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnsep/dnsep/aksk"
	"github.com/dnsep/dnsep/wrapper"
	"github.com/dnsep/dnsep/wrapper/iam"
)

const (
	testAK      = "QTWAOYTTINDUT2QVKYUC"
	testSK      = "SK-SECRET-MFyfvK41ba2giqM7Uio6Pz"
	testProject = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
)

// TestAKSKSigning: every operation signed by the client verifies at a server
// that knows the key pair, retries included (each attempt is signed anew).
func TestAKSKSigning(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var verified []string
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ak, err := aksk.Verify(r, body, func(ak string) (string, bool) { return testSK, ak == testAK }, time.Now(), aksk.DefaultMaxSkew)
		w.Header().Set("Content-Type", "application/json")
		if err != nil || r.Header.Get("X-Project-Id") != testProject {
			w.WriteHeader(401)
			fmt.Fprintf(w, `{"error_code":"APIGW.0301","error_msg":"verify aksk signature fail: %v"}`, err)
			return
		}
		mu.Lock()
		verified = append(verified, r.Method+" "+r.URL.Path+" "+ak)
		mu.Unlock()
		if calls.Add(1) == 1 {
			w.WriteHeader(503) // the first PUT is retried and signed again
			return
		}
		w.WriteHeader(202)
		fmt.Fprint(w, `{"endpoint":`+endpointJSON+`}`)
	}))
	defer srv.Close()
	c, err := wrapper.New(srv.URL, wrapper.WithAKSK(testAK, testSK, testProject), wrapper.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.UpdateEndpoint(ctx, "ep1", wrapper.UpdateEndpointRequest{Name: "renamed"}); err != nil {
		t.Fatalf("signed PUT: %v", err)
	}
	if _, err := c.DisassociateEndpointIpaddress(ctx, "ep1", "ip~1.x"); err != nil {
		t.Fatalf("signed DELETE: %v", err)
	}
	if _, err := c.AssociateEndpointIpaddress(ctx, "ep1", wrapper.IPAddressInfo{SubnetID: "s1"}); err != nil {
		t.Fatalf("signed POST: %v", err)
	}
	want := []string{"PUT /v2.1/endpoints/ep1 " + testAK, "PUT /v2.1/endpoints/ep1 " + testAK,
		"DELETE /v2.1/endpoints/ep1/ipaddresses/ip~1.x " + testAK, "POST /v2.1/endpoints/ep1/ipaddresses " + testAK}
	if strings.Join(verified, "\n") != strings.Join(want, "\n") {
		t.Errorf("verified:\n%s\nwant:\n%s", strings.Join(verified, "\n"), strings.Join(want, "\n"))
	}

	// A client with the wrong secret is refused, and its error shows no secret.
	bad, err := wrapper.New(srv.URL, wrapper.WithAKSK(testAK, "SK-SECRET-wrong", testProject))
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.ShowEndpoint(ctx, "ep1")
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

	var accepted atomic.Value
	accepted.Store("tok-1")
	var mu sync.Mutex
	seen := map[string]int{}
	dns := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("X-Auth-Token")
		mu.Lock()
		seen[tok]++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if tok != accepted.Load().(string) {
			w.WriteHeader(401)
			fmt.Fprint(w, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: token expires"}`)
			return
		}
		w.WriteHeader(200)
		fmt.Fprint(w, `{"endpoint":`+endpointJSON+`}`)
	}))
	defer dns.Close()

	ts, err := iam.NewPasswordTokenSource(iam.PasswordAuth{Endpoint: iamSrv.URL, DomainName: "d", UserName: "u", Password: "PW-SECRET", ProjectName: "cn-north-4"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := wrapper.New(dns.URL, wrapper.WithTokenSource(ts))
	if err != nil {
		t.Fatal(err)
	}
	run := func() {
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for range 32 {
			wg.Go(func() {
				if _, err := c.ShowEndpoint(context.Background(), "ep1"); err != nil {
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
	accepted.Store("tok-2") // the service now refuses tok-1
	run()
	if n := idp.issued.Load(); n != 2 {
		t.Errorf("%d IAM requests after the token was refused, want 2", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["tok-2"] != 32 || seen["tok-1"] < 33 {
		t.Errorf("tokens seen by the service: %v", seen)
	}
	if _, err := c.ShowEndpoint(context.Background(), ""); !errors.Is(err, wrapper.ErrInvalidArgument) {
		t.Errorf("empty ID: %v", err)
	}
}
