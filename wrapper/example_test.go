package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dnsep/dnsep/wrapper"
)

// exampleServer stands in for the DNS API: the endpoint of the examples holds
// three IP addresses until one is unbound, and ip-gone does not exist.
func exampleServer() *httptest.Server {
	var polls atomic.Int32
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "0b1f5ad0a3e2c4e7b9d8f6a5c4b3a291")
		ep := func(status string, count int) string {
			return fmt.Sprintf(`{"endpoint":{"id":"ff80808169be2efb0169bef85d720013","name":"inbound-1","direction":"inbound","status":%q,"vpc_id":"dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b","ipaddress_count":%d,"resolver_rule_count":0,"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"}}`, status, count)
		}
		switch {
		case r.Method == http.MethodDelete && strings.HasSuffix(r.URL.Path, "/ip-gone"):
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"code":"DNS.1511","message":"Ipaddress not exist."}`)
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusAccepted)
			fmt.Fprint(w, ep("PENDING_DELETE", 3))
		case polls.Add(1) < 3:
			fmt.Fprint(w, ep("PENDING_CREATE", 0))
		default:
			fmt.Fprint(w, ep("ACTIVE", 2))
		}
	}))
}

// Unbind an IP address from an endpoint, authenticating with a static IAM
// token.
func Example_unbind() {
	srv := exampleServer() // in production: wrapper.RegionURL("cn-north-4")
	defer srv.Close()

	client, err := wrapper.New(srv.URL, wrapper.WithToken("MIIEhQYJKoZIhvcNAQcCoIIE..."))
	if err != nil {
		log.Fatal(err)
	}
	ep, err := client.DisassociateEndpointIpaddress(context.Background(), "ff80808169be2efb0169bef85d720013", "ff80808169bf16c70169bf1d04ba0001")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ep.ID, ep.Status)
	// Output: ff80808169be2efb0169bef85d720013 PENDING_DELETE
}

// Wait for an endpoint to settle after a write. The waiter polls with
// growing delays until the endpoint is ACTIVE, fails fast on ERROR, and stops
// at the context's deadline.
func ExampleClient_WaitEndpointActive() {
	srv := exampleServer()
	defer srv.Close()
	client, err := wrapper.New(srv.URL, wrapper.WithToken("MIIEhQYJKoZIhvcNAQcCoIIE..."))
	if err != nil {
		log.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ep, err := client.WaitEndpointActive(ctx, "ff80808169be2efb0169bef85d720013",
		wrapper.WithPollDelay(10*time.Millisecond, 100*time.Millisecond)) // the defaults are 1 s to 10 s
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ep.Status, ep.IpaddressCount, "IP addresses")
	// Output: ACTIVE 2 IP addresses
}

// Treat an IP address that is already gone as success, and read the
// service's code from any other failure.
func ExampleIsNotFound() {
	srv := exampleServer()
	defer srv.Close()
	client, err := wrapper.New(srv.URL, wrapper.WithToken("MIIEhQYJKoZIhvcNAQcCoIIE..."))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.DisassociateEndpointIpaddress(context.Background(), "ff80808169be2efb0169bef85d720013", "ip-gone")
	switch {
	case wrapper.IsNotFound(err):
		fmt.Println("already unbound")
	case err != nil:
		var apiErr *wrapper.APIError
		if errors.As(err, &apiErr) {
			log.Fatalf("code %s, request %s: %v", apiErr.Code, apiErr.RequestID, err)
		}
		log.Fatal(err)
	}
	fmt.Println(err)
	// Output:
	// already unbound
	// dnsep: DisassociateEndpointIpaddress DELETE /v2.1/endpoints/ff80808169be2efb0169bef85d720013/ipaddresses/ip-gone: 404 Not Found: DNS.1511: Ipaddress not exist. (request ID 0b1f5ad0a3e2c4e7b9d8f6a5c4b3a291)
}
