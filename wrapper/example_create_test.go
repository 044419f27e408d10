package wrapper_test

import (
	"context"
	"fmt"
	"log"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// Create an inbound endpoint with two addresses, one at a chosen IP, and
// wait until it is ACTIVE. The region is the subnets' region.
func ExampleClient_CreateEndpoint() {
	url, _, _, stop := exampleService() // in production: wrapper.RegionURL("cn-north-4")
	defer stop()

	client, err := wrapper.New(url, wrapper.WithToken("MIIEhQYJKoZIhvcNAQcCoIIE..."))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background() // in production: with a deadline, which bounds the wait too
	ep, err := client.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{
		Name:      "dns-in",
		Direction: wrapper.Inbound,
		Region:    "cn-north-4",
		Ipaddresses: []wrapper.IPAddressInfo{
			{SubnetID: fake.DefaultSubnetID, IP: wrapper.IP("192.168.0.10")},
			{SubnetID: fake.DefaultSubnet2ID}, // the service picks the address
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ep.Name, ep.Status)
	if ep, err = client.WaitEndpointActive(ctx, ep.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println(ep.Name, ep.Status, ep.IpaddressCount)
	// Output:
	// dns-in PENDING_CREATE
	// dns-in ACTIVE 2
}
