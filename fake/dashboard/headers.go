package dashboard

import (
	"encoding/json"
	"net/http"
	"strings"
)

// csp lets a page load scripts, styles, images and data from the
// dashboard's own origin and nothing else: no inline script or style, no
// frame around it, no form posting elsewhere. Data in the request log comes
// from any client that can reach the fake, so a page must never run it.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secureHeaders sets the headers every answer of the dashboard carries.
func secureHeaders(h http.Header) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
}

// noSessionPage is the whole answer to a request without a session: it
// says how to get one and shows nothing of the fake.
const noSessionPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dnsep dashboard: not logged in</title></head>
<body><h1>Not logged in</h1>
<p>Open the dashboard with the URL on the <code>dashboard:</code> line that <code>dnsep serve</code> printed.
That URL works once; restart <code>dnsep serve</code> for a new one.</p></body></html>
`

// denyNoSession answers 401 without a session: JSON under /dashboard/api/,
// a small page elsewhere.
func denyNoSession(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, prefix+"api/") {
		writeJSON(w, http.StatusUnauthorized, apiError{"not logged in: open the dashboard with the URL on the dashboard: line that dnsep serve printed"})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte(noSessionPage))
}

// denyForbidden answers 403 to a mutation that failed the cross-origin or
// CSRF check.
func denyForbidden(w http.ResponseWriter, why string) {
	writeJSON(w, http.StatusForbidden, apiError{why})
}

// apiError is the body of an error answer of /dashboard/api/.
type apiError struct {
	Error string `json:"error"`
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding the answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}
