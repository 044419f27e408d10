package wrapper_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// waitEnv is where one waiter test runs: a fake, in a synctest bubble, with
// one seeded ACTIVE endpoint of three addresses, and a client of it.
type waitEnv struct {
	t      *testing.T
	c      *wrapper.Client
	srv    *fake.Server
	ep, ip string // the endpoint and the address waited for
}

// A waitStep puts the fake in the state a test starts from.
type waitStep func(*waitEnv)

// create makes a new endpoint, PENDING_CREATE for the fake's delay, the one
// waited for.
func create(e *waitEnv) {
	in := wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}
	ep, err := e.c.CreateEndpoint(e.t.Context(), wrapper.CreateEndpointRequest{Name: "new", Direction: wrapper.Inbound,
		Region: "cn-north-4", Ipaddresses: []wrapper.IPAddressInfo{in, in}})
	if err != nil {
		e.t.Fatal(err)
	}
	e.ep = ep.ID
}

// deleteEndpoint makes the endpoint PENDING_DELETE for the fake's delay.
func deleteEndpoint(e *waitEnv) {
	if _, err := e.c.DeleteEndpoint(e.t.Context(), e.ep); err != nil {
		e.t.Fatal(err)
	}
}

// unbind makes the address PENDING_DELETE for the fake's delay.
func unbind(e *waitEnv) {
	if _, err := e.c.DisassociateEndpointIpaddress(e.t.Context(), e.ep, e.ip); err != nil {
		e.t.Fatal(err)
	}
}

// missing makes the waiter ask for an endpoint that does not exist.
func missing(e *waitEnv) { e.ep = "0123456789abcdef0123456789abcdef" }

// then answers the second call of op with the fault f, after one normal
// answer: what the fake does not play on its own, such as the ERROR status.
// A zero Fault lets the normal answer through.
func then(op string, f func(*waitEnv) fake.Fault) waitStep {
	return func(e *waitEnv) {
		e.srv.InjectFault(op, 1, fake.Fault{})
		e.srv.InjectFault(op, 1, f(e))
	}
}

// atOnce answers the next call of op with the fault f.
func atOnce(op string, f func(*waitEnv) fake.Fault) waitStep {
	return func(e *waitEnv) { e.srv.InjectFault(op, 1, f(e)) }
}

// endpointIn is ShowEndpoint's answer with the endpoint in status.
func endpointIn(status string) func(*waitEnv) fake.Fault {
	return func(e *waitEnv) fake.Fault {
		body := strings.NewReplacer(`"status":"ACTIVE"`, `"status":"`+status+`"`, `"id":"ff80808169be2efb0169bef85d720013"`, `"id":"`+e.ep+`"`).Replace(endpointJSON)
		return fake.Fault{Status: 200, Body: `{"endpoint":` + body + `}`}
	}
}

// ipsWith is ListEndpointIpaddresses' answer with the address in status.
func ipsWith(status string) func(*waitEnv) fake.Fault {
	return func(e *waitEnv) fake.Fault {
		return fake.Fault{Status: 200, Body: `{"ipaddresses":[{"id":"other","ip":"192.168.0.11","subnet_id":"s","status":"ACTIVE","error_info":null,` +
			`"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"},{"id":"` + e.ip + `","ip":"192.168.0.10","subnet_id":"s","status":"` + status +
			`","error_info":null,"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"}]}`}
	}
}

// noSuchAPI is the gateway's 404 for a route it does not know, which a
// wrong base path gets for every request (see TestWrongBaseURLIsNotGone).
func noSuchAPI(*waitEnv) fake.Fault {
	return fake.Fault{Status: 404, Body: `{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment.","request_id":"r1"}`}
}

func forbidden(*waitEnv) fake.Fault {
	return fake.ServiceError(403, "DNS.0013", "You do not have the permission.")
}

func busyFault(*waitEnv) fake.Fault {
	return fake.ServiceError(500, "DNS.0000", "The system is busy. Try again later.")
}

// newWaitEnv starts the fake with the delay of its pending states and
// returns the environment, with the seeded endpoint and one of its
// addresses. Call it inside the bubble.
func newWaitEnv(t *testing.T, delay time.Duration) *waitEnv {
	in := wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}
	// One attempt per poll: the waiter's own loop is under test.
	c, srv := onFake(t, []fake.Option{fake.WithDelay(delay),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "seed", Direction: wrapper.Inbound, IPs: []wrapper.IPAddressInfo{in, in, in}})},
		wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1}))
	list, err := c.ListEndpoints(t.Context(), wrapper.ListEndpointsParams{Direction: wrapper.Inbound})
	if err != nil || len(list.Endpoints) != 1 {
		t.Fatalf("seeded endpoint: %v, %v", list, err)
	}
	ips, err := c.ListEndpointIpaddresses(t.Context(), list.Endpoints[0].ID)
	if err != nil || len(ips) != 3 {
		t.Fatalf("seeded addresses: %v, %v", ips, err)
	}
	return &waitEnv{t: t, c: c, srv: srv, ep: list.Endpoints[0].ID, ip: ips[0].ID}
}

// calls counts the requests of op the fake received.
func calls(srv *fake.Server, op string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Operation == op {
			n++
		}
	}
	return n
}

func TestWaiters(t *testing.T) {
	t.Parallel()
	type steps = []waitStep
	poll := wrapper.WithPollDelay(time.Second, 4*time.Second) // polls at 0, 1, 3, 7, 11 s
	active := func(ctx context.Context, e *waitEnv) (string, error) {
		ep, err := e.c.WaitEndpointActive(ctx, e.ep, poll)
		return statusOf(ep), err
	}
	deleted := func(ctx context.Context, e *waitEnv) (string, error) {
		ep, err := e.c.WaitEndpointDeleted(ctx, e.ep, poll)
		return statusOf(ep), err
	}
	ipGone := func(ctx context.Context, e *waitEnv) (string, error) {
		ip, err := e.c.WaitIpaddressGone(ctx, e.ep, e.ip, poll)
		if ip == nil {
			return "", err
		}
		return string(ip.Status), err
	}
	const show, listIPs = "ShowEndpoint", "ListEndpointIpaddresses"
	tests := []struct {
		name       string
		wait       func(context.Context, *waitEnv) (string, error)
		delay      time.Duration // how long the fake's pending states last
		steps      steps
		polls      int
		elapsed    time.Duration // simulated
		wantStatus string        // of the last object seen
		wantErr    error
	}{
		{"active after two pending polls", active, 2 * time.Second, steps{create}, 3, 3 * time.Second, "ACTIVE", nil},
		{"active at once", active, time.Hour, nil, 1, 0, "ACTIVE", nil},
		{"ERROR fails fast", active, 2 * time.Second, steps{create, then(show, endpointIn("ERROR"))}, 2, time.Second, "ERROR", wrapper.ErrResourceFailed},
		{"404 fails fast when waiting for ACTIVE", active, 0, steps{missing}, 1, 0, "", wrapper.ErrNotFound},
		{"403 fails fast", active, 2 * time.Second, steps{create, then(show, forbidden)}, 2, time.Second, "PENDING_CREATE", wrapper.ErrForbidden},
		{"a retryable failure is polled through", active, 2 * time.Second, steps{create, then(show, busyFault)}, 3, 3 * time.Second, "ACTIVE", nil},
		{"delays grow to the maximum", active, 10 * time.Second, steps{create}, 5, (1 + 2 + 4 + 4) * time.Second, "ACTIVE", nil},
		{"the deadline ends the wait with the last status", active, time.Hour, steps{create}, 5, 12 * time.Second, "PENDING_CREATE", context.DeadlineExceeded},
		{"deleted: 404 is success", deleted, 2 * time.Second, steps{deleteEndpoint}, 3, 3 * time.Second, "PENDING_DELETE", nil},
		{"deleted: a gateway 404 is not gone", deleted, time.Hour, steps{deleteEndpoint, then(show, noSuchAPI)}, 2, time.Second, "PENDING_DELETE", wrapper.ErrNoSuchAPI},
		{"deleted: ERROR fails fast", deleted, time.Hour, steps{deleteEndpoint, then(show, endpointIn("ERROR"))}, 2, time.Second, "ERROR", wrapper.ErrResourceFailed},
		{"ip gone after PENDING_DELETE", ipGone, time.Second, steps{unbind}, 2, time.Second, "PENDING_DELETE", nil},
		{"ip gone with its endpoint", ipGone, time.Second, steps{unbind, deleteEndpoint}, 2, time.Second, "PENDING_DELETE", nil},
		{"ip: a gateway 404 is not gone", ipGone, time.Hour, steps{unbind, then(listIPs, noSuchAPI)}, 2, time.Second, "PENDING_DELETE", wrapper.ErrNoSuchAPI},
		{"ip in ERROR fails fast", ipGone, 0, steps{atOnce(listIPs, ipsWith("ERROR"))}, 1, 0, "ERROR", wrapper.ErrResourceFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				e := newWaitEnv(t, tt.delay)
				for _, step := range tt.steps {
					step(e)
				}
				e.srv.ResetRequests()
				ctx, cancel := context.WithTimeout(context.Background(), 12*time.Second)
				defer cancel()
				start := time.Now()
				status, err := tt.wait(ctx, e)
				if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if status != tt.wantStatus {
					t.Errorf("last status %q, want %q", status, tt.wantStatus)
				}
				if tt.wantErr == context.DeadlineExceeded && !strings.Contains(err.Error(), "last status PENDING_CREATE after 5 polls") {
					t.Errorf("error %q does not give the last status", err)
				}
				if n := calls(e.srv, show) + calls(e.srv, listIPs); n != tt.polls {
					t.Errorf("%d polls, want %d", n, tt.polls)
				}
				if d := time.Since(start); d != tt.elapsed {
					t.Errorf("took %v, want %v", d, tt.elapsed)
				}
			})
		})
	}
}

func statusOf(ep *wrapper.Endpoint) string {
	if ep == nil {
		return ""
	}
	return string(ep.Status)
}

func TestWaitObserverAndBadDelays(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newWaitEnv(t, time.Second)
		create(e)
		var events []wrapper.WaitEvent
		_, err := e.c.WaitEndpointActive(context.Background(), e.ep, wrapper.WithWaitObserver(func(e wrapper.WaitEvent) { events = append(events, e) }))
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 2 || events[0].Status != wrapper.StatusPendingCreate || events[1].Status != wrapper.StatusActive || events[1].Poll != 2 || events[1].Elapsed != time.Second {
			t.Errorf("events %+v", events)
		}
		_, err = e.c.WaitEndpointActive(context.Background(), e.ep, wrapper.WithPollDelay(0, time.Second))
		if !errors.Is(err, wrapper.ErrInvalidArgument) {
			t.Errorf("zero min delay: err = %v", err)
		}
	})
}
