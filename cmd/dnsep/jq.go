package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/itchyny/gojq"
)

// compileJQ checks --jq before any request is sent, so that a mistake in the
// expression costs nothing: it is a usage error, as an unknown flag is.
// --jq filters JSON, so it implies -o json, and refuses any other format
// that was asked for explicitly.
func (a *app) compileJQ(outputSet bool) error {
	if a.jqExpr == "" {
		return nil
	}
	if outputSet && a.output != "json" {
		return usagef("--jq filters JSON: use it with -o json or without -o, not with -o %s", a.output)
	}
	a.output = "json"
	q, err := gojq.Parse(a.jqExpr)
	if err != nil {
		return usagef("--jq %q: %v", a.jqExpr, err)
	}
	if a.jq, err = gojq.Compile(q); err != nil {
		return usagef("--jq %q: %v", a.jqExpr, err)
	}
	return nil
}

// writeJQ runs the --jq expression over v's JSON and writes each result on
// its own line: a string as it is and null as an empty line, as gh does, so
// that scripts need no second tool to unquote; anything else as compact
// JSON.
//
// An error of the expression at run time is a usage error too, but the
// command itself has done its work, and the message says so.
func (a *app) writeJQ(w io.Writer, v any) error {
	in, err := plainJSON(v)
	if err != nil {
		return err
	}
	iter := a.jq.RunWithContext(context.Background(), in)
	for {
		out, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, ok := out.(error); ok {
			if he, ok := errors.AsType[*gojq.HaltError](err); ok && he.Value() == nil {
				return nil // halt: stop without an error
			}
			return usagef("--jq %q: %v (the command itself succeeded)", a.jqExpr, err)
		}
		if err := writeJQValue(w, out); err != nil {
			return err
		}
	}
}

func writeJQValue(w io.Writer, v any) error {
	switch v := v.(type) {
	case nil:
		_, err := fmt.Fprintln(w)
		return err
	case string:
		_, err := fmt.Fprintln(w, v)
		return err
	}
	b, err := gojq.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// plainJSON returns v as the generic values that encoding/json decodes
// into (maps, slices, float64, ...), which is what gojq and the name
// extractor work on; the API's own field names come with it.
func plainJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}
