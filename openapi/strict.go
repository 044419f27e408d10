package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// errBodyTooLarge reports a request body of more than MaxRequestBody bytes.
var errBodyTooLarge = fmt.Errorf("request body is larger than %d bytes", MaxRequestBody)

// readBody reads the body of r, at most MaxRequestBody bytes and one more,
// if the operation of route takes one; it returns nil if it read nothing.
// It leaves r.Body in place: after an error, the rest is still there.
func readBody(r *http.Request, route *routers.Route) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if rb := route.Operation.RequestBody; rb == nil || rb.Value == nil {
		return nil, nil
	}
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= MaxRequestBody {
		buf.Grow(int(n) + 1) // +1: the read that sees EOF needs room
	}
	_, err := buf.ReadFrom(io.LimitReader(r.Body, MaxRequestBody+1))
	if err == nil && buf.Len() > MaxRequestBody {
		err = errBodyTooLarge
	}
	return buf.Bytes(), err
}

// bodyError describes err, returned by readBody, or returns nil.
func bodyError(route *routers.Route, err error) *ContractError {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errBodyTooLarge):
		return newRequestError(route, err.Error(), err)
	}
	return newRequestError(route, "request body cannot be read", err)
}

func bodyReader(data []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(data)) }

func bodyGetter(data []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return bodyReader(data), nil }
}

// checkStrict rejects a request that two readers could read differently,
// so that a handler reads exactly what a validator checked:
//
//   - a query that url.ParseQuery cannot parse: URL.Query drops the pairs
//     it cannot decode (a bad escape, a semicolon), and a filter would
//     silently vanish;
//   - a JSON body with data after its value: json.Decoder stops after the
//     first value;
//   - a JSON object that repeats a key, or has a key that matches a
//     property of the document only when case is ignored: encoding/json
//     fills the property from it, a validator does not.
//
// data is the body as read by readBody. A body that is not well-formed JSON
// is left to the validator or the handler, which reject it anyway. The
// document's bodies are plain objects (no allOf, oneOf or anyOf), so the
// properties of a schema are those it lists.
func checkStrict(req *http.Request, route *routers.Route, data []byte) *ContractError {
	if ce := strictQuery(req.URL.RawQuery, route); ce != nil {
		return ce
	}
	rb := route.Operation.RequestBody
	if len(data) == 0 || rb == nil || rb.Value == nil {
		return nil
	}
	var schema *openapi3.SchemaRef
	if mt := rb.Value.Content.Get("application/json"); mt != nil {
		schema = mt.Schema
	}
	if detail := strictJSON(data, schema); detail != "" {
		return newRequestError(route, "request body "+detail, errors.New("openapi: request body "+detail))
	}
	return nil
}

// strictQuery checks that every pair of the raw query decodes. A value that
// does not is a bad value of its parameter, with the parameter's code.
func strictQuery(raw string, route *routers.Route) *ContractError {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil || strings.Contains(k, ";") {
			const detail = "query parameter name cannot be decoded"
			return newRequestError(route, detail, errors.New("openapi: "+detail))
		}
		if _, err = url.QueryUnescape(v); err == nil && !strings.Contains(v, ";") {
			continue
		}
		detail := fmt.Sprintf("query parameter %q cannot be decoded", key)
		ce := newRequestError(route, detail, errors.New("openapi: "+detail))
		if p := queryParameter(route, key); p != nil {
			ce.setCode(append([]map[string]any{p.Extensions}, refExtensions(p.Schema)...)...)
		}
		return ce
	}
	return nil
}

// queryParameter returns the query parameter name of route's operation or
// path item, or nil.
func queryParameter(route *routers.Route, name string) *openapi3.Parameter {
	if p := route.Operation.Parameters.GetByInAndName(openapi3.ParameterInQuery, name); p != nil {
		return p
	}
	if route.PathItem != nil {
		return route.PathItem.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
	}
	return nil
}

// errMalformed stops strictJSON at JSON that is not well-formed.
var errMalformed = errors.New("malformed JSON")

// strictJSON returns why data breaks the rules of checkStrict, or "".
func strictJSON(data []byte, schema *openapi3.SchemaRef) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	detail, err := strictValue(dec, schema, nil)
	if err != nil || detail != "" {
		return detail
	}
	if _, err := dec.Token(); err != io.EOF {
		return "has data after its JSON value"
	}
	return ""
}

// strictValue reads one JSON value from dec, whose schema is schema (nil if
// the document does not say), and returns why it breaks the rules, or an
// error if it is not well-formed. ptr is where the value is.
func strictValue(dec *json.Decoder, schema *openapi3.SchemaRef, ptr []string) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", errMalformed
	}
	switch tok {
	case json.Delim('['):
		var items *openapi3.SchemaRef
		if s := value(schema); s != nil {
			items = s.Items
		}
		for i := 0; dec.More(); i++ {
			if detail, err := strictValue(dec, items, append(ptr, fmt.Sprint(i))); detail != "" || err != nil {
				return detail, err
			}
		}
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return "", errMalformed
			}
			key := tok.(string) // the decoder allows nothing else here
			if seen[key] {
				return "repeats a key" + at(ptr), nil
			}
			seen[key] = true
			if p := caseVariant(schema, key); p != "" {
				return fmt.Sprintf("has a key that differs only in case from %q%s", p, at(ptr)), nil
			}
			if detail, err := strictValue(dec, property(schema, key), append(ptr, key)); detail != "" || err != nil {
				return detail, err
			}
		}
	default:
		return "", nil
	}
	if _, err := dec.Token(); err != nil { // the closing delimiter
		return "", errMalformed
	}
	return "", nil
}

// value returns the schema ref points to, or nil.
func value(ref *openapi3.SchemaRef) *openapi3.Schema {
	if ref == nil {
		return nil
	}
	return ref.Value
}

// caseVariant returns the property of schema that key matches only when
// case is ignored, or "". strings.EqualFold folds at least as much as
// encoding/json does when it matches keys to fields.
func caseVariant(schema *openapi3.SchemaRef, key string) string {
	s := value(schema)
	if s == nil {
		return ""
	}
	if _, ok := s.Properties[key]; ok {
		return ""
	}
	for name := range s.Properties {
		if strings.EqualFold(name, key) {
			return name
		}
	}
	return ""
}

// property returns the schema of the property key of schema, or nil.
func property(schema *openapi3.SchemaRef, key string) *openapi3.SchemaRef {
	s := value(schema)
	if s == nil {
		return nil
	}
	if p, ok := s.Properties[key]; ok {
		return p
	}
	return s.AdditionalProperties.Schema
}
