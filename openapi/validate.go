package openapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// ErrNoRoute is returned by ValidateRequest and ValidateResponse when no
// operation of the document matches the request's method and path.
var ErrNoRoute = errors.New("openapi: no operation matches the request")

// MaxRequestBody is the size, in bytes, of the largest request body that
// ValidateRequest reads. A bigger body is a violation.
const MaxRequestBody = 1 << 20

// The values of ContractError.Side.
const (
	SideRequest  = "request"
	SideResponse = "response"
)

// The error codes and messages of violations that the document does not
// name a code for, and of responses that break the contract.
const (
	CodeInvalidRequest    = "DNS.0002"
	MessageInvalidRequest = "Invalid request."
	CodeInternalError     = "DNS.0001"
	MessageInternalError  = "Internal error."
)

// extDNSError is the extension that names the service's own error code for
// a constraint of a schema or parameter.
const extDNSError = "x-dns-error"

// headerRequestID is the header that every response carries, valid or not.
const headerRequestID = "X-Request-Id"

// Validator checks HTTP requests and responses against the OpenAPI document.
// A Validator is safe for concurrent use by multiple goroutines.
type Validator struct {
	router  routers.Router
	options *openapi3filter.Options
}

// NewValidator loads the embedded document with Load and prepares a
// Validator for it. Requests match the document's paths whatever their
// scheme and host.
func NewValidator(ctx context.Context) (*Validator, error) {
	doc, err := Load(ctx)
	if err != nil {
		return nil, err
	}
	return NewValidatorFor(doc)
}

// NewValidatorFor prepares a Validator for doc, which must be loaded and
// validated (see LoadData), and must not be modified afterwards.
//
// The Validator routes on a shallow copy of doc whose top-level Servers are
// cleared, so that requests match whatever their scheme and host; doc itself
// is left as it is. Servers declared on a path item still restrict the hosts
// of that path.
//
// Schemas are checked with doc's own format validators
// (doc.GetSchemaValidationOptions), so "ipv4" and "local-date-time" are
// enforced on both sides.
func NewValidatorFor(doc *openapi3.T) (*Validator, error) {
	if doc == nil {
		return nil, errors.New("openapi: NewValidatorFor: nil document")
	}
	routed := *doc
	routed.Servers = nil
	router, err := gorillamux.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("openapi: router: %w", err)
	}
	schemaOpts := doc.GetSchemaValidationOptions()
	if !doc.IsOpenAPI31OrLater() {
		// Keep the offending values out of the errors' messages: they may
		// be secrets. (The option is refused for OpenAPI 3.1 documents.)
		schemaOpts = append(schemaOpts, openapi3.DisableSchemaErrorDetails())
	}
	return &Validator{
		router: router,
		options: &openapi3filter.Options{
			// Authentication is checked before validation (by the fake server,
			// or by the real service): accept every credential here.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			// Validation must not change the request the handler sees: leave
			// out defaults that the client did not send.
			SkipSettingDefaults:     true,
			IncludeResponseStatus:   true,
			SchemaValidationOptions: schemaOpts,
		},
	}, nil
}

// ContractError describes one violation of the API contract.
type ContractError struct {
	// Operation is the operationId of the operation the request matched,
	// or "" if it matched none.
	Operation string
	// Side is SideRequest or SideResponse.
	Side string
	// Code is the service's error code for the violation. For a request,
	// it is the code that the failing schema or parameter names in its
	// x-dns-error extension, or CodeInvalidRequest if none applies. For a
	// response it is CodeInternalError.
	Code string
	// Message is the message that goes with Code: the x-dns-error message,
	// MessageInvalidRequest or MessageInternalError.
	Message string
	// Detail says what exactly is wrong: which parameter, body field,
	// status or header, and why. It does not hold the offending values of
	// the request, and never the value of a header.
	Detail string
	// Err is the underlying kin-openapi error. Unlike Detail, its message
	// may quote the offending value of a parameter.
	Err error
}

// Error returns a one-line description of the violation.
func (e *ContractError) Error() string {
	var b strings.Builder
	b.WriteString("openapi: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteByte(' ')
	}
	b.WriteString(e.Side)
	b.WriteString(" breaks the contract: ")
	b.WriteString(e.Detail)
	if e.Side == SideRequest {
		b.WriteString(" (")
		b.WriteString(e.Code)
		b.WriteByte(' ')
		b.WriteString(e.Message)
		b.WriteByte(')')
	}
	return b.String()
}

// Unwrap returns e.Err.
func (e *ContractError) Unwrap() error { return e.Err }

// ValidateRequest validates req against the operation it matches: its path,
// query and header parameters, and its body. If the operation takes a body,
// ValidateRequest reads it (at most MaxRequestBody bytes) and replaces
// req.Body with a fresh reader of the same bytes, so that it can be read
// again; it sets req.GetBody if it was nil.
//
// ValidateRequest returns the operationId of the operation and a nil error
// when req is valid; ErrNoRoute when no operation matches its method and
// path; and otherwise the operationId and a *ContractError.
//
// A request that readers could read differently is a violation too (see
// MiddlewareOptions.Strict): a query that does not parse, data after the
// JSON body, or a body key that is repeated or differs only in case from a
// property of the document.
//
// Credentials are not checked: that is the job of whoever authenticates.
// The document's defaults are not applied: the request keeps the query it
// was sent with.
func (v *Validator) ValidateRequest(req *http.Request) (operation string, err error) {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return "", ErrNoRoute
	}
	operation = route.Operation.OperationID
	body, data, readErr := v.readBody(req, route)
	if body != nil {
		req.Body = body
		if req.GetBody == nil && readErr == nil {
			req.GetBody = bodyGetter(data)
		}
	}
	if ce := v.checkRequest(req, route, params, data, readErr); ce != nil {
		return operation, ce
	}
	return operation, nil
}

// ValidateResponse validates a response to req: status must be declared
// for the operation req matches, and header and body must match what the
// document declares for that status and content type. body is the
// complete body as sent. ValidateResponse does not read req.Body.
//
// It returns nil when the response is valid, ErrNoRoute when no operation
// matches req, and otherwise a *ContractError.
func (v *Validator) ValidateResponse(req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return ErrNoRoute
	}
	if ce := v.checkResponse(req, route, params, status, header, body); ce != nil {
		return ce
	}
	return nil
}

// errBodyTooLarge reports a request body of more than MaxRequestBody bytes.
var errBodyTooLarge = fmt.Errorf("request body is larger than %d bytes", MaxRequestBody)

// readBody reads the body of req if the operation of route takes one. It
// returns the body to put back in its place (nil if it did not read it), and
// the bytes read. After an error (a read error or errBodyTooLarge) the
// returned body yields the bytes read followed by the rest of the original.
func (v *Validator) readBody(req *http.Request, route *routers.Route) (io.ReadCloser, []byte, error) {
	if !hasBody(req) {
		return nil, nil, nil
	}
	if rb := route.Operation.RequestBody; rb == nil || rb.Value == nil {
		return nil, nil, nil
	}
	orig := req.Body
	var buf bytes.Buffer
	if n := req.ContentLength; n > 0 && n <= MaxRequestBody {
		buf.Grow(int(n) + 1) // +1: the read that sees EOF needs room
	}
	_, err := buf.ReadFrom(io.LimitReader(orig, MaxRequestBody+1))
	data := buf.Bytes()
	if err == nil && len(data) > MaxRequestBody {
		err = errBodyTooLarge
	}
	if err != nil {
		return readCloser{io.MultiReader(bytes.NewReader(data), orig), orig}, data, err
	}
	_ = orig.Close()
	return io.NopCloser(bytes.NewReader(data)), data, nil
}

func hasBody(req *http.Request) bool {
	return req.Body != nil && req.Body != http.NoBody
}

type readCloser struct {
	io.Reader
	io.Closer
}

func bodyGetter(data []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}
}

// checkRequest validates req, whose body (if the operation takes one) was
// read by readBody into data, with the error readErr.
func (v *Validator) checkRequest(req *http.Request, route *routers.Route, params map[string]string, data []byte, readErr error) *ContractError {
	if readErr != nil {
		detail := "request body cannot be read"
		if errors.Is(readErr, errBodyTooLarge) {
			detail = readErr.Error()
		}
		return &ContractError{
			Operation: route.Operation.OperationID,
			Side:      SideRequest,
			Code:      CodeInvalidRequest,
			Message:   MessageInvalidRequest,
			Detail:    detail,
			Err:       readErr,
		}
	}
	if ce := checkStrict(req, route, data); ce != nil {
		return ce
	}
	in := req
	if hasBody(req) {
		// kin-openapi consumes and replaces the body it validates: give it
		// a copy of the request with its own reader, so that req is not
		// touched. An operation that takes no body gets none.
		c := *req
		c.Body, c.GetBody = http.NoBody, nil
		if data != nil {
			c.Body, c.GetBody = io.NopCloser(bytes.NewReader(data)), bodyGetter(data)
		}
		in = &c
	}
	input := &openapi3filter.RequestValidationInput{
		Request:    in,
		PathParams: params,
		Route:      route,
		Options:    v.options,
	}
	if err := openapi3filter.ValidateRequest(req.Context(), input); err != nil {
		return requestError(route, in, err)
	}
	return nil
}

// checkResponse validates a response to req, which matched route.
func (v *Validator) checkResponse(req *http.Request, route *routers.Route, params map[string]string, status int, header http.Header, body []byte) *ContractError {
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    req,
			PathParams: params,
			Route:      route,
			Options:    v.options,
		},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: v.options,
	}
	if err := openapi3filter.ValidateResponse(req.Context(), input); err != nil {
		return responseError(route, status, header, err)
	}
	return nil
}

// requestError describes err, returned by openapi3filter.ValidateRequest
// for req, and maps it to the service's error code.
func requestError(route *routers.Route, req *http.Request, err error) *ContractError {
	ce := &ContractError{
		Operation: route.Operation.OperationID,
		Side:      SideRequest,
		Code:      CodeInvalidRequest,
		Message:   MessageInvalidRequest,
		Err:       err,
	}
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		ce.Detail = "request is invalid: " + oneLine(err.Error())
		return ce
	}
	var se *openapi3.SchemaError
	var pe *openapi3filter.ParseError
	switch {
	case re.Parameter != nil:
		p := re.Parameter
		where := fmt.Sprintf("%s parameter %q", p.In, p.Name)
		// The codes that apply to a bad value: the parameter's own, then
		// its schema's.
		valueCodes := append([]map[string]any{p.Extensions}, refExtensions(p.Schema)...)
		switch {
		case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
			// A missing parameter breaks the parameter's "required", not
			// a constraint of its schema: only the parameter's own code
			// applies (none for direction, so DNS.0002).
			ce.Detail = where + " is required"
			ce.setCode(p.Extensions)
		case errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue):
			ce.Detail = where + " must not be empty"
			ce.setCode(valueCodes...)
		case errors.As(re.Err, &se):
			ce.Detail = where + ": " + schemaReason(se)
			ce.setCode(append(valueCodes, se.Schema.Extensions)...)
		case errors.As(re.Err, &pe):
			ce.Detail = where + " cannot be parsed: " + parseReason(pe)
			ce.setCode(valueCodes...)
		default:
			ce.Detail = where + " is invalid"
			if re.Reason != "" {
				ce.Detail += ": " + oneLine(re.Reason)
			}
			ce.setCode(valueCodes...)
		}
	case re.RequestBody != nil:
		rb := re.RequestBody
		switch {
		case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
			ce.Detail = "request body is required"
		case errors.As(re.Err, &se):
			ptr := se.JSONPointer()
			if se.SchemaField == "required" && len(ptr) > 0 {
				// The pointer names the missing property; "required"
				// is a constraint of the object that holds it.
				ptr = ptr[:len(ptr)-1]
			}
			ce.Detail = "request body" + at(ptr) + ": " + schemaReason(se)
			// The failing schema's code, else that of the field at the
			// pointer (its schema, or the reference to it).
			exts := []map[string]any{se.Schema.Extensions}
			if mt := rb.Content.Get(req.Header.Get("Content-Type")); mt != nil {
				exts = append(exts, refExtensions(schemaAt(mt.Schema, ptr))...)
			}
			ce.setCode(exts...)
		case re.Err == nil && rb.Content.Get(req.Header.Get("Content-Type")) == nil:
			ce.Detail = "request body: Content-Type must be " + mediaTypes(rb.Content)
		case re.Err != nil && re.Reason == "failed to decode request body":
			ce.Detail = "request body cannot be decoded: " + decodeReason(re.Err)
		default:
			ce.Detail = "request body is invalid"
			if re.Reason != "" {
				ce.Detail += ": " + oneLine(re.Reason)
			}
		}
	default:
		ce.Detail = "request is invalid: " + oneLine(re.Error())
	}
	return ce
}

// responseError describes err, returned by openapi3filter.ValidateResponse.
func responseError(route *routers.Route, status int, header http.Header, err error) *ContractError {
	op := route.Operation.OperationID
	ce := &ContractError{
		Operation: op,
		Side:      SideResponse,
		Code:      CodeInternalError,
		Message:   MessageInternalError,
		Err:       err,
	}
	where := "status " + strconv.Itoa(status)
	resp := route.Operation.Responses.Status(status)
	if resp == nil {
		resp = route.Operation.Responses.Default()
	}
	if resp == nil || resp.Value == nil {
		ce.Detail = fmt.Sprintf("%s is not declared for %s", where, op)
		return ce
	}
	var re *openapi3filter.ResponseError
	if !errors.As(err, &re) {
		ce.Detail = where + ": " + oneLine(err.Error())
		return ce
	}
	var se *openapi3.SchemaError
	switch {
	case errors.As(re.Err, &se) && strings.HasPrefix(re.Reason, "response header "):
		// The reason names the header, not its value.
		ce.Detail = where + ": " + oneLine(re.Reason) + ": " + schemaReason(se)
	case se != nil:
		ptr := se.JSONPointer()
		if se.SchemaField == "required" && len(ptr) > 0 {
			ptr = ptr[:len(ptr)-1]
		}
		ce.Detail = where + ": response body" + at(ptr) + ": " + schemaReason(se)
	case re.Err == nil && len(resp.Value.Content) > 0 && resp.Value.Content.Get(header.Get("Content-Type")) == nil:
		ce.Detail = where + ": Content-Type must be " + mediaTypes(resp.Value.Content)
	case re.Err != nil && re.Reason == "failed to decode response body":
		ce.Detail = where + ": response body cannot be decoded: " + decodeReason(re.Err)
	default:
		ce.Detail = where + ": " + oneLine(re.Error())
	}
	return ce
}

// setCode sets e's code and message from the first x-dns-error extension
// found in candidates; it leaves them as they are if there is none.
func (e *ContractError) setCode(candidates ...map[string]any) {
	for _, exts := range candidates {
		if code, msg, ok := dnsError(exts); ok {
			e.Code, e.Message = code, msg
			return
		}
	}
}

// dnsError returns the code and message of the x-dns-error extension in exts.
func dnsError(exts map[string]any) (code, message string, ok bool) {
	raw, found := exts[extDNSError]
	if !found {
		return "", "", false
	}
	var ext struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if m, isMap := raw.(map[string]any); isMap {
		ext.Code, _ = m["code"].(string)
		ext.Message, _ = m["message"].(string)
	} else if b, err := json.Marshal(raw); err != nil || json.Unmarshal(b, &ext) != nil {
		return "", "", false
	}
	if ext.Code == "" || ext.Message == "" {
		return "", "", false
	}
	return ext.Code, ext.Message, true
}

// refExtensions returns the extensions written beside a reference, then
// those of the schema itself.
func refExtensions(ref *openapi3.SchemaRef) []map[string]any {
	if ref == nil {
		return nil
	}
	exts := []map[string]any{ref.Extensions}
	if ref.Value != nil {
		exts = append(exts, ref.Value.Extensions)
	}
	return exts
}

// schemaAt returns the schema of the value at ptr in a value of schema root,
// or nil.
func schemaAt(root *openapi3.SchemaRef, ptr []string) *openapi3.SchemaRef {
	cur := root
	for _, key := range ptr {
		if cur == nil || cur.Value == nil {
			return nil
		}
		s := cur.Value
		if p, ok := s.Properties[key]; ok {
			cur = p
			continue
		}
		if s.Items != nil {
			if _, err := strconv.Atoi(key); err == nil {
				cur = s.Items
				continue
			}
		}
		if s.AdditionalProperties.Schema != nil {
			cur = s.AdditionalProperties.Schema
			continue
		}
		return nil
	}
	return cur
}

// at renders ptr as " at /a/b", escaped as a JSON pointer; "" for the root.
func at(ptr []string) string {
	if len(ptr) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(" at ")
	for _, key := range ptr {
		b.WriteByte('/')
		key = strings.ReplaceAll(key, "~", "~0")
		b.WriteString(strings.ReplaceAll(key, "/", "~1"))
	}
	return b.String()
}

// schemaReason is why value failed schema; kin-openapi keeps values out of it.
func schemaReason(se *openapi3.SchemaError) string {
	if se.Reason != "" {
		return oneLine(se.Reason)
	}
	return fmt.Sprintf("does not match the schema's %q", se.SchemaField)
}

// parseReason is why a parameter could not be parsed, without its value.
func parseReason(pe *openapi3filter.ParseError) string {
	for pe.Reason == "" {
		inner, ok := pe.Cause.(*openapi3filter.ParseError)
		if !ok {
			break
		}
		pe = inner
	}
	if pe.Reason != "" {
		return oneLine(pe.Reason)
	}
	return "malformed value"
}

// decodeReason is why a body could not be decoded, without its content.
func decodeReason(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("malformed JSON at byte %d", syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return "JSON value of type " + typ.Value + " where another type was expected"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "malformed JSON: unexpected end of input"
	}
	var pe *openapi3filter.ParseError
	if errors.As(err, &pe) && pe.Kind != openapi3filter.KindUnsupportedFormat {
		// (The reason of an unsupported format names the Content-Type.)
		return parseReason(pe)
	}
	return "malformed content"
}

// mediaTypes lists the media types of content, for a message.
func mediaTypes(content openapi3.Content) string {
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, " or ")
}

// oneLine folds s onto one line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// MiddlewareOptions configures Validator.Middleware.
type MiddlewareOptions struct {
	// Requests enables the validation of requests.
	Requests bool
	// Responses enables the validation of responses.
	Responses bool
	// SkipResponse, if not nil, is called when the handler first writes
	// (a status, body bytes or a flush). When it reports true, the response
	// goes straight through to the client, neither buffered nor validated:
	// for deliberately injected faults such as truncated bodies or dropped
	// connections.
	SkipResponse func(r *http.Request) bool
	// OnViolation, if not nil, is called with every violation found, on
	// either side, before the replacement response is written.
	OnViolation func(r *http.Request, err *ContractError)
	// Strict rejects, even when Requests is false, the requests that two
	// readers could read differently: a query that does not parse, data
	// after the JSON body, a repeated key, or a key that differs only in
	// case from a property of the document (encoding/json matches keys
	// case-insensitively). Validating requests implies it, so that a
	// handler reads exactly what was validated; Strict alone keeps that
	// promise for a server that does not validate.
	Strict bool
}

// Middleware returns a handler that validates requests to next and its
// responses, as opts enables.
//
// A request that matches no operation goes to next untouched and its
// response is not validated.
//
// A request that breaks the contract (or, with Strict, one that readers
// could read differently) never reaches next: it is answered
// 400 with Content-Type application/json and the body
// {"code": e.Code, "message": e.Message + " " + e.Detail}.
//
// To validate a response, Middleware buffers the status and body next
// writes (the header map is the ResponseWriter's own). A valid response is
// then written unchanged. A response that breaks the contract is replaced
// by 500 {"code": "DNS.0001", "message": "Internal error. The response broke
// the API contract: ..."}; of the headers next set, only X-Request-Id is
// kept. Headers set before Middleware runs (such as an X-Request-Id set by
// an outer middleware) survive on every path.
//
// Middleware does not recover panics: a panic in next, such as
// http.ErrAbortHandler, propagates unchanged and nothing buffered is written.
func (v *Validator) Middleware(next http.Handler, opts MiddlewareOptions) http.Handler {
	if !opts.Requests && !opts.Responses && !opts.Strict {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, err := v.router.FindRoute(r)
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		if opts.Requests || opts.Strict {
			body, data, readErr := v.readBody(r, route)
			if body != nil {
				r.Body = body
			}
			var ce *ContractError
			switch {
			case opts.Requests:
				ce = v.checkRequest(r, route, params, data, readErr)
			case readErr == nil:
				ce = checkStrict(r, route, data)
			}
			if ce != nil {
				if opts.OnViolation != nil {
					opts.OnViolation(r, ce)
				}
				writeError(w, http.StatusBadRequest, ce.Code, ce.Message+" "+ce.Detail)
				return
			}
		}
		if !opts.Responses {
			next.ServeHTTP(w, r)
			return
		}
		bw := &bufferedWriter{w: w, r: r, skip: opts.SkipResponse}
		next.ServeHTTP(bw, r)
		if bw.through {
			return
		}
		status := bw.status
		if status == 0 {
			status = http.StatusOK // as net/http does for a handler that writes nothing
		}
		body := bw.body.Bytes()
		ce := v.checkResponse(r, route, params, status, w.Header(), body)
		if ce == nil {
			w.WriteHeader(status)
			_, _ = w.Write(body)
			return
		}
		if opts.OnViolation != nil {
			opts.OnViolation(r, ce)
		}
		h := w.Header()
		for k := range h {
			if k != headerRequestID {
				delete(h, k)
			}
		}
		writeError(w, http.StatusInternalServerError, CodeInternalError,
			MessageInternalError+" The response broke the API contract: "+ce.Detail)
	})
}

// writeError writes the DNS service's JSON error body. It keeps the headers
// already set, but Content-Length.
func writeError(w http.ResponseWriter, status int, code, message string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{code, message})
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// bufferedWriter holds the status and body a handler writes until the
// handler returns, unless SkipResponse lets them straight through.
type bufferedWriter struct {
	w       http.ResponseWriter
	r       *http.Request
	skip    func(*http.Request) bool
	status  int  // 0 until the handler writes
	through bool // write straight to w
	body    bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.w.Header() }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.through {
		b.w.WriteHeader(code)
		return
	}
	if b.status != 0 {
		return // superfluous, as with net/http
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code)) // as net/http does
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		// Informational responses go out at once and are not validated.
		b.w.WriteHeader(code)
		return
	}
	if b.skip != nil && b.skip(b.r) {
		b.through = true
		b.w.WriteHeader(code)
		return
	}
	b.status = code
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 && !b.through {
		b.WriteHeader(http.StatusOK)
	}
	if b.through {
		return b.w.Write(p)
	}
	return b.body.Write(p)
}

// Flush flushes a response that goes straight through; a buffered response
// is written when the handler returns.
func (b *bufferedWriter) Flush() { _ = b.FlushError() }

// FlushError is Flush for http.ResponseController.
func (b *bufferedWriter) FlushError() error {
	if b.status == 0 && !b.through {
		b.WriteHeader(http.StatusOK)
	}
	if b.through {
		return http.NewResponseController(b.w).Flush()
	}
	return nil
}

// Hijack lets the handler take over the connection; nothing buffered is
// written afterwards.
func (b *bufferedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(b.w).Hijack()
	if err == nil {
		b.through = true
	}
	return conn, rw, err
}

// Unwrap returns the ResponseWriter it buffers for, for
// http.ResponseController.
func (b *bufferedWriter) Unwrap() http.ResponseWriter { return b.w }

// Reporter receives the violations that RoundTripper finds. *testing.T and
// testing.TB satisfy it.
type Reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// RoundTripper returns a client-side http.RoundTripper that sends each
// request through base (http.DefaultTransport if nil) and validates the
// request before and the response after. It reports each violation with
// r.Errorf, naming the side, operation, status and detail, and still
// returns the response, its body readable in full, so that the test goes
// on. Requests that match no operation are sent unvalidated.
//
// It does not modify the caller's request: a request body is read and sent
// from memory.
func (v *Validator) RoundTripper(base http.RoundTripper, r Reporter) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &validatingTransport{v: v, base: base, r: r}
}

type validatingTransport struct {
	v    *Validator
	base http.RoundTripper
	r    Reporter
}

func (t *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	route, params, err := t.v.router.FindRoute(req)
	if err != nil {
		return t.base.RoundTrip(req)
	}
	out := req
	body, data, readErr := t.v.readBody(req, route)
	if body != nil {
		c := *req
		c.Body = body
		if readErr == nil {
			c.GetBody = bodyGetter(data)
		}
		out = &c
	}
	reqErr := t.v.checkRequest(out, route, params, data, readErr)

	resp, err := t.base.RoundTrip(out)
	if reqErr != nil {
		t.r.Helper()
		if err != nil {
			t.r.Errorf("%v [%s %s, no response: %v]", reqErr, req.Method, req.URL.Path, err)
		} else {
			t.r.Errorf("%v [%s %s, status %d]", reqErr, req.Method, req.URL.Path, resp.StatusCode)
		}
	}
	if err != nil {
		return resp, err
	}
	respBody, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if readErr != nil {
		// A broken body (an injected fault, say) is the caller's to see;
		// an incomplete body cannot be validated.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(respBody), errReader{readErr}))
		return resp, nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if ce := t.v.checkResponse(req, route, params, resp.StatusCode, resp.Header, respBody); ce != nil {
		t.r.Helper()
		t.r.Errorf("%v [%s %s, status %d]", ce, req.Method, req.URL.Path, resp.StatusCode)
	}
	return resp, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
