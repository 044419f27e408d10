package openapi

import "bytes"

// YAML returns the embedded document as written, in YAML, for programs
// that serve or save it. Each call returns a new copy.
func YAML() []byte { return bytes.Clone(document) }
