package fake

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/dnsep/dnsep/gen"
	"github.com/dnsep/dnsep/openapi"
)

// Server is an in-memory Huawei Cloud DNS endpoint service. It implements
// gen.StrictServerInterface and serves it, behind the API gateway's checks,
// as an http.Handler. It is safe for concurrent use.
type Server struct {
	cfg     config
	handler http.Handler
	routes  map[string]string // "METHOD /path" -> operationId
	mux     *http.ServeMux
	valid   *openapi.Validator

	mu    sync.Mutex // guards st and token
	st    store
	token string

	faults   faultQueue
	recorder recorder

	idMu  sync.Mutex // guards idRNG
	idRNG *rand.Rand // request IDs, repeatable with WithRandSeed
}

var _ gen.StrictServerInterface = (*Server)(nil)

// An Option configures a Server.
type Option func(*config) error

type config struct {
	token             string
	keys              map[string]string
	projectID         string
	vpcs              []VPC
	delay             time.Duration
	clock             func() time.Time
	seeds             []SeedEndpoint
	region            string
	quota             map[gen.Direction]int
	validateRequests  bool
	validateResponses bool
	onViolation       func(*openapi.ContractError)
	randSeed          *uint64
	logger            *slog.Logger
	state             []byte // WithState
	changeHook        func()
	recordCount       int // WithRecorderLimits
	recordBytes       int
}

// WithToken sets the IAM token the fake accepts in X-Auth-Token. Without it
// the fake makes up a random token; read it with Token. A token that is
// empty, is not UTF-8 or holds control characters is refused.
func WithToken(token string) Option {
	return func(c *config) error {
		if err := checkToken(token); err != nil {
			return err
		}
		c.token = token
		return nil
	}
}

// WithAccessKey makes the fake accept requests signed (SDK-HMAC-SHA256) with
// this key pair. Give it once per key pair.
func WithAccessKey(accessKey, secretKey string) Option {
	return func(c *config) error {
		if accessKey == "" || secretKey == "" {
			return errors.New("empty access key or secret key")
		}
		c.keys[accessKey] = secretKey
		return nil
	}
}

// WithProjectID makes signed requests carry this X-Project-Id; by default
// any non-empty project ID is accepted.
func WithProjectID(id string) Option {
	return func(c *config) error { c.projectID = id; return nil }
}

// WithVPC adds a VPC and its subnets to the inventory, next to DefaultVPC.
func WithVPC(v VPC) Option {
	return func(c *config) error { c.vpcs = append(c.vpcs, v); return nil }
}

// WithDelay sets how long PENDING_* states last (default 0: the answer to a
// write shows the pending state, the next read shows it settled).
func WithDelay(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("negative delay")
		}
		c.delay = d
		return nil
	}
}

// WithClock replaces time.Now, for timestamps, settling and the AK/SK clock
// skew check.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("nil clock")
		}
		c.clock = now
		return nil
	}
}

// SeedEndpoint is an endpoint that exists, ACTIVE, when the fake starts.
type SeedEndpoint struct {
	Name      string
	Direction gen.Direction
	IPs       []gen.IpaddressInfo // 2 to 6, as for CreateEndpoint
}

// WithSeedEndpoint creates an ACTIVE endpoint at start. The usual rules
// apply: New fails if the seed breaks one.
func WithSeedEndpoint(e SeedEndpoint) Option {
	return func(c *config) error { c.seeds = append(c.seeds, e); return nil }
}

// WithRegion sets the region that CreateEndpoint requires in its body
// (default "cn-north-4").
func WithRegion(region string) Option {
	return func(c *config) error {
		if region == "" {
			return errors.New("empty region")
		}
		c.region = region
		return nil
	}
}

// WithQuota sets how many inbound and outbound endpoints may exist (default
// 50 each, as the service's default quota).
func WithQuota(inbound, outbound int) Option {
	return func(c *config) error {
		if inbound < 0 || outbound < 0 {
			return errors.New("negative quota")
		}
		c.quota = map[gen.Direction]int{gen.DirectionInbound: inbound, gen.DirectionOutbound: outbound}
		return nil
	}
}

// WithValidation turns contract validation of requests and of responses on
// or off (both are on by default).
func WithValidation(requests, responses bool) Option {
	return func(c *config) error {
		c.validateRequests, c.validateResponses = requests, responses
		return nil
	}
}

// WithViolationHandler calls fn for every contract violation the fake finds
// (NewTestServer reports them as test errors).
func WithViolationHandler(fn func(*openapi.ContractError)) Option {
	return func(c *config) error { c.onViolation = fn; return nil }
}

// WithRandSeed makes the IDs the fake hands out repeatable.
func WithRandSeed(seed uint64) Option {
	return func(c *config) error { c.randSeed = &seed; return nil }
}

// WithLogger logs one record per request: method, path, operation, status,
// duration and request ID. Credentials are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithChangeHook calls fn after every write that the service accepted (a
// request other than GET answered 2xx), before the answer is complete: for
// example to save State. fn runs on the request's goroutine, so it may be
// called concurrently.
func WithChangeHook(fn func()) Option {
	return func(c *config) error {
		if fn == nil {
			return errors.New("nil change hook")
		}
		c.changeHook = fn
		return nil
	}
}

// New returns a fake endpoint service with the default inventory (DefaultVPC)
// and the given options.
func New(opts ...Option) (*Server, error) {
	cfg := config{
		keys:              map[string]string{},
		vpcs:              []VPC{DefaultVPC()},
		clock:             time.Now,
		region:            "cn-north-4",
		quota:             map[gen.Direction]int{gen.DirectionInbound: 50, gen.DirectionOutbound: 50},
		validateRequests:  true,
		validateResponses: true,
		recordCount:       maxRecorded,
		recordBytes:       maxRecordedBytes,
	}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("fake: %w", err)
		}
	}
	s := &Server{cfg: cfg, token: cfg.token, recorder: recorder{maxCount: cfg.recordCount, maxBytes: cfg.recordBytes}}
	seed := rand.Uint64()
	if cfg.randSeed != nil {
		seed = *cfg.randSeed
	}
	s.st = store{subnets: map[string]*subnet{}, used: map[netip.Addr]bool{}, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	s.idRNG = rand.New(rand.NewPCG(seed+1, seed^0x51afd7ed558ccd))
	if s.token == "" {
		s.token = "fake-" + s.st.newID()
	}
	for _, v := range cfg.vpcs {
		for _, sn := range v.Subnets {
			p, err := netip.ParsePrefix(sn.CIDR)
			if err != nil || !p.Addr().Is4() || p.Bits() > 29 || p.Masked() != p {
				return nil, fmt.Errorf("fake: subnet %s: CIDR %q is not an IPv4 network of /29 or larger", sn.ID, sn.CIDR)
			}
			if sn.ID == "" || s.st.subnets[sn.ID] != nil {
				return nil, fmt.Errorf("fake: subnet ID %q is empty or used twice", sn.ID)
			}
			neutron := sn.NeutronID
			if neutron == "" {
				neutron = sn.ID
			}
			s.st.subnets[sn.ID] = &subnet{id: sn.ID, neutronID: neutron, vpcID: v.ID, prefix: p}
		}
	}
	if err := s.seed(); err != nil {
		return nil, err
	}
	if err := s.restore(); err != nil {
		return nil, err
	}
	if err := s.buildHandler(); err != nil {
		return nil, err
	}
	return s, nil
}

// seed creates the seed endpoints through CreateEndpoint, with no delay,
// and settles them; then it sets the configured delay.
func (s *Server) seed() error {
	for _, e := range s.cfg.seeds {
		_, err := s.CreateEndpoint(context.Background(), gen.CreateEndpointRequestObject{Body: &gen.CreateEndpointRequestBody{
			Name: e.Name, Direction: e.Direction, Region: s.cfg.region, Ipaddresses: e.IPs,
		}})
		if err != nil {
			return fmt.Errorf("fake: seed endpoint %q: %w", e.Name, err)
		}
	}
	s.st.delay = s.cfg.delay
	s.settle()
	return nil
}

// settle applies the transitions that are due and returns the time it used.
// The caller holds s.mu.
func (s *Server) settle() time.Time {
	now := s.cfg.clock()
	s.st.settle(now)
	return now
}

func (s *Server) buildHandler() error {
	// The document and its router are loaded once per process and shared:
	// a server costs its ServeMux and a few closures, not a parse.
	v, err := openapi.NewValidator(context.Background())
	if err != nil {
		return fmt.Errorf("fake: %w", err)
	}
	s.valid = v
	s.routes = map[string]string{}
	for path, item := range v.Document().Paths.Map() {
		for method, op := range item.Operations() {
			s.routes[method+" "+path] = op.OperationID
		}
	}
	s.mux = http.NewServeMux()
	strict := gen.NewStrictHandlerWithOptions(s, nil, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  invalidRequest,
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) { writeServiceError(w, err) },
	})
	gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{BaseRouter: s.mux, ErrorHandlerFunc: invalidRequest})

	report := func(_ *http.Request, e *openapi.ContractError) {
		if e.Side == openapi.SideResponse && s.cfg.onViolation != nil {
			s.cfg.onViolation(e)
		}
	}
	var h http.Handler
	switch {
	case s.cfg.validateRequests && s.cfg.validateResponses:
		h = v.Middleware(s.mux, report)
	case !s.cfg.validateRequests && !s.cfg.validateResponses:
		// Unvalidated, a handler must still read what a validator would.
		h = v.Strict(s.mux, report)
	default:
		// kin-openapi's middleware validates both sides or neither.
		return errors.New("fake: WithValidation: requests and responses are validated together or not at all")
	}
	s.handler = s.gateway(h)
	return nil
}

// invalidRequest answers a request the generated server could not decode.
func invalidRequest(w http.ResponseWriter, _ *http.Request, err error) {
	writeServiceError(w, badRequest("DNS.0002", "Invalid request. "+oneLine(err.Error())))
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Token returns the IAM token the fake accepts.
func (s *Server) Token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

// SetToken replaces the accepted token, as when a token expires: requests
// with the old one get 401 APIGW.0301 from then on.
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

// gateway does what the API gateway does before the service: it gives every
// answer an X-Request-Id, answers unknown routes, and checks credentials.
// It also records requests and plays injected faults.
func (s *Server) gateway(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		reqID := s.requestID()
		w.Header().Set("X-Request-Id", reqID)
		_, pattern := s.mux.Handler(r)
		op := s.routes[pattern]
		if !strings.HasPrefix(pattern, r.Method+" ") {
			// ServeMux lets HEAD match a GET pattern; the API has no HEAD
			// operation, and a HEAD served as a silent GET is none.
			op = ""
		}
		if p := r.URL.EscapedPath(); path.Clean(p) != p {
			// For a path with empty or dot segments, ServeMux names the
			// pattern that the cleaned path would match and answers with
			// a redirect; the gateway has no route for such a path.
			op = ""
		}
		sw := &statusWriter{ResponseWriter: w}
		refused := false
		defer func() { s.finish(op, r, sw.status, reqID, start, refused) }()

		if op == "" {
			refused = true
			refuse(sw, r, http.StatusNotFound, "APIGW.0101", "The API does not exist or has not been published in the environment.")
			return
		}
		if why := s.authenticate(r); why != "" {
			refused = true
			refuse(sw, r, http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: "+why)
			return
		}
		if f, ok := s.faults.take(op); ok {
			s.play(sw, r, next, f)
			return
		}
		next.ServeHTTP(sw, r)
	})
}

// requestID returns a new request ID of 32 hexadecimal characters.
func (s *Server) requestID() string {
	s.idMu.Lock()
	a, b := s.idRNG.Uint64(), s.idRNG.Uint64()
	s.idMu.Unlock()
	var id [16]byte
	binary.BigEndian.PutUint64(id[:8], a)
	binary.BigEndian.PutUint64(id[8:], b)
	return hex.EncodeToString(id[:])
}

// finish records a request, logs it and calls the change hook after an
// accepted write. It runs deferred, so a write whose answer was cut short
// by a fault counts too.
func (s *Server) finish(op string, r *http.Request, status int, reqID string, start time.Time, refused bool) {
	s.recorder.add(op, r, status, reqID, refused)
	if s.cfg.changeHook != nil && op != "" && r.Method != http.MethodGet && status >= 200 && status <= 299 {
		s.cfg.changeHook()
	}
	if s.cfg.logger != nil {
		s.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "fake request",
			slog.String("method", r.Method), slog.String("path", r.URL.EscapedPath()), slog.String("operation", op),
			slog.Int("status", status), slog.Duration("duration", time.Since(start)), slog.String("request_id", reqID))
	}
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
