package wrapper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors. An *APIError matches the sentinel of its status with
// errors.Is, so callers can write errors.Is(err, wrapper.ErrNotFound) without
// looking at the error's type.
var (
	ErrBadRequest   = errors.New("dnsep: bad request")           // 400
	ErrUnauthorized = errors.New("dnsep: unauthorized")          // 401
	ErrForbidden    = errors.New("dnsep: forbidden")             // 403
	ErrNotFound     = errors.New("dnsep: not found")             // 404 with a service code (DNS.*)
	ErrConflict     = errors.New("dnsep: conflict")              // 409
	ErrRateLimited  = errors.New("dnsep: rate limited")          // 429
	ErrServer       = errors.New("dnsep: server error")          // 5xx
	ErrRedirect     = errors.New("dnsep: redirect not followed") // 3xx

	// ErrNoSuchAPI is matched by a 404 that is not the service's: the API
	// gateway's APIGW.0101 ("The API does not exist"), or a 404 with no
	// service code from whatever answers at the base URL. It means that the
	// request never reached the DNS service, most often because the base
	// URL is wrong; it never means that a resource is gone, and such an
	// error does not match ErrNotFound.
	ErrNoSuchAPI = errors.New("dnsep: no such API: check the base URL")

	// ErrResponseTooLarge is returned when a response body exceeds the
	// client's size cap (see WithMaxResponseBytes).
	ErrResponseTooLarge = errors.New("dnsep: response body too large")

	// ErrInvalidArgument is matched by the errors the client returns for bad
	// input before any request is sent, such as an empty endpoint ID.
	ErrInvalidArgument = errors.New("dnsep: invalid argument")
)

// busyCodes are the DNS service's "try again later" codes.
var busyCodes = map[string]bool{
	"DNS.0000": true, // The system is busy.
	"DNS.0003": true, // The system is busy (database).
	"DNS.0021": true, // Could not acquire the lock.
}

// APIError is the error for every answer of the API that is not the success
// the operation expects: a service error ({"code","message"}), an API-gateway
// error ({"error_code","error_msg","request_id"}), a proxy's HTML page, an
// empty body, or a status the OpenAPI document does not declare.
//
// Inspect it with errors.As, the Is* predicates, or errors.Is with the
// sentinels (ErrNotFound, ErrRateLimited, ...). Its message never contains
// the caller's credentials.
type APIError struct {
	Operation  string // operationId, e.g. "DisassociateEndpointIpaddress"
	Method     string // HTTP method
	Path       string // escaped request path
	StatusCode int    // HTTP status
	Code       string // service or gateway code, e.g. "DNS.1514" or "APIGW.0301"; empty if the body had none
	Message    string // service or gateway message, or a summary of a non-JSON body
	RequestID  string // from the X-Request-Id header, else from the body
	Attempts   int    // how many attempts were made, retries and re-authentication included

	// RetryAfter is the delay the server asked for with Retry-After, or 0.
	RetryAfter time.Duration
}

// Error names the operation, method, path, status, code, message, request ID
// and, when the call was retried, the number of attempts.
func (e *APIError) Error() string {
	var b strings.Builder
	b.Grow(128 + len(e.Path) + len(e.Message))
	b.WriteString("dnsep: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteByte(' ')
	}
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteByte(' ')
		b.WriteString(text)
	}
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.noSuchAPI() {
		b.WriteString(": the API path does not exist at this base URL; check the base URL (--endpoint)")
	}
	if e.RequestID != "" {
		b.WriteString(" (request ID ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	if e.Attempts > 1 {
		b.WriteString(" after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts")
	}
	return b.String()
}

// Is reports whether target is the sentinel of e's status class.
func (e *APIError) Is(target error) bool {
	s := e.StatusCode
	switch target {
	case ErrBadRequest:
		return s == http.StatusBadRequest
	case ErrUnauthorized:
		return s == http.StatusUnauthorized
	case ErrForbidden:
		return s == http.StatusForbidden
	case ErrNotFound:
		return s == http.StatusNotFound && serviceCode(e.Code)
	case ErrNoSuchAPI:
		return e.noSuchAPI()
	case ErrConflict:
		return s == http.StatusConflict
	case ErrRateLimited:
		return s == http.StatusTooManyRequests
	case ErrServer:
		return s >= 500 && s <= 599
	case ErrRedirect:
		return s >= 300 && s <= 399
	}
	return false
}

// serviceCode reports whether code is one of the DNS service's own codes,
// as opposed to the API gateway's (APIGW.*) or none.
func serviceCode(code string) bool { return strings.HasPrefix(code, "DNS.") }

// noSuchAPI reports whether e is a 404 that did not come from the service.
func (e *APIError) noSuchAPI() bool {
	return e.StatusCode == http.StatusNotFound && !serviceCode(e.Code)
}

// Retryable reports whether the same request may succeed later if sent
// again. Throttling (429) and the service's busy codes (DNS.0000, DNS.0003,
// DNS.0021) are retryable for every method: the request was refused, not
// acted on. A gateway or availability failure (502, 503, 504) is retryable
// for GET, PUT and DELETE only: behind it the service may have acted on a
// POST, and a second CreateEndpoint or AssociateEndpointIpaddress could
// create a duplicate.
func (e *APIError) Retryable() bool {
	if e.StatusCode == http.StatusTooManyRequests || busyCodes[e.Code] {
		return true
	}
	if e.Method == http.MethodPost {
		return false
	}
	switch e.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// IsNotFound reports whether err is an *APIError with status 404 and a code
// of the DNS service, such as DNS.1510 (endpoint) or DNS.1511 (IP address):
// the resource does not exist. A 404 of the API gateway (APIGW.0101) or
// with no code at all is not: it matches ErrNoSuchAPI instead.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsUnauthorized reports whether err is an *APIError with status 401.
func IsUnauthorized(err error) bool { return errors.Is(err, ErrUnauthorized) }

// IsRateLimited reports whether err is an *APIError with status 429.
func IsRateLimited(err error) bool { return errors.Is(err, ErrRateLimited) }

// IsRetryable reports whether the failed call may be made again as it was:
// a retryable *APIError (see APIError.Retryable) or a transport error such
// as a refused or reset connection. Context cancellation and deadlines are
// not retryable.
//
// IsRetryable knows the call's method. For a POST (CreateEndpoint,
// AssociateEndpointIpaddress) it reports true only when the failure shows
// that the service did not act: throttling, a busy code, or a connection
// that could not be opened. A POST whose connection broke after the request
// was sent, or that got a 502, 503 or 504, may have created the endpoint or
// bound the address: it is not retryable. List the endpoints or addresses
// to learn what happened before sending it again.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if apiErr, ok := errors.AsType[*APIError](err); ok {
		return apiErr.Retryable()
	}
	if te, ok := errors.AsType[*transportError](err); ok {
		if !idempotent(te.req) && !notSent(te.err) {
			return false
		}
		return retryableTransportError(context.Background(), te.err)
	}
	return false
}

// transportError marks an error of the HTTP round trip (no response).
type transportError struct {
	op    string
	req   *http.Request
	err   error
	tries int
}

func (e *transportError) Error() string {
	// net/http quotes a malformed status or header line in its error:
	// the server could have echoed a credential there.
	s := "dnsep: " + e.op + " " + e.req.Method + " " + e.req.URL.EscapedPath() + ": " + redact(e.req, e.err.Error())
	if e.tries > 1 {
		s += " (after " + strconv.Itoa(e.tries) + " attempts)"
	}
	return s
}

func (e *transportError) Unwrap() error { return e.err }

// errorBody holds both error shapes of the API; one decode reads either.
type errorBody struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id"`
}

// newAPIError is the one place where an answer becomes an *APIError.
func newAPIError(op string, req *http.Request, resp *http.Response, body []byte, attempts int) *APIError {
	e := &APIError{
		Operation:  op,
		Method:     req.Method,
		Path:       req.URL.EscapedPath(),
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("X-Request-Id"),
		Attempts:   attempts,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	var eb errorBody
	if len(body) > 0 && json.Unmarshal(body, &eb) == nil {
		e.Code, e.Message = firstNonEmpty(eb.Code, eb.ErrorCode), firstNonEmpty(eb.Message, eb.ErrorMsg)
		if e.RequestID == "" {
			e.RequestID = eb.RequestID
		}
	} else {
		e.Message = summarize(body)
	}
	if e.StatusCode >= 300 && e.StatusCode <= 399 && e.Message == "" {
		e.Message = "redirect to " + redirectHost(resp) + " not followed"
	}
	// A server or proxy that echoes the request must not put a credential
	// into the message.
	e.Code, e.Message, e.RequestID = redact(req, e.Code), redact(req, e.Message), redact(req, e.RequestID)
	e.Code, e.Message, e.RequestID = clean(e.Code, 64), clean(e.Message, 512), clean(e.RequestID, 128)
	return e
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func redirectHost(resp *http.Response) string {
	loc, err := resp.Location()
	if err != nil {
		return "an unknown location"
	}
	return loc.Host
}

// summarize turns a non-JSON body (a proxy's HTML page, plain text) into a
// one-line message: the HTML title if there is one, else the first text.
func summarize(body []byte) string {
	s := string(body)
	lower := strings.ToLower(s)
	if i := strings.Index(lower, "<title>"); i >= 0 {
		if j := strings.Index(lower[i:], "</title>"); j > 0 {
			return s[i+len("<title>") : i+j]
		}
	}
	if strings.HasPrefix(strings.TrimSpace(lower), "<") {
		return "non-JSON body (HTML)"
	}
	return s
}

// clean makes text from the server safe to print on one line: control
// characters become spaces, runs of space collapse, and it is cut to max bytes.
func clean(s string, max int) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		n := utf8.RuneLen(r)
		if space {
			n++
		}
		if b.Len()+n > max {
			b.WriteString("...")
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// parseRetryAfter reads a Retry-After value in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if v = strings.TrimSpace(v); v != "" && v[0] >= '0' && v[0] <= '9' {
		secs, err := strconv.ParseUint(v, 10, 64)
		switch {
		case err == nil && secs <= uint64(math.MaxInt64/time.Second):
			return time.Duration(secs) * time.Second
		case err == nil || errors.Is(err, strconv.ErrRange):
			return math.MaxInt64 // beyond any policy: ends the retries
		}
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// InvalidArgumentError reports bad input found before any request was built.
// It matches ErrInvalidArgument with errors.Is.
type InvalidArgumentError struct {
	Param  string // the parameter, e.g. "endpoint_id"
	Value  string
	Reason string
}

// Error names the parameter, the value and what is wrong with it.
func (e *InvalidArgumentError) Error() string {
	return fmt.Sprintf("dnsep: invalid %s %q: %s", e.Param, e.Value, e.Reason)
}

// Is reports whether target is ErrInvalidArgument.
func (e *InvalidArgumentError) Is(target error) bool { return target == ErrInvalidArgument }
