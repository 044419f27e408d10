package fake

import (
	"errors"
	"net/http"
	"slices"
	"sync"
)

// The recorder's default limits: Requests keeps at most this many requests,
// and at most this many bytes of them, counted as requestSize counts.
const (
	maxRecorded      = 10000
	maxRecordedBytes = 16 << 20
)

// Request is a request the fake received, as Requests reports it.
type Request struct {
	Operation string      // operationId, "" for an unknown route
	Method    string      // HTTP method
	Path      string      // escaped path
	Query     string      // raw query
	Header    http.Header // with X-Auth-Token, Authorization and X-Security-Token redacted
	Status    int         // the status answered; 0 if the connection was dropped
	RequestID string      // the X-Request-Id answered
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
	bytes              int // the sum of requestSize over requests
}

// redacted are the headers that carry credentials.
var redacted = []string{"X-Auth-Token", "Authorization", "X-Security-Token"}

// add records a request. Of a request the gateway refused (unknown route,
// bad credentials) it keeps only the credential headers, redacted: what a
// test needs is that it came and what it carried, not its other headers,
// which a flood of refused requests could make as big as it likes.
func (rc *recorder) add(op string, r *http.Request, status int, reqID string, refused bool) {
	if rc.maxCount == 0 || rc.maxBytes == 0 {
		return
	}
	var h http.Header
	if refused {
		h = http.Header{}
	} else {
		h = r.Header.Clone()
	}
	for _, k := range redacted {
		if _, ok := r.Header[k]; ok {
			h[k] = []string{"REDACTED"}
		}
	}
	req := Request{op, r.Method, r.URL.EscapedPath(), r.URL.RawQuery, h, status, reqID}
	size := requestSize(req)
	if size > rc.maxBytes/2 {
		// Too big to keep whole: keep it as a refused request is kept.
		req.Header = http.Header{}
		for _, k := range redacted {
			if _, ok := h[k]; ok {
				req.Header[k] = []string{"REDACTED"}
			}
		}
		if size = requestSize(req); size > rc.maxBytes/2 {
			return // its path alone would take half the budget
		}
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.requests) >= rc.maxCount || rc.bytes+size > rc.maxBytes {
		rc.evict(size)
	}
	rc.requests = append(rc.requests, req)
	rc.bytes += size
}

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
	n := 256 + len(r.Operation) + len(r.Method) + len(r.Path) + len(r.Query) + len(r.RequestID)
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
