package openapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/google/go-cmp/cmp"
)

// TestDriftHeaders checks declared headers on a copy of the document in
// which X-Request-Id is required and must be 32 hexadecimal characters:
// the embedded document asks neither.
func TestDriftHeaders(t *testing.T) {
	t.Parallel()
	doc, err := Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h := doc.Components.Headers["X-Request-Id"].Value
	h.Required = true
	h.Schema = openapi3.NewStringSchema().WithPattern("^[0-9a-f]{32}$").NewRef()
	routed := *doc
	routed.Servers = nil
	router, err := gorillamux.NewRouter(&routed)
	if err != nil {
		t.Fatal(err)
	}
	v := &Validator{c: &contract{doc: doc, router: router}}
	req := httptest.NewRequest(http.MethodGet, "/v2.1/vpcs", nil)
	body := []byte(`{"vpcs":[],"metadata":{"total_count":0}}`)
	for _, tt := range []struct {
		id   []string
		want []Drift
	}{
		{[]string{"d59058a3efc5f8ca152d53154f90444b"}, nil},
		{nil, []Drift{{Operation: "ListEndpointVpcs", Status: 200, Kind: DriftHeader, Path: "X-Request-Id", Expected: "present (required)", Got: "nothing"}}},
		{[]string{"not-hex"}, []Drift{{Operation: "ListEndpointVpcs", Status: 200, Kind: DriftHeader, Path: "X-Request-Id", Expected: "a string matching ^[0-9a-f]{32}$", Got: "string of length 7"}}},
	} {
		header := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": tt.id}
		_, got := v.Drifts(req, 200, header, body)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("X-Request-Id %q: drifts (-want +got):\n%s", tt.id, diff)
		}
	}
}
