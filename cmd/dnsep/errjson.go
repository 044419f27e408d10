package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/wrapper"
)

// jsonError is how an error is written on stderr under -o json (or --jq):
// one line with one object, so that a script reads stdout as the data and
// the last line of stderr as the failure. The fields are always present;
// code, status, request_id and operation are empty when the error is not
// an answer of the API, such as a usage error or a refused connection.
type jsonError struct {
	Code      string `json:"code"`       // the service's or gateway's code, e.g. "DNS.1514"
	Message   string `json:"message"`    // what the text form says, without "dnsep: "
	Status    int    `json:"status"`     // the HTTP status, or 0
	RequestID string `json:"request_id"` // the X-Request-Id of the answer
	Operation string `json:"operation"`  // the operationId, e.g. "DisassociateEndpointIpaddress"
}

// newJSONError describes err, whose one-line message is msg.
func newJSONError(err error, msg string) jsonError {
	je := jsonError{Message: msg}
	if e, ok := errors.AsType[*wrapper.APIError](err); ok {
		je.Code, je.Status, je.RequestID, je.Operation = e.Code, e.StatusCode, e.RequestID, e.Operation
	}
	return je
}

// writeError writes err on stderr in the format of the run: the JSON object
// above when JSON was asked for, else a line (and, for a usage error, where
// to find help).
func (a *app) writeError(err error, msg string, code int, args []string, cmd *cobra.Command) {
	if a.output == "json" || a.output == "table" && wantsJSON(args) {
		b, _ := json.Marshal(newJSONError(err, msg))
		fmt.Fprintf(a.errOut, "%s\n", b)
		return
	}
	fmt.Fprintf(a.errOut, "dnsep: %s\n", msg)
	if code == exitUsage {
		fmt.Fprintln(a.errOut, helpHint(cmd))
	}
}

// wantsJSON reports whether args ask for JSON output, for the errors that
// stop the parsing of the flags before -o or --jq is read (a.output is then
// still the default).
func wantsJSON(args []string) bool {
	end := slices.Index(args, "--")
	if end >= 0 {
		args = args[:end]
	}
	for i, arg := range args {
		switch {
		case arg == "-o" || arg == "--output":
			if i+1 < len(args) && args[i+1] == "json" {
				return true
			}
		case arg == "-ojson", arg == "-o=json", arg == "--output=json",
			arg == "--jq", strings.HasPrefix(arg, "--jq="):
			return true
		}
	}
	return false
}
