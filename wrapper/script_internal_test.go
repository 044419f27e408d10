package wrapper

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Script is the one scripted transport of the package's tests, for what the
// fake cannot play: pinned answers of the API reference, malformed or
// undeclared answers, broken paging, connection errors, and exact retry
// timing in a testing/synctest bubble. It answers the n-th request with
// Steps[n-1] (the last step repeats), in memory, and records every request
// it was sent. It is safe for concurrent use.
type Script struct {
	Steps []Step

	mu   sync.Mutex
	seen []Sent
}

// A Step answers one request.
type Step func(*http.Request) (*http.Response, error)

// Sent is a request as a Script received it.
type Sent struct {
	At           time.Time // by the clock of the test (a bubble's, under synctest)
	Method, Body string
	URL          *url.URL
	Header       http.Header
}

// RoundTrip records req and answers it with the next step.
func (s *Script) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	s.mu.Lock()
	s.seen = append(s.seen, Sent{time.Now(), req.Method, string(body), new(*req.URL), req.Header.Clone()})
	step := s.Steps[min(len(s.seen), len(s.Steps))-1]
	s.mu.Unlock()
	return step(req)
}

// Requests returns the requests received so far.
func (s *Script) Requests() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.seen...)
}

// Reply returns a step that answers status with body and a Content-Type of
// application/json, and then the header name-value pairs, which may replace
// it.
func Reply(status int, body string, header ...string) Step {
	return func(req *http.Request) (*http.Response, error) {
		h := http.Header{"Content-Type": {"application/json"}}
		for i := 0; i+1 < len(header); i += 2 {
			h.Set(header[i], header[i+1])
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)), Request: req}, nil
	}
}

// Fail returns a step whose round trip fails with err.
func Fail(err error) Step {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}
