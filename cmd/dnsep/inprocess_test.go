package main

import (
	"net/http"
	"net/http/httptest"
)

// handlerTransport hands each request straight to an http.Handler in the
// calling goroutine, with no socket in between. A CLI that talks to a fake
// through it can run inside a testing/synctest bubble, where the clock moves
// only while every goroutine waits: a goroutine blocked on a socket would
// keep the bubble's clock still.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// The handler gets a request as a server would: a body that is never
	// nil, the request URI and a remote address.
	in := req.Clone(req.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:1"
	in.Host = req.URL.Host
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	in.Body.Close()
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// inProcess returns an HTTP client that reaches the fake of c without a
// socket.
func (c *cli) inProcess() *http.Client {
	return &http.Client{Transport: handlerTransport{c.srv.Server}}
}
