package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// serveWait bounds every wait on the dnsep serve subprocess: a safety net
// for a loaded machine, never what decides a verdict.
const serveWait = 30 * time.Second

const bannerPrefix = "dnsep fake API listening on "

// serveBanner is what dnsep serve prints as soon as it listens.
type serveBanner struct {
	url, region, vpc string
	subnets          []string // subnet IDs, in the order printed
	cidrs            []string // their CIDRs
}

// serveProc is a dnsep serve subprocess.
type serveProc struct {
	cmd    *exec.Cmd
	done   chan struct{} // closed once the process has exited
	mu     sync.Mutex
	stderr bytes.Buffer
	code   int
}

func (p *serveProc) Write(b []byte) (int, error) { // stderr
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.Write(b)
}

func (p *serveProc) errOutput() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// buildDNSEP builds the dnsep command of the main module (the parent
// directory, which go.mod's replace directive names) into a temporary
// directory, exactly as a user would build it.
func buildDNSEP(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the dnsep binary")
	}
	if runtime.GOOS == "windows" {
		t.Skip("stops dnsep serve with SIGTERM")
	}
	goTool, err := exec.LookPath("go") // go test puts its own go first in PATH
	if err != nil {
		t.Fatalf("no go command to build dnsep: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "dnsep")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin, "github.com/dnsep/dnsep/cmd/dnsep")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startServe starts bin serve with args, reads its banner and stops it
// with a kill at the end of the test if stopServe has not.
func startServe(t *testing.T, bin string, args ...string) (*serveProc, serveBanner) {
	t.Helper()
	p := &serveProc{done: make(chan struct{})}
	p.cmd = exec.Command(bin, append([]string{"serve"}, args...)...)
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // no HW_* or DNSEP_* settings
	p.cmd.Stderr = p
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			select {
			case <-p.done:
			case <-time.After(serveWait):
				t.Errorf("dnsep serve did not exit after a kill")
			}
		}
	})
	banner := make(chan []string, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stdout)
		var lines []string
		sent := false
		for sc.Scan() {
			switch {
			case sent:
			case sc.Text() == "": // the banner ends at the first empty line
				banner <- lines
				sent = true
			default:
				lines = append(lines, sc.Text())
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		_ = p.cmd.Wait()
		p.mu.Lock()
		p.code = p.cmd.ProcessState.ExitCode()
		p.mu.Unlock()
	}()
	select {
	case lines := <-banner:
		b, err := parseBanner(lines)
		if err != nil {
			t.Fatalf("%v; banner:\n%s", err, strings.Join(lines, "\n"))
		}
		return p, b
	case <-p.done:
		t.Fatalf("dnsep serve exited before listening:\n%s", p.errOutput())
	case <-time.After(serveWait):
		t.Fatalf("dnsep serve printed no banner within %s:\n%s", serveWait, p.errOutput())
	}
	panic("unreachable")
}

// parseBanner reads the URL, the region, the VPC and the subnets.
func parseBanner(lines []string) (serveBanner, error) {
	var b serveBanner
	url, ok := strings.CutPrefix(lines[0], bannerPrefix)
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		return b, fmt.Errorf("first line %q, want %q and a loopback URL", lines[0], bannerPrefix+"http://127.0.0.1:PORT")
	}
	b.url = url
	inSubnets := false
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[0] == "region:":
			b.region, inSubnets = f[1], false
		case len(f) == 2 && f[0] == "VPC:":
			b.vpc, inSubnets = f[1], false
		case len(f) == 3 && f[0] == "subnets:":
			b.subnets, b.cidrs, inSubnets = append(b.subnets, f[1]), append(b.cidrs, strings.Trim(f[2], "()")), true
		case inSubnets && len(f) == 2 && strings.HasPrefix(f[1], "("):
			b.subnets, b.cidrs = append(b.subnets, f[0]), append(b.cidrs, strings.Trim(f[1], "()"))
		default:
			inSubnets = false
		}
	}
	if b.region == "" || b.vpc == "" || len(b.subnets) < 2 {
		return b, fmt.Errorf("banner without a region, a VPC and two subnets: %+v", b)
	}
	return b, nil
}

// stopServe sends SIGTERM and fails unless serve exits with code 0.
func stopServe(t *testing.T, p *serveProc) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(serveWait):
		t.Fatalf("dnsep serve did not stop within %s of SIGTERM", serveWait)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.code != 0 {
		t.Errorf("dnsep serve exited with code %d after SIGTERM, want 0:\n%s", p.code, p.stderr.String())
	}
}

// recorder is the SDK's transport: it keeps the last exchange, so that a
// test can compare what the SDK decoded with what was on the wire.
type recorder struct {
	rt   http.RoundTripper
	mu   sync.Mutex
	last exchange
}

// exchange is one request and its answer, bodies in full.
type exchange struct {
	method, url      string
	reqBody          []byte
	status           int
	header           http.Header
	body             []byte
	transportFailure error
}

func (e exchange) String() string {
	if e.transportFailure != nil {
		return e.method + " " + e.url + "\n" + string(e.reqBody) + "\n-> " + e.transportFailure.Error()
	}
	return e.method + " " + e.url + "\n" + string(e.reqBody) + "\n-> " + http.StatusText(e.status) +
		" (" + strconv.Itoa(e.status) + "), X-Request-Id " + e.header.Get("X-Request-Id") + "\n" + string(e.body)
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	ex := exchange{method: req.Method, url: req.URL.String()}
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		ex.reqBody = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := r.rt.RoundTrip(req)
	if err == nil {
		ex.body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(ex.body))
		ex.status, ex.header = resp.StatusCode, resp.Header.Clone()
	}
	ex.transportFailure = err
	r.mu.Lock()
	r.last = ex
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func (r *recorder) lastExchange() exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// loopback is the recorder's transport: no proxy, loopback only.
func loopback(t *testing.T) http.RoundTripper {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}
