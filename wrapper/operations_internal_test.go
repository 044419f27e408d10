package wrapper

import (
	"testing"

	"github.com/dnsep/dnsep/gen"
)

// TestOperationTable checks that every operation has a row with a name of
// its own, and that Client.api hands out, for each, the generated client
// whose doer names that operation: errors and logs depend on it.
func TestOperationTable(t *testing.T) {
	t.Parallel()
	c, err := New("https://dns.example.com", WithToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for op := range numOperations {
		name := op.name()
		if name == "" {
			t.Errorf("operation %d has no row in the table", op)
		}
		if seen[name] {
			t.Errorf("operation %s listed twice", name)
		}
		seen[name] = true
		g, ok := c.api(op).ClientInterface.(*gen.Client)
		if !ok {
			t.Fatalf("%s: generated client is a %T", name, c.api(op).ClientInterface)
		}
		if d, ok := g.Client.(*doer); !ok || d.op != name || d.c != c {
			t.Errorf("%s: the generated client's doer is %#v", name, g.Client)
		}
	}
}
