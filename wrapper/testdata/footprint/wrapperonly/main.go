// Command wrapperonly is the smallest program that embeds the wrapper: it
// unbinds an IP address from an endpoint. wrapper/footprint_test.go lists
// the modules it imports; `make footprint` builds it to measure its size.
//
//	wrapperonly <base URL> <token> <endpoint ID> <IP address ID>
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/dnsep/dnsep/wrapper"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: wrapperonly <base URL> <token> <endpoint ID> <IP address ID>")
		os.Exit(2)
	}
	client, err := wrapper.New(os.Args[1], wrapper.WithToken(os.Args[2]))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ep, err := client.DisassociateEndpointIpaddress(ctx, os.Args[3], os.Args[4])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("endpoint %s: %s, %d IP addresses\n", ep.ID, ep.Status, ep.IpaddressCount)
}
