package fake

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/dnsep/dnsep/gen"
)

// serviceError is an answer of the DNS service other than success. Handlers
// return it as their error; the strict server's error handler writes it.
type serviceError struct {
	status        int
	code, message string
}

func (e *serviceError) Error() string { return e.code + " " + e.message }

func badRequest(code, message string) error {
	return &serviceError{http.StatusBadRequest, code, message}
}

// The service's errors, with the API's codes and messages.
var (
	errInvalidRequest  = badRequest("DNS.0002", "Invalid request.")
	errInvalidSubnet   = badRequest("DNS.1502", "Invalid subnet id.")
	errNameExists      = badRequest("DNS.1504", "Endpoint name exists.")
	errIPNotInSubnet   = badRequest("DNS.1505", "Ip is not in this subnet.")
	errIPRepeated      = badRequest("DNS.1506", "Ip is repeated.")
	errIPUsed          = badRequest("DNS.1507", "Ip has been used.")
	errDifferentVPC    = badRequest("DNS.1508", "Subnets are in the different vpc.")
	errInvalidEndpoint = badRequest("DNS.1509", "Invalid endpoint id.")
	errIPCount         = badRequest("DNS.1514", "Invalid number of ipaddress.")
	errInvalidIP       = badRequest("DNS.1515", "Ip address is invalid.")
	errReservedIP      = badRequest("DNS.1516", "Ip address is broadcast ipaddress or network ipaddress.")
	errInvalidRegion   = badRequest("DNS.0601", "Invalid region.")
	errSubnetFull      = badRequest("DNS.0036", "An error occurred when the neutron service is called.")
	errDeleting        = badRequest("DNS.0002", "Invalid request. The endpoint is being deleted.")
	errNoEndpoint      = &serviceError{http.StatusNotFound, "DNS.1510", "Endpoint not exist."}
	errNoIP            = &serviceError{http.StatusNotFound, "DNS.1511", "Ipaddress not exist."}
	errInboundQuota    = &serviceError{http.StatusForbidden, "DNS.0406", "Insufficient inbound endpoint quota."}
	errOutboundQuota   = &serviceError{http.StatusForbidden, "DNS.0407", "Insufficient outbound endpoint quota."}
	errInternal        = &serviceError{http.StatusInternalServerError, "DNS.0001", "Internal error."}
)

// writeServiceError writes err as the service's JSON error body; an error
// that is not a *serviceError is an internal error.
func writeServiceError(w http.ResponseWriter, err error) {
	se, ok := errors.AsType[*serviceError](err)
	if !ok {
		se = errInternal
	}
	writeJSON(w, se.status, gen.DNSError{Code: se.code, Message: se.message})
}

// writeGatewayError writes an error of the API gateway, which answers
// authentication failures and unknown routes before the service sees them.
func writeGatewayError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, gen.GatewayError{ErrorCode: code, ErrorMsg: msg, RequestID: ptr(w.Header().Get("X-Request-Id"))})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func ptr[T any](v T) *T { return &v }

// The errors of the resolver-rule operations; doc.go names the codes the
// fake chose for the service's open questions.
var (
	errNoRule            = &serviceError{http.StatusNotFound, codeRuleNotFound, messageRuleNotFound}
	errRuleQuota         = &serviceError{http.StatusForbidden, codeRuleQuota, messageRuleQuota}
	errEndpointInUse     = badRequest(codeEndpointInUse, "This resource is in use.")
	errBusy              = &serviceError{http.StatusConflict, codeBusy, "Could not acquire the lock, please try again later."}
	errVPCAssociated     = badRequest(codeVPCAssociated, "This VPC has already been associated with the zone.")
	errVPCNotAssociated  = badRequest(codeVPCNotAssociated, "This VPC has not been associated with the zone.")
	errBadMarker         = badRequest(codeBadMarker, "The marker parameter is invalid.")
	errTargetRepeated    = badRequest(codeTargetRepeated, "Ip is repeated.")
	errEndpointNotActive = badRequest(codeEndpointNotActive, "Invalid request. The endpoint is not ACTIVE.")
	errNoVPC             = &serviceError{http.StatusNotFound, "DNS.0711", "This VPC could not be found."}
)
