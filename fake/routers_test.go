package fake

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/gen"
)

func (a *ruleAPI) associate(id, vpcID string) (*gen.AssociateResolverRuleRouterResponse, error) {
	return a.c.AssociateResolverRuleRouterWithResponse(context.Background(), id,
		gen.AssociateOrDisassociateRouterWithRuleRequestBody{Router: gen.RouterForRule{RouterID: vpcID}})
}

func (a *ruleAPI) disassociate(id, vpcID string) (*gen.DisassociateResolverRuleRouterResponse, error) {
	return a.c.DisassociateResolverRuleRouterWithResponse(context.Background(), id,
		gen.AssociateOrDisassociateRouterWithRuleRequestBody{Router: gen.RouterForRule{RouterID: vpcID}})
}

// TestResolverRuleLifecycle walks a rule and an association through every
// pending state with a delay of a minute on a test clock, and checks what
// each read shows, the 409 answers meanwhile, the endpoint's rule count and
// its DNS.0608 refusal.
func TestResolverRuleLifecycle(t *testing.T) {
	t.Parallel()
	const delay = time.Minute
	a, clk := ruleServer(t, delay)
	var id string
	step := func(want gen.ResolverRuleStatus, routers []gen.Router) {
		t.Helper()
		got := a.mustShow(id)
		if got.Status != want {
			t.Fatalf("status %s, want %s", got.Status, want)
		}
		if diff := cmp.Diff(routers, got.Routers); diff != "" {
			t.Fatalf("routers (-want +got):\n%s", diff)
		}
		if err := a.srv.Server.Check(); err != nil {
			t.Fatal(err)
		}
	}
	id = a.mustCreate("rule", "example.com", "10.0.0.2").ID
	step(gen.ResolverRuleStatusPendingCreate, []gen.Router{})
	if n := a.ruleCount(a.ep); n != 1 {
		t.Fatalf("resolver_rule_count = %d while the rule is created, want 1", n)
	}
	u, err := a.update(id, gen.UpdateResolverRuleRequestBody{Name: "x"})
	want(t, u, err, http.StatusConflict, codeBusy)
	d, err := a.del(id)
	want(t, d, err, http.StatusConflict, codeBusy)

	clk.Add(delay)
	step(gen.ResolverRuleStatusActive, []gen.Router{})
	as, err := a.associate(id, ruleVPC.ID)
	if got := want(t, as, err, http.StatusAccepted, "").JSON202; *got != (gen.RouterWithRuleResp{RouterID: ruleVPC.ID, RouterRegion: "cn-north-4", Status: gen.StatusPendingCreate}) {
		t.Fatalf("associate answered %+v", got)
	}
	pending := []gen.Router{{RouterID: ruleVPC.ID, RouterRegion: "cn-north-4", Status: gen.StatusPendingCreate}}
	step(gen.ResolverRuleStatusActive, pending)
	as, err = a.associate(id, DefaultVPCID)
	want(t, as, err, http.StatusConflict, codeBusy)

	clk.Add(delay)
	active := []gen.Router{{RouterID: ruleVPC.ID, RouterRegion: "cn-north-4", Status: gen.StatusActive}}
	step(gen.ResolverRuleStatusActive, active)
	ds, err := a.disassociate(id, ruleVPC.ID)
	want(t, ds, err, http.StatusAccepted, "")
	step(gen.ResolverRuleStatusActive, []gen.Router{{RouterID: ruleVPC.ID, RouterRegion: "cn-north-4", Status: gen.StatusPendingDelete}})

	clk.Add(delay)
	step(gen.ResolverRuleStatusActive, []gen.Router{})
	as, err = a.associate(id, ruleVPC.ID)
	want(t, as, err, http.StatusAccepted, "")
	clk.Add(delay)
	step(gen.ResolverRuleStatusActive, active)

	// Deleting: the rule keeps its VPC and its place on the endpoint until
	// the deletion settles; the endpoint is in use until then.
	d, err = a.del(id)
	if got := want(t, d, err, http.StatusAccepted, "").JSON202.ResolverRule; got.Status != gen.ResolverRuleStatusPendingDelete {
		t.Fatalf("delete answered %s", got.Status)
	}
	d, err = a.del(id)
	want(t, d, err, http.StatusAccepted, "") // again: the same answer
	step(gen.ResolverRuleStatusPendingDelete, active)
	if l := a.list(gen.ListResolverRulesParams{}); l.Metadata.TotalCount != 1 {
		t.Fatalf("a rule being deleted is not listed: %+v", l)
	}
	de, err := a.c.DeleteEndpointWithResponse(context.Background(), a.ep)
	want(t, de, err, http.StatusBadRequest, codeEndpointInUse)

	clk.Add(delay)
	step(gen.ResolverRuleStatusDeleted, []gen.Router{})
	if l := a.list(gen.ListResolverRulesParams{}); l.Metadata.TotalCount != 0 || len(l.ResolverRules) != 0 {
		t.Fatalf("a deleted rule is listed: %+v", l)
	}
	if n := a.ruleCount(a.ep); n != 0 {
		t.Fatalf("resolver_rule_count = %d after the deletion, want 0", n)
	}
	u, err = a.update(id, gen.UpdateResolverRuleRequestBody{Name: "x"})
	want(t, u, err, http.StatusNotFound, codeRuleNotFound)
	d, err = a.del(id)
	want(t, d, err, http.StatusNotFound, codeRuleNotFound)
	as, err = a.associate(id, ruleVPC.ID)
	want(t, as, err, http.StatusNotFound, codeRuleNotFound)
	de, err = a.c.DeleteEndpointWithResponse(context.Background(), a.ep)
	want(t, de, err, http.StatusAccepted, "")
}

// TestResolverRuleAssociationRules checks the refusals of associate and
// disassociate, one rule each.
func TestResolverRuleAssociationRules(t *testing.T) {
	t.Parallel()
	a, _ := ruleServer(t, 0)
	r1 := a.mustCreate("r1", "example.com", "10.0.0.2").ID
	r2 := a.mustCreate("r2", "example.com.", "10.0.0.3").ID // the same domain
	r3 := a.mustCreate("r3", "other.example.com", "10.0.0.4").ID
	as, err := a.associate(r1, "0b0b0b0b-0000-4000-8000-000000000000")
	t.Run("unknown VPC", func(t *testing.T) { want(t, as, err, http.StatusNotFound, "DNS.0711") })
	as, err = a.associate(r1, ruleVPC.ID)
	want(t, as, err, http.StatusAccepted, "")
	as, err = a.associate(r1, ruleVPC.ID)
	t.Run("twice on a rule", func(t *testing.T) { want(t, as, err, http.StatusBadRequest, codeVPCAssociated) })
	as, err = a.associate(r2, ruleVPC.ID)
	t.Run("twice on a domain", func(t *testing.T) { want(t, as, err, http.StatusBadRequest, codeVPCAssociated) })
	as, err = a.associate(r3, ruleVPC.ID)
	t.Run("another domain", func(t *testing.T) { want(t, as, err, http.StatusAccepted, "") })
	as, err = a.associate(r2, DefaultVPCID)
	t.Run("another VPC", func(t *testing.T) { want(t, as, err, http.StatusAccepted, "") })
	ds, err := a.disassociate(r2, ruleVPC.ID)
	t.Run("not associated", func(t *testing.T) { want(t, ds, err, http.StatusBadRequest, codeVPCNotAssociated) })
	ds, err = a.disassociate(r1, ruleVPC.ID)
	want(t, ds, err, http.StatusAccepted, "")
	a.mustShow(r1) // settles the disassociation
	as, err = a.associate(r2, ruleVPC.ID)
	t.Run("free again", func(t *testing.T) { want(t, as, err, http.StatusAccepted, "") })
	if err := a.srv.Server.Check(); err != nil {
		t.Fatal(err)
	}
}
