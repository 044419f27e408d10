package wrapper

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/dnsep/dnsep/gen"
)

// operation names an API operation. A Client holds one generated client per
// operation, whose HTTP layer (a doer) reports the operation's name in errors
// and logs; index is the operation's place in Client.gens and in operations.
type operation struct {
	name  string
	index int
}

// The operations, one per operationId of the OpenAPI document.
var (
	opCreateEndpoint                = &operation{"CreateEndpoint", 0}
	opListEndpoints                 = &operation{"ListEndpoints", 1}
	opShowEndpoint                  = &operation{"ShowEndpoint", 2}
	opUpdateEndpoint                = &operation{"UpdateEndpoint", 3}
	opDeleteEndpoint                = &operation{"DeleteEndpoint", 4}
	opListEndpointIpaddresses       = &operation{"ListEndpointIpaddresses", 5}
	opAssociateEndpointIpaddress    = &operation{"AssociateEndpointIpaddress", 6}
	opDisassociateEndpointIpaddress = &operation{"DisassociateEndpointIpaddress", 7}
	opListEndpointVpcs              = &operation{"ListEndpointVpcs", 8}
)

// operations lists every operation at its index.
var operations = [...]*operation{
	opCreateEndpoint,
	opListEndpoints,
	opShowEndpoint,
	opUpdateEndpoint,
	opDeleteEndpoint,
	opListEndpointIpaddresses,
	opAssociateEndpointIpaddress,
	opDisassociateEndpointIpaddress,
	opListEndpointVpcs,
}

// fail returns an error of the generated client as the call's error. Errors
// of the HTTP layer (Do) already say everything; anything else comes from
// building the request or decoding the answer.
func (op *operation) fail(err error) error {
	if _, ok := errors.AsType[*APIError](err); ok {
		return err
	}
	if _, ok := errors.AsType[*transportError](err); ok {
		return err
	}
	return fmt.Errorf("dnsep: %s: %w", op.name, err)
}

// payload returns the decoded success body v, or, when the generated client
// decoded none (a 2xx status the document does not declare for the
// operation, or a body that is not JSON), an *APIError that says so.
func payload[T any](op *operation, v *T, resp *http.Response, body []byte) (*T, error) {
	if v != nil {
		return v, nil
	}
	e := newAPIError(op.name, resp.Request, resp, body, 0)
	e.Message = clean(redact(resp.Request, fmt.Sprintf("unexpected answer: status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))), 512)
	return nil, e
}

// endpointOf is payload for the operations that answer {"endpoint": ...}.
func endpointOf(op *operation, env *gen.EndpointEnvelope, resp *http.Response, body []byte) (*Endpoint, error) {
	env, err := payload(op, env, resp, body)
	if err != nil {
		return nil, err
	}
	return &env.Endpoint, nil
}
