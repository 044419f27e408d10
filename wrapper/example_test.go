package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

const exampleToken = "MIIEhQYJKoZIhvcNAQcCoIIE..."

// exampleService starts the fake DNS service for the examples, with one
// inbound endpoint, inbound-1, of three IP addresses, whose writes settle
// after 20 ms. It returns the service's URL, the endpoint's ID and the ID
// of one of its addresses; stop ends the service. Its IDs and request IDs
// are repeatable (fake.WithRandSeed), and so is the examples' output.
func exampleService() (url, endpointID, ipID string, stop func()) {
	in := wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}
	s, err := fake.New(fake.WithToken(exampleToken), fake.WithRandSeed(1), fake.WithDelay(20*time.Millisecond),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "inbound-1", Direction: wrapper.Inbound, IPs: []wrapper.IPAddressInfo{in, in, in}}))
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(s)
	c, err := wrapper.New(srv.URL, wrapper.WithToken(exampleToken))
	if err != nil {
		log.Fatal(err)
	}
	list, err := c.ListEndpoints(context.Background(), wrapper.ListEndpointsParams{Direction: wrapper.Inbound, Name: new("inbound-1")})
	if err != nil || len(list.Endpoints) != 1 {
		log.Fatal(list, err)
	}
	ips, err := c.ListEndpointIpaddresses(context.Background(), list.Endpoints[0].ID)
	if err != nil {
		log.Fatal(err)
	}
	return srv.URL, list.Endpoints[0].ID, ips[0].ID, srv.Close
}

// Unbind an IP address from an endpoint, authenticating with a static IAM
// token. The address is PENDING_DELETE until the service has removed it;
// the endpoint stays ACTIVE and counts it until then.
func Example_unbind() {
	url, endpointID, ipID, stop := exampleService() // in production: wrapper.RegionURL("cn-north-4")
	defer stop()

	client, err := wrapper.New(url, wrapper.WithToken("MIIEhQYJKoZIhvcNAQcCoIIE..."))
	if err != nil {
		log.Fatal(err)
	}
	ep, err := client.DisassociateEndpointIpaddress(context.Background(), endpointID, ipID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ep.Name, ep.Status, ep.IpaddressCount)
	// Output: inbound-1 ACTIVE 3
}

// Wait for an endpoint to settle after a write. The waiter polls with
// growing delays until the endpoint is ACTIVE, fails fast on ERROR, and stops
// at the context's deadline.
func ExampleClient_WaitEndpointActive() {
	url, _, _, stop := exampleService()
	defer stop()
	client, err := wrapper.New(url, wrapper.WithToken("MIIEhQYJKoZIhvcNAQcCoIIE..."))
	if err != nil {
		log.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	subnet := wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}
	ep, err := client.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{Name: "inbound-2", Direction: wrapper.Inbound,
		Region: "cn-north-4", Ipaddresses: []wrapper.IPAddressInfo{subnet, subnet}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ep.Status)
	ep, err = client.WaitEndpointActive(ctx, ep.ID,
		wrapper.WithPollDelay(10*time.Millisecond, 100*time.Millisecond)) // the defaults are 1 s to 10 s
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ep.Status, ep.IpaddressCount, "IP addresses")
	// Output:
	// PENDING_CREATE
	// ACTIVE 2 IP addresses
}

// Treat an IP address that is already gone as success, and read the
// service's code from any other failure.
func ExampleIsNotFound() {
	url, endpointID, _, stop := exampleService()
	defer stop()
	client, err := wrapper.New(url, wrapper.WithToken("MIIEhQYJKoZIhvcNAQcCoIIE..."))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.DisassociateEndpointIpaddress(context.Background(), endpointID, "ff80808169bf16c70169bf1d04ba0001")
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
	// dnsep: DisassociateEndpointIpaddress DELETE /v2.1/endpoints/1dd452f5f6de33405df954aa30f182d0/ipaddresses/ff80808169bf16c70169bf1d04ba0001: 404 Not Found: DNS.1511: Ipaddress not exist. (request ID 62f080715c8bced3b5036cb89f047c46)
}
