package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/openapi"
)

// serveShutdownGrace is how long serve lets requests in flight finish once
// it is told to stop.
const serveShutdownGrace = 5 * time.Second

// serveAnyProject is the project ID that serve suggests for signed requests
// when --project-id is not given: the fake then accepts any.
const serveAnyProject = "fake-project"

// serveFlags are the flags of dnsep serve.
type serveFlags struct {
	listen, token        string
	accessKey, secretKey string
	projectID            string
	delay                time.Duration
	stateFile            string
	seed                 uint64
	seedSet, tokenSet    bool
	tokenFrom            string // where the token came from, for messages
	secretKeyFile        string
	limits               serveLimits

	securityToken, securityTokenFile string // makes --access-key temporary (serve_sts.go)

	iam serveIAM // the fake IAM's user (serve_iam.go)

	noDashboard  bool   // --no-dashboard (serve_dashboard.go)
	dashboardURL string // the dashboard's login URL, for the banner
}

func (a *app) serveCmd() *cobra.Command {
	f := serveFlags{limits: shippedServeLimits()}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run a fake of the DNS endpoint API as a local service",
		Long: `Run the fake of the Huawei Cloud DNS endpoint API (package fake) as a local HTTP
service, for trying dnsep, scripts and programs without a cloud account. It
keeps the service's rules, status codes and error codes, and answers writes with
PENDING states that settle after --delay.

As soon as it listens it prints, on stdout, the base URL (the first line is
always "dnsep fake API listening on http://HOST:PORT"), the IAM token it accepts,
the access key if any, the VPC and the two subnets to create endpoints in (the
VPC is also the one to associate with resolver rules), and export lines to
paste into a shell and example commands for endpoints and rules. It runs until it gets SIGINT (Ctrl-C) or
SIGTERM, then lets requests in flight finish and exits with code 0; --timeout
does not apply.

Credentials: requests carry the token in X-Auth-Token (--token, --token-file or
$DNSEP_SERVE_TOKEN, else with --state the saved one, else a random one; it is
printed), or are signed with AK/SK when --access-key and a secret key
(--secret-key, --secret-key-file or $DNSEP_SERVE_SECRET_KEY) are given. Prefer
the file or the environment: other users see the command line in ps. A file's
final line ending is dropped; a token or access key with control characters is
refused. The secret key is never printed or logged. Signed requests need an
X-Project-Id: the --project-id value, or any when it is not given. With
--security-token-file (or $DNSEP_SERVE_SECURITY_TOKEN) the access key is
temporary (STS): signed requests must also carry that security token in
X-Security-Token, signed; it is never printed.

State: with --state FILE the endpoints, IP addresses and resolver rules, pending ones included,
and the token are loaded from FILE if it exists and saved to it (atomically,
readable by the owner only) after every successful write and on shutdown, so a
restart loses nothing. FILE must be a regular file, or a new file in an existing
directory: a symbolic link, a FIFO or a directory is refused. While serve runs it
holds a lock on .FILE.lock beside FILE; a second serve on the same FILE refuses
to start, leaving FILE alone. The VPC and subnets are always the defaults. The region
that CreateEndpoint requires is --region, else HW_REGION_NAME, else cn-north-4.

The official SDK (huaweicloud-sdk-go-v3) can use it too: build the DNS client
with the printed URL as its endpoint and credentials with the access key, the
secret key and an explicit project ID (WithProjectId; any value unless
--project-id is given). Without a project ID the SDK asks IAM for one, and the
fake does not serve that IAM call.

IAM password: with --user NAME --domain NAME and the password in
--password-file FILE (or $DNSEP_SERVE_PASSWORD; the file wins if both are
given; never a flag with the value) the fake also serves IAM's
POST /v3/auth/tokens on the same address: the right password gets a token
(201, X-Subject-Token) scoped to the region's project, that the API accepts
for --token-ttl (24h by default); a wrong user, domain or password gets 401.
Point a client at it with HW_AUTH_URL=http://HOST:PORT/v3 and HW_USER_NAME,
HW_USER_PASSWORD, HW_DOMAIN_NAME (the banner prints the lines, with the
password shown as where it comes from). Issued tokens are not saved in
--state: after a restart clients log in again. The --token keeps working.

The API document is served, without authentication, at /openapi.yaml and
/openapi.json: point Postman, Swagger UI or a generator at it.

The fake has no TLS and no real security: it is for local use. Listening on an
address other than loopback draws a warning. --debug logs every request to
stderr (method, path, operation, status, duration, request ID; never
credentials).

` + serveDashboardHelp + `

` + f.limits.help(),
		Example: `  dnsep serve
  dnsep serve --listen 127.0.0.1:0 --token local-token --state fake-state.json --delay 0
  dnsep serve --access-key AKFAKE --secret-key "$SK" --project-id 0123456789abcdef0123456789abcdef
  dnsep --debug serve --seed 1   # repeatable IDs and token, every request logged
  dnsep serve --user dns-operator --domain acme --password-file pw.txt --token-ttl 1h

  # in another shell, with the printed export line:
  export DNSEP_ENDPOINT=http://127.0.0.1:8080 HW_AUTH_TOKEN=... HW_REGION_NAME=cn-north-4
  dnsep endpoint create --name dns-in --direction inbound \
    --ip subnet=1d7b8e2f-d2a6-4f5a-9a0b-3c7f0e6f5a11 \
    --ip subnet=4e6c2f3a-8b1d-4c5e-a6f7-0b9c8d7e6f55 --wait`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.seedSet = cmd.Flags().Changed("seed")
			f.tokenSet = cmd.Flags().Changed("token")
			f.tokenFrom = "--token"
			f.iam.tokenTTLSet = cmd.Flags().Changed("token-ttl")
			return a.serve(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8080", "address to listen on, HOST:PORT (port 0 picks a free port)")
	fl.StringVar(&f.token, "token", "", "IAM token to accept in X-Auth-Token (default: --token-file, $"+envServeToken+", the saved one, else a random one; printed)")
	fl.StringVar(&f.accessKey, "access-key", "", "also accept requests signed with this access key (needs --secret-key)")
	fl.StringVar(&f.secretKey, "secret-key", "", "the secret key of --access-key (never printed; default $"+envServeSecretKey+")")
	fl.StringVar(&f.secretKeyFile, "secret-key-file", "", "read the secret key of --access-key from this file")
	fl.StringVar(&f.securityTokenFile, "security-token-file", "", "make --access-key temporary: signed requests must carry this file's security token (default $"+envServeSecurityToken+")")
	fl.StringVar(&f.projectID, "project-id", "", "the X-Project-Id that signed requests must carry (default: any)")
	fl.DurationVar(&f.delay, "delay", 2*time.Second, "how long PENDING states last before they settle")
	fl.StringVar(&f.stateFile, "state", "", "load the endpoints from this file if it exists, and save them to it after every write and on exit")
	fl.Uint64Var(&f.seed, "seed", 0, "make the IDs (and a generated token) repeatable")
	f.iam.register(fl)
	fl.BoolVar(&f.noDashboard, "no-dashboard", false, "serve no dashboard at /dashboard/ and record no requests")
	return cmd
}

// serve runs the fake until ctx is done.
func (a *app) serve(ctx context.Context, f serveFlags) error {
	if err := a.serveSecrets(&f); err != nil {
		return err
	}
	if err := a.serveSecurityToken(&f); err != nil {
		return err
	}
	if err := f.iam.complete(a); err != nil {
		return err
	}
	switch {
	case (f.accessKey == "") != (f.secretKey == ""):
		return usagef("--access-key and --secret-key go together: give both or neither")
	case f.tokenSet && f.token == "":
		return usagef("%s must not be empty", f.tokenFrom)
	case f.delay < 0:
		return usagef("--delay must not be negative")
	case f.listen == "":
		return usagef("--listen must not be empty")
	}
	if err := checkListen(f.listen); err != nil {
		return err
	}
	errOut := &lockedWriter{w: a.errOut}
	region := a.regionName()
	if region == "" {
		region = "cn-north-4"
	}
	opts := a.serveOptions(f, region, errOut)
	var saver *stateSaver
	if f.stateFile != "" {
		s, stateOpts, unlock, err := openState(f.stateFile, errOut)
		if err != nil {
			return err
		}
		defer unlock()
		saver, opts = s, append(opts, stateOpts...)
	}
	restored := saver != nil && saver.restored
	srv, err := fake.New(opts...)
	if err != nil {
		if restored {
			return fmt.Errorf("--state %s: %w", f.stateFile, err)
		}
		return err
	}
	if f.iam.started != nil {
		f.iam.started(srv)
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return err
	}
	if saver != nil {
		saver.srv = srv                      // before the server starts: only requests call the hook
		if err := saver.save(); err != nil { // fail now rather than at the first write
			_ = ln.Close()
			return fmt.Errorf("--state %s: %w", f.stateFile, err)
		}
	}
	handler, err := withDocument(srv)
	if err == nil && !f.noDashboard {
		handler, f.dashboardURL, err = withDashboard(handler, srv, ln.Addr())
	}
	if err != nil {
		_ = ln.Close()
		return err
	}
	lim := newConnLimiter(ln, connLimit(f.limits.maxConns))
	hs := f.limits.server(handler)
	hs.ConnState = lim.track
	hs.ErrorLog = log.New(errOut, "dnsep serve: ", 0)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(lim) }()

	a.serveBanner(ln.Addr(), srv, f, region, restored)
	if !isLoopback(ln.Addr()) {
		fmt.Fprintf(errOut, "dnsep serve: warning: listening on %s, which is not a loopback address: the fake has no TLS and is meant for local use\n", ln.Addr())
	}

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), serveShutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		fmt.Fprintf(errOut, "dnsep serve: requests still running after %s: closing them (%v)\n", serveShutdownGrace, err)
		_ = hs.Close()
	}
	if serveErr == nil {
		serveErr = <-served
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	if saver != nil {
		if err := saver.save(); err != nil {
			return errors.Join(serveErr, fmt.Errorf("saving the state: %w", err))
		}
		fmt.Fprintf(errOut, "dnsep serve: stopped; state saved to %s\n", f.stateFile)
	} else if serveErr == nil {
		fmt.Fprintln(errOut, "dnsep serve: stopped")
	}
	return serveErr
}

// serveOptions returns the options of the fake that serve runs, but for
// its state. The fake records requests, within its default limits, for the
// dashboard's request log; with --no-dashboard nothing reads them, and it
// records none.
func (a *app) serveOptions(f serveFlags, region string, errOut io.Writer) []fake.Option {
	opts := []fake.Option{fake.WithDelay(f.delay), fake.WithRegion(region)}
	if f.noDashboard {
		opts = append(opts, fake.WithRecorderLimits(0, 0))
	}
	if f.tokenSet {
		opts = append(opts, fake.WithToken(f.token))
	}
	switch {
	case f.securityToken != "":
		opts = append(opts, fake.WithTemporaryAccessKey(f.accessKey, f.secretKey, f.securityToken))
	case f.accessKey != "":
		opts = append(opts, fake.WithAccessKey(f.accessKey, f.secretKey))
	}
	if f.projectID != "" {
		opts = append(opts, fake.WithProjectID(f.projectID))
	}
	if f.seedSet {
		opts = append(opts, fake.WithRandSeed(f.seed))
	}
	if a.debug {
		opts = append(opts, fake.WithLogger(slog.New(slog.NewTextHandler(errOut, nil))))
	}
	return append(opts, f.iam.options()...)
}

// withDocument returns a handler that answers GET and HEAD of
// /openapi.yaml and /openapi.json with the API document, to anyone (it is
// public, and tools such as Swagger UI fetch it from another origin), and
// hands every other request to next.
func withDocument(next http.Handler) (http.Handler, error) {
	docYAML := openapi.YAML()
	docJSON, err := yaml.YAMLToJSON(docYAML)
	if err != nil {
		return nil, fmt.Errorf("the API document: %w", err)
	}
	docs := map[string]struct {
		body        []byte
		contentType string
	}{
		"/openapi.yaml": {docYAML, "application/yaml"},
		"/openapi.json": {docJSON, "application/json"},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc, ok := docs[r.URL.Path]
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Type", doc.contentType)
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Content-Length", strconv.Itoa(len(doc.body)))
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(doc.body)
	}), nil
}

// checkListen refuses a --listen value that is not HOST:PORT, as a usage
// error; an address that cannot be listened on fails later.
func checkListen(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("--listen %q: want HOST:PORT, such as 127.0.0.1:8080", addr)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return usagef("--listen %q: %q is not a port", addr, port)
	}
	return nil
}

// connLimit lowers limit to leave room, under the process's limit on open
// files, for the listener, the state file and the rest.
func connLimit(limit int) int {
	const reserve = 64
	if n := openFileLimit(); n > 0 && n-reserve < limit {
		return max(n-reserve, 1)
	}
	return limit
}

// serveBanner prints what a client needs to use the fake.
func (a *app) serveBanner(addr net.Addr, srv *fake.Server, f serveFlags, region string, restored bool) {
	url := "http://" + addr.String()
	token := srv.Token()
	var b strings.Builder
	fmt.Fprintf(&b, "dnsep fake API listening on %s\n", url)
	if f.dashboardURL != "" {
		fmt.Fprintf(&b, "dashboard: %s\n", f.dashboardURL)
	}
	fmt.Fprintf(&b, "  token:       %s\n", token)
	if f.accessKey != "" {
		project := f.projectID
		if project == "" {
			project = "any"
		}
		fmt.Fprintf(&b, "  access key:  %s (secret key as given; project ID %s)\n", f.accessKey, project)
		if f.securityToken != "" {
			fmt.Fprintf(&b, "               temporary: requests need the security token as given, in X-Security-Token\n")
		}
	}
	fmt.Fprintf(&b, "  region:      %s\n", region)
	vpc := fake.DefaultVPC()
	fmt.Fprintf(&b, "  VPC:         %s\n", vpc.ID)
	for i, sn := range vpc.Subnets {
		label := "  subnets:     "
		if i > 0 {
			label = "               "
		}
		fmt.Fprintf(&b, "%s%s (%s)\n", label, sn.ID, sn.CIDR)
	}
	fmt.Fprintf(&b, "  delay:       %s (PENDING states settle after it)\n", f.delay)
	if f.stateFile != "" {
		how := "new"
		if restored {
			how = "restored"
		}
		fmt.Fprintf(&b, "  state:       %s (%s)\n", f.stateFile, how)
	}
	f.iam.bannerLine(&b)
	fmt.Fprintf(&b, "\nUse it from a shell:\n  export DNSEP_ENDPOINT=%s HW_AUTH_TOKEN=%s HW_REGION_NAME=%s\n",
		shellQuote(url), shellQuote(token), shellQuote(region))
	if f.accessKey != "" {
		project := f.projectID
		if project == "" {
			project = serveAnyProject
		}
		fmt.Fprintf(&b, "or with the access key (HW_AUTH_TOKEN unset; set HW_SECRET_KEY to the --secret-key value):\n  unset HW_AUTH_TOKEN; export DNSEP_ENDPOINT=%s HW_ACCESS_KEY=%s HW_PROJECT_ID=%s HW_REGION_NAME=%s\n",
			shellQuote(url), shellQuote(f.accessKey), shellQuote(project), shellQuote(region))
	}
	f.iam.bannerShell(&b, url, region)
	sub := vpc.Subnets[0].ID
	fmt.Fprintf(&b, "then, for example:\n  dnsep endpoint create --name demo --direction inbound --ip subnet=%s --ip subnet=%s --wait\n", sub, sub)
	fmt.Fprintf(&b, "and, to forward a domain, with the ID of an ACTIVE outbound endpoint and of the rule:\n"+
		"  dnsep rule create --name corp --domain corp.example. --endpoint-id ENDPOINT_ID --target 10.1.0.53 --target 10.1.1.53 --wait\n"+
		"  dnsep rule associate RULE_ID --vpc %s --wait\n", vpc.ID)
	fmt.Fprintf(&b, "Stop it with Ctrl-C or SIGTERM.\n")
	_, _ = io.WriteString(a.out, b.String())
}

// isLoopback reports whether addr is a loopback address.
func isLoopback(addr net.Addr) bool {
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-_./:@%+=,", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// lockedWriter serializes writes from the server's goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
