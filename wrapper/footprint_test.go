package wrapper_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// TestFootprint builds (and never runs) the smallest program that embeds
// the wrapper, testdata/footprint/wrapperonly, and checks with
// `go version -m` that it links none of footprintNotLinked. It also builds the same
// call done with net/http and encoding/json alone,
// testdata/footprint/stdlibonly, and logs both stripped sizes. `make
// footprint` prints the same.
func TestFootprint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two programs")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	dir := t.TempDir()
	build := func(name string) (path string, size int64) {
		t.Helper()
		path = filepath.Join(dir, name)
		cmd := exec.CommandContext(t.Context(), goTool, "build", "-trimpath", "-ldflags=-s -w", "-o", path, "./testdata/footprint/"+name)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", name, err, out)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return path, fi.Size()
	}
	wrapperOnly, wrapperSize := build("wrapperonly")
	stdlibOnly, stdlibSize := build("stdlibonly")

	wrapperDeps := footprintModules(t, goTool, wrapperOnly)
	for _, dep := range wrapperDeps {
		for _, bad := range footprintNotLinked {
			if dep == bad || strings.HasPrefix(dep, bad+"/") || strings.HasPrefix(dep, bad+".") {
				t.Errorf("the wrapper-only program links %s", dep)
			}
		}
	}
	if deps := footprintModules(t, goTool, stdlibOnly); len(deps) != 0 {
		t.Errorf("the standard-library-only program links modules: %v", deps)
	}
	t.Logf("stripped sizes: wrapper-only %s, standard library only %s, difference %s",
		footprintSize(wrapperSize), footprintSize(stdlibSize), footprintSize(wrapperSize-stdlibSize))
	t.Logf("modules linked by the wrapper-only program: %s", strings.Join(wrapperDeps, ", "))
}

// footprintModules returns the module paths that `go version -m` lists as
// dependencies of the binary at path.
func footprintModules(t *testing.T, goTool, path string) []string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), goTool, "version", "-m", path).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	var deps []string
	sawPath := false
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 2 && f[0] == "path":
			sawPath = true
		case len(f) >= 2 && f[0] == "dep":
			deps = append(deps, f[1])
		case len(f) >= 2 && f[0] == "=>":
			// A replacement of the previous dep: the path it names is
			// what is linked.
			deps = append(deps, f[1])
		}
	}
	if !sawPath {
		t.Fatalf("go version -m %s shows no build information:\n%s", filepath.Base(path), out)
	}
	return deps
}

// footprintSize formats a size in bytes and MiB.
func footprintSize(n int64) string {
	return fmt.Sprintf("%d bytes (%.2f MiB)", n, float64(n)/(1<<20))
}
