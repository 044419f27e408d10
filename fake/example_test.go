package fake_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// Run the fake behind an httptest server and unbind an IP address with the
// wrapper. In a test, fake.NewTestServer(t) does the first four lines.
func Example() {
	srv, err := fake.New(fake.WithToken("local-token"))
	if err != nil {
		log.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	client, err := wrapper.New(hs.URL, wrapper.WithToken("local-token"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	ep, err := client.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{
		Name: "inbound-1", Direction: wrapper.Inbound, Region: "cn-north-4",
		Ipaddresses: []wrapper.IPAddressInfo{{SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnet2ID}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", ep.Status)
	ips, err := client.ListEndpointIpaddresses(ctx, ep.ID)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.DisassociateEndpointIpaddress(ctx, ep.ID, ips[0].ID); err != nil {
		log.Fatal(err)
	}
	ep, err = client.ShowEndpoint(ctx, ep.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("now:", ep.Status, ep.IpaddressCount, "IP addresses")
	_, err = client.DisassociateEndpointIpaddress(ctx, ep.ID, ips[1].ID)
	if apiErr, ok := errors.AsType[*wrapper.APIError](err); ok {
		fmt.Println(wrapper.IsRetryable(err), apiErr.Code)
	}
	// Output:
	// created: PENDING_CREATE
	// now: ACTIVE 2 IP addresses
	// false DNS.1514
}
