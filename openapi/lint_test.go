package openapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// lint returns what the document lacks that a reader needs: every
// operation has a summary, tags and an example for every success response;
// every error response carries one of the shared error schemas; every
// property, in every schema the document names, has a description.
func lint(doc *openapi3.T) []string {
	var found []string
	add := func(format string, args ...any) { found = append(found, fmt.Sprintf(format, args...)) }
	shared := []*openapi3.Schema{doc.Components.Schemas["DnsError"].Value, doc.Components.Schemas["GatewayError"].Value}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			if strings.TrimSpace(op.Summary) == "" {
				add("%s: no summary", name)
			}
			if len(op.Tags) == 0 {
				add("%s: no tags", name)
			}
			for code, ref := range op.Responses.Map() {
				media := ref.Value.Content.Get("application/json")
				if media == nil || media.Schema == nil {
					add("%s %s: no application/json schema", name, code)
					continue
				}
				switch {
				case strings.HasPrefix(code, "2"):
					if media.Example == nil && len(media.Examples) == 0 {
						add("%s %s: no example", name, code)
					}
				case !slices.Contains(shared, media.Schema.Value):
					add("%s %s: error body is not DnsError or GatewayError", name, code)
				}
			}
		}
	}
	for name, ref := range doc.Components.Schemas {
		lintProperties(ref.Value, name, add)
	}
	return found
}

// lintProperties reports the properties of s, and of the objects inside it,
// that have no description, either their own or their schema's.
func lintProperties(s *openapi3.Schema, at string, add func(string, ...any)) {
	if s == nil {
		return
	}
	if s.Items != nil {
		lintProperties(s.Items.Value, at+"[]", add)
	}
	for name, p := range s.Properties {
		if p.Value == nil {
			continue
		}
		if strings.TrimSpace(p.Value.Description) == "" {
			add("%s.%s: no description", at, name)
		}
		if p.Ref == "" { // a named schema is visited on its own
			lintProperties(p.Value, at+"."+name, add)
		}
	}
}

// TestLint runs lint on the embedded document.
func TestLint(t *testing.T) {
	t.Parallel()
	for _, f := range lint(load(t)) {
		t.Error(f)
	}
}

// TestLintFails shows that lint finds each kind of gap: it runs on copies
// of the document with one thing taken out.
func TestLintFails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		remove func(doc *openapi3.T)
		want   string
	}{
		{"summary", func(doc *openapi3.T) { doc.Paths.Find("/v2.1/vpcs").Get.Summary = "" },
			"GET /v2.1/vpcs: no summary"},
		{"tags", func(doc *openapi3.T) { doc.Paths.Find("/v2.1/vpcs").Get.Tags = nil },
			"GET /v2.1/vpcs: no tags"},
		{"example", func(doc *openapi3.T) {
			doc.Paths.Find("/v2.1/endpoints/{endpoint_id}").Get.Responses.Status(200).Value.Content.Get("application/json").Example = nil
		}, "GET /v2.1/endpoints/{endpoint_id} 200: no example"},
		{"error schema", func(doc *openapi3.T) {
			doc.Paths.Find("/v2.1/vpcs").Get.Responses.Status(500).Value.Content.Get("application/json").Schema = openapi3.NewStringSchema().NewRef()
		}, "GET /v2.1/vpcs 500: error body is not DnsError or GatewayError"},
		{"description", func(doc *openapi3.T) {
			doc.Components.Schemas["EndpointResp"].Value.Properties["vpc_id"].Value.Description = ""
		}, "EndpointResp.vpc_id: no description"},
		{"description of a named schema", func(doc *openapi3.T) {
			doc.Components.Schemas["Status"].Value.Description = ""
		}, "EndpointResp.status: no description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := load(t) // a copy of its own
			tt.remove(doc)
			if got := lint(doc); !slices.Contains(got, tt.want) {
				t.Errorf("lint = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}
