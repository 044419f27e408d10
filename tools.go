//go:build tools

package dnsep

// Blank imports pin the code generator's version in go.mod, so `go generate`
// always runs the same oapi-codegen, whatever is installed on the machine.
import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
