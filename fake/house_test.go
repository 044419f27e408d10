package fake

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoClientImport keeps the arrow of the house: the fake and what it
// builds on meet the client only on the wire, so that the client's own
// tests can use the fake without an import cycle.
func TestNoClientImport(t *testing.T) {
	t.Parallel()
	const module, client = "github.com/dnsep/dnsep/", "wrapper"
	from := map[string]string{"fake": ""} // package -> the package that imports it
	for queue := []string{"fake"}; len(queue) > 0; queue = queue[1:] {
		pkg, err := build.ImportDir(filepath.Join("..", filepath.FromSlash(queue[0])), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range pkg.Imports {
			rel, ok := strings.CutPrefix(imp, module)
			if _, seen := from[rel]; !ok || seen {
				continue
			}
			from[rel] = queue[0]
			if rel == client {
				t.Errorf("the fake depends on the client: %s imports %s", queue[0], imp)
			}
			queue = append(queue, rel)
		}
	}
}
