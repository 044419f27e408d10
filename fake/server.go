package fake

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path"
	"strings"
	"sync"
	"sync/atomic"
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
	issued   issuedTokens // by the fake IAM (iam.go)

	idMu  sync.Mutex // guards idRNG
	idRNG *rand.Rand // request IDs, repeatable with WithRandSeed

	resetCount atomic.Uint64 // Reset calls, to vary the IDs of a seeded fake
}

var _ gen.StrictServerInterface = (*Server)(nil)

// New returns a fake endpoint service with the default inventory (DefaultVPC)
// and the given options.
func New(opts ...Option) (*Server, error) {
	cfg := config{
		keys:              map[string]string{},
		vpcs:              []VPC{DefaultVPC()},
		clock:             time.Now,
		region:            "cn-north-4",
		quota:             map[gen.Direction]int{gen.DirectionInbound: 50, gen.DirectionOutbound: 50},
		ruleQuota:         defaultRuleQuota,
		validateResponses: true,
		recordCount:       maxRecorded,
		recordBytes:       maxRecordedBytes,
		tokenTTL:          defaultTokenTTL,
	}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("fake: %w", err)
		}
	}
	return newServer(cfg)
}

// newServer returns a Server with the configuration cfg.
func newServer(cfg config) (*Server, error) {
	s := &Server{cfg: cfg, token: cfg.token, recorder: recorder{maxCount: cfg.recordCount, maxBytes: cfg.recordBytes}}
	seed := rand.Uint64()
	if cfg.randSeed != nil {
		seed = *cfg.randSeed
	}
	s.st = store{subnets: map[string]*subnet{}, vpcs: map[string]bool{}, used: map[netip.Addr]bool{}, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	s.idRNG = rand.New(rand.NewPCG(seed+1, seed^0x51afd7ed558ccd))
	if s.token == "" {
		s.token = "fake-" + s.st.newID()
	}
	for _, v := range cfg.vpcs {
		s.st.vpcs[v.ID] = true
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
	if err := s.buildHandler(); err != nil {
		return nil, err
	}
	if err := s.seed(); err != nil {
		return nil, err
	}
	if err := s.restore(); err != nil {
		return nil, err
	}
	return s, nil
}

// seed creates the seed endpoints through the validator and CreateEndpoint,
// as a request would, with no delay, and settles them; then it sets the
// configured delay.
func (s *Server) seed() error {
	for _, e := range s.cfg.seeds {
		body := &gen.CreateEndpointRequestBody{Name: e.Name, Direction: e.Direction, Region: s.cfg.region, Ipaddresses: e.IPs}
		err := s.validSeed(body)
		if err == nil {
			_, err = s.CreateEndpoint(context.Background(), gen.CreateEndpointRequestObject{Body: body})
		}
		if err != nil {
			return fmt.Errorf("fake: seed endpoint %q: %w", e.Name, err)
		}
	}
	s.st.delay = s.cfg.delay
	s.settle()
	return nil
}

// validSeed checks a seed as the validator checks the body of a
// CreateEndpoint request: the handler leaves those rules to it.
func (s *Server) validSeed(body *gen.CreateEndpointRequestBody) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, "/v2.1/endpoints", bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	var violation error
	check := s.valid.Requests(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}),
		func(_ *http.Request, e *openapi.ContractError) { violation = e })
	check.ServeHTTP(httptest.NewRecorder(), req)
	return violation
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
	strict := gen.NewStrictHandlerWithOptions(s, []gen.StrictMiddlewareFunc{keepListURL}, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  invalidRequest,
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) { writeServiceError(w, err) },
	})
	gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{BaseRouter: s.mux, ErrorHandlerFunc: invalidRequest})
	if len(s.cfg.users) > 0 {
		// Only for routing: the gateway hands these requests to serveIAM.
		s.mux.HandleFunc(iamTokensRoute, s.serveIAM)
		s.routes[iamTokensRoute] = IAMOperation
	}

	report := func(_ *http.Request, e *openapi.ContractError) {
		if e.Side == openapi.SideResponse && s.cfg.onViolation != nil {
			s.cfg.onViolation(e)
		}
	}
	// Requests are always validated: the document holds the service's
	// request rules, and the handlers keep only the rules of state.
	h := v.Requests(s.mux, report)
	if s.cfg.validateResponses {
		h = v.Middleware(s.mux, report)
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
		rec := Request{Time: s.cfg.clock()}
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
		sw := &statusWriter{ResponseWriter: w, keep: s.recorder.on()}
		var tap *bodyTap
		if sw.keep && r.Body != nil && r.Body != http.NoBody {
			tap = &bodyTap{ReadCloser: r.Body}
			r.Body = tap
		}
		refused := false
		defer func() {
			rec.Operation, rec.Status, rec.RequestID = op, sw.status, reqID
			if tap != nil {
				rec.RequestBody = tap.buf
			}
			rec.ResponseBody = sw.body
			s.finish(rec, r, start, refused)
		}()

		if op == "" {
			refused = true
			refuse(sw, r, http.StatusNotFound, "APIGW.0101", "The API does not exist or has not been published in the environment.")
			return
		}
		svc := next
		if op == IAMOperation {
			// Another service: no token needed, and not the DNS API's document.
			svc = http.HandlerFunc(s.serveIAM)
		} else if why := s.authenticate(r); why != "" {
			refused = true
			refuse(sw, r, http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: "+why)
			return
		}
		if f, ok := s.faults.take(op); ok {
			s.play(sw, r, svc, f)
			return
		}
		svc.ServeHTTP(sw, r)
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
func (s *Server) finish(rec Request, r *http.Request, start time.Time, refused bool) {
	rec.Latency = time.Since(start)
	s.recorder.add(rec, r, refused)
	op, status := rec.Operation, rec.Status
	if s.cfg.changeHook != nil && op != "" && op != IAMOperation && r.Method != http.MethodGet && status >= 200 && status <= 299 {
		s.cfg.changeHook()
	}
	if s.cfg.logger != nil {
		s.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "fake request",
			slog.String("method", r.Method), slog.String("path", r.URL.EscapedPath()), slog.String("operation", op),
			slog.Int("status", status), slog.Duration("duration", rec.Latency), slog.String("request_id", rec.RequestID))
	}
}

// statusWriter remembers the status a handler wrote and, when keep is set,
// the first maxRecordedBody bytes of the body.
type statusWriter struct {
	http.ResponseWriter
	status int
	keep   bool
	body   []byte
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
	if n := min(len(b), maxRecordedBody-len(w.body)); w.keep && n > 0 {
		w.body = append(w.body, b[:n]...)
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
