package fake_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// pendingFake starts a fake whose changes stay pending until the test moves
// the clock by a minute, with one settled endpoint of two addresses.
func pendingFake(t *testing.T) (*fake.TestServer, *fake.TestClock, *wrapper.Client, string) {
	t.Helper()
	srv, clk := clockedServer(t, time.Minute)
	c := plainClient(t, srv)
	ep, err := c.CreateEndpoint(bg, create("ep", wrapper.Inbound, ips(2)...))
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	return srv, clk, c, ep.ID
}

// checkSlots fails unless the endpoint shows 2 to 6 addresses in its count,
// at most 6 in its list, and a count that agrees with the list.
func checkSlots(t *testing.T, c *wrapper.Client, id string) []wrapper.IPAddress {
	t.Helper()
	ep, err := c.ShowEndpoint(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.ListEndpointIpaddresses(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	counted := 0
	for _, ip := range list {
		if ip.Status != wrapper.StatusPendingCreate {
			counted++
		}
	}
	if len(list) > 6 || ep.IpaddressCount < 2 || ep.IpaddressCount > 6 || ep.IpaddressCount != counted {
		t.Fatalf("endpoint counts %d addresses and lists %d (%d that count)", ep.IpaddressCount, len(list), counted)
	}
	return list
}

// TestPendingUnbindKeepsItsSlot binds and unbinds ten times while every
// change is still pending. An address on its way out keeps its slot, so the
// endpoint never lists more than 6 addresses and the bind that would need a
// seventh slot is refused with DNS.1514.
func TestPendingUnbindKeepsItsSlot(t *testing.T) {
	t.Parallel()
	srv, clk, c, id := pendingFake(t)
	refused := 0
	for range 10 {
		_, err := c.AssociateEndpointIpaddress(bg, id, wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID})
		if err != nil {
			wantAPIError(t, err, 400, "DNS.1514")
			refused++
		}
		list := checkSlots(t, c, id)
		for _, ip := range list {
			if ip.Status == wrapper.StatusPendingDelete {
				continue
			}
			if _, err := c.DisassociateEndpointIpaddress(bg, id, ip.ID); err != nil {
				wantAPIError(t, err, 400, "DNS.1514")
			}
			break
		}
		checkSlots(t, c, id)
		if err := srv.Server.Check(); err != nil {
			t.Fatal(err)
		}
	}
	if refused == 0 {
		t.Error("no bind was refused for want of a slot")
	}
	clk.Add(time.Minute)
	if list := checkSlots(t, c, id); len(list) < 2 {
		t.Errorf("settled: %d addresses", len(list))
	}
	if err := srv.Server.Check(); err != nil {
		t.Error(err)
	}
}

// TestConcurrentPendingBindUnbind: 64 goroutines bind and unbind on one
// endpoint while nothing settles. Whatever the interleaving, the endpoint
// keeps its slots.
func TestConcurrentPendingBindUnbind(t *testing.T) {
	t.Parallel()
	srv, clk, c, id := pendingFake(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64*4)
	for g := range 64 {
		wg.Go(func() {
			for i := range 4 {
				if (g+i)%2 == 0 {
					_, err := c.AssociateEndpointIpaddress(bg, id, wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnet2ID})
					errs <- err
					continue
				}
				list, err := c.ListEndpointIpaddresses(bg, id)
				if err != nil || len(list) == 0 {
					errs <- err
					continue
				}
				_, err = c.DisassociateEndpointIpaddress(bg, id, list[(g+i)%len(list)].ID)
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if apiErr, ok := errors.AsType[*wrapper.APIError](err); err != nil && (!ok || apiErr.StatusCode >= 500) {
			t.Errorf("unexpected error: %v", err)
		}
	}
	checkSlots(t, c, id)
	if err := srv.Server.Check(); err != nil {
		t.Error(err)
	}
	clk.Add(time.Minute)
	checkSlots(t, c, id)
	if err := srv.Server.Check(); err != nil {
		t.Error(err)
	}
}
