package fake

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/dnsep/dnsep/gen"
)

// TestResolverRulesConcurrently runs random rule operations from several
// goroutines against one fake, with pending states that the goroutines
// settle by moving the clock, and runs Check alongside: for the race
// detector, and for the invariants under interleaved writes. Every answer
// must be one the document declares (the client checks it) and no answer
// may be a 5xx.
func TestResolverRulesConcurrently(t *testing.T) {
	t.Parallel()
	const workers, steps = 4, 80
	a, clk := ruleServer(t, time.Second, WithRuleQuota(12))
	var mu sync.Mutex
	seen := map[string]int{} // "operation status" -> count
	var known []string       // rule IDs handed out
	record := func(op string, r answer, err error) {
		if err != nil {
			t.Errorf("%s: %v", op, err)
			return
		}
		if r.StatusCode() >= 500 {
			t.Errorf("%s: %d %s", op, r.StatusCode(), r.GetBody())
		}
		mu.Lock()
		seen[fmt.Sprintf("%s %d", op, r.StatusCode())]++
		mu.Unlock()
	}
	pick := func(rng *rand.Rand) string {
		mu.Lock()
		defer mu.Unlock()
		if len(known) == 0 {
			return "0123456789abcdef0123456789abcdef"
		}
		return known[rng.IntN(len(known))]
	}
	vpcs := []string{DefaultVPCID, ruleVPC.ID}
	domains := []string{"a.example.com", "b.example.com."}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for range steps {
				switch rng.IntN(8) {
				case 0, 1:
					r, err := a.create("r", domains[rng.IntN(2)], a.ep, "10.0.0.2")
					record("create", r, err)
					if err == nil && r.JSON202 != nil {
						mu.Lock()
						known = append(known, r.JSON202.ResolverRule.ID)
						mu.Unlock()
					}
				case 2:
					r, err := a.update(pick(rng), gen.UpdateResolverRuleRequestBody{Ipaddresses: targets("10.0.0.3", "10.0.0.4")})
					record("update", r, err)
				case 3:
					r, err := a.del(pick(rng))
					record("delete", r, err)
				case 4:
					r, err := a.associate(pick(rng), vpcs[rng.IntN(2)])
					record("associate", r, err)
				case 5:
					r, err := a.disassociate(pick(rng), vpcs[rng.IntN(2)])
					record("disassociate", r, err)
				case 6:
					r, err := a.c.ListResolverRulesWithResponse(t.Context(), &gen.ListResolverRulesParams{Limit: ptr(3)})
					record("list", r, err)
				case 7:
					clk.Add(time.Second)
				}
				if rng.IntN(10) == 0 {
					if err := a.srv.Server.Check(); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if err := a.srv.Server.Check(); err != nil {
		t.Error(err)
	}
	t.Logf("%v", seen)
	// Which operations succeed depends on how the goroutines interleave,
	// so only what no interleaving can change is asserted here: the first
	// create meets an empty store and the quota's room. The outcome of each
	// rule, pending states included, is TestResolverRuleLifecycle's and
	// TestResolverRuleAssociationRules' to check, deterministically.
	if seen[fmt.Sprintf("create %d", http.StatusAccepted)] == 0 {
		t.Errorf("no create succeeded: %v", seen)
	}
}
