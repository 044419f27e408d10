package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/openapi"
	"github.com/dnsep/dnsep/wrapper"
)

// annotationOperationID is the key of the cobra annotation that names the
// operationId a command calls. The parity test reads it: every operation
// of the document has a command, and every annotated command an operation.
const annotationOperationID = "operationId"

// calls returns the annotations of a command that calls operation id.
func calls(id string) map[string]string { return map[string]string{annotationOperationID: id} }

// defaultCheckPageSize is the page size of contract check's lists: small,
// so that an account with a handful of endpoints still has its paging
// checked.
const defaultCheckPageSize = 10

func (a *app) contractCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "contract",
		Short: "Check the API document against a running service",
		Example: `  dnsep contract check
  dnsep contract check -o json`,
	}
	cmd.AddCommand(a.contractCheckCmd())
	return cmd
}

func (a *app) contractCheckCmd() *cobra.Command {
	var pageSize int
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Report where the service's answers differ from the API document (read-only)",
		Long: `Call the read-only operations of the configured API and compare every answer with
the OpenAPI document that dnsep is built from: ListEndpoints in both directions,
page after page (--page-size), ShowEndpoint and ListEndpointIpaddresses for every
endpoint found, and ListEndpointVpcs. It never writes: any other request is
refused before it is sent.

Each drift is one line: the operation, the status, where (a JSON pointer into the
body, or a header), the kind, what the document expects and what came. Values
are never printed, only their JSON type and length, since a value may be a
secret. Kinds: undeclared-status, content-type, header, unreadable, missing (a
required property), enum, type, format (a timestamp in another format, say),
constraint, and undocumented (a property the document does not declare: news,
not a failure). A summary follows.

Run it against a real account after every change of the document and before
each release. Exit code 0 without drift (undocumented properties allowed), 1
with drift; failures to call the API keep their usual exit codes.`,
		Example: `  dnsep contract check
  dnsep contract check --page-size 2 -o json | jq '.drifts[] | select(.kind != "undocumented")'`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if pageSize < 1 || pageSize > 500 {
				return usagef("--page-size must be 1 to 500")
			}
			return a.contractCheck(cmd, pageSize)
		},
	}
	cmd.Flags().IntVar(&pageSize, "page-size", defaultCheckPageSize, "page size of the lists, 1 to 500 (small, to check the paging)")
	return cmd
}

// contractCheck runs the read-only operations with the drift detector in
// the loop and reports what it found.
func (a *app) contractCheck(cmd *cobra.Command, pageSize int) error {
	ctx, cancel := a.context(cmd)
	defer cancel()
	v, err := openapi.NewValidator(ctx)
	if err != nil {
		return err
	}
	rep := newDriftReport()
	c, err := a.checkingClient(v, rep)
	if err != nil {
		return err
	}
	rep.walk(ctx, c, pageSize)
	for _, f := range rep.failed {
		a.note("dnsep: contract check: %v", f)
	}
	if err := a.render(rep.result(), rep.table); err != nil {
		return err
	}
	if n := rep.failures(); n > 0 {
		return fmt.Errorf("the API differs from the document: %s", plural(n, "drift"))
	}
	return rep.firstError()
}

// checkingClient returns a client like the other commands' whose answers
// pass through v's drift detector on their way in, and which refuses to
// send anything but GET.
func (a *app) checkingClient(v *openapi.Validator, rep *driftReport) (*wrapper.Client, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	hc := &http.Client{}
	if a.httpClient != nil {
		*hc = *a.httpClient
	}
	base := hc.Transport
	if base == nil {
		// The settings of the client's own transport: no proxy (the
		// library reads no environment) and a bound on the wait for
		// the response headers.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = nil
		t.ResponseHeaderTimeout = wrapper.DefaultResponseHeaderTimeout
		base = t
	}
	hc.Transport = readOnly{v.DriftRoundTripper(base, rep.observe)}
	opts := []wrapper.Option{wrapper.WithUserAgent("dnsep-cli/" + wrapper.Version), cfg.auth, wrapper.WithHTTPClient(hc)}
	if log := a.logger(); log != nil {
		opts = append(opts, wrapper.WithLogger(log))
	}
	a.apiURL, a.apiURLSource = cfg.baseURL, cfg.urlSource
	return wrapper.New(cfg.baseURL, opts...)
}

// readOnly refuses every request but GET, so that no mistake in the
// check can change an account.
type readOnly struct{ next http.RoundTripper }

func (t readOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("contract check is read-only: refusing %s %s", req.Method, req.URL.Path)
	}
	return t.next.RoundTrip(req)
}

// walk calls the read-only operations: the endpoints of both directions,
// page after page, each endpoint and its IP addresses, and the VPCs. A
// failed call is noted and the walk goes on where it can.
func (r *driftReport) walk(ctx context.Context, c *wrapper.Client, pageSize int) {
	var ids []string
	seen := map[string]bool{}
	for _, d := range []wrapper.Direction{wrapper.Inbound, wrapper.Outbound} {
		limit := pageSize
		for ep, err := range c.AllEndpoints(ctx, wrapper.ListEndpointsParams{Direction: d, Limit: &limit}) {
			if err != nil {
				r.fail("ListEndpoints --direction "+string(d), err, false)
				break
			}
			if !seen[ep.ID] {
				seen[ep.ID] = true
				ids = append(ids, ep.ID)
			}
		}
	}
	for _, id := range ids {
		if ctx.Err() != nil {
			return
		}
		// An endpoint deleted since it was listed answers 404, which the
		// document declares: not a reason to fail the check.
		if _, err := c.ShowEndpoint(ctx, id); err != nil {
			r.fail("ShowEndpoint "+id, err, wrapper.IsNotFound(err))
		}
		if _, err := c.ListEndpointIpaddresses(ctx, id); err != nil {
			r.fail("ListEndpointIpaddresses "+id, err, wrapper.IsNotFound(err))
		}
	}
	limit := pageSize
	if _, err := c.ListAllEndpointVpcs(ctx, wrapper.ListEndpointVpcsParams{Limit: &limit}); err != nil {
		r.fail("ListEndpointVpcs", err, false)
	}
}
