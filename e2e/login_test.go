package e2e

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// sessionCookie is the dashboard's session cookie.
const sessionCookie = "dnsep_dashboard"

// TestLoginWithBannerURL opens the banner's dashboard URL: the browser gets
// an HttpOnly, SameSite=Strict session cookie, lands on the page without the
// token in its URL, and the token does not work a second time.
func TestLoginWithBannerURL(t *testing.T) {
	t.Parallel()
	f := startServe(t, serveOptions{Token: "e2e-login-token"})
	b := newBrowser(t)
	b.login(t, f)

	loc := eval[string](t, b, `location.href`)
	if want := f.URL + "/dashboard/"; loc != want {
		t.Errorf("after the login the page is %s, want %s", loc, want)
	}
	if history := eval[string](t, b, `location.search + location.hash`); history != "" {
		t.Errorf("the URL after the login still has %q", history)
	}

	cookies, err := chromedp.Call(b.Ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{f.URL + "/dashboard/"}})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(cookies.Cookies, func(c *network.Cookie) bool { return c.Name == sessionCookie })
	if i < 0 {
		t.Fatalf("no cookie %s after the login; cookies: %v", sessionCookie, cookieNames(cookies.Cookies))
	}
	c := cookies.Cookies[i]
	if !c.HTTPOnly || c.SameSite != network.CookieSameSiteStrict || c.Path != "/dashboard/" {
		t.Errorf("cookie %s: HttpOnly %v, SameSite %q, Path %q; want HttpOnly, Strict, /dashboard/", c.Name, c.HTTPOnly, c.SameSite, c.Path)
	}
	if js := eval[string](t, b, `document.cookie`); strings.Contains(js, sessionCookie) {
		t.Errorf("the page's script can read the session cookie: document.cookie = %q", js)
	}

	// The pages link to each other, and the session carries over.
	for _, page := range []struct{ nav, path string }{
		{"a#nav-requests", "/dashboard/requests"},
		{"a#nav-faults", "/dashboard/faults"},
		{"a#nav-endpoints", "/dashboard/"},
	} {
		b.do(t, "follow "+page.nav, chromedp.Click(chromedp.CSS(page.nav)), chromedp.WaitVisible(chromedp.CSS(page.nav)))
		b.waitFor(t, "the page is "+page.path, `location.pathname === `+jsString(page.path))
	}

	// One-time: a second browser profile with the same URL is turned away.
	fresh := b.freshContext(t)
	resp, err := chromedp.Run(fresh, chromedp.NavigateResponse(f.Dashboard))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 401 {
		t.Errorf("the used login URL answers %d in a fresh browser context, want 401", resp.Status)
	}
}

// TestNoSessionNoData opens every dashboard page, and every resource those
// pages loaded, in a fresh browser context without the session: each
// answers 401 and shows no endpoint.
func TestNoSessionNoData(t *testing.T) {
	t.Parallel()
	f := startServe(t, serveOptions{Token: "e2e-nosession-token"})
	id := f.createEndpoint(t, "secret-inbound", "inbound", 2)
	b := newBrowser(t)
	b.login(t, f)

	// What a logged-in browser loads: the pages, their scripts and styles,
	// and the data behind them.
	urls := map[string]bool{}
	for _, page := range []string{"/dashboard/", "/dashboard/requests", "/dashboard/faults"} {
		b.do(t, "open "+page, chromedp.Navigate(f.URL+page), chromedp.WaitVisible(chromedp.CSS(`a#nav-endpoints`)))
		if page == "/dashboard/" {
			b.waitFor(t, "the endpoint is listed", `document.querySelector(`+jsString("tr"+sel("data-endpoint-id", id))+`) !== null`)
		} else {
			// At least one refresh of the page's data.
			b.waitFor(t, "the page fetched its data", `performance.getEntriesByType("resource").some(e => e.name.includes("/dashboard/api/"))`)
		}
		urls[f.URL+page] = true
		for _, u := range eval[[]string](t, b, `performance.getEntriesByType("resource").map(e => e.name)`) {
			if strings.HasPrefix(u, f.URL+"/dashboard/") {
				urls[stripQuery(u)] = true
			}
		}
	}
	if !slices.ContainsFunc(slices.Collect(maps.Keys(urls)), func(u string) bool { return strings.Contains(u, "/dashboard/api/") }) {
		t.Fatalf("the pages loaded no data from /dashboard/api/: %v", urls)
	}

	fresh := b.freshContext(t)
	for _, u := range slices.Sorted(maps.Keys(urls)) {
		resp, err := chromedp.Run(fresh, chromedp.NavigateResponse(u))
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		if resp.Status != 401 {
			t.Errorf("%s without a session: %d, want 401", u, resp.Status)
		}
		html, err := chromedp.Run(fresh, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
		if err != nil {
			t.Fatal(err)
		}
		if leak := containsAny(html, id, "secret-inbound", f.Subnets[0].ID, f.VPC); leak != "" {
			t.Errorf("%s without a session shows %q:\n%s", u, leak, tail(html, 20))
		}
	}
}

// freshContext opens a tab in a new browser context of the same browser:
// a profile with no cookies, as another person's browser would be.
func (b *browser) freshContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.Ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a fresh browser context: %v", err)
	}
	return ctx
}

func cookieNames(cs []*network.Cookie) []string {
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	return names
}

func stripQuery(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.RawQuery, p.Fragment = "", ""
	return p.String()
}
