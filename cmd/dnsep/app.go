package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/itchyny/gojq"
	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/wrapper"
)

// Exit codes, documented in the root command's help.
const (
	exitOK           = 0
	exitFailure      = 1
	exitUsage        = 2
	exitNotFound     = 3
	exitAuth         = 4
	exitLimitTimeout = 5
)

// app is one run of the command line: its streams, its environment and the
// values of the global flags. Tests build one with buffers and a map.
type app struct {
	out, errOut io.Writer
	getenv      func(string) string
	now         func() time.Time
	terminal    bool          // stderr is a terminal: progress is a live line
	outTerminal bool          // stdout is a terminal: tables show ages, not RFC 3339 times
	in          io.Reader     // where confirm reads the answer
	interactive bool          // stdin and stderr are terminals: confirm asks
	pollMin     time.Duration // the waiters' first delay
	httpClient  *http.Client  // for the API and IAM; nil means each library's default
	log         *slog.Logger  // the --debug log, made on first use

	apiURL, apiURLSource string // the API URL of the last client, and where it came from

	ran bool // a command's RunE started: later errors are not usage errors

	completeTimeout time.Duration // bounds the API calls of one shell completion

	region    string
	endpoint  string
	tokenFile string
	profile   string
	output    string
	noHeaders bool
	jqExpr    string
	jq        *gojq.Code // --jq compiled, or nil
	debug     bool
	timeout   time.Duration
}

func newApp(out, errOut io.Writer, getenv func(string) string) *app {
	terminal := isTerminal(errOut)
	return &app{out: out, errOut: errOut, getenv: getenv, now: time.Now, terminal: terminal, outTerminal: isTerminal(out), pollMin: time.Second,
		completeTimeout: defaultCompleteTimeout, in: os.Stdin, interactive: terminal && stdinTerminal()}
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// usageError marks an error in how the command was called: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// run executes the command line and returns the exit code.
func (a *app) run(ctx context.Context, args []string) int {
	root := a.rootCmd()
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	if !a.ran {
		// Cobra found the error (an unknown command, a missing required
		// flag) before any command ran: it is in how dnsep was called.
		code = exitUsage
	}
	msg := strings.TrimPrefix(err.Error(), "dnsep: ")
	if sig, ok := errors.AsType[interrupted](context.Cause(ctx)); ok {
		// Whatever failed, it failed because the user stopped dnsep.
		code = sig.exitCode()
		msg = "interrupted by signal " + sig.String() + ": " + msg
	}
	if gatewayNotFound(err) {
		msg += "; " + a.wrongURLHint()
	}
	a.writeError(err, msg, code, args, cmd)
	return code
}

// exitCode maps an error to the documented exit codes.
func exitCode(err error) int {
	var ue usageError
	switch {
	case errors.As(err, &ue), errors.Is(err, wrapper.ErrInvalidArgument):
		return exitUsage
	case gatewayNotFound(err):
		// Not the service's "no such resource": the request reached no API.
		return exitFailure
	case wrapper.IsNotFound(err), errors.Is(err, errNoSuchName):
		return exitNotFound
	case wrapper.IsUnauthorized(err), errors.Is(err, wrapper.ErrForbidden), errors.Is(err, errNoCredentials), iamRefused(err):
		return exitAuth
	case wrapper.IsRateLimited(err), errors.Is(err, context.DeadlineExceeded):
		return exitLimitTimeout
	}
	return exitFailure
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "dnsep",
		Short: "Manage Huawei Cloud DNS resolver endpoints",
		Long: `dnsep manages the resolver endpoints of the Huawei Cloud DNS API: inbound and
outbound endpoints inside a VPC, the 2 to 6 IP addresses each holds, and the
resolver rules that forward a domain's queries through an outbound endpoint to
other DNS servers, for the VPCs associated with them. It can also run a local
fake of the API (dnsep serve) and show what it does (dnsep demo).

Configuration (flags override the environment, which overrides files;
dnsep config shows what applies and where it came from):
  region      --region, else HW_REGION_NAME, else the profile's region
  API URL     --endpoint, else DNSEP_ENDPOINT, else https://dns.<region>.myhuaweicloud.com
  credentials the first that is set of:
                --token-file FILE           an IAM token on disk
                --profile NAME              a profile of the shared config file
                HW_AUTH_TOKEN               an IAM token
                HW_ACCESS_KEY, HW_SECRET_KEY, HW_PROJECT_ID [, HW_SECURITY_TOKEN]
                HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID
                  [, HUAWEICLOUD_SDK_SECURITY_TOKEN]
                HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME (IAM password; the
                project is the region; IAM at HW_AUTH_URL or iam.<region>)
                HW_SHARED_CONFIG_FILE       KooCLI's config.json; profile HW_PROFILE,
                                            else its current one (AKSK or SSO mode)
                HUAWEICLOUD_SDK_CREDENTIALS_FILE  the SDK's INI file, [basic]
                ~/.hcloud/config.json, then ~/.huaweicloud/credentials
              A file's project ID gives way to HW_PROJECT_ID or
              HUAWEICLOUD_SDK_PROJECT_ID.

Exit codes:
  0 success, 1 failure, 2 usage error, 3 not found,
  4 authentication or permission, 5 rate limited or timed out,
  130 interrupted (Ctrl-C), 143 terminated (SIGTERM)`,
		Example: `  export HW_REGION_NAME=cn-north-4 HW_AUTH_TOKEN=...
  dnsep endpoint list --direction inbound
  dnsep ip unbind ff80808169be2efb0169bef85d720013 ff80808169bf16c70169bf1d04ba0001 --wait
  dnsep serve &   # a local fake; then --endpoint http://127.0.0.1:8080
  dnsep demo`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVarP(&a.output, "output", "o", "table", "output format: table, json, yaml or name (IDs only, one per line)")
	pf.BoolVar(&a.noHeaders, "no-headers", false, "leave out the header line of tables")
	pf.StringVar(&a.jqExpr, "jq", "", "filter the JSON output with this jq expression (implies -o json; strings print raw)")
	client := a.clientFlags()
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		switch a.output {
		case "table", "json", "yaml", "name":
		default:
			return usagef("unknown output format %q: want table, json, yaml or name", a.output)
		}
		if err := a.compileJQ(cmd.Flag("output").Changed); err != nil {
			return err
		}
		if a.timeout <= 0 {
			return usagef("--timeout must be positive")
		}
		return nil
	}
	root.AddCommand(a.endpointCmd(), a.ipCmd(), a.ruleCmd(), a.vpcCmd(), a.serveCmd(), a.demoCmd(), a.versionCmd(), a.contractCmd(), a.configCmd(), a.waitCmd())
	root.SetOut(a.out) // before the completion command, which keeps the writer it sees
	root.SetErr(a.errOut)
	root.InitDefaultCompletionCmd()
	shareClientFlags(root, client)
	a.addCompletions(root)
	completionExamples(root)
	a.markRuns(root)
	return root
}

// completionExamples gives cobra's completion commands examples like ours.
func completionExamples(root *cobra.Command) {
	examples := map[string]string{
		"completion": "  source <(dnsep completion bash)",
		"bash":       "  source <(dnsep completion bash)\n  dnsep completion bash > /etc/bash_completion.d/dnsep",
		"zsh":        "  dnsep completion zsh > \"${fpath[1]}/_dnsep\"",
		"fish":       "  dnsep completion fish | source",
		"powershell": "  dnsep completion powershell | Out-String | Invoke-Expression",
	}
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Example = examples["completion"]
		for _, sub := range c.Commands() {
			sub.Example = examples[sub.Name()]
		}
	}
}

// markRuns makes every command note that it started to run, and turns the
// command groups' unknown subcommands into usage errors.
func (a *app) markRuns(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		a.markRuns(sub)
	}
	cmd.SuggestionsMinimumDistance = suggestDistance
	if cmd.HasSubCommands() && cmd.RunE == nil && cmd.Run == nil && cmd.HasParent() {
		cmd.Args = cobra.ArbitraryArgs
		cmd.RunE = func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(c, args[0])
			}
			return c.Help()
		}
	}
	switch {
	case cmd.RunE != nil:
		run := cmd.RunE
		cmd.RunE = func(c *cobra.Command, args []string) error {
			a.ran = true
			return run(c, args)
		}
	case cmd.Run != nil:
		run := cmd.Run
		cmd.Run = func(c *cobra.Command, args []string) {
			a.ran = true
			run(c, args)
		}
	}
}

// exactArgs is cobra.ExactArgs with a usage error and argument names.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return usagef("want %d argument(s), %s; got %d", len(names), strings.Join(names, " "), len(args))
		}
		return nil
	}
}

// client builds a wrapper client from the flags and the environment.
func (a *app) client() (*wrapper.Client, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	opts := append([]wrapper.Option{wrapper.WithUserAgent("dnsep-cli/" + wrapper.Version)}, cfg.auth)
	if a.httpClient != nil {
		opts = append(opts, wrapper.WithHTTPClient(a.httpClient))
	}
	if log := a.logger(); log != nil {
		opts = append(opts, wrapper.WithLogger(log))
	}
	a.apiURL, a.apiURLSource = cfg.baseURL, cfg.urlSource
	return wrapper.New(cfg.baseURL, opts...)
}

// context bounds a command by --timeout.
func (a *app) context(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return context.WithTimeout(cmd.Context(), a.timeout)
}

// call runs fn with a client built from the flags and the environment and a
// context bounded by --timeout.
func (a *app) call(cmd *cobra.Command, fn func(ctx context.Context, c *wrapper.Client) error) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	ctx, cancel := a.context(cmd)
	defer cancel()
	return fn(ctx, c)
}
