package main

import (
	"net"
	"net/http"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/fake/dashboard"
)

// serveDashboardHelp describes the dashboard for dnsep serve --help.
const serveDashboardHelp = `Dashboard: serve also answers at /dashboard/ with a web dashboard of the fake:
the endpoints by direction with their addresses by subnet, the resolver rules
and their VPCs, the request log (the last 10,000 requests, credentials
redacted) and a form to inject faults or reset the fake. The second line of
the output, "dashboard: http://HOST:PORT/dashboard/?token=...", holds a login
token that works once: opening it sets a session cookie (HttpOnly,
SameSite=Strict) and every page without a session answers 401. Changes need
the page's CSRF token. On a non-loopback --listen, anyone who gets that URL or
a session cookie can see and change the fake (there is no TLS).
--no-dashboard serves none and records no requests.`

// withDashboard returns next with the dashboard of srv mounted at
// /dashboard/, and the URL that logs a browser in, for the banner.
func withDashboard(next http.Handler, srv *fake.Server, addr net.Addr) (http.Handler, string, error) {
	d, err := dashboard.New(srv)
	if err != nil {
		return nil, "", err
	}
	mux := http.NewServeMux()
	mux.Handle("/dashboard/", d)
	mux.Handle("/", next)
	return mux, d.LoginURL("http://" + addr.String()), nil
}
