package wrapper_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// footprintNotLinked are the modules that a program embedding only the wrapper must
// not link: the contract validator (kin-openapi and its router), the YAML
// parsers and the command-line framework.
var footprintNotLinked = []string{
	"github.com/getkin/kin-openapi",
	"github.com/gorilla/mux",
	"go.yaml.in/yaml",
	"gopkg.in/yaml",
	"sigs.k8s.io/yaml",
	"github.com/spf13/cobra",
}

// TestFootprint asks `go list -deps` which modules the smallest program
// that embeds the wrapper, testdata/footprint/wrapperonly, imports, and
// checks that none of footprintNotLinked is among them: what a program does
// not import, it does not link. The same call done with net/http and
// encoding/json alone, testdata/footprint/stdlibonly, must import no module.
// `make footprint` builds both and compares their sizes.
func TestFootprint(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	wrapperDeps := footprintModules(t, goTool, "./testdata/footprint/wrapperonly")
	if len(wrapperDeps) == 0 {
		t.Fatal("the wrapper-only program imports no module: go list answered nothing useful")
	}
	for _, dep := range wrapperDeps {
		for _, bad := range footprintNotLinked {
			if dep == bad || strings.HasPrefix(dep, bad+"/") || strings.HasPrefix(dep, bad+".") {
				t.Errorf("the wrapper-only program links %s", dep)
			}
		}
	}
	if deps := footprintModules(t, goTool, "./testdata/footprint/stdlibonly"); len(deps) != 0 {
		t.Errorf("the standard-library-only program links modules: %v", deps)
	}
	t.Logf("modules linked by the wrapper-only program: %s", strings.Join(wrapperDeps, ", "))
}

// footprintModules returns, sorted, the modules other than the main one
// that provide the packages the program at dir imports, directly or not,
// with the path a replacement names in place of the one it replaces.
func footprintModules(t *testing.T, goTool, dir string) []string {
	t.Helper()
	const format = `{{with .Module}}{{if not .Main}}{{with .Replace}}{{.Path}}{{else}}{{.Path}}{{end}}{{end}}{{end}}`
	out, err := exec.CommandContext(t.Context(), goTool, "list", "-deps", "-f", format, dir).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", dir, err)
	}
	var deps []string
	for line := range strings.Lines(string(out)) {
		if m := strings.TrimSpace(line); m != "" && !slices.Contains(deps, m) {
			deps = append(deps, m)
		}
	}
	slices.Sort(deps)
	return deps
}
