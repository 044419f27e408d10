package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

// serveWait bounds every wait of the serve tests.
const serveWait = 10 * time.Second

const serveBanner = "dnsep fake API listening on "

// serveTwoIPs asks for two addresses in the default subnet.
var serveTwoIPs = []wrapper.IPAddressInfo{{SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnetID}}

// serveProc is a dnsep serve subprocess.
type serveProc struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	done   chan struct{} // closed once the process has exited
	mu     sync.Mutex
	stdout strings.Builder
	stderr strings.Builder
	code   int
}

func (p *serveProc) output() (stdout, stderr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String(), p.stderr.String()
}

type serveLockedBuilder struct{ p *serveProc }

func (w serveLockedBuilder) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.stderr.Write(b)
}

// startServe starts bin serve with args and waits for the first line of its
// output, the base URL.
func startServe(t *testing.T, bin string, args ...string) *serveProc {
	t.Helper()
	p := &serveProc{t: t, done: make(chan struct{})}
	p.cmd = exec.Command(bin, append([]string{"serve"}, args...)...)
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // no HW_* or DNSEP_* settings
	p.cmd.Stderr = serveLockedBuilder{p}
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
	first := make(chan string, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stdout)
		n := 0
		for sc.Scan() {
			p.mu.Lock()
			p.stdout.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if n++; n == 1 {
				first <- sc.Text()
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		err := p.cmd.Wait()
		p.mu.Lock()
		p.code = p.cmd.ProcessState.ExitCode()
		if err != nil && p.code == 0 {
			p.code = -1
		}
		p.mu.Unlock()
	}()
	select {
	case line := <-first:
		url, ok := strings.CutPrefix(line, serveBanner)
		if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Fatalf("first line %q, want %q and a loopback URL", line, serveBanner+"http://HOST:PORT")
		}
		p.url = url
	case <-p.done:
		_, errOut := p.output()
		t.Fatalf("dnsep serve exited with code %d before listening:\n%s", p.code, errOut)
	case <-time.After(serveWait):
		t.Fatalf("dnsep serve printed no URL within %s", serveWait)
	}
	return p
}

// waitStdout waits until the output holds want, and reports whether it does.
func (p *serveProc) waitStdout(want string) bool {
	deadline := time.Now().Add(serveWait)
	for {
		stdout, _ := p.output()
		if strings.Contains(stdout, want) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stop sends SIGTERM and returns the exit code.
func (p *serveProc) stop() int {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(serveWait):
		p.t.Fatalf("dnsep serve did not stop within %s of SIGTERM", serveWait)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.code
}

// buildDNSEP builds the command once for a test and its subtests.
func buildDNSEP(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the dnsep binary")
	}
	if runtime.GOOS == "windows" {
		t.Skip("stops dnsep serve with SIGTERM")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build dnsep")
	}
	bin := filepath.Join(t.TempDir(), "dnsep")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serveView is what the API shows: every endpoint and its addresses.
type serveView struct {
	Endpoints []wrapper.Endpoint
	IPs       map[string][]wrapper.IPAddress
}

func readServe(t *testing.T, c *wrapper.Client) serveView {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), serveWait)
	defer cancel()
	v := serveView{IPs: map[string][]wrapper.IPAddress{}}
	for _, d := range []wrapper.Direction{wrapper.Inbound, wrapper.Outbound} {
		eps, err := c.ListAllEndpoints(ctx, wrapper.ListEndpointsParams{Direction: d})
		if err != nil {
			t.Fatal(err)
		}
		v.Endpoints = append(v.Endpoints, eps...)
	}
	for _, ep := range v.Endpoints {
		ips, err := c.ListEndpointIpaddresses(ctx, ep.ID)
		if err != nil {
			t.Fatal(err)
		}
		v.IPs[ep.ID] = ips
	}
	return v
}

func serveClient(t *testing.T, url string, auth wrapper.Option) *wrapper.Client {
	t.Helper()
	c, err := wrapper.New(url, auth, wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestServe(t *testing.T) {
	bin := buildDNSEP(t)
	poll := wrapper.WithPollDelay(10*time.Millisecond, 50*time.Millisecond)

	t.Run("restart keeps the state", func(t *testing.T) {
		t.Parallel()
		state := filepath.Join(t.TempDir(), "state.json")
		p := startServe(t, bin, "--listen", "127.0.0.1:0", "--token", "T", "--state", state, "--delay", "0")
		c := serveClient(t, p.url, wrapper.WithToken("T"))
		ctx, cancel := context.WithTimeout(t.Context(), serveWait)
		defer cancel()

		ep, err := c.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{Name: "kept", Direction: wrapper.Inbound, Region: "cn-north-4",
			Ipaddresses: []wrapper.IPAddressInfo{{SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnet2ID}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.WaitEndpointActive(ctx, ep.ID, poll); err != nil {
			t.Fatal(err)
		}
		if _, err := c.AssociateEndpointIpaddress(ctx, ep.ID, wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnet2ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.WaitEndpointActive(ctx, ep.ID, poll); err != nil {
			t.Fatal(err)
		}
		ips, err := c.ListEndpointIpaddresses(ctx, ep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.DisassociateEndpointIpaddress(ctx, ep.ID, ips[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.WaitIpaddressGone(ctx, ep.ID, ips[0].ID, poll); err != nil {
			t.Fatal(err)
		}
		out, err := c.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{Name: "out", Direction: wrapper.Outbound, Region: "cn-north-4",
			Ipaddresses: []wrapper.IPAddressInfo{{SubnetID: fake.DefaultSubnet2ID}, {SubnetID: fake.DefaultSubnet2ID}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.WaitEndpointActive(ctx, out.ID, poll); err != nil {
			t.Fatal(err)
		}
		before := readServe(t, c)
		if len(before.Endpoints) != 2 || len(before.IPs[ep.ID]) != 3 {
			t.Fatalf("before the restart: %+v", before)
		}

		// Saved after every write, before the answer.
		data, err := os.ReadFile(state)
		if err != nil || !strings.Contains(string(data), out.ID) {
			t.Errorf("the state file does not hold the last endpoint yet (%v):\n%s", err, data)
		}
		if code := p.stop(); code != 0 {
			_, errOut := p.output()
			t.Fatalf("exit code %d after SIGTERM, want 0:\n%s", code, errOut)
		}
		data, err = os.ReadFile(state)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Version int }
		if err := json.Unmarshal(data, &doc); err != nil || doc.Version != 1 {
			t.Fatalf("state file is not a version 1 state (%v):\n%s", err, data)
		}
		if fi, err := os.Stat(state); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("state file mode %v (%v), want 0600", fi.Mode(), err)
		}
		if entries, _ := os.ReadDir(filepath.Dir(state)); len(entries) != 1 {
			t.Errorf("temporary files left next to the state: %v", entries)
		}

		// The saved token works without --token.
		p2 := startServe(t, bin, "--listen", "127.0.0.1:0", "--state", state, "--delay", "0")
		if !p2.waitStdout("HW_AUTH_TOKEN=T ") {
			stdout, _ := p2.output()
			t.Errorf("the restarted fake does not print the saved token:\n%s", stdout)
		}
		after := readServe(t, serveClient(t, p2.url, wrapper.WithToken("T")))
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("after the restart (-before +after):\n%s", diff)
		}
		if code := p2.stop(); code != 0 {
			t.Errorf("exit code %d after SIGTERM, want 0", code)
		}
		if _, errOut := p2.output(); strings.Contains(errOut, "warning") {
			t.Errorf("warning on loopback:\n%s", errOut)
		}
	})

	t.Run("AK/SK", func(t *testing.T) {
		t.Parallel()
		const secret = "S3cretKeyValue-never-shown"
		p := startServe(t, bin, "--debug", "--listen", "127.0.0.1:0", "--access-key", "AKLOCAL", "--secret-key", secret, "--project-id", "p1", "--delay", "0")
		ctx, cancel := context.WithTimeout(t.Context(), serveWait)
		defer cancel()
		c := serveClient(t, p.url, wrapper.WithAKSK("AKLOCAL", secret, "p1"))
		ep, err := c.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{Name: "signed", Direction: wrapper.Outbound, Region: "cn-north-4", Ipaddresses: serveTwoIPs})
		if err != nil {
			t.Fatalf("signed create: %v", err)
		}
		if _, err := c.WaitEndpointActive(ctx, ep.ID, poll); err != nil {
			t.Fatal(err)
		}
		for name, auth := range map[string]wrapper.Option{
			"wrong secret key": wrapper.WithAKSK("AKLOCAL", "wrong", "p1"),
			"wrong project":    wrapper.WithAKSK("AKLOCAL", secret, "p2"),
			"wrong token":      wrapper.WithToken("nope"),
		} {
			if _, err := serveClient(t, p.url, auth).ShowEndpoint(ctx, ep.ID); !wrapper.IsUnauthorized(err) {
				t.Errorf("%s: %v, want 401", name, err)
			}
		}
		if code := p.stop(); code != 0 {
			t.Errorf("exit code %d after SIGTERM, want 0", code)
		}
		stdout, stderr := p.output()
		for _, want := range []string{"AKLOCAL", "HW_ACCESS_KEY=AKLOCAL", "HW_PROJECT_ID=p1", fake.DefaultVPCID,
			fake.DefaultSubnetID + " (192.168.0.0/24)", fake.DefaultSubnet2ID + " (192.168.1.0/24)", "export DNSEP_ENDPOINT=" + p.url + " HW_AUTH_TOKEN=",
			"dnsep rule create --name corp --domain corp.example. --endpoint-id ENDPOINT_ID", "dnsep rule associate RULE_ID --vpc " + fake.DefaultVPCID} {
			if !strings.Contains(stdout, want) {
				t.Errorf("the output does not show %q:\n%s", want, stdout)
			}
		}
		if !strings.Contains(stderr, "operation=CreateEndpoint") || !strings.Contains(stderr, "status=202") {
			t.Errorf("--debug logged no requests:\n%s", stderr)
		}
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("the secret key was printed:\n%s\n%s", stdout, stderr)
		}
		if strings.Contains(stderr, "SDK-HMAC-SHA256") || strings.Contains(stderr, "Signature=") {
			t.Errorf("credentials were logged:\n%s", stderr)
		}
	})

	t.Run("usage error does not start", func(t *testing.T) {
		t.Parallel()
		cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--access-key", "AK")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		done := make(chan error, 1)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(serveWait):
			_ = cmd.Process.Kill()
			<-done
			t.Fatal("dnsep serve --access-key without --secret-key did not exit")
		}
		if code := cmd.ProcessState.ExitCode(); code != exitUsage || stdout.Len() != 0 || !strings.Contains(stderr.String(), "--secret-key") {
			t.Errorf("exit %d, stdout %q, stderr %q; want exit 2, no output and a message", code, stdout.String(), stderr.String())
		}
	})
}

// TestServeInProcess runs serve in the test's process, under the race
// detector, and stops it by cancelling its context.
func TestServeInProcess(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	pr, pw := io.Pipe()
	var errOut strings.Builder
	errW := &lockedWriter{w: &errOut}
	a := newApp(pw, errW, func(string) string { return "" })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	exit := make(chan int, 1)
	go func() {
		exit <- a.run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--state", state, "--delay", "0", "--seed", "3"})
		pw.Close()
	}()
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var url, token string
	timeout := time.After(serveWait)
	for token == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve ended before printing the token: exit %d", <-exit)
			}
			if u, ok := strings.CutPrefix(line, serveBanner); ok {
				url = u
			}
			if tok, ok := strings.CutPrefix(strings.TrimSpace(line), "token:"); ok {
				token = strings.TrimSpace(tok)
			}
		case <-timeout:
			t.Fatal("no URL and token within the time limit")
		}
	}
	go func() { // keep the pipe drained
		for range lines {
		}
	}()
	if !strings.HasPrefix(token, "fake-") || url == "" {
		t.Fatalf("URL %q, token %q", url, token)
	}
	c := serveClient(t, url, wrapper.WithToken(token))
	rctx, rcancel := context.WithTimeout(t.Context(), serveWait)
	defer rcancel()
	var wg sync.WaitGroup
	for i := range 4 { // concurrent writes, each saved
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.CreateEndpoint(rctx, wrapper.CreateEndpointRequest{Name: "e" + string(rune('0'+i)), Direction: wrapper.Inbound, Region: "cn-north-4", Ipaddresses: serveTwoIPs})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	want := readServe(t, c)
	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("exit %d, want 0:\n%s", code, errOut.String())
		}
	case <-time.After(serveWait):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	data, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := fake.New(fake.WithState(data))
	if err != nil {
		t.Fatal(err)
	}
	if srv.Token() != token {
		t.Errorf("saved token %q, want %q", srv.Token(), token)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	got := readServe(t, serveClient(t, hs.URL, wrapper.WithToken(token)))
	if diff := cmp.Diff(want, got); diff != "" || len(got.Endpoints) != 4 {
		t.Errorf("the saved state (-served +saved):\n%s", diff)
	}
	if !strings.Contains(errOut.String(), "state saved to "+state) {
		t.Errorf("stderr %q", errOut.String())
	}
}

func TestServeErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.json")
	if err := os.WriteFile(garbage, []byte("not a state"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--access-key", "AK"}, exitUsage, "--access-key and --secret-key go together"},
		{[]string{"--secret-key", "SK-not-shown"}, exitUsage, "--access-key and --secret-key go together"},
		{[]string{"--token", ""}, exitUsage, "--token must not be empty"},
		{[]string{"--delay", "-1s"}, exitUsage, "--delay must not be negative"},
		{[]string{"--seed", "x"}, exitUsage, "invalid argument"},
		{[]string{"extra"}, exitUsage, "want 0 argument(s)"},
		{[]string{"--state", garbage}, exitFailure, "--state " + garbage + ": fake: state: not a saved state"},
		{[]string{"--state", filepath.Join(dir, "no-such-dir", "state.json")}, exitFailure, "--state " + filepath.Join(dir, "no-such-dir", "state.json") + ": directory"},
		{[]string{"--listen", "127.0.0.1:http-not-a-port"}, exitUsage, `--listen "127.0.0.1:http-not-a-port": "http-not-a-port" is not a port`},
		{[]string{"--listen", "nonsense"}, exitUsage, `--listen "nonsense": want HOST:PORT`},
		{[]string{"--listen", "127.0.0.1:99999"}, exitUsage, "is not a port"},
	} {
		var out, errOut strings.Builder
		a := newApp(&out, &errOut, func(string) string { return "" })
		ctx, cancel := context.WithTimeout(t.Context(), serveWait)
		args := append([]string{"serve", "--listen", "127.0.0.1:0"}, tt.args...)
		code := a.run(ctx, args)
		cancel()
		if code != tt.code || out.Len() != 0 || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("dnsep %s: exit %d, stdout %q, stderr %q; want exit %d and %q", strings.Join(args, " "), code, out.String(), errOut.String(), tt.code, tt.want)
		}
		if strings.Contains(errOut.String(), "SK-not-shown") {
			t.Errorf("the secret key was printed: %q", errOut.String())
		}
	}
}

func TestServeHelpers(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "[::1]:8080": true, "127.0.0.2:1": true,
		"0.0.0.0:8080": false, "[::]:8080": false, "192.168.0.10:80": false, "localhost:80": false,
	} {
		if got := isLoopback(serveAddr(addr)); got != want {
			t.Errorf("isLoopback(%s) = %v, want %v", addr, got, want)
		}
	}
	for in, want := range map[string]string{
		"fake-0123abcd": "fake-0123abcd", "http://127.0.0.1:8080": "http://127.0.0.1:8080",
		"a b": "'a b'", "it's": `'it'\''s'`, "": "''", "$HOME": "'$HOME'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}

	// writeFileAtomic replaces the file and leaves nothing else behind.
	dir := t.TempDir()
	path := filepath.Join(dir, "s.json")
	for _, content := range []string{"one", "two"} {
		if err := writeFileAtomic(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != content {
			t.Errorf("read %q, %v; want %q", got, err, content)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left behind: %v", entries)
	}
	if err := writeFileAtomic(filepath.Join(dir, "missing", "s.json"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("into a missing directory: %v", err)
	}
}

// serveAddr is a net.Addr for any string.
type serveAddr string

func (a serveAddr) Network() string { return "tcp" }
func (a serveAddr) String() string  { return string(a) }
