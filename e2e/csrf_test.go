package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// attackPage is a page of another origin (another loopback port: the same
// site, so the SameSite=Strict cookie goes along) that, once loaded, posts
// to the dashboard's mutations without the CSRF token: with fetch, then
// with forms, as a page a person visits while logged in could. The faults
// form sends JSON as text/plain, which a form can.
const attackPage = `<!doctype html>
<title>elsewhere</title>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe>
<form id="f1" method="POST" action="%[1]s/dashboard/api/reset" target="sink1"><input name="confirm" value="yes"></form>
<form id="f2" method="POST" action="%[1]s/dashboard/api/faults" target="sink2" enctype="text/plain">
<input name='{"operation":"ListEndpoints","times":5,"kind":"service-error","status":400,"message":"x","ignore":"' value='"}'></form>
<script>
// Resets first, faults last: a reset clears faults, and each must be seen refused on its own.
const body = JSON.stringify({operation: "ListEndpoints", times: 5, kind: "service-error", status: 400, code: "DNS.0302", message: "cross-site"});
const opts = {method: "POST", mode: "no-cors", credentials: "include", headers: {"Content-Type": "text/plain"}};
fetch("%[1]s/dashboard/api/reset", opts).catch(() => {})
	.then(() => fetch("%[1]s/dashboard/api/faults", {...opts, body})).catch(() => {})
	.then(() => {
		document.querySelector("iframe[name=sink1]").onload = () => document.getElementById("f2").submit();
		document.getElementById("f1").submit();
	});
</script>`

// TestCrossSitePostRefused logs in, then visits a page of another origin
// that posts to /dashboard/api/reset and /dashboard/api/faults with the
// session cookie but without the CSRF token: each is refused with 403, the
// endpoint is still there and no fault is pending.
func TestCrossSitePostRefused(t *testing.T) {
	t.Parallel()
	f := startServe(t, serveOptions{Token: "e2e-csrf-token"})
	id := f.createEndpoint(t, "e2e-kept", "inbound", 2)
	b := newBrowser(t)
	b.login(t, f)

	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, attackPage, f.URL)
	}))
	t.Cleanup(attacker.Close)

	// Listen before the visit; the four answers arrive in any order.
	listen, stop := context.WithCancel(b.Ctx)
	defer stop()
	answered := make(chan []string, 1)
	go func() {
		var answers []string
		for ev, err := range chromedp.Events(listen, network.ResponseReceived) {
			if err != nil {
				break
			}
			if strings.HasPrefix(ev.Response.URL, f.URL+"/dashboard/api/") {
				answers = append(answers, fmt.Sprintf("%s %d", strings.TrimPrefix(ev.Response.URL, f.URL), ev.Response.Status))
				if len(answers) == 4 {
					break
				}
			}
		}
		answered <- answers
	}()
	b.do(t, "visit the other origin's page", chromedp.Navigate(attacker.URL))
	var got []string
	select {
	case got = <-answered:
	case <-b.Ctx.Done():
		stop()
		t.Fatalf("the four cross-site posts were not all answered: %q", <-answered)
	}
	stop()
	slices.Sort(got)
	want := []string{"/dashboard/api/faults 403", "/dashboard/api/faults 403", "/dashboard/api/reset 403", "/dashboard/api/reset 403"}
	if !slices.Equal(got, want) {
		t.Errorf("the dashboard answered the cross-site posts with %q, want %q (403: a session but no CSRF token)", got, want)
	}

	// Nothing changed: the endpoint is listed and ListEndpoints has no fault.
	if out := f.mustCLI(t, "endpoint", "list", "-o", "name"); !slices.Contains(strings.Fields(out), id) {
		t.Errorf("after the cross-site posts dnsep endpoint list shows %q, want %s among them", out, id)
	}
	b.do(t, "open the Faults page", chromedp.Navigate(f.URL+"/dashboard/faults"), chromedp.WaitVisible(chromedp.CSS(`table#faults`)))
	if n := eval[int](t, b, `document.querySelectorAll("table#faults tbody tr[data-fault-op]").length`); n != 0 {
		t.Errorf("after the cross-site posts %d faults are pending:\n%s", n, b.text(t))
	}
}

// TestResetFromUI resets the state from the Faults page, with its in-page
// confirmation: the endpoint created through the API is gone. It shows that
// the refusals of TestCrossSitePostRefused come from the missing CSRF
// token, not from a reset that never works.
func TestResetFromUI(t *testing.T) {
	t.Parallel()
	f := startServe(t, serveOptions{Token: "e2e-reset-token"})
	id := f.createEndpoint(t, "e2e-reset-me", "inbound", 2)
	b := newBrowser(t)
	b.login(t, f)
	b.do(t, "reset with confirmation",
		chromedp.Click(chromedp.CSS(`a#nav-faults`)),
		chromedp.Click(chromedp.CSS(`button#reset`)),
		chromedp.Click(chromedp.CSS(`button#reset-confirm`)),
		chromedp.WaitVisible(chromedp.CSS(`#reset-done`)))
	if res := f.cli(t, f.tokenEnv(), "endpoint", "show", id); res.Code != 3 {
		t.Errorf("after the reset dnsep endpoint show %s: exit code %d, stderr %q; want 3 (not found)", id, res.Code, res.Stderr)
	}
}
