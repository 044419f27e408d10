package fake

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Fault is a misbehaviour the fake plays instead of (or before) its normal
// answer, to test how a client copes.
type Fault struct {
	// Status, if not 0, is answered instead of the normal answer, with Body
	// (Content-Type application/json unless Header sets one) and Header.
	Status int
	Body   string
	Header http.Header

	// Delay holds the answer back this long (or until the client gives up).
	Delay time.Duration

	// Drop closes the connection before any answer.
	Drop bool

	// Truncate sends the normal answer's status and headers, with the full
	// Content-Length, and half of its body, then closes the connection. The
	// service acts on the request as usual.
	Truncate bool
}

// ServiceError returns a Fault that answers with the service's error body.
func ServiceError(status int, code, message string) Fault {
	return Fault{Status: status, Body: `{"code":` + strconv.Quote(code) + `,"message":` + strconv.Quote(message) + `}`}
}

// Throttled returns the API gateway's 429 with the given Retry-After value
// (seconds or an HTTP date; "" for none).
func Throttled(retryAfter string) Fault {
	f := Fault{Status: http.StatusTooManyRequests,
		Body: `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute"}`}
	if retryAfter != "" {
		f.Header = http.Header{"Retry-After": {retryAfter}}
	}
	return f
}

// HTMLError returns a Fault that answers status with an HTML page, as a
// proxy in front of the service would.
func HTMLError(status int) Fault {
	text := strconv.Itoa(status) + " " + http.StatusText(status)
	return Fault{Status: status, Header: http.Header{"Content-Type": {"text/html"}},
		Body: "<html><head><title>" + text + "</title></head><body><h1>" + text + "</h1></body></html>"}
}

// InjectFault plays f for the next times calls of the operation
// (operationID as in the OpenAPI document, "" for any operation). Faults
// are played in the order they were injected; a call that has passed the
// gateway's authentication takes the first one that applies.
func (s *Server) InjectFault(operationID string, times int, f Fault) {
	s.faults.add(operationID, times, f)
}

type faultQueue struct {
	mu      sync.Mutex
	entries []*faultEntry
}

type faultEntry struct {
	op   string
	left int
	f    Fault
}

func (q *faultQueue) add(op string, times int, f Fault) {
	if times <= 0 {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.entries = append(q.entries, &faultEntry{op, times, f})
}

func (q *faultQueue) take(op string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, e := range q.entries {
		if e.op != "" && e.op != op {
			continue
		}
		e.left--
		if e.left == 0 {
			q.entries = append(q.entries[:i], q.entries[i+1:]...)
		}
		return e.f, true
	}
	return Fault{}, false
}

// play answers r with f. Injected answers bypass contract validation: they
// are deliberately wrong.
func (s *Server) play(w http.ResponseWriter, r *http.Request, next http.Handler, f Fault) {
	if f.Delay > 0 {
		// net/http notices that the client went away, and cancels the
		// request's context, only once the body has been read.
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
		if err != nil {
			return
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case f.Drop:
		panic(http.ErrAbortHandler)
	case f.Truncate:
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body[:len(body)/2])
		http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	case f.Status != 0:
		for k, v := range f.Header {
			w.Header()[k] = v
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(f.Status)
		_, _ = bytes.NewBufferString(f.Body).WriteTo(w)
	default:
		next.ServeHTTP(w, r)
	}
}

// PendingFault is a fault that InjectFault queued and that calls have not
// used up yet, as Faults reports it.
type PendingFault struct {
	Operation string // operationId, "" for any operation
	Left      int    // how many more calls it will be played for
	Fault     Fault
}

// Faults returns the faults still queued, in the order they will be played.
func (s *Server) Faults() []PendingFault {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	out := make([]PendingFault, 0, len(s.faults.entries))
	for _, e := range s.faults.entries {
		f := e.f
		f.Header = f.Header.Clone()
		out = append(out, PendingFault{Operation: e.op, Left: e.left, Fault: f})
	}
	return out
}

// ClearFaults forgets every queued fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.entries = nil
}
