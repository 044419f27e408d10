package wrapper_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// ruleEnv is a fake with one ACTIVE outbound endpoint and a client of it.
type ruleEnv struct {
	c   *wrapper.Client
	srv *fake.Server
	ep  string
}

// newRuleEnv starts the fake with the delay of its pending states. Call it
// inside a synctest bubble.
func newRuleEnv(t *testing.T, delay time.Duration, opts ...wrapper.Option) *ruleEnv {
	t.Helper()
	in := wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}
	opts = append([]wrapper.Option{wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1})}, opts...)
	c, srv := onFake(t, []fake.Option{fake.WithDelay(delay),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "out", Direction: wrapper.Outbound, IPs: []wrapper.IPAddressInfo{in, in}})}, opts...)
	list, err := c.ListEndpoints(t.Context(), wrapper.ListEndpointsParams{Direction: wrapper.Outbound})
	if err != nil || len(list.Endpoints) != 1 {
		t.Fatalf("seeded endpoint: %v, %v", list, err)
	}
	return &ruleEnv{c: c, srv: srv, ep: list.Endpoints[0].ID}
}

// rule creates a rule for domain on the endpoint, forwarding to targets.
func (e *ruleEnv) rule(t *testing.T, name, domain string, targets ...string) *wrapper.ResolverRuleBrief {
	t.Helper()
	req := wrapper.CreateResolverRuleRequest{Name: name, DomainName: domain, EndpointID: e.ep}
	for _, ip := range targets {
		req.Ipaddresses = append(req.Ipaddresses, wrapper.TargetIP{IP: ip})
	}
	r, err := e.c.CreateResolverRule(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func targetsOf(r *wrapper.ResolverRule) []string {
	var out []string
	for _, ip := range r.Ipaddresses {
		out = append(out, ip.IP)
	}
	return out
}

// TestResolverRuleLifecycle takes a rule through every operation and
// waiter against the fake: create, wait, show, update, associate a VPC,
// disassociate it, delete, and the DELETED tombstone.
func TestResolverRuleLifecycle(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newRuleEnv(t, 2*time.Second)
		// A deadline of the bubble's clock: a waiter that never ends fails
		// the test instead of hanging it.
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		poll := wrapper.WithPollDelay(time.Second, time.Second)

		created := e.rule(t, "corp", "corp.example", "10.0.0.2", "10.0.0.3")
		if created.Status != wrapper.RuleStatusPendingCreate || created.DomainName != "corp.example." || created.EndpointID != e.ep || created.IpaddressCount != 2 {
			t.Errorf("created %+v", created)
		}
		r, err := e.c.WaitResolverRuleActive(ctx, created.ID, poll)
		if err != nil || r.Status != wrapper.RuleStatusActive {
			t.Fatalf("WaitResolverRuleActive: %+v, %v", r, err)
		}
		if diff := cmp.Diff([]string{"10.0.0.2", "10.0.0.3"}, targetsOf(r)); diff != "" || len(r.Routers) != 0 {
			t.Errorf("targets (-want +got):\n%s; routers %v", diff, r.Routers)
		}

		upd, err := e.c.UpdateResolverRule(ctx, r.ID, wrapper.UpdateResolverRuleRequest{Name: "corp-2", Ipaddresses: []wrapper.TargetIP{{IP: "10.0.0.9"}}})
		if err != nil || upd.Name != "corp-2" || upd.IpaddressCount != 1 {
			t.Fatalf("UpdateResolverRule: %+v, %v", upd, err)
		}
		if r, err = e.c.ShowResolverRule(ctx, r.ID); err != nil || r.Name != "corp-2" || cmp.Diff([]string{"10.0.0.9"}, targetsOf(r)) != "" {
			t.Fatalf("after update: %+v, %v", r, err)
		}

		as, err := e.c.AssociateResolverRuleRouter(ctx, r.ID, fake.DefaultVPCID)
		if err != nil || as.RouterID != fake.DefaultVPCID || as.Status != wrapper.StatusPendingCreate {
			t.Fatalf("AssociateResolverRuleRouter: %+v, %v", as, err)
		}
		if r, err = e.c.WaitRouterAssociated(ctx, r.ID, fake.DefaultVPCID, poll); err != nil || len(r.Routers) != 1 || r.Routers[0].Status != wrapper.StatusActive {
			t.Fatalf("WaitRouterAssociated: %+v, %v", r, err)
		}
		ep, err := e.c.ShowEndpoint(ctx, e.ep)
		if err != nil || ep.ResolverRuleCount != 1 {
			t.Errorf("endpoint's rule count: %+v, %v", ep, err)
		}

		if as, err = e.c.DisassociateResolverRuleRouter(ctx, r.ID, fake.DefaultVPCID); err != nil || as.Status != wrapper.StatusPendingDelete {
			t.Fatalf("DisassociateResolverRuleRouter: %+v, %v", as, err)
		}
		start := time.Now()
		if r, err = e.c.WaitRouterDisassociated(ctx, r.ID, fake.DefaultVPCID, poll); err != nil || r == nil {
			t.Fatalf("WaitRouterDisassociated: %+v, %v", r, err)
		}
		if d := time.Since(start); d != 2*time.Second {
			t.Errorf("the VPC left after %v, want the fake's delay of 2s", d)
		}

		del, err := e.c.DeleteResolverRule(ctx, r.ID)
		if err != nil || del.Status != wrapper.RuleStatusPendingDelete {
			t.Fatalf("DeleteResolverRule: %+v, %v", del, err)
		}
		if last, err := e.c.WaitResolverRuleDeleted(ctx, r.ID, poll); err != nil || last == nil || last.Status != wrapper.RuleStatusDeleted {
			t.Fatalf("WaitResolverRuleDeleted: %+v, %v", last, err)
		}
		if err := e.srv.Check(); err != nil {
			t.Error(err)
		}
	})
}

// TestResolverRuleErrors: the service's refusals come back as *APIError
// naming the operation, with the status and code the fake plays.
func TestResolverRuleErrors(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newRuleEnv(t, 0)
		ctx := t.Context()
		r := e.rule(t, "corp", "corp.example.", "10.0.0.2")
		if _, err := e.c.WaitResolverRuleActive(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		const unknown = "0123456789abcdef0123456789abcdef"
		tests := []struct {
			name   string
			call   func() error
			op     string
			status int
			code   string
			is     error
		}{
			{"unknown rule", func() error { _, err := e.c.ShowResolverRule(ctx, unknown); return err }, "ShowResolverRule", 404, "", wrapper.ErrNotFound},
			{"delete unknown rule", func() error { _, err := e.c.DeleteResolverRule(ctx, unknown); return err }, "DeleteResolverRule", 404, "", wrapper.ErrNotFound},
			{"unknown VPC", func() error {
				_, err := e.c.AssociateResolverRuleRouter(ctx, r.ID, "00000000-0000-4000-8000-000000000000")
				return err
			}, "AssociateResolverRuleRouter", 404, "DNS.0711", wrapper.ErrNotFound},
			{"VPC not associated", func() error {
				_, err := e.c.DisassociateResolverRuleRouter(ctx, r.ID, fake.DefaultVPCID)
				return err
			}, "DisassociateResolverRuleRouter", 400, "DNS.0707", wrapper.ErrBadRequest},
			{"unknown endpoint", func() error {
				_, err := e.c.CreateResolverRule(ctx, wrapper.CreateResolverRuleRequest{Name: "x", DomainName: "x.example.", EndpointID: unknown,
					Ipaddresses: []wrapper.TargetIP{{IP: "10.0.0.2"}}})
				return err
			}, "CreateResolverRule", 404, "DNS.1510", wrapper.ErrNotFound},
			{"bad marker", func() error {
				_, err := e.c.ListResolverRules(ctx, wrapper.ListResolverRulesParams{Marker: ptr(unknown)})
				return err
			}, "ListResolverRules", 400, "DNS.0007", wrapper.ErrBadRequest},
			{"endpoint in use", func() error { _, err := e.c.DeleteEndpoint(ctx, e.ep); return err }, "DeleteEndpoint", 400, "DNS.0608", wrapper.ErrBadRequest},
		}
		for _, tt := range tests {
			err := tt.call()
			apiErr, ok := errors.AsType[*wrapper.APIError](err)
			if !ok || apiErr.Operation != tt.op || apiErr.StatusCode != tt.status || tt.code != "" && apiErr.Code != tt.code || !errors.Is(err, tt.is) {
				t.Errorf("%s: err = %v, want %s %d %s", tt.name, err, tt.op, tt.status, tt.code)
			}
		}
	})
}

// TestResolverRuleIDGuard: rule and VPC IDs that could change the request
// are refused, with the parameter named, before anything is sent.
func TestResolverRuleIDGuard(t *testing.T) {
	t.Parallel()
	c, rec := setup(t, wrapper.Reply(202, `{}`))
	ctx := context.Background()
	for _, id := range []string{"", ".", "..", "a/b", "a?b", "%2e%2e", "a b"} {
		for _, call := range []struct {
			param string
			fn    func() error
		}{
			{"resolverrule_id", func() error { _, err := c.ShowResolverRule(ctx, id); return err }},
			{"resolverrule_id", func() error {
				_, err := c.UpdateResolverRule(ctx, id, wrapper.UpdateResolverRuleRequest{Name: "n"})
				return err
			}},
			{"resolverrule_id", func() error { _, err := c.DeleteResolverRule(ctx, id); return err }},
			{"resolverrule_id", func() error { _, err := c.AssociateResolverRuleRouter(ctx, id, "vpc1"); return err }},
			{"resolverrule_id", func() error { _, err := c.DisassociateResolverRuleRouter(ctx, id, "vpc1"); return err }},
			{"router_id", func() error { _, err := c.AssociateResolverRuleRouter(ctx, "r1", id); return err }},
			{"router_id", func() error { _, err := c.DisassociateResolverRuleRouter(ctx, "r1", id); return err }},
			{"router_id", func() error { _, err := c.WaitRouterAssociated(ctx, "r1", id); return err }},
			{"router_id", func() error { _, err := c.WaitRouterDisassociated(ctx, "r1", id); return err }},
		} {
			err := call.fn()
			argErr, ok := errors.AsType[*wrapper.InvalidArgumentError](err)
			if !ok || argErr.Param != call.param || !errors.Is(err, wrapper.ErrInvalidArgument) {
				t.Errorf("id %q: err = %v, want an InvalidArgumentError for %s", id, err, call.param)
			}
		}
	}
	if n := len(rec.Requests()); n != 0 {
		t.Errorf("%d requests were sent for bad IDs", n)
	}
}

const ruleJSON = `{"id":"8a36f60a753badb401753bade3400002","name":"corp","domain_name":"corp.example.","endpoint_id":"ff80808169be2efb0169bef85d720013",` +
	`"status":"ACTIVE","rule_type":"FORWARD","ipaddress_count":1,"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"}`

// TestResolverRulePostsAreNotRetried: a 503 on the three POSTs is returned
// at once, for the service may have acted; the PUT beside them is retried,
// which shows that the retries are on.
func TestResolverRulePostsAreNotRetried(t *testing.T) {
	t.Parallel()
	router := `{"router_id":"` + fake.DefaultVPCID + `","router_region":"cn-north-4","status":"PENDING_CREATE"}`
	ctx := context.Background()
	tests := []struct {
		name     string
		ok       wrapper.Step
		call     func(*wrapper.Client) error
		attempts int
	}{
		{"create", wrapper.Reply(202, `{"resolver_rule":`+ruleJSON+`}`), func(c *wrapper.Client) error {
			_, err := c.CreateResolverRule(ctx, wrapper.CreateResolverRuleRequest{Name: "corp", DomainName: "corp.example.", EndpointID: "ep1",
				Ipaddresses: []wrapper.TargetIP{{IP: "10.0.0.2"}}})
			return err
		}, 1},
		{"associate", wrapper.Reply(202, router), func(c *wrapper.Client) error {
			_, err := c.AssociateResolverRuleRouter(ctx, "r1", fake.DefaultVPCID)
			return err
		}, 1},
		{"disassociate", wrapper.Reply(202, router), func(c *wrapper.Client) error {
			_, err := c.DisassociateResolverRuleRouter(ctx, "r1", fake.DefaultVPCID)
			return err
		}, 1},
		{"update (PUT) is retried", wrapper.Reply(202, `{"resolver_rule":`+ruleJSON+`}`), func(c *wrapper.Client) error {
			_, err := c.UpdateResolverRule(ctx, "r1", wrapper.UpdateResolverRuleRequest{Name: "n"})
			return err
		}, 2},
	}
	for _, tt := range tests {
		c, rec := setup(t, unavailable, tt.ok)
		err := tt.call(c)
		if n := len(rec.Requests()); n != tt.attempts {
			t.Errorf("%s: %d attempts, want %d", tt.name, n, tt.attempts)
		}
		if tt.attempts == 1 && !errors.Is(err, wrapper.ErrServer) {
			t.Errorf("%s: err = %v, want the 503", tt.name, err)
		}
		if tt.attempts > 1 && err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

// TestResolverRuleEmptyAnswers: a success that holds no rule or no router is
// an error naming the operation, not an empty result.
func TestResolverRuleEmptyAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tt := range []struct {
		op   string
		body string
		call func(*wrapper.Client) error
	}{
		{"CreateResolverRule", `{"resolver_rule":{}}`, func(c *wrapper.Client) error {
			_, err := c.CreateResolverRule(ctx, wrapper.CreateResolverRuleRequest{})
			return err
		}},
		{"ShowResolverRule", `{"resolver_rule":null}`, func(c *wrapper.Client) error { _, err := c.ShowResolverRule(ctx, "r1"); return err }},
		{"ListResolverRules", `{"metadata":{"total_count":0}}`, func(c *wrapper.Client) error {
			_, err := c.ListResolverRules(ctx, wrapper.ListResolverRulesParams{})
			return err
		}},
		{"AssociateResolverRuleRouter", `{}`, func(c *wrapper.Client) error {
			_, err := c.AssociateResolverRuleRouter(ctx, "r1", "v1")
			return err
		}},
	} {
		status := 202
		if tt.op == "ShowResolverRule" || tt.op == "ListResolverRules" {
			status = 200
		}
		c, _ := setup(t, wrapper.Reply(status, tt.body))
		err := tt.call(c)
		if apiErr, ok := errors.AsType[*wrapper.APIError](err); !ok || apiErr.Operation != tt.op {
			t.Errorf("%s: err = %v, want an APIError naming the operation", tt.op, err)
		}
	}
}
