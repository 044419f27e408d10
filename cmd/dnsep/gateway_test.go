package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// gatewayNotFoundBody is what the API gateway answers for a path that is no API
// of the service, such as one under a wrong base URL.
const gatewayNotFoundBody = `{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment.","request_id":"5f2c0b6e3a8d4c1f9e7b2a6d8c4e0f13"}`

const (
	gwEndpoint = "ff80808169be2efb0169bef85d720013"
	gwIP       = "ff80808169bf16c70169bf1d04ba0001"
)

// gatewayServer answers like an API gateway that has no such API, on
// loopback. With writes set it accepts the DELETE writes with 202, as if
// only the reads went astray, so that the waiters meet the gateway 404.
func gatewayServer(t *testing.T, writes bool) (url string, requests *atomic.Int64) {
	t.Helper()
	requests = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if writes && r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusAccepted)
			_, _ = w.Write([]byte(`{"endpoint":{"id":"` + gwEndpoint + `","name":"gw","direction":"inbound","status":"PENDING_DELETE","vpc_id":"dd2a1ce7-fa36-48d1-b6ac-6623bc7c306b","ipaddress_count":2,"resolver_rule_count":0,"create_time":"2026-11-26T08:00:00.000","update_time":"2026-11-26T08:00:00.000"}}`))
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(gatewayNotFoundBody))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, requests
}

// TestGatewayNotFound: a 404 APIGW.0101 of the gateway is not the service's
// "not found": the endpoint or address is not known to be gone, and dnsep
// exits 1 (not 3) with a message that points at the API URL.
func TestGatewayNotFound(t *testing.T) {
	commands := map[string][]string{
		"show":          {"endpoint", "show", gwEndpoint},
		"delete --wait": {"endpoint", "delete", gwEndpoint, "--wait"},
		"unbind --wait": {"ip", "unbind", gwEndpoint, gwIP, "--wait"},
	}
	for _, writes := range []bool{false, true} {
		url, requests := gatewayServer(t, writes)
		for name, args := range commands {
			if writes && name == "show" {
				continue
			}
			for _, via := range []struct {
				source string
				env    map[string]string
				args   []string
			}{
				{"--endpoint", map[string]string{"DNSEP_ENDPOINT": ""}, append([]string{"--endpoint", url}, args...)},
				{"DNSEP_ENDPOINT", map[string]string{"DNSEP_ENDPOINT": url}, args},
			} {
				what := name + " via " + via.source
				if writes {
					what += " after an accepted DELETE"
				}
				t.Run(what, func(t *testing.T) {
					c := &cli{t: t, env: map[string]string{"HW_REGION_NAME": "cn-north-4", "HW_AUTH_TOKEN": "tok"}}
					before := requests.Load()
					r := c.runWith(context.Background(), nil, via.env, via.args...)
					if r.code != exitFailure {
						t.Errorf("exit %d, want %d\n%s", r.code, exitFailure, r.stderr)
					}
					if requests.Load() == before {
						t.Errorf("no request reached the server")
					}
					if !strings.Contains(r.stderr, "APIGW.0101") || !strings.Contains(r.stderr, "API path does not exist") || !strings.Contains(r.stderr, via.source) {
						t.Errorf("the message does not say the API path does not exist at the URL of %s:\n%s", via.source, r.stderr)
					}
					if strings.Contains(r.stderr, gwEndpoint+" deleted") || strings.Contains(r.stderr, ": gone") {
						t.Errorf("reports success:\n%s", r.stderr)
					}
				})
			}
		}
	}
}
