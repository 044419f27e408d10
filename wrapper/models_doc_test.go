package wrapper_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/wrapper"
)

// TestRequestTypesDocumentFields checks that go doc of each request type,
// an alias that hides the generated type's fields, lists those fields.
func TestRequestTypesDocumentFields(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "models.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := doc.NewFromFiles(fset, []*ast.File{f}, "github.com/dnsep/dnsep/wrapper")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, ty := range pkg.Types {
		docs[ty.Name] = ty.Doc
	}
	for name, v := range map[string]any{
		"CreateEndpointRequest":     wrapper.CreateEndpointRequest{},
		"UpdateEndpointRequest":     wrapper.UpdateEndpointRequest{},
		"IPAddressInfo":             wrapper.IPAddressInfo{},
		"ListEndpointsParams":       wrapper.ListEndpointsParams{},
		"ListEndpointVpcsParams":    wrapper.ListEndpointVpcsParams{},
		"CreateResolverRuleRequest": wrapper.CreateResolverRuleRequest{},
		"UpdateResolverRuleRequest": wrapper.UpdateResolverRuleRequest{},
		"ListResolverRulesParams":   wrapper.ListResolverRulesParams{},
		"TargetIP":                  wrapper.TargetIP{},
	} {
		d, ok := docs[name]
		if !ok {
			t.Errorf("%s: no doc comment of its own", name)
			continue
		}
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			if field := rt.Field(i).Name; !strings.Contains(d, "\t"+field+" ") {
				t.Errorf("%s: the doc comment does not list the field %s", name, field)
			}
		}
	}
}

// TestIP checks the helper for the optional address: a pointer to a copy.
func TestIP(t *testing.T) {
	t.Parallel()
	s := "10.0.0.5"
	p := wrapper.IP(s)
	if p == nil || *p != s || p == &s {
		t.Errorf("IP(%q) = %v, want a new pointer to %q", s, p, s)
	}
}
