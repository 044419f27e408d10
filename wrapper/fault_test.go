package wrapper_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/openapi"
	"github.com/dnsep/dnsep/wrapper"
	"github.com/dnsep/dnsep/wrapper/iam"
)

// TestFaultMatrix runs every fault against every operation, with a token and
// with AK/SK signing, and checks the documented outcome of each pair:
//
//	fault                                | GET, PUT, DELETE: ShowEndpoint,      | POST: CreateEndpoint,
//	                                     | ListEndpoints, UpdateEndpoint,       | AssociateEndpointIpaddress
//	                                     | DisassociateEndpointIpaddress        | (never retried)
//	-------------------------------------+--------------------------------------+-----------------------------------
//	500 DNS.0000 once                    | success, 2 attempts                  | *APIError 500 DNS.0000, 1 attempt
//	503 HTML page once                   | success, 2 attempts                  | *APIError 503 (title), 1 attempt,
//	                                     |                                      | not IsRetryable
//	429 Retry-After: 1 once              | success, 2 attempts, >= 1 s apart    | *APIError 429, RetryAfter 1 s, 1 attempt
//	429 Retry-After: HTTP date once      | success, 2 attempts, about 1-2 s     | *APIError 429, RetryAfter > 0, 1 attempt
//	connection dropped before headers    | success, 2 attempts                  | io.EOF (transport error), 1 attempt,
//	                                     |                                      | not IsRetryable (a write may happen)
//	connection dropped after headers     | io.ErrUnexpectedEOF, 1 attempt (the service acted on it: a write happened)
//	(headers, half the body, close)      |                                      |
//	complete 2xx with truncated JSON     | *json.SyntaxError, 1 attempt         | same
//	answer slower than the deadline      | context.DeadlineExceeded, 1 attempt  | same
//	401 APIGW.0301 (token expired),      | success, 2 attempts, 2 IAM token     | same: re-authentication
//	then a fresh token from IAM          | requests                             | re-sends any method once
//	307 to another host                  | *APIError 307 (ErrRedirect) naming the host, 1 attempt;
//	                                     | the other host receives nothing      |
//	body over the cap, length declared   | ErrResponseTooLarge, 1 attempt       | same
//	body over the cap, chunked           | ErrResponseTooLarge, 1 attempt       | same
//
// "Attempts" are the requests the server received, and also the debug log
// records of the client. Every row has a deadline, no error or log line may
// hold a secret (they all contain "SECRET"), and TestMain checks that no
// goroutine outlives the tests.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	rows := []struct {
		fault faultKind
		op    string
		want  faultOutcome
	}{
		{faultBusy, "ShowEndpoint", succeeds(2)},
		{faultBusy, "ListEndpoints", succeeds(2)},
		{faultBusy, "UpdateEndpoint", succeeds(2)},
		{faultBusy, "DisassociateEndpointIpaddress", succeeds(2)},
		{faultBusy, "CreateEndpoint", failsAPI(500, "DNS.0000", 1)},
		{faultBusy, "AssociateEndpointIpaddress", failsAPI(500, "DNS.0000", 1)},

		{faultHTML503, "ShowEndpoint", succeeds(2)},
		{faultHTML503, "ListEndpoints", succeeds(2)},
		{faultHTML503, "UpdateEndpoint", succeeds(2)},
		{faultHTML503, "DisassociateEndpointIpaddress", succeeds(2)},
		{faultHTML503, "CreateEndpoint", failsAPI(503, "", 1)},
		{faultHTML503, "AssociateEndpointIpaddress", failsAPI(503, "", 1)},

		{faultRetryAfterSeconds, "ShowEndpoint", succeedsAfter(2, time.Second)},
		{faultRetryAfterSeconds, "ListEndpoints", succeedsAfter(2, time.Second)},
		{faultRetryAfterSeconds, "UpdateEndpoint", succeedsAfter(2, time.Second)},
		{faultRetryAfterSeconds, "DisassociateEndpointIpaddress", succeedsAfter(2, time.Second)},
		{faultRetryAfterSeconds, "CreateEndpoint", failsAPI(429, "APIGW.0308", 1)},
		{faultRetryAfterSeconds, "AssociateEndpointIpaddress", failsAPI(429, "APIGW.0308", 1)},

		// The date has whole seconds: 2 s ahead is 1 to 2 s of waiting.
		{faultRetryAfterDate, "ShowEndpoint", succeedsAfter(2, 900*time.Millisecond)},
		{faultRetryAfterDate, "ListEndpoints", succeedsAfter(2, 900*time.Millisecond)},
		{faultRetryAfterDate, "UpdateEndpoint", succeedsAfter(2, 900*time.Millisecond)},
		{faultRetryAfterDate, "DisassociateEndpointIpaddress", succeedsAfter(2, 900*time.Millisecond)},
		{faultRetryAfterDate, "CreateEndpoint", failsAPI(429, "APIGW.0308", 1)},
		{faultRetryAfterDate, "AssociateEndpointIpaddress", failsAPI(429, "APIGW.0308", 1)},

		{faultDropBeforeHeaders, "ShowEndpoint", succeeds(2)},
		{faultDropBeforeHeaders, "ListEndpoints", succeeds(2)},
		{faultDropBeforeHeaders, "UpdateEndpoint", succeeds(2)},
		{faultDropBeforeHeaders, "DisassociateEndpointIpaddress", succeeds(2)},
		{faultDropBeforeHeaders, "CreateEndpoint", failsWith(io.EOF, 1)},
		{faultDropBeforeHeaders, "AssociateEndpointIpaddress", failsWith(io.EOF, 1)},

		{faultDropAfterHeaders, "ShowEndpoint", failsWith(io.ErrUnexpectedEOF, 1)},
		{faultDropAfterHeaders, "ListEndpoints", failsWith(io.ErrUnexpectedEOF, 1)},
		{faultDropAfterHeaders, "UpdateEndpoint", failsWith(io.ErrUnexpectedEOF, 1)},
		{faultDropAfterHeaders, "DisassociateEndpointIpaddress", failsWith(io.ErrUnexpectedEOF, 1)},
		{faultDropAfterHeaders, "CreateEndpoint", failsWith(io.ErrUnexpectedEOF, 1)},
		{faultDropAfterHeaders, "AssociateEndpointIpaddress", failsWith(io.ErrUnexpectedEOF, 1)},

		{faultTruncatedJSON, "ShowEndpoint", failsDecoding(1)},
		{faultTruncatedJSON, "ListEndpoints", failsDecoding(1)},
		{faultTruncatedJSON, "UpdateEndpoint", failsDecoding(1)},
		{faultTruncatedJSON, "DisassociateEndpointIpaddress", failsDecoding(1)},
		{faultTruncatedJSON, "CreateEndpoint", failsDecoding(1)},
		{faultTruncatedJSON, "AssociateEndpointIpaddress", failsDecoding(1)},

		{faultSlow, "ShowEndpoint", failsWith(context.DeadlineExceeded, 1)},
		{faultSlow, "ListEndpoints", failsWith(context.DeadlineExceeded, 1)},
		{faultSlow, "UpdateEndpoint", failsWith(context.DeadlineExceeded, 1)},
		{faultSlow, "DisassociateEndpointIpaddress", failsWith(context.DeadlineExceeded, 1)},
		{faultSlow, "CreateEndpoint", failsWith(context.DeadlineExceeded, 1)},
		{faultSlow, "AssociateEndpointIpaddress", failsWith(context.DeadlineExceeded, 1)},

		{faultExpiredToken, "ShowEndpoint", succeeds(2)},
		{faultExpiredToken, "ListEndpoints", succeeds(2)},
		{faultExpiredToken, "UpdateEndpoint", succeeds(2)},
		{faultExpiredToken, "DisassociateEndpointIpaddress", succeeds(2)},
		{faultExpiredToken, "CreateEndpoint", succeeds(2)},
		{faultExpiredToken, "AssociateEndpointIpaddress", succeeds(2)},

		{faultRedirect, "ShowEndpoint", failsAPI(307, "", 1)},
		{faultRedirect, "ListEndpoints", failsAPI(307, "", 1)},
		{faultRedirect, "UpdateEndpoint", failsAPI(307, "", 1)},
		{faultRedirect, "DisassociateEndpointIpaddress", failsAPI(307, "", 1)},
		{faultRedirect, "CreateEndpoint", failsAPI(307, "", 1)},
		{faultRedirect, "AssociateEndpointIpaddress", failsAPI(307, "", 1)},

		{faultOversizeDeclared, "ShowEndpoint", failsWith(wrapper.ErrResponseTooLarge, 1)},
		{faultOversizeDeclared, "ListEndpoints", failsWith(wrapper.ErrResponseTooLarge, 1)},
		{faultOversizeDeclared, "UpdateEndpoint", failsWith(wrapper.ErrResponseTooLarge, 1)},
		{faultOversizeDeclared, "DisassociateEndpointIpaddress", failsWith(wrapper.ErrResponseTooLarge, 1)},
		{faultOversizeDeclared, "CreateEndpoint", failsWith(wrapper.ErrResponseTooLarge, 1)},
		{faultOversizeDeclared, "AssociateEndpointIpaddress", failsWith(wrapper.ErrResponseTooLarge, 1)},

		{faultOversizeChunked, "ShowEndpoint", failsWith(wrapper.ErrResponseTooLarge, 1)},
		{faultOversizeChunked, "ListEndpoints", failsWith(wrapper.ErrResponseTooLarge, 1)},
		{faultOversizeChunked, "UpdateEndpoint", failsWith(wrapper.ErrResponseTooLarge, 1)},
		{faultOversizeChunked, "DisassociateEndpointIpaddress", failsWith(wrapper.ErrResponseTooLarge, 1)},
		{faultOversizeChunked, "CreateEndpoint", failsWith(wrapper.ErrResponseTooLarge, 1)},
		{faultOversizeChunked, "AssociateEndpointIpaddress", failsWith(wrapper.ErrResponseTooLarge, 1)},
	}
	// Each row runs in a synctest bubble on an in-memory network: its
	// deadline and the Retry-After waits are in fake time, which moves only
	// when client and server both wait. A busy machine makes a row slower,
	// never wrong.
	for _, row := range rows {
		creds := []string{"token", "aksk"}
		if row.fault == faultExpiredToken {
			creds = []string{"iam"}
		}
		for _, cred := range creds {
			t.Run(row.fault.String()+"/"+row.op+"/"+cred, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) {
					runFaultRow(t, wrapper.NewMemNet(), row.fault, row.op, cred, row.want)
				})
			})
		}
	}
}

// The secrets of the matrix. Each holds "SECRET", which no error and no log
// line may hold.
const (
	faultToken     = "tok-SECRET-fault-1b7e"
	faultIAMToken  = "tok-SECRET-iam-" // + the number of the token issued
	faultPassword  = "PW-SECRET-fault-44e0"
	faultAccessKey = "HPUAFAULTMATRIX00001"
	faultSecretKey = "SK-SECRET-fault-9d3c0a"
)

type faultKind int

const (
	faultBusy faultKind = iota
	faultHTML503
	faultRetryAfterSeconds
	faultRetryAfterDate
	faultDropBeforeHeaders
	faultDropAfterHeaders
	faultTruncatedJSON
	faultSlow
	faultExpiredToken
	faultRedirect
	faultOversizeDeclared
	faultOversizeChunked
)

func (f faultKind) String() string {
	return [...]string{"busy-500", "html-503", "429-retry-after-seconds", "429-retry-after-date", "drop-before-headers",
		"drop-after-headers", "truncated-json", "slow", "expired-token", "cross-host-redirect", "oversize-declared",
		"oversize-chunked"}[f]
}

// faultOutcome is what a call must end with.
type faultOutcome struct {
	attempts int           // requests the server receives (and debug log records)
	minWait  time.Duration // the call lasts at least this long
	err      string        // "" for success; else what the error must be, as text for messages
	match    func(error) bool
}

func succeeds(attempts int) faultOutcome { return faultOutcome{attempts: attempts} }

func succeedsAfter(attempts int, wait time.Duration) faultOutcome {
	return faultOutcome{attempts: attempts, minWait: wait}
}

// failsAPI: an *APIError with this status and code, made after attempts.
func failsAPI(status int, code string, attempts int) faultOutcome {
	return faultOutcome{attempts: attempts, err: fmt.Sprintf("*APIError %d %q", status, code), match: func(err error) bool {
		e, ok := errors.AsType[*wrapper.APIError](err)
		return ok && e.StatusCode == status && e.Code == code && e.Attempts == attempts
	}}
}

// failsWith: an error matching target, not an *APIError.
func failsWith(target error, attempts int) faultOutcome {
	return faultOutcome{attempts: attempts, err: "an error matching " + target.Error(), match: func(err error) bool {
		_, api := errors.AsType[*wrapper.APIError](err)
		return errors.Is(err, target) && !api
	}}
}

func failsDecoding(attempts int) faultOutcome {
	return faultOutcome{attempts: attempts, err: "a *json.SyntaxError", match: func(err error) bool {
		_, ok := errors.AsType[*json.SyntaxError](err)
		return ok
	}}
}

// faultCalls calls each operation with valid arguments for the fake's
// seeded endpoint ep and its address ip.
var faultCalls = map[string]func(ctx context.Context, c *wrapper.Client, ep, ip string) error{
	"ShowEndpoint": func(ctx context.Context, c *wrapper.Client, ep, _ string) error {
		_, err := c.ShowEndpoint(ctx, ep)
		return err
	},
	"ListEndpoints": func(ctx context.Context, c *wrapper.Client, _, _ string) error {
		_, err := c.ListEndpoints(ctx, wrapper.ListEndpointsParams{Direction: wrapper.Inbound})
		return err
	},
	"UpdateEndpoint": func(ctx context.Context, c *wrapper.Client, ep, _ string) error {
		_, err := c.UpdateEndpoint(ctx, ep, wrapper.UpdateEndpointRequest{Name: "renamed"})
		return err
	},
	"DisassociateEndpointIpaddress": func(ctx context.Context, c *wrapper.Client, ep, ip string) error {
		_, err := c.DisassociateEndpointIpaddress(ctx, ep, ip)
		return err
	},
	"CreateEndpoint": func(ctx context.Context, c *wrapper.Client, _, _ string) error {
		_, err := c.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{Name: "fault-ep", Direction: wrapper.Inbound,
			Region: "cn-north-4", Ipaddresses: []wrapper.IPAddressInfo{{SubnetID: fake.DefaultSubnetID}, {SubnetID: fake.DefaultSubnetID}}})
		return err
	},
	"AssociateEndpointIpaddress": func(ctx context.Context, c *wrapper.Client, ep, _ string) error {
		_, err := c.AssociateEndpointIpaddress(ctx, ep, wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID})
		return err
	},
}

// faultSuccess is the success status of each operation.
var faultSuccess = map[string]int{"ShowEndpoint": 200, "ListEndpoints": 200, "UpdateEndpoint": 202,
	"DisassociateEndpointIpaddress": 202, "CreateEndpoint": 202, "AssociateEndpointIpaddress": 202}

// faultEnv is where one row runs: the server the client talks to, how many
// requests of the operation it received, and the checks particular to the
// fault.
type faultEnv struct {
	url      string
	ep, ip   string
	requests func() int
	check    func(t *testing.T, err error)
}

func runFaultRow(t *testing.T, mn *wrapper.MemNet, fault faultKind, op, cred string, want faultOutcome) {
	// One transport per row, closed at the end: no connection, and no
	// goroutine reading one, outlives the row.
	hc := &http.Client{Transport: mn.Transport(t)}

	var env faultEnv
	var auth wrapper.Option
	switch fault {
	case faultTruncatedJSON, faultRedirect, faultOversizeDeclared, faultOversizeChunked:
		env = faultServer(t, mn, fault, op)
	default:
		env = faultFake(t, mn, fault, op)
	}
	switch cred {
	case "token":
		auth = wrapper.WithToken(faultToken)
	case "aksk":
		auth = wrapper.WithAKSK(faultAccessKey, faultSecretKey, "0a1b2c3d4e5f60718293a4b5c6d7e8f9")
	case "iam":
		var issued atomic.Int32
		idp := mn.Serve(t, "iam.test", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := issued.Add(1)
			w.Header().Set("X-Subject-Token", faultIAMToken+strconv.Itoa(int(n)))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"token":{"expires_at":%q}}`, time.Now().Add(24*time.Hour).UTC().Format(time.RFC3339Nano))
		}))
		ts, err := iam.NewPasswordTokenSource(iam.PasswordAuth{Endpoint: idp, DomainName: "d", UserName: "u",
			Password: faultPassword, ProjectName: "cn-north-4"}, iam.WithHTTPClient(hc))
		if err != nil {
			t.Fatal(err)
		}
		auth = wrapper.WithTokenSource(ts)
		defer func() {
			if n := issued.Load(); n != 2 {
				t.Errorf("%d IAM token requests, want 2", n)
			}
		}()
	}

	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := wrapper.New(env.url, auth, wrapper.WithHTTPClient(hc), wrapper.WithLogger(logger),
		wrapper.WithMaxResponseBytes(16<<10),
		wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 5 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	deadline := 10 * time.Second // fake time: only waits count
	if fault == faultSlow {
		deadline = 1500 * time.Millisecond // the server would answer after 30 s
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	err = faultCalls[op](ctx, c, env.ep, env.ip)
	took := time.Since(start)

	switch {
	case want.err == "" && err != nil:
		t.Errorf("err = %v, want success", err)
	case want.err != "" && err == nil:
		t.Errorf("success, want %s", want.err)
	case want.err != "" && !want.match(err):
		t.Errorf("err = %T %v, want %s", err, err, want.err)
	}
	if err != nil {
		msg := err.Error()
		if strings.ContainsAny(msg, "\r\n") || !strings.Contains(msg, op) {
			t.Errorf("error %q: want one line naming %s", msg, op)
		}
		if strings.Contains(msg, "SECRET") {
			t.Errorf("error %q holds a secret", msg)
		}
	}
	if took < want.minWait {
		t.Errorf("the call took %v, want at least %v", took, want.minWait)
	}
	if env.check != nil {
		env.check(t, err)
	}
	// A server records a request the client gave up on once it sees the
	// connection close: let it.
	synctest.Wait()
	if got := env.requests(); got != want.attempts {
		t.Errorf("the server received %d requests, want %d", got, want.attempts)
	}
	log := logs.String()
	if n := strings.Count(log, "msg=\"dnsep request\""); n != want.attempts {
		t.Errorf("%d log records, want one per attempt (%d):\n%s", n, want.attempts, log)
	}
	if strings.Contains(log, "SECRET") {
		t.Errorf("the log holds a secret:\n%s", log)
	}
}

// faultFake starts a fake with one endpoint of 3 addresses, accepting both
// the token and the key pair, and injects the fault for the next call of op.
func faultFake(t *testing.T, mn *wrapper.MemNet, fault faultKind, op string) faultEnv {
	token := faultToken
	if fault == faultExpiredToken {
		token = faultIAMToken + "2" // the first token IAM issues is refused
	}
	in := wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}
	srv, err := fake.New(fake.WithToken(token), fake.WithAccessKey(faultAccessKey, faultSecretKey),
		fake.WithViolationHandler(func(e *openapi.ContractError) { t.Errorf("fake broke the API contract: %v", e) }),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "seed", Direction: wrapper.Inbound, IPs: []wrapper.IPAddressInfo{in, in, in}}))
	if err != nil {
		t.Fatal(err)
	}
	url := mn.Serve(t, "dns.test", srv)
	// The setup has a transport of its own: a connection it leaves idle
	// would be reused by the row's first attempt, and net/http re-sends
	// an idempotent request on its own when a reused connection drops.
	setupTransport := mn.Transport(t)
	defer setupTransport.CloseIdleConnections()
	setup, err := wrapper.New(url, wrapper.WithToken(token), wrapper.WithHTTPClient(&http.Client{Transport: setupTransport}))
	if err != nil {
		t.Fatal(err)
	}
	list, err := setup.ListEndpoints(t.Context(), wrapper.ListEndpointsParams{Direction: wrapper.Inbound})
	if err != nil || len(list.Endpoints) != 1 {
		t.Fatalf("seeded endpoint: %v, %v", list, err)
	}
	ep := list.Endpoints[0].ID
	ips, err := setup.ListEndpointIpaddresses(t.Context(), ep)
	if err != nil || len(ips) == 0 {
		t.Fatalf("seeded addresses: %v, %v", ips, err)
	}
	srv.ResetRequests()

	switch fault {
	case faultBusy:
		srv.InjectFault(op, 1, fake.ServiceError(500, "DNS.0000", "The system is busy."))
	case faultHTML503:
		srv.InjectFault(op, 1, fake.HTMLError(503))
	case faultRetryAfterSeconds:
		srv.InjectFault(op, 1, fake.Throttled("1"))
	case faultRetryAfterDate:
		srv.InjectFault(op, 1, fake.Throttled(time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat)))
	case faultDropBeforeHeaders:
		srv.InjectFault(op, 1, fake.Fault{Drop: true})
	case faultDropAfterHeaders:
		srv.InjectFault(op, 1, fake.Fault{Truncate: true})
	case faultSlow:
		srv.InjectFault(op, 1, fake.Fault{Delay: 30 * time.Second})
	case faultExpiredToken:
		// No fault: the fake refuses the first token the client gets.
	default:
		t.Fatalf("fault %v is not played by the fake", fault)
	}
	env := faultEnv{url: url, ep: ep, ip: ips[0].ID, requests: func() int {
		n := 0
		for _, r := range srv.Requests() {
			if r.Operation == op {
				n++
			}
		}
		return n
	}}
	switch fault {
	case faultHTML503:
		env.check = func(t *testing.T, err error) {
			if e, ok := errors.AsType[*wrapper.APIError](err); ok && e.Message != "503 Service Unavailable" {
				t.Errorf("message %q, want the page's title", e.Message)
			}
			// Only a POST fails here: behind a 503 the service may have
			// acted on it, and a caller who follows IsRetryable must not
			// send it again.
			if err != nil && wrapper.IsRetryable(err) {
				t.Errorf("IsRetryable(%v) = true", err)
			}
		}
	case faultRetryAfterSeconds, faultRetryAfterDate:
		env.check = func(t *testing.T, err error) {
			if e, ok := errors.AsType[*wrapper.APIError](err); ok {
				if e.RetryAfter <= 0 || e.RetryAfter > 2*time.Second || fault == faultRetryAfterSeconds && e.RetryAfter != time.Second {
					t.Errorf("RetryAfter = %v", e.RetryAfter)
				}
				if !e.Retryable() || !wrapper.IsRateLimited(err) {
					t.Errorf("a 429 is not retryable and rate limited: %v", err)
				}
			}
		}
	case faultBusy:
		env.check = func(t *testing.T, err error) {
			if err != nil && !wrapper.IsRetryable(err) {
				t.Errorf("busy: IsRetryable(%v) = false", err)
			}
		}
	case faultDropBeforeHeaders:
		// Only a POST fails here: the request was sent and the service
		// may have acted on it.
		env.check = func(t *testing.T, err error) {
			if err != nil && wrapper.IsRetryable(err) {
				t.Errorf("IsRetryable(%v) = true", err)
			}
		}
	case faultDropAfterHeaders, faultSlow:
		env.check = func(t *testing.T, err error) {
			if wrapper.IsRetryable(err) {
				t.Errorf("IsRetryable(%v) = true", err)
			}
		}
	}
	return env
}

// faultServer starts a small server that answers every request with the
// fault: faults the fake does not play.
func faultServer(t *testing.T, mn *wrapper.MemNet, fault faultKind, op string) faultEnv {
	var count, elsewhere atomic.Int32
	other := mn.Serve(t, "other.test", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	status := faultSuccess[op]
	srv := mn.Serve(t, "fault.test", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req-fault")
		switch fault {
		case faultTruncatedJSON:
			body := `{"endpoint":{"id":"ff80808169be2efb0169bef85d720013","name":"ep`
			if op == "ListEndpoints" {
				body = `{"endpoints":[{"id":"ff80808169be2efb0169bef85d720013"`
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		case faultRedirect:
			w.Header().Set("Location", other+"/v2.1/steal")
			w.WriteHeader(http.StatusTemporaryRedirect)
		case faultOversizeDeclared, faultOversizeChunked:
			name := strings.Repeat("x", 64<<10)
			body := `{"endpoint":{"name":"` + name + `"}}`
			if op == "ListEndpoints" {
				body = `{"endpoints":[{"name":"` + name + `"}],"metadata":{"total_count":1}}`
			}
			if fault == faultOversizeDeclared {
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			}
			w.WriteHeader(status)
			for b := []byte(body); len(b) > 0; b = b[min(len(b), 4096):] {
				if _, err := w.Write(b[:min(len(b), 4096)]); err != nil {
					return // the client gave up at the cap
				}
				http.NewResponseController(w).Flush()
			}
		}
	}))
	env := faultEnv{url: srv, ep: "ff80808169be2efb0169bef85d720013", ip: "ab12cd34ef56ab78cd90ef12ab34cd56",
		requests: func() int { return int(count.Load()) }}
	if fault == faultRedirect {
		env.check = func(t *testing.T, err error) {
			if n := elsewhere.Load(); n != 0 {
				t.Errorf("the other host received %d requests", n)
			}
			if !errors.Is(err, wrapper.ErrRedirect) || !strings.Contains(err.Error(), strings.TrimPrefix(other, "http://")) {
				t.Errorf("err = %v, want ErrRedirect naming the other host", err)
			}
		}
	}
	if fault == faultOversizeDeclared || fault == faultOversizeChunked {
		env.check = func(t *testing.T, err error) {
			if wrapper.IsRetryable(err) {
				t.Errorf("IsRetryable(%v) = true", err)
			}
		}
	}
	return env
}
