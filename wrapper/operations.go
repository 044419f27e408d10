package wrapper

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/dnsep/dnsep/gen"
)

// operation identifies an API operation. Its value is its row in operations
// and the index of its generated client in Client.gens, whose HTTP layer (a
// doer) reports the operation's name in errors and logs.
type operation int

// The operations, one per operationId of the OpenAPI document. A new
// operation is a constant here and a row in operations.
const (
	opCreateEndpoint operation = iota
	opListEndpoints
	opShowEndpoint
	opUpdateEndpoint
	opDeleteEndpoint
	opListEndpointIpaddresses
	opAssociateEndpointIpaddress
	opDisassociateEndpointIpaddress
	opListEndpointVpcs
	opCreateResolverRule
	opListResolverRules
	opShowResolverRule
	opUpdateResolverRule
	opDeleteResolverRule
	opAssociateResolverRuleRouter
	opDisassociateResolverRuleRouter
	numOperations // keep it last
)

// operations is the table of operations, keyed by operation: the
// operationId of each.
var operations = [numOperations]string{
	opCreateEndpoint:                 "CreateEndpoint",
	opListEndpoints:                  "ListEndpoints",
	opShowEndpoint:                   "ShowEndpoint",
	opUpdateEndpoint:                 "UpdateEndpoint",
	opDeleteEndpoint:                 "DeleteEndpoint",
	opListEndpointIpaddresses:        "ListEndpointIpaddresses",
	opAssociateEndpointIpaddress:     "AssociateEndpointIpaddress",
	opDisassociateEndpointIpaddress:  "DisassociateEndpointIpaddress",
	opListEndpointVpcs:               "ListEndpointVpcs",
	opCreateResolverRule:             "CreateResolverRule",
	opListResolverRules:              "ListResolverRules",
	opShowResolverRule:               "ShowResolverRule",
	opUpdateResolverRule:             "UpdateResolverRule",
	opDeleteResolverRule:             "DeleteResolverRule",
	opAssociateResolverRuleRouter:    "AssociateResolverRuleRouter",
	opDisassociateResolverRuleRouter: "DisassociateResolverRuleRouter",
}

// name returns the operationId of op.
func (op operation) name() string { return operations[op] }

// fail returns an error of the generated client as the call's error. Errors
// of the HTTP layer (Do) already say everything; anything else comes from
// building the request or decoding the answer.
func (op operation) fail(err error) error {
	if _, ok := errors.AsType[*APIError](err); ok {
		return err
	}
	if _, ok := errors.AsType[*transportError](err); ok {
		return err
	}
	return fmt.Errorf("dnsep: %s: %w", op.name(), err)
}

// parsed returns the answer of a call, parsed by the generated parse
// function. It is not the generated XWithResponse method because that one
// loses the response when the body does not decode: here a body that cannot
// be read or decoded fails with the operation, status and request ID, like
// every other error.
func parsed[R any](op operation, resp *http.Response, err error, parse func(*http.Response) (R, error)) (R, error) {
	var zero R
	if err != nil {
		return zero, op.fail(err)
	}
	r, err := parse(resp)
	if err != nil {
		return zero, op.unreadable(resp, err)
	}
	return r, nil
}

// unreadable returns the error for a 2xx answer whose body could not be read
// or decoded. It wraps err, so that errors.Is and errors.As still find, for
// example, a *json.SyntaxError or ErrResponseTooLarge.
func (op operation) unreadable(resp *http.Response, err error) error {
	req := resp.Request
	msg := "dnsep: " + op.name() + " " + req.Method + " " + req.URL.EscapedPath() + ": " + strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode) + ": reading the answer"
	if id := resp.Header.Get("X-Request-Id"); id != "" {
		msg += " (request ID " + clean(redact(req, id), 128) + ")"
	}
	return &answerError{msg: msg + ": " + clean(redact(req, err.Error()), 512), err: err}
}

// answerError is the error for a success answer that could not be used.
type answerError struct {
	msg string
	err error
}

func (e *answerError) Error() string { return e.msg }
func (e *answerError) Unwrap() error { return e.err }

// payload returns the decoded success body v, or, when the generated client
// decoded none (a 2xx status the document does not declare for the
// operation, or a body that is not JSON), an *APIError that says so.
func payload[T any](op operation, v *T, resp *http.Response, body []byte) (*T, error) {
	if v != nil {
		return v, nil
	}
	e := newAPIError(op.name(), resp.Request, resp, body, 0)
	e.Message = clean(redact(resp.Request, fmt.Sprintf("unexpected answer: status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))), 512)
	return nil, e
}

// missing returns the *APIError for a success answer that decoded but holds
// none of what the operation returns, such as a body of null: treating it as
// an empty result would hide a broken server or proxy.
func missing(op operation, resp *http.Response, body []byte, what string) error {
	e := newAPIError(op.name(), resp.Request, resp, body, 0)
	e.Code = ""
	e.Message = clean(redact(resp.Request, "the answer holds no "+what+": "+summarize(body)), 512)
	return e
}

// endpointOf is payload for the operations that answer {"endpoint": ...}.
// Every endpoint has an ID: one without is no endpoint.
func endpointOf(op operation, env *gen.EndpointEnvelope, resp *http.Response, body []byte) (*Endpoint, error) {
	env, err := payload(op, env, resp, body)
	if err != nil {
		return nil, err
	}
	if env.Endpoint.ID == "" {
		return nil, missing(op, resp, body, "endpoint")
	}
	return &env.Endpoint, nil
}
