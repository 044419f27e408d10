package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pollEvery is how often a wait re-reads the DOM. The dashboard refreshes
// about every second; a verdict never rests on this value.
const pollEvery = 100 * time.Millisecond

// login opens the banner's one-time URL and waits for the Endpoints page.
func (b *browser) login(t *testing.T, f *fakeAPI) {
	t.Helper()
	b.do(t, "log in with the banner's URL",
		chromedp.Navigate(f.Dashboard),
		chromedp.WaitVisible(chromedp.CSS(`a#nav-endpoints`)))
}

// do runs the steps in the tab and fails the test, naming what, on an error.
func (b *browser) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.Ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitFor polls the JavaScript expression in the page until it is truthy.
// A navigation ends the wait with an error, so a wait also proves that the
// page changed in place.
func (b *browser) waitFor(t *testing.T, what, expr string) {
	t.Helper()
	_, err := chromedp.Run(b.Ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(pollEvery), chromedp.WithPollingTimeout(0)))
	if err != nil {
		if len(expr) > 200 {
			expr = expr[:200] + "..."
		}
		t.Fatalf("waiting until %s (%s): %v\npage text:\n%s", what, expr, err, b.text(t))
	}
}

// eval evaluates the JavaScript expression in the page into a T.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// text returns the visible text of the page, for failure messages.
func (b *browser) text(t *testing.T) string {
	ctx, cancel := context.WithTimeout(b.tab, screenshotTime)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return fmt.Sprintf("(no text: %v)", err)
	}
	return tail(s, 60)
}

// html returns the whole HTML of the page as the DOM holds it now,
// scripts, attributes and the text of every pane included.
func (b *browser) html(t *testing.T) string {
	t.Helper()
	return eval[string](t, b, `document.documentElement.outerHTML`)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// sel is a CSS attribute selector [name="value"].
func sel(name, value string) string {
	return "[" + name + "=" + jsString(value) + "]"
}

// setField sets a form field as a person would leave it: the value, then
// the input and change events that the page's script may listen to. It
// fails the test when the field refuses the value, as a select does for a
// value it has no option for.
func (b *browser) setField(t *testing.T, css, value string) {
	t.Helper()
	got := eval[string](t, b, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		if (!el) return "(no element)";
		el.value = %s;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return el.value;
	})()`, jsString(css), jsString(value)))
	if got != value {
		t.Fatalf("setting %s to %q: it holds %q", css, value, got)
	}
}

// containsAny returns the first of needles that s contains, or "".
func containsAny(s string, needles ...string) string {
	for _, n := range needles {
		if n != "" && strings.Contains(s, n) {
			return n
		}
	}
	return ""
}
