package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Credentials that the test chooses, so that it can look for them in the
// page. None of them may appear there.
const (
	faultToken     = "e2e-fault-token-4c1f9a"
	faultAccessKey = "E2EACCESSKEY7Q"
	faultSecretKey = "e2e-secret-key-b38d0e"
	faultProject   = "0123456789abcdef0123456789abcdef"
	faultUser      = "e2e-user"
	faultDomain    = "e2e-domain"
	faultPassword  = "e2e-password-91ce7d"
)

// The fault that the test injects through the Faults form: a 400, which
// the client does not retry, with a message no other answer has.
const (
	faultOp      = "ShowEndpoint"
	faultCode    = "DNS.0302"
	faultMessage = "e2e injected fault 6a2d"
)

// iamOp is the operation of the fake IAM's POST /v3/auth/tokens.
const iamOp = "KeystoneCreateUserTokenByPassword"

// TestFaultFromUIReachesCLI injects a fault in the Faults form, sees the
// next CLI call get it and the pending list empty, then finds that call in
// the request log, filtered by operation and by status, with its detail
// and no credential anywhere in the page: not the token, the secret key,
// a signature or the IAM password, of calls made with each of the three.
func TestFaultFromUIReachesCLI(t *testing.T) {
	t.Parallel()
	pwFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pwFile, []byte(faultPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := startServe(t, serveOptions{
		Token: faultToken,
		Args:  []string{"--access-key", faultAccessKey, "--user", faultUser, "--domain", faultDomain, "--password-file", pwFile},
		Env:   []string{"DNSEP_SERVE_SECRET_KEY=" + faultSecretKey},
	})
	id := f.createEndpoint(t, "e2e-faulty", "inbound", 2)
	b := newBrowser(t)
	b.login(t, f)

	// Inject: ShowEndpoint answers the next call with a 400.
	b.do(t, "open the Faults page", chromedp.Click(chromedp.CSS(`a#nav-faults`)), chromedp.WaitVisible(chromedp.CSS(`form#fault-form`)))
	for _, field := range [][2]string{
		{"select#fault-op", faultOp}, {"input#fault-times", "1"}, {"select#fault-kind", "service-error"},
		{"input#fault-status", "400"}, {"input#fault-code", faultCode}, {"input#fault-message", faultMessage},
	} {
		b.setField(t, field[0], field[1])
	}
	b.do(t, "submit the fault", chromedp.Click(chromedp.CSS(`button#fault-submit`)))
	pending := `table#faults tbody tr` + sel("data-fault-op", faultOp) + ` td.left`
	b.waitFor(t, "the fault is pending once", `document.querySelector(`+jsString(pending)+`)?.textContent.trim() === "1"`)

	// The next call gets it; the one after does not.
	res := f.cli(t, f.tokenEnv(), "endpoint", "show", id)
	if res.Code != 1 || !strings.Contains(res.Stderr, faultMessage) || !strings.Contains(res.Stderr, faultCode) || !strings.Contains(res.Stderr, "400") {
		t.Fatalf("dnsep endpoint show with the fault pending: exit code %d, stderr %q; want 1 and the fault's 400 %s %q", res.Code, res.Stderr, faultCode, faultMessage)
	}
	b.waitFor(t, "the pending list is empty", `document.querySelectorAll("table#faults tbody tr[data-fault-op]").length === 0`)
	signed := []string{"DNSEP_ENDPOINT=" + f.URL, "HW_REGION_NAME=" + f.Region,
		"HW_ACCESS_KEY=" + faultAccessKey, "HW_SECRET_KEY=" + faultSecretKey, "HW_PROJECT_ID=" + faultProject}
	password := []string{"DNSEP_ENDPOINT=" + f.URL, "HW_REGION_NAME=" + f.Region, "HW_AUTH_URL=" + f.URL + "/v3",
		"HW_USER_NAME=" + faultUser, "HW_DOMAIN_NAME=" + faultDomain, "HW_USER_PASSWORD=" + faultPassword}
	for _, env := range [][]string{signed, password} {
		if res := f.cli(t, env, "endpoint", "show", id); res.Code != 0 {
			t.Fatalf("dnsep endpoint show after the fault, as %s: exit code %d, stderr %q", env[2], res.Code, res.Stderr)
		}
	}

	// The request log, filtered by operation: the failed call, then the
	// signed one and the one with the IAM token.
	b.do(t, "open the Requests page", chromedp.Click(chromedp.CSS(`a#nav-requests`)), chromedp.WaitVisible(chromedp.CSS(`table#requests`)))
	b.waitFor(t, "the log shows CreateEndpoint", shownRowsJS+`.some(r => r.querySelector("td.op")?.textContent.trim() === "CreateEndpoint")`)
	b.setField(t, "select#filter-op", faultOp)
	b.waitFor(t, "the log shows the three ShowEndpoint calls and nothing else", fmt.Sprintf(`(() => {
		const ops = %s.map(r => r.querySelector("td.op")?.textContent.trim());
		return ops.length === 3 && ops.every(op => op === %s);
	})()`, shownRowsJS, jsString(faultOp)))
	b.setField(t, "input#filter-status", "4xx")
	b.waitFor(t, "the status filter leaves the failed call alone", fmt.Sprintf(`(() => {
		const rows = %s;
		return rows.length === 1 && rows[0].querySelector("td.status")?.textContent.trim() === "400" && rows[0].querySelector("td.code")?.textContent.trim() === %s;
	})()`, shownRowsJS, jsString(faultCode)))
	b.openRow(t, 0)
	b.waitFor(t, "the detail shows the fault's answer", `document.querySelector("pre#detail-response-body")?.textContent.includes(`+jsString(faultMessage)+`)`)
	b.noCredentials(t, "the detail of the call with the token", "Authorization")

	// The signed call's detail: its Authorization header held a signature.
	b.setField(t, "input#filter-status", "200")
	b.waitFor(t, "two successful ShowEndpoint calls", shownRowsJS+`.length === 2`)
	for i := range 2 {
		b.openRow(t, i)
		b.waitFor(t, "the detail shows the endpoint", `document.querySelector("pre#detail-response-body")?.textContent.includes(`+jsString(id)+`)`)
		b.noCredentials(t, "the detail of a successful call")
	}

	// The IAM call's detail: its request body held the password. The
	// operation filter offers the API document's operations, so the IAM
	// call is found by its status: 201, which no DNS operation answers.
	b.setField(t, "select#filter-op", "")
	b.setField(t, "input#filter-status", "201")
	b.waitFor(t, "the log shows the IAM call alone", shownRowsJS+`.length === 1 && `+shownRowsJS+`[0].querySelector("td.op")?.textContent.trim() === `+jsString(iamOp))
	b.openRow(t, 0)
	b.waitFor(t, "the detail shows the IAM request body, redacted", `document.querySelector("pre#detail-request-body")?.textContent.includes("REDACTED")`)
	b.noCredentials(t, "the detail of the IAM call")
}

// shownRowsJS evaluates to the rows of the request log that the page
// shows: a filter may remove rows or only hide them.
const shownRowsJS = `[...document.querySelectorAll("table#requests tbody tr[data-request-id]")].filter(r => r.getClientRects().length > 0)`

// openRow clicks the i-th row that the request log shows, as a person
// would, and waits for the detail pane.
func (b *browser) openRow(t *testing.T, i int) {
	t.Helper()
	id := eval[string](t, b, fmt.Sprintf(`%s[%d]?.dataset.requestId || ""`, shownRowsJS, i))
	if id == "" {
		t.Fatalf("the request log shows no row %d:\n%s", i, b.text(t))
	}
	b.do(t, "open the detail of request "+id,
		chromedp.Click(chromedp.CSS("table#requests tbody tr"+sel("data-request-id", id)+" td.op")),
		chromedp.WaitVisible(chromedp.CSS(`#request-detail`)))
}

// noCredentials fails the test when the page's whole HTML holds a
// credential of TestFaultFromUIReachesCLI, or one of more.
func (b *browser) noCredentials(t *testing.T, where string, more ...string) {
	t.Helper()
	html := b.html(t)
	needles := append([]string{faultToken, faultSecretKey, faultPassword, "Signature=", "SDK-HMAC-SHA256"}, more...)
	if leak := containsAny(html, needles...); leak != "" {
		i := strings.Index(html, leak)
		t.Errorf("%s: the page holds %q: ...%s...", where, leak, html[max(i-200, 0):min(i+200, len(html))])
	}
}
