package main

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/dnsep/dnsep/wrapper"
	"github.com/dnsep/dnsep/wrapper/iam"
)

// gatewayNotFound reports whether err is a 404 that is not the service's,
// such as the API gateway's APIGW.0101: no API has the request's path, as
// under a wrong base URL. Unlike the service's own 404s it says nothing
// about the resource.
func gatewayNotFound(err error) bool { return errors.Is(err, wrapper.ErrNoSuchAPI) }

// iamRefused reports whether err is IAM refusing the password
// authentication: a wrong password, or a user that may not log in.
func iamRefused(err error) bool {
	e, ok := errors.AsType[*iam.Error](err)
	return ok && (e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden)
}

// wrongURLHint says that the API URL of the last client, and the setting it
// came from, may be wrong.
func (a *app) wrongURLHint() string {
	url := redactURL(a.apiURL)
	switch a.apiURLSource {
	case fromEndpointFlag:
		return fmt.Sprintf("the API path does not exist at %s: is --endpoint right?", url)
	case fromEndpointEnv:
		return fmt.Sprintf("the API path does not exist at %s: is DNSEP_ENDPOINT right? (--endpoint overrides it)", url)
	}
	return fmt.Sprintf("the API path does not exist at %s, %s: is the region right, or does the API live elsewhere (--endpoint)?", url, a.apiURLSource)
}
