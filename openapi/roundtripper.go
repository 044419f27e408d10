package openapi

import (
	"bytes"
	"io"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// Reporter receives the violations that RoundTripper finds. *testing.T and
// testing.TB satisfy it.
type Reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// RoundTripper returns a client-side http.RoundTripper that sends each
// request through base (http.DefaultTransport if nil) and validates the
// request before and the response after, as Middleware does on the server
// side. It reports each violation with r.Errorf, naming the side,
// operation, status and detail, and still returns the response, its body
// readable in full, so that the test goes on. Requests that match no
// operation are sent unvalidated.
//
// It does not modify the caller's request: a request body is read and sent
// from memory. A body that cannot be read is an error, as it would be for
// base.
func (v *Validator) RoundTripper(base http.RoundTripper, r Reporter) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &validatingTransport{v: v, base: base, r: r}
}

type validatingTransport struct {
	v    *Validator
	base http.RoundTripper
	r    Reporter
}

func (t *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	route, params, err := t.v.c.router.FindRoute(req)
	if err != nil {
		return t.base.RoundTrip(req)
	}
	out := req
	var data []byte
	if req.Body != nil && req.Body != http.NoBody {
		data, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err // as the transport would have
		}
		c := *req
		c.Body, c.GetBody = bodyReader(data), bodyGetter(data)
		out = &c
	}
	in := &openapi3filter.RequestValidationInput{Request: out, PathParams: params, Route: route, Options: &t.v.options}
	reqErr := t.v.checkRequest(in, data)

	resp, err := t.base.RoundTrip(out)
	if reqErr != nil {
		t.r.Helper()
		if err != nil {
			t.r.Errorf("%v [%s %s, no response: %v]", reqErr, req.Method, req.URL.Path, err)
		} else {
			t.r.Errorf("%v [%s %s, status %d]", reqErr, req.Method, req.URL.Path, resp.StatusCode)
		}
	}
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		// A broken body (an injected fault, say) is the caller's to see;
		// an incomplete body cannot be validated.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
		return resp, nil
	}
	resp.Body = bodyReader(body)
	in.Request = req
	err = openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Body: bodyReader(body), Options: &t.v.options,
	})
	if err != nil {
		t.r.Helper()
		t.r.Errorf("%v [%s %s, status %d]", responseError(route, err), req.Method, req.URL.Path, resp.StatusCode)
	}
	return resp, nil
}

// checkRequest validates the request of in, whose body is data. It hands
// kin-openapi a copy of the request with a reader of its own.
func (v *Validator) checkRequest(in *openapi3filter.RequestValidationInput, data []byte) *ContractError {
	route := in.Route
	if len(data) > MaxRequestBody {
		return bodyError(route, errBodyTooLarge)
	}
	if ce := checkStrict(in.Request, route, data); ce != nil {
		return ce
	}
	c := *in.Request
	c.Body, c.GetBody = bodyReader(data), bodyGetter(data)
	in.Request = &c
	if err := openapi3filter.ValidateRequest(c.Context(), in); err != nil {
		return requestError(route, &c, err)
	}
	return nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
