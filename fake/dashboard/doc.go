// Package dashboard is a web dashboard of a fake endpoint service (package
// fake): its endpoints by direction with their addresses by subnet, its
// resolver rules and their VPCs, its request log, and its pending faults,
// where a person can also inject faults and reset the fake. dnsep serve
// mounts one at /dashboard/; a test or a program can mount one beside a
// fake.NewTestServer.
//
// The pages are plain HTML, JavaScript and CSS embedded in the binary: no
// build step, nothing loaded from another site. Their scripts fetch JSON
// from /dashboard/api/ about once a second while the tab is visible and
// update the page in place.
//
// # Security
//
// The fake holds no secrets worth much, but the dashboard can change its
// state and shows what clients sent it, so it is gated:
//
//   - LoginURL hands out a one-time login token (32 random bytes). Opening
//     the URL trades it for a session cookie (HttpOnly, SameSite=Strict,
//     Path=/dashboard/) and redirects to the same page without the token.
//   - Without a live session every path answers 401 and shows nothing of
//     the fake. Sessions end after an idle time (WithIdleTimeout), and at
//     most WithSessionLimit of them live at once.
//   - Changes are POSTs that need the session, the page's CSRF token in
//     X-CSRF-Token, and to pass http.CrossOriginProtection; else 403.
//   - Every answer carries a strict Content-Security-Policy (no inline
//     script or style, no framing), nosniff, no-referrer and no-store.
//     Recorded paths and bodies come from any client of the fake, so the
//     scripts render them only as text.
//   - Credentials are redacted as the fake's recorder redacts them.
//
// There is no TLS: on a listener other than loopback, anyone who can
// reach it and has the login URL or a session cookie can see and change
// the fake.
package dashboard
