package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// testTimeout bounds the browser actions of one test.
	testTimeout = 60 * time.Second
	// browserLifetime bounds the whole browser, the failure screenshot
	// included, so that a wedged Chromium cannot outlive the test.
	browserLifetime = testTimeout + 30*time.Second
	screenshotTime  = 10 * time.Second
)

// The viewport of every test, and of the README's screenshot.
const viewWidth, viewHeight = 1280, 900

// chromiumNames are looked up on the PATH when $DNSEP_CHROMIUM is not set.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome"}

// chromiumPath returns the Chromium to drive. Without one it skips the
// test, or fails it when $DNSEP_E2E_REQUIRE is 1, as CI sets it: there a
// missing browser must not pass as a green run.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("DNSEP_CHROMIUM"); p != "" {
		found, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("DNSEP_CHROMIUM=%s: %v", p, err)
		}
		return found
	}
	for _, name := range chromiumNames {
		if found, err := exec.LookPath(name); err == nil {
			return found
		}
	}
	msg := "no Chromium: set DNSEP_CHROMIUM or put one of " + strings.Join(chromiumNames, ", ") +
		" on the PATH (Debian: apt-get install chromium)"
	if os.Getenv("DNSEP_E2E_REQUIRE") == "1" {
		t.Fatal(msg + "; DNSEP_E2E_REQUIRE=1 makes this a failure")
	}
	t.Skip(msg)
	return ""
}

// browser is a headless Chromium of one test, with a profile of its own.
type browser struct {
	// Ctx is the first tab, bounded by testTimeout: run the test's
	// actions with it.
	Ctx context.Context
	// tab is the same tab without the test's bound, for the screenshot.
	tab context.Context
}

// newBrowser starts Chromium for t, in a new empty profile. When t fails it
// saves a full-page screenshot of the tab to t.ArtifactDir().
func newBrowser(t *testing.T) *browser {
	t.Helper()
	exe := chromiumPath(t)
	profile := t.TempDir() // removed after the browser exits: cleanups run last in, first out
	output := new(syncBuffer)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		// Root in a container has no sandbox to offer; the pages are the
		// test's own, on loopback.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// Without these Chromium reaches for the network, which CI may not have.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.WindowSize(viewWidth, viewHeight),
		chromedp.CombinedOutput(output),
	)
	life, cancelLife := context.WithTimeout(context.Background(), browserLifetime)
	alloc, cancelAlloc := chromedp.NewExecAllocator(life, opts...)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit
		cancelLife()
		if t.Failed() {
			t.Logf("Chromium output:\n%s", tail(withoutDBus(output.String()), 40))
		}
	})
	// The first Run starts the browser, which lives as long as the context
	// of that run: the unbounded tab, not the test's deadline.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	ctx, cancel := context.WithTimeout(tab, testTimeout)
	t.Cleanup(cancel)
	b := &browser{Ctx: ctx, tab: tab}
	t.Cleanup(func() {
		if t.Failed() {
			b.screenshot(t, filepath.Join(t.ArtifactDir(), "failure.png"))
		}
	})
	return b
}

// screenshot saves a full-page PNG of the tab to path.
func (b *browser) screenshot(t *testing.T, path string) {
	ctx, cancel := context.WithTimeout(b.tab, screenshotTime)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	t.Logf("screenshot of the page: %s", path)
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// withoutDBus drops Chromium's complaints about the missing D-Bus of a
// container, which bury what matters.
func withoutDBus(s string) string {
	var keep []string
	for line := range strings.Lines(s) {
		if !strings.Contains(line, "dbus/") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}
