package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// MaxRequestBody is the size, in bytes, of the largest request body that a
// Validator reads. A bigger body is a violation.
const MaxRequestBody = 1 << 20

// Validator checks HTTP requests and responses against the embedded
// OpenAPI document. A Validator is safe for concurrent use by multiple
// goroutines.
type Validator struct {
	c       *contract
	options openapi3filter.Options
}

// NewValidator returns a Validator for the embedded document. Requests
// match the document's paths whatever their scheme and host.
//
// The document is parsed, resolved and validated once per process, by the
// first call that succeeds (with its ctx); every Validator shares it and
// its router, which are never modified afterwards. Later calls cost a few
// allocations.
func NewValidator(ctx context.Context) (*Validator, error) {
	c, err := loadShared(ctx)
	if err != nil {
		return nil, err
	}
	schemaOpts := c.doc.GetSchemaValidationOptions()
	if !c.doc.IsOpenAPI31OrLater() {
		// Keep the offending values out of the errors' messages: they may
		// be secrets. (The option is refused for OpenAPI 3.1 documents.)
		schemaOpts = append(schemaOpts, openapi3.DisableSchemaErrorDetails())
	}
	return &Validator{c: c, options: openapi3filter.Options{
		// Authentication is checked before validation (by the fake server,
		// or by the real service): accept every credential here.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		// Validation must not change the request the handler sees: leave
		// out defaults that the client did not send.
		SkipSettingDefaults:     true,
		IncludeResponseStatus:   true,
		SchemaValidationOptions: schemaOpts,
	}}, nil
}

// Document returns the document v checks against. It is shared by every
// Validator of the process and must not be modified; use Load for a copy
// of one's own.
func (v *Validator) Document() *openapi3.T { return v.c.doc }

// routed is what Middleware found out about a request before kin-openapi's
// middleware sees it, kept in the request's context.
type routed struct {
	route  *routers.Route
	params map[string]string
	req    *http.Request
}

type routedKey struct{}

// routeCache is the router that kin-openapi's middleware asks: it returns
// the route Middleware already found, so that a request is routed once.
type routeCache struct{ routers.Router }

var _ routers.Router = routeCache{}

func (rc routeCache) FindRoute(r *http.Request) (*routers.Route, map[string]string, error) {
	if m, ok := r.Context().Value(routedKey{}).(*routed); ok {
		return m.route, m.params, nil
	}
	return rc.Router.FindRoute(r)
}

// Middleware returns a handler that validates requests to next, and its
// responses, with openapi3filter's Validator. onViolation, if not nil, is
// called with every violation found, on either side, before the
// replacement response is written.
//
// A request that matches no operation goes to next untouched and its
// response is not validated.
//
// A request that breaks the contract, or that readers could read
// differently (see Strict), never reaches next: it is answered 400 with
// Content-Type application/json and the body
// {"code": e.Code, "message": e.Message + " " + e.Detail}.
//
// Responses are buffered until next returns. A valid response is then
// written unchanged. A response that breaks the contract is replaced by
// 500 {"code": "DNS.0001", "message": "Internal error. The response broke
// the API contract: ..."}; of the headers set by then, only X-Request-Id is
// kept, so one set by an outer middleware survives on every path.
//
// Middleware does not recover panics: a panic in next, such as
// http.ErrAbortHandler, propagates unchanged and nothing buffered is
// written.
func (v *Validator) Middleware(next http.Handler, onViolation func(*http.Request, *ContractError)) http.Handler {
	report := reporter(onViolation)
	kin := openapi3filter.NewValidator(routeCache{v.c.router},
		openapi3filter.Strict(true),
		openapi3filter.ValidationOptions(v.options),
		openapi3filter.OnLog(func(context.Context, string, error) {}), // OnErr reports
		openapi3filter.OnErr(func(ctx context.Context, w http.ResponseWriter, _ int, code openapi3filter.ErrCode, err error) {
			m := ctx.Value(routedKey{}).(*routed) // set by refuse before kin runs
			var ce *ContractError
			if code == openapi3filter.ErrCodeResponseInvalid {
				ce = responseError(m.route, err)
			} else {
				ce = requestError(m.route, m.req, err)
			}
			report(m.req, ce)
			writeViolation(w, ce)
		}))
	return v.refuse(next, kin.Middleware(next), report)
}

// Requests returns a handler that validates requests to next as Middleware
// does, and leaves its responses alone: for a server that checks requests
// always and its own responses only when asked to.
func (v *Validator) Requests(next http.Handler, onViolation func(*http.Request, *ContractError)) http.Handler {
	report := reporter(onViolation)
	validated := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := r.Context().Value(routedKey{}).(*routed) // set by refuse
		in := &openapi3filter.RequestValidationInput{Request: r, PathParams: m.params, Route: m.route, Options: &v.options}
		if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
			ce := requestError(m.route, r, err)
			report(r, ce)
			writeViolation(w, ce)
			return
		}
		next.ServeHTTP(w, r)
	})
	return v.refuse(next, validated, report)
}

// Strict returns a handler that refuses, as Middleware does, the requests
// to next that two readers could read differently, and validates nothing
// else: a query that does not parse, data after the JSON body, a repeated
// key, or a key that differs only in case from a property of the document
// (encoding/json matches keys case-insensitively), and bodies over
// MaxRequestBody. It keeps for a server that does not validate the promise
// that its handlers read what a validator would have read.
func (v *Validator) Strict(next http.Handler, onViolation func(*http.Request, *ContractError)) http.Handler {
	return v.refuse(next, nil, reporter(onViolation))
}

func reporter(onViolation func(*http.Request, *ContractError)) func(*http.Request, *ContractError) {
	if onViolation == nil {
		return func(*http.Request, *ContractError) {}
	}
	return onViolation
}

// refuse routes r, reads its body and refuses it if readers could read it
// differently; otherwise it hands it to validated (with the route in its
// context) or, if validated is nil, to next. Requests that match no
// operation go to next.
func (v *Validator) refuse(next, validated http.Handler, report func(*http.Request, *ContractError)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, err := v.c.router.FindRoute(r)
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		data, err := readBody(r, route)
		ce := bodyError(route, err)
		if ce == nil {
			ce = checkStrict(r, route, data)
		}
		if ce != nil {
			report(r, ce)
			writeViolation(w, ce)
			return
		}
		if data != nil {
			r.Body, r.GetBody = bodyReader(data), bodyGetter(data)
		}
		if validated == nil {
			next.ServeHTTP(w, r)
			return
		}
		m := &routed{route: route, params: params}
		m.req = r.WithContext(context.WithValue(r.Context(), routedKey{}, m))
		validated.ServeHTTP(w, m.req)
	})
}

// writeViolation answers with the service's JSON error body for ce. For a
// response, it first drops every header but X-Request-Id.
func writeViolation(w http.ResponseWriter, ce *ContractError) {
	h := w.Header()
	status, msg := http.StatusBadRequest, ce.Message+" "+ce.Detail
	if ce.Side == SideResponse {
		status, msg = http.StatusInternalServerError, ce.Message+" The response broke the API contract: "+ce.Detail
		for k := range h {
			if k != "X-Request-Id" {
				delete(h, k)
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{ce.Code, msg})
	h.Del("Content-Length")
	h.Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
