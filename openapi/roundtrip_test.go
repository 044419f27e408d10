package openapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsep/dnsep/gen"
	"github.com/dnsep/dnsep/openapi/apitime"
)

// stub is a minimal gen.StrictServerInterface: it records which operation ran
// and with which token, and answers the unbind operation as configured.
type stub struct {
	mu     sync.Mutex
	calls  []string
	tokens []string
	unbind func(gen.DisassociateEndpointIpaddressRequestObject) gen.DisassociateEndpointIpaddressResponseObject
}

var _ gen.StrictServerInterface = (*stub)(nil)

type tokenKey struct{}

func (s *stub) record(ctx context.Context, op string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, op)
	tok, _ := ctx.Value(tokenKey{}).(string)
	s.tokens = append(s.tokens, tok)
}

var errStub = errors.New("not answered by this stub")

func (s *stub) ListEndpoints(ctx context.Context, _ gen.ListEndpointsRequestObject) (gen.ListEndpointsResponseObject, error) {
	s.record(ctx, "ListEndpoints")
	return nil, errStub
}

func (s *stub) CreateEndpoint(ctx context.Context, _ gen.CreateEndpointRequestObject) (gen.CreateEndpointResponseObject, error) {
	s.record(ctx, "CreateEndpoint")
	return nil, errStub
}

func (s *stub) DeleteEndpoint(ctx context.Context, _ gen.DeleteEndpointRequestObject) (gen.DeleteEndpointResponseObject, error) {
	s.record(ctx, "DeleteEndpoint")
	return nil, errStub
}

func (s *stub) ShowEndpoint(ctx context.Context, _ gen.ShowEndpointRequestObject) (gen.ShowEndpointResponseObject, error) {
	s.record(ctx, "ShowEndpoint")
	return nil, errStub
}

func (s *stub) UpdateEndpoint(ctx context.Context, _ gen.UpdateEndpointRequestObject) (gen.UpdateEndpointResponseObject, error) {
	s.record(ctx, "UpdateEndpoint")
	return nil, errStub
}

func (s *stub) ListEndpointIpaddresses(ctx context.Context, _ gen.ListEndpointIpaddressesRequestObject) (gen.ListEndpointIpaddressesResponseObject, error) {
	s.record(ctx, "ListEndpointIpaddresses")
	return nil, errStub
}

func (s *stub) AssociateEndpointIpaddress(ctx context.Context, _ gen.AssociateEndpointIpaddressRequestObject) (gen.AssociateEndpointIpaddressResponseObject, error) {
	s.record(ctx, "AssociateEndpointIpaddress")
	return nil, errStub
}

func (s *stub) DisassociateEndpointIpaddress(ctx context.Context, req gen.DisassociateEndpointIpaddressRequestObject) (gen.DisassociateEndpointIpaddressResponseObject, error) {
	s.record(ctx, "DisassociateEndpointIpaddress")
	if s.unbind == nil {
		return nil, errStub
	}
	return s.unbind(req), nil
}

func (s *stub) ListEndpointVpcs(ctx context.Context, _ gen.ListEndpointVpcsRequestObject) (gen.ListEndpointVpcsResponseObject, error) {
	s.record(ctx, "ListEndpointVpcs")
	return nil, errStub
}

func (s *stub) ListResolverRules(ctx context.Context, _ gen.ListResolverRulesRequestObject) (gen.ListResolverRulesResponseObject, error) {
	s.record(ctx, "ListResolverRules")
	return nil, errStub
}

func (s *stub) CreateResolverRule(ctx context.Context, _ gen.CreateResolverRuleRequestObject) (gen.CreateResolverRuleResponseObject, error) {
	s.record(ctx, "CreateResolverRule")
	return nil, errStub
}

func (s *stub) ShowResolverRule(ctx context.Context, _ gen.ShowResolverRuleRequestObject) (gen.ShowResolverRuleResponseObject, error) {
	s.record(ctx, "ShowResolverRule")
	return nil, errStub
}

func (s *stub) UpdateResolverRule(ctx context.Context, _ gen.UpdateResolverRuleRequestObject) (gen.UpdateResolverRuleResponseObject, error) {
	s.record(ctx, "UpdateResolverRule")
	return nil, errStub
}

func (s *stub) DeleteResolverRule(ctx context.Context, _ gen.DeleteResolverRuleRequestObject) (gen.DeleteResolverRuleResponseObject, error) {
	s.record(ctx, "DeleteResolverRule")
	return nil, errStub
}

func (s *stub) AssociateResolverRuleRouter(ctx context.Context, _ gen.AssociateResolverRuleRouterRequestObject) (gen.AssociateResolverRuleRouterResponseObject, error) {
	s.record(ctx, "AssociateResolverRuleRouter")
	return nil, errStub
}

func (s *stub) DisassociateResolverRuleRouter(ctx context.Context, _ gen.DisassociateResolverRuleRouterRequestObject) (gen.DisassociateResolverRuleRouterResponseObject, error) {
	s.record(ctx, "DisassociateResolverRuleRouter")
	return nil, errStub
}

// serve runs s behind the generated strict handler and router on loopback.
// Errors are written as the API's JSON error body, not as text.
func serve(t *testing.T, s *stub) *httptest.Server {
	t.Helper()
	writeErr := func(status int) func(http.ResponseWriter, *http.Request, error) {
		return func(w http.ResponseWriter, _ *http.Request, err error) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(gen.DNSError{Code: "DNS.0001", Message: err.Error()})
		}
	}
	strict := gen.NewStrictHandlerWithOptions(s, []gen.StrictMiddlewareFunc{
		func(next gen.StrictHandlerFunc, _ string) gen.StrictHandlerFunc {
			return func(ctx context.Context, w http.ResponseWriter, r *http.Request, req any) (any, error) {
				return next(context.WithValue(ctx, tokenKey{}, r.Header.Get("X-Auth-Token")), w, r, req)
			}
		},
	}, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  writeErr(http.StatusBadRequest),
		ResponseErrorHandlerFunc: writeErr(http.StatusInternalServerError),
	})
	srv := httptest.NewServer(gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{ErrorHandlerFunc: writeErr(http.StatusBadRequest)}))
	t.Cleanup(srv.Close)
	return srv
}

func client(t *testing.T, srv *httptest.Server, token string) *gen.ClientWithResponses {
	t.Helper()
	c, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(srv.Client()),
		gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("X-Auth-Token", token)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ptr[T any](v T) *T { return &v }

// TestUnbindRoundTrip sends the seed operation from the generated client to
// the generated strict server and checks every typed field on the way back.
func TestUnbindRoundTrip(t *testing.T) {
	t.Parallel()
	at := apitime.Time{Time: time.Date(2019, 3, 27, 11, 45, 41, 724e6, time.UTC)}
	seed := gen.EndpointEnvelope{Endpoint: gen.EndpointResp{
		ID:                "ff80808169be2efb0169bef85d720013",
		Name:              "NULL",
		Direction:         gen.DirectionInbound,
		Status:            gen.StatusActive,
		VpcID:             ptr("dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b"),
		IpaddressCount:    3,
		ResolverRuleCount: 0,
		CreateTime:        at,
		UpdateTime:        at,
	}}
	const seedJSON = `{"endpoint":{"id":"ff80808169be2efb0169bef85d720013","name":"NULL","direction":"inbound","status":"ACTIVE","vpc_id":"dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b","ipaddress_count":3,"resolver_rule_count":0,"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"}}`

	tests := []struct {
		name       string
		ipaddress  string
		answer     gen.DisassociateEndpointIpaddressResponseObject
		wantStatus int
		check      func(t *testing.T, r *gen.DisassociateEndpointIpaddressResponse)
	}{
		{
			name:       "202 seed example",
			ipaddress:  "ab12",
			answer:     gen.DisassociateEndpointIpaddress202JSONResponse{Body: seed, Headers: gen.DisassociateEndpointIpaddress202ResponseHeaders{XRequestID: ptr("d59058a3efc5f8ca152d53154f90444b")}},
			wantStatus: http.StatusAccepted,
			check: func(t *testing.T, r *gen.DisassociateEndpointIpaddressResponse) {
				if r.JSON202 == nil {
					t.Fatalf("JSON202 is nil; body %s", r.Body)
				}
				if diff := cmp.Diff(seed, *r.JSON202); diff != "" {
					t.Errorf("decoded endpoint (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(decodeJSON(t, []byte(seedJSON)), decodeJSON(t, r.Body)); diff != "" {
					t.Errorf("wire body differs from the API page's example (-want +got):\n%s", diff)
				}
				// The client is generated without typed response headers
				// (see client-overlay.yaml): the request ID is read from the
				// HTTP response.
				if got := r.HTTPResponse.Header.Get("X-Request-Id"); got != "d59058a3efc5f8ca152d53154f90444b" {
					t.Errorf("X-Request-Id = %q, want the server's d59058a3efc5f8ca152d53154f90444b", got)
				}
			},
		},
		{
			name:       "400 DNS.1514",
			ipaddress:  "ab13",
			answer:     gen.DisassociateEndpointIpaddress400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse{Body: gen.DNSError{Code: "DNS.1514", Message: "Invalid number of ipaddress."}}},
			wantStatus: http.StatusBadRequest,
			check: func(t *testing.T, r *gen.DisassociateEndpointIpaddressResponse) {
				want := &gen.BadRequest{Code: "DNS.1514", Message: "Invalid number of ipaddress."}
				if diff := cmp.Diff(want, r.JSON400); diff != "" {
					t.Errorf("JSON400 (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:       "500 DNS.0001",
			ipaddress:  "ab14",
			answer:     gen.DisassociateEndpointIpaddress500JSONResponse{InternalServerErrorJSONResponse: gen.InternalServerErrorJSONResponse{Body: gen.DNSError{Code: "DNS.0001", Message: "Internal error."}}},
			wantStatus: http.StatusInternalServerError,
			check: func(t *testing.T, r *gen.DisassociateEndpointIpaddressResponse) {
				want := &gen.InternalServerError{Code: "DNS.0001", Message: "Internal error."}
				if diff := cmp.Diff(want, r.JSON500); diff != "" {
					t.Errorf("JSON500 (-want +got):\n%s", diff)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &stub{}
			var gotEndpoint, gotIP string
			s.unbind = func(req gen.DisassociateEndpointIpaddressRequestObject) gen.DisassociateEndpointIpaddressResponseObject {
				gotEndpoint, gotIP = req.EndpointID, req.IpaddressID
				return tt.answer
			}
			srv := serve(t, s)
			r, err := client(t, srv, "tok-123").DisassociateEndpointIpaddressWithResponse(context.Background(), "ff80808169be2efb0169bef85d720013", tt.ipaddress)
			if err != nil {
				t.Fatal(err)
			}
			if r.StatusCode() != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", r.StatusCode(), tt.wantStatus, r.Body)
			}
			tt.check(t, r)
			if gotEndpoint != "ff80808169be2efb0169bef85d720013" || gotIP != tt.ipaddress {
				t.Errorf("server saw endpoint %q ip %q", gotEndpoint, gotIP)
			}
			if diff := cmp.Diff([]string{"tok-123"}, s.tokens); diff != "" {
				t.Errorf("X-Auth-Token at the server (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRoutes registers the strict server on a ServeMux (which panics on some
// conflicting path sets) and checks that each of the sixteen routes reaches
// its own operation.
func TestRoutes(t *testing.T) {
	t.Parallel()
	s := &stub{}
	srv := serve(t, s)
	routes := []struct{ method, path, body, op string }{
		{http.MethodPost, "/v2.1/endpoints", `{"name":"a","direction":"inbound","region":"r","ipaddresses":[]}`, "CreateEndpoint"},
		{http.MethodGet, "/v2.1/endpoints?direction=inbound", "", "ListEndpoints"},
		{http.MethodGet, "/v2.1/endpoints/e1", "", "ShowEndpoint"},
		{http.MethodPut, "/v2.1/endpoints/e1", `{"name":"b"}`, "UpdateEndpoint"},
		{http.MethodDelete, "/v2.1/endpoints/e1", "", "DeleteEndpoint"},
		{http.MethodGet, "/v2.1/endpoints/e1/ipaddresses", "", "ListEndpointIpaddresses"},
		{http.MethodPost, "/v2.1/endpoints/e1/ipaddresses", `{"ipaddress":{"subnet_id":"s"}}`, "AssociateEndpointIpaddress"},
		{http.MethodDelete, "/v2.1/endpoints/e1/ipaddresses/i1", "", "DisassociateEndpointIpaddress"},
		{http.MethodGet, "/v2.1/vpcs", "", "ListEndpointVpcs"},
		{http.MethodPost, "/v2.1/resolverrules", `{"name":"r","domain_name":"example.com","endpoint_id":"e1","ipaddresses":[{"ip":"10.0.0.2"}]}`, "CreateResolverRule"},
		{http.MethodGet, "/v2.1/resolverrules?marker=r0", "", "ListResolverRules"},
		{http.MethodGet, "/v2.1/resolverrules/r1", "", "ShowResolverRule"},
		{http.MethodPut, "/v2.1/resolverrules/r1", `{"name":"s"}`, "UpdateResolverRule"},
		{http.MethodDelete, "/v2.1/resolverrules/r1", "", "DeleteResolverRule"},
		{http.MethodPost, "/v2.1/resolverrules/r1/associaterouter", `{"router":{"router_id":"v1"}}`, "AssociateResolverRuleRouter"},
		{http.MethodPost, "/v2.1/resolverrules/r1/disassociaterouter", `{"router":{"router_id":"v1"}}`, "DisassociateResolverRuleRouter"},
	}
	var want []string
	for _, rt := range routes {
		req, err := http.NewRequest(rt.method, srv.URL+rt.path, strings.NewReader(rt.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// The stub answers every operation with an error, which the
		// response error handler turns into a JSON 500.
		if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), errStub.Error()) {
			t.Errorf("%s %s: %d %s", rt.method, rt.path, resp.StatusCode, body)
		}
		want = append(want, rt.op)
	}
	if diff := cmp.Diff(want, s.calls); diff != "" {
		t.Errorf("operations reached (-want +got):\n%s", diff)
	}
}
