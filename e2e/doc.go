// Package e2e holds the browser tests of the dashboard of dnsep serve.
//
// The tests build the dnsep command from the repository, run `dnsep serve`
// as a subprocess per test, drive headless Chromium against its dashboard
// with chromedp, and make API calls with the same dnsep binary, as a person
// with a browser and a shell would. The package is a module of its own so
// that users of github.com/dnsep/dnsep never download chromedp; it does not
// import the main module: the two meet on the wire.
//
// Chromium is found through $DNSEP_CHROMIUM, else chromium, chromium-browser
// or google-chrome on the PATH. Without it the tests are skipped, or fail
// when $DNSEP_E2E_REQUIRE is 1 (as in CI). Run them with `make e2e`; on a
// failure each test saves a screenshot of its page as a test artifact.
//
// TestScreenshot, which only runs when $DNSEP_SCREENSHOT names a PNG file,
// regenerates the README's picture of the dashboard (`make screenshot`).
package e2e
