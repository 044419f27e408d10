package openapi

import (
	"io"
	"net/http"
)

// DriftRoundTripper returns an http.RoundTripper that sends each request
// through base (http.DefaultTransport if nil), reads the response's body
// whole and calls observe with what Drifts finds in the response, drifts
// or none, before handing the response on with its body readable in full.
// Requests that match no operation, and responses whose body cannot be
// read, are handed on unobserved.
//
// observe is called on the goroutine of the round trip: if the
// RoundTripper is used concurrently, observe must be safe for concurrent
// use. The RoundTripper does not validate requests.
func (v *Validator) DriftRoundTripper(base http.RoundTripper, observe func(operation string, drifts []Drift)) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &driftTransport{v: v, base: base, observe: observe}
}

type driftTransport struct {
	v       *Validator
	base    http.RoundTripper
	observe func(string, []Drift)
}

func (t *driftTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	route, _, err := t.v.c.router.FindRoute(req)
	if err != nil {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		// The caller sees the broken body as it would have.
		resp.Body = io.NopCloser(io.MultiReader(bodyReader(body), errReader{err}))
		return resp, nil
	}
	resp.Body = bodyReader(body)
	t.observe(route.Operation.OperationID, t.v.drifts(route.Operation, resp.StatusCode, resp.Header, body))
	return resp, nil
}
