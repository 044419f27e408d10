package main

import (
	"fmt"
	"io"
	"slices"
)

// idKeys are the fields that name an object of the API, in the order they
// are tried: an endpoint, address, rule or VPC has an id; a rule's VPC
// association has only its router_id.
var idKeys = []string{"id", "router_id"}

// writeNames writes the IDs in v, one per line: v's own ID when it is one
// object, else the ID of each object of its lists. It works on the JSON, so
// that every command, including those still to come, names what it shows
// without a table of types; null (what delete --wait shows) writes nothing.
func writeNames(w io.Writer, v any) error {
	in, err := plainJSON(v)
	if err != nil {
		return err
	}
	ids, ok := names(in)
	if !ok {
		return usagef("-o name: this command's output has no IDs; use -o json")
	}
	for _, id := range ids {
		if _, err := fmt.Fprintln(w, id); err != nil {
			return err
		}
	}
	return nil
}

// names returns the IDs in v, and false when v is neither an object with an
// ID, nor a list of them, nor an object holding such lists.
func names(v any) ([]string, bool) {
	switch v := v.(type) {
	case nil:
		return nil, true
	case []any:
		var ids []string
		for _, e := range v {
			sub, ok := names(e)
			if !ok {
				return nil, false
			}
			ids = append(ids, sub...)
		}
		return ids, true
	case map[string]any:
		for _, k := range idKeys {
			if id, ok := v[k].(string); ok && id != "" {
				return []string{id}, true
			}
		}
		return listNames(v)
	}
	return nil, false
}

// listNames returns the IDs of the lists in a list page, such as
// {"endpoints": [...], "metadata": {...}}, in the order of the keys.
func listNames(m map[string]any) ([]string, bool) {
	keys := make([]string, 0, len(m))
	for k, e := range m {
		if _, ok := e.([]any); ok {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, false
	}
	slices.Sort(keys)
	var ids []string
	for _, k := range keys {
		sub, ok := names(m[k])
		if !ok {
			return nil, false
		}
		ids = append(ids, sub...)
	}
	return ids, true
}
