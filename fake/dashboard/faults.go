package dashboard

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/dnsep/dnsep/fake"
)

// faultKinds are the kinds of fault the dashboard injects, as the fault
// form names them.
var faultKinds = []string{"service-error", "throttled", "html", "delay", "drop", "truncate"}

// Bounds of what the fault form accepts.
const (
	maxFaultTimes = 1000
	maxFaultDelay = 10 * time.Minute
	maxFaultText  = 256
)

// faultsView is the answer of GET /dashboard/api/faults.
type faultsView struct {
	Operations []string       `json:"operations"`
	Kinds      []string       `json:"kinds"`
	Pending    []pendingFault `json:"pending"`
}

type pendingFault struct {
	Operation string `json:"operation"` // "" for any
	Left      int    `json:"left"`
	Kind      string `json:"kind"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
}

// faultRequest is the body of POST /dashboard/api/faults. The numbers may
// come as JSON numbers or as the text of a form field.
type faultRequest struct {
	Operation  string `json:"operation"`
	Times      number `json:"times"`
	Kind       string `json:"kind"`
	Status     number `json:"status"`
	Code       string `json:"code"`
	Message    string `json:"message"`
	RetryAfter string `json:"retry_after"`
	Delay      string `json:"delay"` // a Go duration such as "2s", or seconds
}

// number is an int that decodes from a JSON number or a string of digits
// ("" is 0).
type number int

func (n *number) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s = strings.TrimSpace(s); s == "" {
			*n = 0
			return nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%s is not a whole number", b)
	}
	*n = number(v)
	return nil
}

// apiFaults answers GET /dashboard/api/faults.
func (d *Dashboard) apiFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, d.faultsView())
}

func (d *Dashboard) faultsView() faultsView {
	queued := d.src.Faults()
	v := faultsView{Operations: d.ops, Kinds: faultKinds, Pending: make([]pendingFault, 0, len(queued))}
	for _, pf := range queued {
		kind, detail := describe(pf.Fault)
		v.Pending = append(v.Pending, pendingFault{Operation: pf.Operation, Left: pf.Left, Kind: kind, Status: pf.Fault.Status, Detail: detail})
	}
	return v
}

// describe names a fault's kind, as the form does, and its particulars.
func describe(f fake.Fault) (kind, detail string) {
	var parts []string
	if f.Delay > 0 {
		parts = append(parts, "after "+f.Delay.String())
	}
	switch {
	case f.Drop:
		kind = "drop"
	case f.Truncate:
		kind = "truncate"
	case f.Status == http.StatusTooManyRequests && strings.Contains(f.Body, "APIGW.0308"):
		kind = "throttled"
		if ra := f.Header.Get("Retry-After"); ra != "" {
			parts = append(parts, "Retry-After: "+ra)
		}
	case strings.HasPrefix(f.Header.Get("Content-Type"), "text/html"):
		kind = "html"
		parts = append(parts, strconv.Itoa(f.Status)+" HTML page")
	case f.Status != 0:
		kind = "service-error"
		body := f.Body
		if len(body) > 200 {
			body = body[:200] + "..."
		}
		parts = append(parts, strconv.Itoa(f.Status)+" "+body)
	case f.Delay > 0:
		kind = "delay"
	default:
		kind = "none"
	}
	return kind, strings.Join(parts, "; ")
}

// apiInjectFault answers POST /dashboard/api/faults: it queues a fault for
// the next calls of an operation and answers the pending faults.
func (d *Dashboard) apiInjectFault(w http.ResponseWriter, r *http.Request) {
	var req faultRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		status := http.StatusBadRequest
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			status = http.StatusRequestEntityTooLarge
		}
		writeJSON(w, status, apiError{"reading the fault: " + err.Error()})
		return
	}
	times, f, err := d.fault(req)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{err.Error()})
		return
	}
	d.src.InjectFault(req.Operation, times, f)
	writeJSON(w, http.StatusCreated, d.faultsView())
}

// fault checks a fault request and builds the fault it asks for.
func (d *Dashboard) fault(req faultRequest) (int, fake.Fault, error) {
	if req.Operation != "" && !slices.Contains(d.ops, req.Operation) {
		return 0, fake.Fault{}, fmt.Errorf("unknown operation %q", req.Operation)
	}
	times := int(req.Times)
	if times == 0 {
		times = 1
	}
	if times < 1 || times > maxFaultTimes {
		return 0, fake.Fault{}, fmt.Errorf("times %d: want 1 to %d", times, maxFaultTimes)
	}
	for name, s := range map[string]string{"code": req.Code, "message": req.Message, "retry_after": req.RetryAfter} {
		if len(s) > maxFaultText || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return 0, fake.Fault{}, fmt.Errorf("%s: at most %d characters, no control characters", name, maxFaultText)
		}
	}
	status := int(req.Status)
	errorStatus := func(def int) (int, error) {
		if status == 0 {
			return def, nil
		}
		if status < 400 || status > 599 {
			return 0, fmt.Errorf("status %d: want 400 to 599", status)
		}
		return status, nil
	}
	switch req.Kind {
	case "service-error":
		st, err := errorStatus(http.StatusInternalServerError)
		code, msg := req.Code, req.Message
		if code == "" {
			code = "DNS.0001"
		}
		if msg == "" {
			msg = "Fault injected from the dashboard."
		}
		return times, fake.ServiceError(st, code, msg), err
	case "throttled":
		return times, fake.Throttled(strings.TrimSpace(req.RetryAfter)), nil
	case "html":
		st, err := errorStatus(http.StatusBadGateway)
		return times, fake.HTMLError(st), err
	case "delay":
		delay, err := parseDelay(req.Delay)
		return times, fake.Fault{Delay: delay}, err
	case "drop":
		return times, fake.Fault{Drop: true}, nil
	case "truncate":
		return times, fake.Fault{Truncate: true}, nil
	}
	return 0, fake.Fault{}, fmt.Errorf("kind %q: want one of %s", req.Kind, strings.Join(faultKinds, ", "))
}

// parseDelay reads a Go duration ("1.5s") or a number of seconds ("2").
func parseDelay(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := time.ParseDuration(s)
	if err != nil {
		secs, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return 0, fmt.Errorf("delay %q: want a duration such as 2s or 500ms", s)
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 || d > maxFaultDelay {
		return 0, fmt.Errorf("delay %q: want more than 0 and at most %s", s, maxFaultDelay)
	}
	return d, nil
}

// apiClearFaults answers POST /dashboard/api/faults/clear.
func (d *Dashboard) apiClearFaults(w http.ResponseWriter, _ *http.Request) {
	d.src.ClearFaults()
	writeJSON(w, http.StatusOK, d.faultsView())
}

// apiReset answers POST /dashboard/api/reset: the fake goes back to its
// seed endpoints with no faults queued and an empty request log.
func (d *Dashboard) apiReset(w http.ResponseWriter, _ *http.Request) {
	if err := d.src.Reset(); err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{"reset: " + err.Error()})
		return
	}
	d.src.ClearFaults()
	d.src.ResetRequests()
	writeJSON(w, http.StatusOK, map[string]bool{"reset": true})
}
