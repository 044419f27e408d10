package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Safety nets, not verdicts: generous, so that a loaded 2-core machine does
// not flake, and bounded, so that a hang fails instead of blocking CI.
const (
	bannerTimeout = 30 * time.Second
	cliTimeout    = 30 * time.Second
	stopTimeout   = 10 * time.Second
)

// bannerPrefix starts the first line that dnsep serve prints.
const bannerPrefix = "dnsep fake API listening on "

// fakeAPI is a running `dnsep serve` subprocess and what its banner says.
type fakeAPI struct {
	URL       string // http://127.0.0.1:PORT, from the first line
	Dashboard string // the one-time login URL, from the "dashboard:" line
	Token     string // HW_AUTH_TOKEN of the export line
	Region    string // HW_REGION_NAME of the export line
	VPC       string
	Subnets   []subnet // in the banner's order
	Banner    string

	stderr *syncBuffer
}

// subnet is one of the fake's subnets, as the banner shows it.
type subnet struct{ ID, CIDR string }

// serveOptions are the flags of a `dnsep serve` run and its environment.
type serveOptions struct {
	Delay time.Duration
	Token string   // --token; chosen by the test, so that it can look for it
	Args  []string // more flags
	Env   []string // more environment, KEY=VALUE
}

// startServe runs `dnsep serve` on a free loopback port with --seed 1,
// waits for its banner and stops it when the test ends.
func startServe(t *testing.T, o serveOptions) *fakeAPI {
	t.Helper()
	args := []string{"serve", "--listen", "127.0.0.1:0", "--seed", "1", "--delay", o.Delay.String()}
	if o.Token != "" {
		args = append(args, "--token", o.Token)
	}
	args = append(args, o.Args...)
	cmd := exec.Command(dnsepBin, args...)
	cmd.Env = append(cleanEnv(t), o.Env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeAPI{stderr: new(syncBuffer)}
	cmd.Stderr = f.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting dnsep serve: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { stopServe(t, cmd, exited, f) })

	lines := make(chan string)
	go readLines(stdout, lines)
	var banner strings.Builder
	timeout := time.NewTimer(bannerTimeout)
	defer timeout.Stop()
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("dnsep serve closed stdout before its banner ended:\n%s\nstderr:\n%s", banner.String(), f.stderr)
			}
			banner.WriteString(line + "\n")
			f.parse(line)
			if strings.HasPrefix(line, "Stop it with") {
				f.Banner = banner.String()
				go func() { // keep the pipe flowing
					for range lines {
					}
				}()
				f.check(t)
				return f
			}
		case <-timeout.C:
			t.Fatalf("no complete banner from dnsep serve within %s:\n%s\nstderr:\n%s", bannerTimeout, banner.String(), f.stderr)
		}
	}
}

// parse takes what the test needs from one line of the banner.
func (f *fakeAPI) parse(line string) {
	switch {
	case strings.HasPrefix(line, bannerPrefix):
		f.URL = strings.TrimPrefix(line, bannerPrefix)
	case strings.HasPrefix(line, "  VPC:"):
		f.VPC = strings.TrimSpace(strings.TrimPrefix(line, "  VPC:"))
	case strings.HasPrefix(line, "  subnets:") || (len(f.Subnets) > 0 && strings.HasPrefix(line, "    ") && strings.HasSuffix(line, ")")):
		fields := strings.Fields(strings.TrimPrefix(line, "  subnets:"))
		if len(fields) == 2 {
			f.Subnets = append(f.Subnets, subnet{ID: fields[0], CIDR: strings.Trim(fields[1], "()")})
		}
	case strings.HasPrefix(line, "dashboard: "):
		f.Dashboard = strings.TrimPrefix(line, "dashboard: ")
	case strings.HasPrefix(strings.TrimSpace(line), "export DNSEP_ENDPOINT="):
		for _, kv := range strings.Fields(strings.TrimSpace(line))[1:] {
			k, v, _ := strings.Cut(kv, "=")
			v = strings.Trim(v, "'")
			switch k {
			case "HW_AUTH_TOKEN":
				f.Token = v
			case "HW_REGION_NAME":
				f.Region = v
			}
		}
	}
}

func (f *fakeAPI) check(t *testing.T) {
	t.Helper()
	switch {
	case !strings.HasPrefix(f.Banner, bannerPrefix):
		t.Fatalf("the banner does not start with %q:\n%s", bannerPrefix, f.Banner)
	case f.Dashboard == "":
		t.Fatalf("the banner has no line starting with \"dashboard: \":\n%s", f.Banner)
	case !strings.HasPrefix(f.Dashboard, f.URL+"/dashboard/?token="):
		t.Fatalf("dashboard URL %q is not %s/dashboard/?token=...", f.Dashboard, f.URL)
	case f.VPC == "" || len(f.Subnets) < 2:
		t.Fatalf("the banner does not show a VPC with two subnets:\n%s", f.Banner)
	case f.Token == "" || f.Region == "":
		t.Fatalf("the banner has no export line with HW_AUTH_TOKEN and HW_REGION_NAME:\n%s", f.Banner)
	}
}

// stopServe ends dnsep serve as Ctrl-C would, and kills it if it lingers.
func stopServe(t *testing.T, cmd *exec.Cmd, exited <-chan error, f *fakeAPI) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	timer := time.NewTimer(stopTimeout)
	defer timer.Stop()
	select {
	case err := <-exited:
		if err != nil && !t.Failed() {
			t.Errorf("dnsep serve exited with %v; stderr:\n%s", err, f.stderr)
		}
	case <-timer.C:
		_ = cmd.Process.Kill()
		<-exited
		t.Errorf("dnsep serve did not stop within %s of SIGTERM; stderr:\n%s", stopTimeout, f.stderr)
	}
	if t.Failed() {
		t.Logf("dnsep serve stderr:\n%s", f.stderr)
	}
}

// readLines sends the lines of r to lines and closes it at the end.
func readLines(r io.Reader, lines chan<- string) {
	defer close(lines)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		lines <- sc.Text()
	}
}

// cliResult is what one run of the dnsep CLI did.
type cliResult struct {
	Code           int
	Stdout, Stderr string
}

// tokenEnv is the environment that makes the CLI use f with the banner's
// token.
func (f *fakeAPI) tokenEnv() []string {
	return []string{"DNSEP_ENDPOINT=" + f.URL, "HW_AUTH_TOKEN=" + f.Token, "HW_REGION_NAME=" + f.Region}
}

// cli runs the dnsep CLI with env (KEY=VALUE: the API URL, the region and
// the credentials) and returns what it did.
func (f *fakeAPI) cli(t *testing.T, env []string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, dnsepBin, args...)
	cmd.Env = append(cleanEnv(t), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	res := cliResult{Stdout: out.String(), Stderr: errOut.String()}
	if exitErr, ok := errors.AsType[*exec.ExitError](err); ok {
		res.Code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("dnsep %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("dnsep %s did not finish within %s", strings.Join(args, " "), cliTimeout)
	}
	return res
}

// mustCLI runs the CLI and fails the test unless it exits with 0.
func (f *fakeAPI) mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	res := f.cli(t, f.tokenEnv(), args...)
	if res.Code != 0 {
		t.Fatalf("dnsep %s: exit code %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), res.Code, res.Stdout, res.Stderr)
	}
	return res.Stdout
}

// cleanEnv is the environment of the test without the variables that
// configure dnsep, so that the developer's credentials and config files
// never reach the fake, and with HOME in a temporary directory.
func cleanEnv(t *testing.T) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "HW_") || strings.HasPrefix(k, "DNSEP_") || strings.HasPrefix(k, "HUAWEICLOUD_") || k == "HOME" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+t.TempDir())
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
