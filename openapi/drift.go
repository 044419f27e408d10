package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// A DriftKind says how a response differs from the document.
type DriftKind string

// The kinds of drift. Every kind but DriftUndocumented breaks the
// document; an undocumented property is news rather than a failure.
const (
	DriftStatus       DriftKind = "undeclared-status" // a status the operation does not declare
	DriftContentType  DriftKind = "content-type"      // a media type the status does not declare
	DriftHeader       DriftKind = "header"            // a declared header missing or malformed
	DriftUnreadable   DriftKind = "unreadable"        // a body that is not JSON
	DriftMissing      DriftKind = "missing"           // a required property left out
	DriftEnum         DriftKind = "enum"              // a value outside the enum
	DriftType         DriftKind = "type"              // a value of another type, null included
	DriftFormat       DriftKind = "format"            // a string in another format, such as a timestamp
	DriftConstraint   DriftKind = "constraint"        // a value outside a minimum, maximum, length or pattern
	DriftUndocumented DriftKind = "undocumented"      // a property the schema does not declare
)

// Drift is one difference between a response and the document.
//
// A Drift never holds a value of the response: Got describes the value by
// its JSON type and length ("string of length 19"), because a value may be
// a secret. Statuses and media types are shown as they are.
type Drift struct {
	// Operation is the operationId of the request's operation.
	Operation string `json:"operation"`
	// Status is the response's status code.
	Status int `json:"status"`
	// Kind says what is wrong.
	Kind DriftKind `json:"kind"`
	// Path locates the drift: a JSON pointer into the body such as
	// /endpoints/0/status ("" is the body as a whole) or, for DriftHeader
	// and DriftContentType, the header's name. It is "" for DriftStatus.
	Path string `json:"path"`
	// Expected is what the document declares there.
	Expected string `json:"expected"`
	// Got describes what came, redacted to its type and length.
	Got string `json:"got"`
}

// Failure reports whether d breaks the document. A property the document
// does not declare (DriftUndocumented) does not.
func (d Drift) Failure() bool { return d.Kind != DriftUndocumented }

// Drifts compares a response to req with what the document declares for
// req's operation and returns every difference found, sorted by Path: an
// undeclared status, a media type or a declared header that does not match,
// and, in a JSON body, each violation of the schema with its JSON pointer
// (kin-openapi's schema validation, told to collect every error) followed
// by each property that the schema does not declare. operation is ""
// and drifts nil when req matches no operation.
//
// The properties of a schema that uses oneOf or anyOf are not looked for:
// which alternative declares them is not known.
func (v *Validator) Drifts(req *http.Request, status int, header http.Header, body []byte) (operation string, drifts []Drift) {
	route, _, err := v.c.router.FindRoute(req)
	if err != nil {
		return "", nil
	}
	return route.Operation.OperationID, v.drifts(route.Operation, status, header, body)
}

// drifts is Drifts for a response of op.
func (v *Validator) drifts(op *openapi3.Operation, status int, header http.Header, body []byte) []Drift {
	d := &drifter{op: op.OperationID, status: status}
	resp := op.Responses.Status(status)
	if resp == nil {
		resp = op.Responses.Default()
	}
	if resp == nil || resp.Value == nil {
		d.add(DriftStatus, "", "one of "+declaredStatuses(op), strconv.Itoa(status))
		return d.drifts
	}
	opts := append(slices.Clip(v.options.SchemaValidationOptions), openapi3.MultiErrors(), openapi3.VisitAsResponse())
	d.headers(resp.Value.Headers, header, opts)
	content := resp.Value.Content
	if len(content) == 0 {
		return d.sorted()
	}
	ct := header.Get("Content-Type")
	mt := content.Get(ct)
	if mt == nil {
		d.add(DriftContentType, "Content-Type", mediaTypes(content), mediaType(ct))
		return d.sorted()
	}
	if mt.Schema == nil {
		return d.sorted()
	}
	d.body(mt.Schema, body, opts)
	return d.sorted()
}

// drifter collects the drifts of one response.
type drifter struct {
	op     string
	status int
	drifts []Drift
}

func (d *drifter) add(kind DriftKind, path, expected, got string) {
	d.drifts = append(d.drifts, Drift{Operation: d.op, Status: d.status, Kind: kind, Path: path, Expected: expected, Got: got})
}

// sorted orders the drifts by Path, keeping the order of those at one path.
func (d *drifter) sorted() []Drift {
	slices.SortStableFunc(d.drifts, func(a, b Drift) int { return strings.Compare(a.Path, b.Path) })
	return d.drifts
}

// headers checks the declared headers, in the order of their names.
func (d *drifter) headers(declared openapi3.Headers, got http.Header, opts []openapi3.SchemaValidationOption) {
	names := make([]string, 0, len(declared))
	for name := range declared {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		h := declared[name].Value
		if h == nil {
			continue
		}
		values := got.Values(name)
		if len(values) == 0 {
			if h.Required {
				d.add(DriftHeader, name, "present (required)", "nothing")
			}
			continue
		}
		if h.Schema == nil || h.Schema.Value == nil {
			continue
		}
		// A header is a string on the wire; a header declared as a number
		// or a boolean is read as JSON first.
		var value any = values[0]
		if !h.Schema.Value.Type.Is(openapi3.TypeString) {
			if err := json.Unmarshal([]byte(values[0]), &value); err != nil {
				value = values[0]
			}
		}
		if err := h.Schema.Value.VisitJSON(value, opts...); err != nil {
			expected := describeSchema(h.Schema.Value)
			if se, ok := firstSchemaError(err); ok {
				expected = constraint(se.Schema, se.SchemaField)
			}
			d.add(DriftHeader, name, expected, describe(value))
		}
	}
}

// firstSchemaError returns the first schema error within err.
func firstSchemaError(err error) (*openapi3.SchemaError, bool) {
	var me openapi3.MultiError
	if errors.As(err, &me) && len(me) > 0 {
		return firstSchemaError(me[0])
	}
	var se *openapi3.SchemaError
	return se, errors.As(err, &se)
}

// body checks a JSON body against schema, then looks for undeclared
// properties.
func (d *drifter) body(schema *openapi3.SchemaRef, body []byte, opts []openapi3.SchemaValidationOption) {
	if len(bytes.TrimSpace(body)) == 0 {
		d.add(DriftUnreadable, "", "JSON: "+describeSchema(schema.Value), "an empty body")
		return
	}
	// Once as kin-openapi reads it, once with the numbers' text kept, so
	// that their length can be told.
	var value, exact any
	if err := json.Unmarshal(body, &value); err != nil {
		d.add(DriftUnreadable, "", "JSON: "+describeSchema(schema.Value), fmt.Sprintf("%d bytes that are not JSON", len(body)))
		return
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	_ = dec.Decode(&exact) // it decoded above
	if err := schema.Value.VisitJSON(value, opts...); err != nil {
		d.schemaErrors(err, exact)
	}
	d.undocumented(schema, exact, nil)
}

// schemaErrors adds a drift for each schema error within err; root is the
// body, to describe the values the errors point at.
func (d *drifter) schemaErrors(err error, root any) {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			d.schemaErrors(e, root)
		}
		return
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		d.add(DriftConstraint, "", "a body that matches the schema", "one that does not")
		return
	}
	ptr := se.JSONPointer()
	s := se.Schema
	got := describe(valueAt(root, ptr))
	switch se.SchemaField {
	case "required":
		expected := "a value"
		if len(ptr) > 0 {
			if p := s.Properties[ptr[len(ptr)-1]]; p != nil && p.Value != nil {
				expected = describeSchema(p.Value)
			}
		}
		d.add(DriftMissing, pointer(ptr), expected+" (required)", "nothing")
	case "enum":
		d.add(DriftEnum, pointer(ptr), "one of "+enumValues(s.Enum), got)
	case "type", "nullable":
		d.add(DriftType, pointer(ptr), describeSchema(s), got)
	case "format":
		d.add(DriftFormat, pointer(ptr), describeSchema(s), got)
	default:
		d.add(DriftConstraint, pointer(ptr), constraint(s, se.SchemaField), got)
	}
}

// undocumented adds a drift for each property of value, at ptr, that
// schema does not declare, and looks into those it does.
func (d *drifter) undocumented(schema *openapi3.SchemaRef, value any, ptr []string) {
	if schema == nil || schema.Value == nil {
		return
	}
	s := schema.Value
	if len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
		return
	}
	switch v := value.(type) {
	case []any:
		for i, item := range v {
			d.undocumented(s.Items, item, append(slices.Clip(ptr), strconv.Itoa(i)))
		}
	case map[string]any:
		props := declared(s)
		extra := s.AdditionalProperties
		for _, key := range sortedKeys(v) {
			at := append(slices.Clip(ptr), key)
			switch p, ok := props[key]; {
			case ok:
				d.undocumented(p, v[key], at)
			case extra.Schema != nil:
				d.undocumented(extra.Schema, v[key], at)
			case extra.Has != nil:
				// Declared free (true) or refused (false, which the
				// schema validation reports).
			default:
				d.add(DriftUndocumented, pointer(at), "no such property", describe(v[key]))
			}
		}
	}
}

// declared returns the properties of s and of the schemas of its allOf.
func declared(s *openapi3.Schema) openapi3.Schemas {
	if len(s.AllOf) == 0 {
		return s.Properties
	}
	all := openapi3.Schemas{}
	for _, sub := range s.AllOf {
		if sub.Value != nil {
			for k, p := range declared(sub.Value) {
				all[k] = p
			}
		}
	}
	for k, p := range s.Properties {
		all[k] = p
	}
	return all
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// missing stands for the value at a pointer that leads nowhere.
type missing struct{}

// valueAt returns the value at ptr in root, or missing{}.
func valueAt(root any, ptr []string) any {
	cur := root
	for _, key := range ptr {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[key]
			if !ok {
				return missing{}
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(v) {
				return missing{}
			}
			cur = v[i]
		default:
			return missing{}
		}
	}
	return cur
}

// describe names the JSON type of v and its length, never its content. A
// boolean has no length: its length would tell its value.
func describe(v any) string {
	switch v := v.(type) {
	case missing:
		return "nothing"
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("string of length %d", len([]rune(v)))
	case json.Number:
		return fmt.Sprintf("number of length %d", len(v))
	case float64:
		return fmt.Sprintf("number of length %d", len(strconv.FormatFloat(v, 'g', -1, 64)))
	case bool:
		return "boolean"
	case []any:
		return fmt.Sprintf("array of %d items", len(v))
	case map[string]any:
		return fmt.Sprintf("object of %d properties", len(v))
	}
	return fmt.Sprintf("%T", v)
}

// describeSchema names what s declares: its type, its format and whether
// null is allowed, such as "string in format local-date-time" or
// "string or null".
func describeSchema(s *openapi3.Schema) string {
	if s == nil {
		return "a value"
	}
	desc := "a value"
	if s.Type != nil && len(s.Type.Slice()) > 0 {
		desc = strings.Join(s.Type.Slice(), " or ")
	}
	if s.Format != "" {
		desc += " in format " + s.Format
	}
	if len(s.Enum) > 0 {
		desc += ", one of " + enumValues(s.Enum)
	}
	if s.Nullable {
		desc += " or null"
	}
	return desc
}

// enumValues lists an enum of the document; its values are no secret.
func enumValues(enum []any) string {
	parts := make([]string, len(enum))
	for i, e := range enum {
		parts[i] = fmt.Sprint(e)
	}
	return strings.Join(parts, ", ")
}

// constraint says what the keyword field of s asks for.
func constraint(s *openapi3.Schema, field string) string {
	num := func(p *float64) string {
		if p == nil {
			return "?"
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	switch field {
	case "minimum":
		return "at least " + num(s.Min)
	case "maximum":
		return "at most " + num(s.Max)
	case "minLength":
		return fmt.Sprintf("at least %d characters", s.MinLength)
	case "maxLength":
		if s.MaxLength != nil {
			return fmt.Sprintf("at most %d characters", *s.MaxLength)
		}
	case "pattern":
		return "a string matching " + s.Pattern
	case "minItems":
		return fmt.Sprintf("at least %d items", s.MinItems)
	case "maxItems":
		if s.MaxItems != nil {
			return fmt.Sprintf("at most %d items", *s.MaxItems)
		}
	case "enum":
		return "one of " + enumValues(s.Enum)
	case "type", "nullable", "format":
		return describeSchema(s)
	}
	return "a value that satisfies " + field
}

// declaredStatuses lists the statuses op declares, in order, "default" last.
func declaredStatuses(op *openapi3.Operation) string {
	var codes []string
	hasDefault := false
	for code := range op.Responses.Map() {
		if code == "default" {
			hasDefault = true
			continue
		}
		codes = append(codes, code)
	}
	slices.Sort(codes)
	if hasDefault {
		codes = append(codes, "default")
	}
	return strings.Join(codes, ", ")
}

// mediaType is the media type of a Content-Type value, without its
// parameters (a charset, or a boundary that could carry anything).
func mediaType(ct string) string {
	if ct == "" {
		return "no Content-Type"
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Sprintf("an unparsable Content-Type of length %d", len(ct))
	}
	return mt
}

// pointer renders ptr as a JSON pointer: "" for the root, else "/a/0/b".
func pointer(ptr []string) string {
	var b strings.Builder
	for _, key := range ptr {
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(key))
	}
	return b.String()
}
