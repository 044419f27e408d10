// Package openapi holds the OpenAPI 3 document of the Huawei Cloud DNS
// endpoint API that the rest of dnsep is generated from, and loads it with
// kin-openapi for contract validation.
//
// The document is embedded as raw YAML, so package gen, which holds the
// generated client, does not depend on kin-openapi: only programs that
// validate contracts (tests, the fake server) link it.
package openapi

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/dnsep/dnsep/openapi/apitime"
)

//go:embed dns-endpoint.yaml
var document []byte

// FormatLocalDateTime is the string format of the API's zone-less timestamps.
const FormatLocalDateTime = "local-date-time"

// YAML returns a copy of the OpenAPI document as written in dns-endpoint.yaml.
func YAML() []byte { return bytes.Clone(document) }

// Load parses the embedded document, resolves its references and validates
// it, examples included. Each call returns a new *openapi3.T that the caller
// may modify (for example, to clear its Servers before routing).
func Load(ctx context.Context) (*openapi3.T, error) {
	return LoadData(ctx, document)
}

var defineFormats = sync.OnceFunc(func() {
	// kin-openapi validates examples only against formats defined globally,
	// so the API's timestamp format is registered there. The name is this
	// document's own and cannot clash with a standard format.
	openapi3.DefineStringFormatValidator(FormatLocalDateTime,
		openapi3.NewCallbackValidator(func(s string) error {
			_, err := apitime.Parse(s)
			return err
		}))
})

// LoadData is Load for a document given as YAML or JSON. It registers the
// formats this project's documents use ("local-date-time", and "ipv4" for the
// returned document) before it validates.
func LoadData(ctx context.Context, data []byte) (*openapi3.T, error) {
	defineFormats()
	loader := openapi3.NewLoader()
	loader.Context = ctx
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("openapi: load: %w", err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("openapi: validate: %w", err)
	}
	// ipv4 is opt-in in kin-openapi; scope it to this document rather than
	// changing the behaviour of every other document in the process.
	doc.SetStringFormatValidator("ipv4", openapi3.NewIPValidator(true))
	return doc, nil
}
