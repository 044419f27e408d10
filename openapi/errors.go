package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// The values of ContractError.Side.
const (
	SideRequest  = "request"
	SideResponse = "response"
)

// The codes and messages of violations that the document names no code
// for, and of responses that break the contract.
const (
	codeInvalidRequest    = "DNS.0002"
	messageInvalidRequest = "Invalid request."
	codeInternalError     = "DNS.0001"
	messageInternalError  = "Internal error."
)

// ContractError describes one violation of the API contract.
type ContractError struct {
	// Operation is the operationId of the operation the request matched.
	Operation string
	// Side is SideRequest or SideResponse.
	Side string
	// Code is the service's error code for the violation. For a request,
	// it is the code that the failing schema or parameter names in its
	// x-dns-error extension, or DNS.0002 if none applies. For a response
	// it is DNS.0001.
	Code string
	// Message is the message that goes with Code: the x-dns-error
	// message, "Invalid request." or "Internal error.".
	Message string
	// Detail says what exactly is wrong: which parameter, body field,
	// status or header, and why. It does not hold the offending values of
	// the request, and never the value of a header.
	Detail string
	// Err is the underlying error, often kin-openapi's. Unlike Detail, its
	// message may quote the offending value of a parameter.
	Err error
}

// Error returns a one-line description of the violation.
func (e *ContractError) Error() string {
	s := "openapi: " + e.Operation + " " + e.Side + " breaks the contract: " + e.Detail
	if e.Side == SideRequest {
		s += " (" + e.Code + " " + e.Message + ")"
	}
	return s
}

// Unwrap returns e.Err.
func (e *ContractError) Unwrap() error { return e.Err }

func newRequestError(route *routers.Route, detail string, err error) *ContractError {
	return &ContractError{Operation: route.Operation.OperationID, Side: SideRequest,
		Code: codeInvalidRequest, Message: messageInvalidRequest, Detail: detail, Err: err}
}

// requestError describes err, returned by openapi3filter.ValidateRequest
// for req, and maps it to the service's error code.
func requestError(route *routers.Route, req *http.Request, err error) *ContractError {
	ce := newRequestError(route, "", err)
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		ce.Detail = "request is invalid: " + oneLine(err.Error())
		return ce
	}
	var se *openapi3.SchemaError
	var pe *openapi3filter.ParseError
	if p := re.Parameter; p != nil {
		where := fmt.Sprintf("%s parameter %q", p.In, p.Name)
		// The codes that apply to a bad value: the parameter's own, then
		// its schema's.
		valueCodes := append([]map[string]any{p.Extensions}, refExtensions(p.Schema)...)
		switch {
		case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
			// A missing parameter breaks the parameter's "required", not a
			// constraint of its schema: only the parameter's own code
			// applies (none for direction, so DNS.0002).
			ce.Detail = where + " is required"
			ce.setCode(p.Extensions)
			return ce
		case errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue):
			ce.Detail = where + " must not be empty"
		case errors.As(re.Err, &se):
			ce.Detail = where + ": " + schemaReason(se)
			valueCodes = append(valueCodes, se.Schema.Extensions)
		case errors.As(re.Err, &pe):
			ce.Detail = where + " cannot be parsed: " + parseReason(pe)
		default:
			ce.Detail = where + " is invalid" + reason(re.Reason)
		}
		ce.setCode(valueCodes...)
		return ce
	}
	rb := re.RequestBody
	if rb == nil {
		ce.Detail = "request is invalid: " + oneLine(re.Error())
		return ce
	}
	mt := rb.Content.Get(req.Header.Get("Content-Type"))
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		ce.Detail = "request body is required"
	case errors.As(re.Err, &se):
		ptr := schemaPointer(se)
		ce.Detail = "request body" + at(ptr) + ": " + schemaReason(se)
		// The failing schema's code, else that of the field at the
		// pointer (its schema, or the reference to it).
		exts := []map[string]any{se.Schema.Extensions}
		if mt != nil {
			exts = append(exts, refExtensions(schemaAt(mt.Schema, ptr))...)
		}
		ce.setCode(exts...)
	case re.Err == nil && mt == nil:
		ce.Detail = "request body: Content-Type must be " + mediaTypes(rb.Content)
	case re.Err != nil && re.Reason == "failed to decode request body":
		ce.Detail = "request body cannot be decoded: " + decodeReason(re.Err)
	default:
		ce.Detail = "request body is invalid" + reason(re.Reason)
	}
	return ce
}

// responseError describes err, returned by openapi3filter.ValidateResponse
// for a response to a request that matched route.
func responseError(route *routers.Route, err error) *ContractError {
	op := route.Operation.OperationID
	ce := &ContractError{Operation: op, Side: SideResponse, Code: codeInternalError, Message: messageInternalError, Err: err}
	var re *openapi3filter.ResponseError
	if !errors.As(err, &re) || re.Input == nil {
		ce.Detail = oneLine(err.Error())
		return ce
	}
	where := "status " + strconv.Itoa(re.Input.Status)
	resp := route.Operation.Responses.Status(re.Input.Status)
	if resp == nil {
		resp = route.Operation.Responses.Default()
	}
	if resp == nil || resp.Value == nil {
		ce.Detail = fmt.Sprintf("%s is not declared for %s", where, op)
		return ce
	}
	var se *openapi3.SchemaError
	content := resp.Value.Content
	switch {
	case errors.As(re.Err, &se) && strings.HasPrefix(re.Reason, "response header "):
		// The reason names the header, not its value.
		ce.Detail = where + ": " + oneLine(re.Reason) + ": " + schemaReason(se)
	case se != nil:
		ce.Detail = where + ": response body" + at(schemaPointer(se)) + ": " + schemaReason(se)
	case re.Err == nil && len(content) > 0 && content.Get(re.Input.Header.Get("Content-Type")) == nil:
		ce.Detail = where + ": Content-Type must be " + mediaTypes(content)
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
		ext, _ := exts["x-dns-error"].(map[string]any)
		code, _ := ext["code"].(string)
		msg, _ := ext["message"].(string)
		if code != "" && msg != "" {
			e.Code, e.Message = code, msg
			return
		}
	}
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

// schemaPointer is where the value that failed se is. For a missing
// property, that is the object that lacks it: "required" is the object's
// constraint.
func schemaPointer(se *openapi3.SchemaError) []string {
	ptr := se.JSONPointer()
	if se.SchemaField == "required" && len(ptr) > 0 {
		ptr = ptr[:len(ptr)-1]
	}
	return ptr
}

// schemaAt returns the schema of the value at ptr in a value of schema
// root, or nil.
func schemaAt(root *openapi3.SchemaRef, ptr []string) *openapi3.SchemaRef {
	cur := root
	for _, key := range ptr {
		s := value(cur)
		if s == nil {
			return nil
		}
		if _, err := strconv.Atoi(key); err == nil && s.Items != nil {
			cur = s.Items
		} else {
			cur = property(cur, key)
		}
	}
	return cur
}

// at renders ptr as " at /a/b", escaped as a JSON pointer; "" for the root.
func at(ptr []string) string {
	var b strings.Builder
	for i, key := range ptr {
		if i == 0 {
			b.WriteString(" at ")
		}
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(key))
	}
	return b.String()
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// reason is ": " and r on one line, or "" if r is empty.
func reason(r string) string {
	if r == "" {
		return ""
	}
	return ": " + oneLine(r)
}

// schemaReason is why a value failed; kin-openapi keeps values out of it.
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
			return "malformed value"
		}
		pe = inner
	}
	return oneLine(pe.Reason)
}

// decodeReason is why a body could not be decoded, without its content.
// kin-openapi decodes JSON into interfaces, so only syntax can be wrong.
func decodeReason(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("malformed JSON at byte %d", syn.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "malformed JSON: unexpected end of input"
	}
	return "malformed content"
}

// mediaTypes lists the media types of content, for a message.
func mediaTypes(content openapi3.Content) string {
	return strings.Join(slices.Sorted(maps.Keys(content)), " or ")
}

// oneLine folds s onto one line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
