package e2e

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// maxScreenshot keeps the committed picture small.
const maxScreenshot = 300 << 10

// TestScreenshot writes a picture of the Endpoints page, in the state that
// `dnsep demo` builds, to the PNG file named by $DNSEP_SCREENSHOT (`make
// screenshot` regenerates docs/dashboard.png with it). Without the variable
// it is skipped.
func TestScreenshot(t *testing.T) {
	path := os.Getenv("DNSEP_SCREENSHOT")
	if path == "" {
		t.Skip("set DNSEP_SCREENSHOT=FILE.png to write a screenshot of the dashboard")
	}
	f := startServe(t, serveOptions{})
	s0, s1 := f.Subnets[0], f.Subnets[1]

	// What dnsep demo creates (cmd/dnsep/demo.go and demorules.go): an
	// inbound endpoint with three addresses, an outbound one with two, and
	// a rule for corp.example. with two targets, associated with the VPC.
	in := f.createEndpointIPs(t, "demo-inbound", "inbound", "subnet="+s0.ID+",ip=192.168.0.10", "subnet="+s0.ID, "subnet="+s1.ID)
	out := f.createEndpointIPs(t, "demo-outbound", "outbound", "subnet="+s0.ID, "subnet="+s1.ID)
	f.mustCLI(t, "wait", "endpoint", out, "--for", "active")
	rule := f.createRule(t, "corp", "corp.example.", out, "10.1.0.53", "10.1.1.53")
	// A few reads, and the refusal the demo shows, so the log is not empty.
	f.mustCLI(t, "endpoint", "list")
	f.mustCLI(t, "ip", "list", in)
	f.mustCLI(t, "rule", "list")
	if res := f.cli(t, f.tokenEnv(), "endpoint", "delete", out, "--yes"); res.Code == 0 {
		t.Fatalf("deleting the outbound endpoint that a rule uses succeeded; the demo shows it refused")
	}

	b := newBrowser(t)
	b.login(t, f)
	b.waitFor(t, "the demo's endpoints and rule are listed",
		`document.querySelector('tr[data-endpoint-id=`+jsString(in)+`]') && document.querySelector('tr[data-endpoint-id=`+jsString(out)+`]') && document.querySelector('tr[data-rule-id=`+jsString(rule)+`]')`)
	b.do(t, "size the page", chromedp.EmulateViewport(viewWidth, viewHeight))
	png, err := chromedp.Run(b.Ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if len(png) > maxScreenshot {
		t.Fatalf("the screenshot has %d bytes, more than %d", len(png), maxScreenshot)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", path, len(png))
}
