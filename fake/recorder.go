package fake

import (
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"
)

// The recorder's default limits: Requests keeps at most this many requests,
// and at most this many bytes of them, counted as requestSize counts.
const (
	maxRecorded      = 10000
	maxRecordedBytes = 16 << 20
)

// maxRecordedBody caps what the recorder keeps of each request and
// response body.
const maxRecordedBody = 64 << 10

// Request is a request the fake received, as Requests reports it.
type Request struct {
	Seq       uint64        // 1 for the first request a Server records, then 2, 3, ...; ResetRequests does not restart it
	Time      time.Time     // when it arrived, by the fake's clock (WithClock)
	Latency   time.Duration // from its arrival to the end of its answer, by the wall clock
	Operation string        // operationId (IAMOperation for the fake IAM), "" for an unknown route
	Method    string        // HTTP method
	Path      string        // escaped path
	Query     string        // raw query
	Header    http.Header   // with X-Auth-Token, Authorization and X-Security-Token redacted
	Status    int           // the status answered; 0 if the connection was dropped
	RequestID string        // the X-Request-Id answered

	// ServiceCode is the error code of an error answer: the "code" or
	// "error_code" of its body, or IAM's numeric "error.code" as text; ""
	// for a success or a body without one.
	ServiceCode string

	// RequestBody is what the handler read of the request body, at most
	// 64 KiB, with the value of every JSON key "password" replaced by
	// "REDACTED" (a body that mentions a password but is not whole JSON is
	// replaced as a whole); nil for a request the gateway refused.
	// ResponseBody is the answer's body, at most 64 KiB of it.
	RequestBody  []byte
	ResponseBody []byte
}

// WithRecorderLimits sets how many requests, and how many bytes of them,
// Requests keeps (default 10,000 and 16 MiB): when either is reached the
// older half is forgotten. A request's bytes are the lengths of its
// strings, header names and values included, plus a fixed 256 for the
// rest; a request bigger than half the budget is kept without its headers
// (as a refused one), or not at all if its path is that big. With 0 for either, nothing is recorded, as suits a long-running
// fake that no test inspects.
func WithRecorderLimits(requests, bytes int) Option {
	return func(c *config) error {
		if requests < 0 || bytes < 0 {
			return errors.New("negative recorder limit")
		}
		c.recordCount, c.recordBytes = requests, bytes
		return nil
	}
}

// recorder keeps the newest requests within a count and a byte budget. A
// flood of big requests must not grow the process without bound: the
// budget counts bytes because one request can carry a megabyte of headers.
type recorder struct {
	mu                 sync.Mutex
	maxCount, maxBytes int // 0: record nothing
	requests           []Request
	bytes              int    // the sum of requestSize over requests
	seq                uint64 // the Seq of the newest request
}

// redacted are the headers that carry credentials.
var redacted = []string{"X-Auth-Token", "Authorization", "X-Security-Token"}

// add records a request. Of a request the gateway refused (unknown route,
// bad credentials) it keeps only the credential headers, redacted: what a
// test needs is that it came and what it carried, not its other headers,
// which a flood of refused requests could make as big as it likes.
func (rc *recorder) add(req Request, r *http.Request, refused bool) {
	if !rc.on() {
		return
	}
	var h http.Header
	if refused {
		h = http.Header{}
		req.RequestBody = nil
	} else {
		h = r.Header.Clone()
	}
	for _, k := range redacted {
		if _, ok := r.Header[k]; ok {
			h[k] = []string{"REDACTED"}
		}
	}
	req.Method, req.Path, req.Query, req.Header = r.Method, r.URL.EscapedPath(), r.URL.RawQuery, h
	req.RequestBody = redactPasswords(req.RequestBody)
	req.ServiceCode = serviceCode(req.Status, req.ResponseBody)
	size := requestSize(req)
	if size > rc.maxBytes/2 {
		// Too big to keep whole: keep it as a refused request is kept.
		req.Header = http.Header{}
		for _, k := range redacted {
			if _, ok := h[k]; ok {
				req.Header[k] = []string{"REDACTED"}
			}
		}
		req.RequestBody, req.ResponseBody = nil, nil
		if size = requestSize(req); size > rc.maxBytes/2 {
			return // its path alone would take half the budget
		}
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.requests) >= rc.maxCount || rc.bytes+size > rc.maxBytes {
		rc.evict(size)
	}
	rc.seq++
	req.Seq = rc.seq
	rc.requests = append(rc.requests, req)
	rc.bytes += size
}

// on reports whether the recorder keeps anything.
func (rc *recorder) on() bool { return rc.maxCount > 0 && rc.maxBytes > 0 }

// evict forgets the oldest requests until at most half of each limit is
// used, counting size as used, so that eviction runs once per many adds.
// The caller holds rc.mu.
func (rc *recorder) evict(size int) {
	n := 0
	for n < len(rc.requests) && (len(rc.requests)-n > rc.maxCount/2 || rc.bytes+size > rc.maxBytes/2) {
		rc.bytes -= requestSize(rc.requests[n])
		n++
	}
	rc.requests = slices.Delete(rc.requests, 0, n) // zeroes the tail, freeing the headers
}

// requestSize is what a recorded request counts against the byte budget.
func requestSize(r Request) int {
	n := 256 + len(r.Operation) + len(r.Method) + len(r.Path) + len(r.Query) + len(r.RequestID) +
		len(r.ServiceCode) + len(r.RequestBody) + len(r.ResponseBody)
	for k, vs := range r.Header {
		n += len(k) + 16*len(vs)
		for _, v := range vs {
			n += len(v)
		}
	}
	return n
}

// Requests returns the requests received so far, oldest first, with
// credentials redacted: at most the last 10,000 and 16 MiB of them unless
// WithRecorderLimits says otherwise. A request that the gateway refused
// (404 APIGW.0101, 401 APIGW.0301) keeps only its credential headers; so
// does one too big for half the byte budget.
func (s *Server) Requests() []Request {
	s.recorder.mu.Lock()
	defer s.recorder.mu.Unlock()
	return append([]Request(nil), s.recorder.requests...)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.recorder.mu.Lock()
	defer s.recorder.mu.Unlock()
	s.recorder.requests = nil
	s.recorder.bytes = 0
}

// RecentRequests returns at most n of the recorded requests, newest first,
// those for which keep returns true (all of them if keep is nil). keep is
// called with the recorder locked: it must not call the Server. Unlike
// Requests, it copies only what it returns, which suits a view that polls
// the newest few of thousands.
func (s *Server) RecentRequests(n int, keep func(*Request) bool) []Request {
	s.recorder.mu.Lock()
	defer s.recorder.mu.Unlock()
	var out []Request
	for i := len(s.recorder.requests) - 1; i >= 0 && len(out) < n; i-- {
		if r := &s.recorder.requests[i]; keep == nil || keep(r) {
			out = append(out, *r)
		}
	}
	return out
}

// RecordedRequest returns the recorded request that was answered with
// this X-Request-Id, if the recorder still holds it.
func (s *Server) RecordedRequest(requestID string) (Request, bool) {
	s.recorder.mu.Lock()
	defer s.recorder.mu.Unlock()
	for i := len(s.recorder.requests) - 1; i >= 0; i-- {
		if s.recorder.requests[i].RequestID == requestID {
			return s.recorder.requests[i], true
		}
	}
	return Request{}, false
}
