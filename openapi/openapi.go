// Package openapi holds the OpenAPI 3 document of the Huawei Cloud DNS
// endpoint API that the rest of dnsep is generated from, and checks HTTP
// traffic against it with kin-openapi.
//
// The document is embedded as raw YAML, so package gen, which holds the
// generated client, does not depend on kin-openapi: only programs that
// validate contracts (tests, the fake server) link it.
//
// Validation runs on kin-openapi's own openapi3filter middleware. This
// package adds what the service needs and kin-openapi cannot know: the
// service's error code for a violation (the document's x-dns-error
// extensions) in a message that never quotes the offending value, the
// refusal of requests that two readers could read differently, and a
// client-side http.RoundTripper for tests.
package openapi

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/dnsep/dnsep/openapi/apitime"
)

//go:embed dns-endpoint.yaml
var document []byte

// FormatLocalDateTime is the string format of the API's zone-less timestamps.
const FormatLocalDateTime = "local-date-time"

// Load parses the embedded document, resolves its references and validates
// it, examples included. Each call returns a new *openapi3.T that the caller
// may modify. Callers that only read the document should use
// Validator.Document, which is loaded once per process.
func Load(ctx context.Context) (*openapi3.T, error) {
	return loadData(ctx, document)
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

// loadData is Load for a document given as YAML or JSON.
func loadData(ctx context.Context, data []byte) (*openapi3.T, error) {
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

// contract is the loaded document and its router. Neither is modified
// after loading: kin-openapi's router copies the route it returns, and
// validation only reads the document (compiled patterns are cached by
// kin-openapi in a synchronized map). So one contract serves every
// Validator of the process, on any goroutine.
type contract struct {
	doc    *openapi3.T
	router routers.Router
}

// shared is the process's contract, loaded by the first call of
// NewValidator that succeeds. Failures are not kept: a cancelled context
// must not poison the process.
var shared struct {
	mu sync.Mutex
	c  *contract
}

func loadShared(ctx context.Context) (*contract, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.c != nil {
		return shared.c, nil
	}
	doc, err := Load(ctx)
	if err != nil {
		return nil, err
	}
	// Route on a copy without the top-level Servers, so that requests
	// match whatever their scheme and host.
	routed := *doc
	routed.Servers = nil
	router, err := gorillamux.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("openapi: router: %w", err)
	}
	shared.c = &contract{doc: doc, router: router}
	return shared.c, nil
}
