package wrapper_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// ruleWaitEnv is ruleEnv with the rule waited for.
type ruleWaitEnv struct {
	*ruleEnv
	t    *testing.T
	rule string
}

// A ruleStep puts the fake in the state a rule waiter test starts from.
type ruleStep func(*ruleWaitEnv)

// settled waits, unobserved, until the rule and its VPCs are settled.
func settled(e *ruleWaitEnv) {
	if _, err := e.c.WaitResolverRuleActive(e.t.Context(), e.rule, wrapper.WithPollDelay(time.Second, time.Second)); err != nil {
		e.t.Fatal(err)
	}
	r, err := e.c.ShowResolverRule(e.t.Context(), e.rule)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, rt := range r.Routers {
		if rt.Status != wrapper.StatusActive {
			if _, err := e.c.WaitRouterAssociated(e.t.Context(), e.rule, rt.RouterID, wrapper.WithPollDelay(time.Second, time.Second)); err != nil {
				e.t.Fatal(err)
			}
		}
	}
}

func associate(e *ruleWaitEnv) {
	if _, err := e.c.AssociateResolverRuleRouter(e.t.Context(), e.rule, fake.DefaultVPCID); err != nil {
		e.t.Fatal(err)
	}
}

func disassociate(e *ruleWaitEnv) {
	if _, err := e.c.DisassociateResolverRuleRouter(e.t.Context(), e.rule, fake.DefaultVPCID); err != nil {
		e.t.Fatal(err)
	}
}

func deleteRule(e *ruleWaitEnv) {
	if _, err := e.c.DeleteResolverRule(e.t.Context(), e.rule); err != nil {
		e.t.Fatal(err)
	}
}

// ruleAnswer injects, as the next answer of ShowResolverRule, the rule as
// it is now with edit applied: what the fake does not play on its own, such
// as the ERROR status.
func ruleAnswer(edit func(*wrapper.ResolverRule)) ruleStep {
	return func(e *ruleWaitEnv) {
		r, err := e.c.ShowResolverRule(e.t.Context(), e.rule)
		if err != nil {
			e.t.Fatal(err)
		}
		edit(r)
		b, err := json.Marshal(map[string]any{"resolver_rule": r})
		if err != nil {
			e.t.Fatal(err)
		}
		e.srv.InjectFault("ShowResolverRule", 1, fake.Fault{Status: 200, Body: string(b)})
	}
}

// ruleGone injects a 404 as the next answer of ShowResolverRule: the
// service that forgets a deleted rule instead of keeping a tombstone.
func ruleGone(e *ruleWaitEnv) {
	e.srv.InjectFault("ShowResolverRule", 1, fake.ServiceError(404, "DNS.1601", "Resolver rule not exist."))
}

func ruleStatus(s wrapper.ResolverRuleStatus) ruleStep {
	return ruleAnswer(func(r *wrapper.ResolverRule) { r.Status = s })
}

func routerStatus(s wrapper.Status) ruleStep {
	return ruleAnswer(func(r *wrapper.ResolverRule) { r.Routers[0].Status = s })
}

func TestResolverRuleWaiters(t *testing.T) {
	t.Parallel()
	type steps = []ruleStep
	poll := wrapper.WithPollDelay(time.Second, 4*time.Second) // polls at 0, 1, 3, 7, 11 s
	active := func(ctx context.Context, e *ruleWaitEnv) (*wrapper.ResolverRule, error) {
		return e.c.WaitResolverRuleActive(ctx, e.rule, poll)
	}
	deleted := func(ctx context.Context, e *ruleWaitEnv) (*wrapper.ResolverRule, error) {
		return e.c.WaitResolverRuleDeleted(ctx, e.rule, poll)
	}
	associated := func(ctx context.Context, e *ruleWaitEnv) (*wrapper.ResolverRule, error) {
		return e.c.WaitRouterAssociated(ctx, e.rule, fake.DefaultVPCID, poll)
	}
	disassociated := func(ctx context.Context, e *ruleWaitEnv) (*wrapper.ResolverRule, error) {
		return e.c.WaitRouterDisassociated(ctx, e.rule, fake.DefaultVPCID, poll)
	}
	tests := []struct {
		name    string
		wait    func(context.Context, *ruleWaitEnv) (*wrapper.ResolverRule, error)
		steps   steps
		polls   int
		elapsed time.Duration // simulated; the fake's pending states last 2 s
		wantErr error
	}{
		{"active after two pending polls", active, nil, 3, 3 * time.Second, nil},
		{"active: ERROR fails fast", active, steps{ruleStatus(wrapper.RuleStatusError)}, 1, 0, wrapper.ErrResourceFailed},
		{"active: DELETED fails fast as not found", active, steps{ruleStatus(wrapper.RuleStatusDeleted)}, 1, 0, wrapper.ErrNotFound},
		{"deleted: the DELETED tombstone is gone", deleted, steps{settled, deleteRule}, 3, 3 * time.Second, nil},
		{"deleted: 404 is gone", deleted, steps{settled, deleteRule, ruleGone}, 1, 0, nil},
		{"deleted: ERROR fails fast", deleted, steps{settled, deleteRule, ruleStatus(wrapper.RuleStatusError)}, 1, 0, wrapper.ErrResourceFailed},
		{"the deadline ends the wait", deleted, steps{settled}, 5, 12 * time.Second, context.DeadlineExceeded},
		{"associated after pending polls", associated, steps{settled, associate}, 3, 3 * time.Second, nil},
		{"associated: a VPC not listed yet is waited for", associated, steps{settled}, 5, 12 * time.Second, context.DeadlineExceeded},
		{"associated: ERROR fails fast", associated, steps{settled, associate, routerStatus(wrapper.StatusError)}, 1, 0, wrapper.ErrResourceFailed},
		{"associated: a deleted rule fails fast", associated, steps{settled, ruleStatus(wrapper.RuleStatusDeleted)}, 1, 0, wrapper.ErrNotFound},
		{"disassociated when the VPC leaves routers", disassociated, steps{settled, associate, settled, disassociate}, 3, 3 * time.Second, nil},
		{"disassociated: a gone rule holds no VPC", disassociated, steps{settled, associate, settled, disassociate, ruleGone}, 1, 0, nil},
		{"disassociated: ERROR fails fast", disassociated, steps{settled, associate, settled, disassociate, routerStatus(wrapper.StatusError)}, 1, 0, wrapper.ErrResourceFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				e := &ruleWaitEnv{ruleEnv: newRuleEnv(t, 2*time.Second), t: t}
				e.rule = e.ruleEnv.rule(t, "corp", "corp.example.", "10.0.0.2").ID
				for _, step := range tt.steps {
					step(e)
				}
				e.srv.ResetRequests()
				ctx, cancel := context.WithTimeout(context.Background(), 12*time.Second)
				defer cancel()
				start := time.Now()
				_, err := tt.wait(ctx, e)
				if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if n := calls(e.srv, "ShowResolverRule"); n != tt.polls {
					t.Errorf("%d polls, want %d", n, tt.polls)
				}
				if d := time.Since(start); d != tt.elapsed {
					t.Errorf("took %v, want %v", d, tt.elapsed)
				}
			})
		})
	}
}
