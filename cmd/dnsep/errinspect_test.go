package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorsInspectedWithAs finds type assertions on errors in the CLI and
// the fake, tests included: an error that a layer wraps fails such an
// assertion (or panics it), where errors.As or errors.AsType looks through
// the wrapping. It goes by name: the asserted value is a variable named
// err or ending in Err.
func TestErrorsInspectedWithAs(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob(filepath.Join("..", "..", "fake", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range append(files, more...) {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ta, ok := n.(*ast.TypeAssertExpr)
			if !ok || ta.Type == nil { // a type switch has no Type here
				return true
			}
			if id, ok := ta.X.(*ast.Ident); ok && (id.Name == "err" || strings.HasSuffix(id.Name, "Err")) {
				t.Errorf("%s: type assertion on %s: use errors.As or errors.AsType", fset.Position(ta.Pos()), id.Name)
			}
			return true
		})
	}
}
