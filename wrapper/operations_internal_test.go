package wrapper

import (
	"testing"

	"github.com/dnsep/dnsep/gen"
)

// TestOperationIndexes checks that every operation sits at its index and
// that Client.api hands out, for each, the generated client whose doer names
// that operation: errors and logs depend on it.
func TestOperationIndexes(t *testing.T) {
	t.Parallel()
	c, err := New("https://dns.example.com", WithToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, op := range operations {
		if op.index != i {
			t.Errorf("operations[%d] is %s with index %d", i, op.name, op.index)
		}
		if seen[op.name] {
			t.Errorf("operation %s listed twice", op.name)
		}
		seen[op.name] = true
		g, ok := c.api(op).ClientInterface.(*gen.Client)
		if !ok {
			t.Fatalf("%s: generated client is a %T", op.name, c.api(op).ClientInterface)
		}
		if d, ok := g.Client.(*doer); !ok || d.op != op.name || d.c != c {
			t.Errorf("%s: the generated client's doer is %#v", op.name, g.Client)
		}
	}
}
