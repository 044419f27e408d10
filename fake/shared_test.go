package fake_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/openapi"
)

// TestServersInParallel builds servers on several goroutines at once and
// sends each valid and invalid requests concurrently, for the race
// detector: every server shares the one OpenAPI document and router of the
// process, which must only be read.
func TestServersInParallel(t *testing.T) {
	t.Parallel()
	const servers, requests = 6, 20
	type call struct {
		method, path, body string
		status             int
		code               string // of the error body, "" for a 2xx
	}
	calls := []call{
		{"GET", "/v2.1/vpcs", "", 200, ""},
		{"GET", "/v2.1/vpcs?limit=501", "", 400, "DNS.0006"},
		{"POST", "/v2.1/endpoints", `{"name":"a b","direction":"inbound","region":"cn-north-4","ipaddresses":[{"subnet_id":"` +
			fake.DefaultSubnetID + `"},{"subnet_id":"` + fake.DefaultSubnetID + `"}]}`, 400, "DNS.1501"},
		{"PUT", "/v2.1/endpoints/x", `{"name":"a","NAME":"b"}`, 400, "DNS.0002"},
	}
	var wg sync.WaitGroup
	errs := make(chan error, servers*requests)
	for range servers {
		wg.Go(func() {
			s, err := fake.New(fake.WithToken("T"), fake.WithViolationHandler(func(e *openapi.ContractError) {
				errs <- fmt.Errorf("violation: %v", e)
			}))
			if err != nil {
				errs <- err
				return
			}
			hs := httptest.NewServer(s)
			defer hs.Close()
			defer hs.Client().CloseIdleConnections()
			for i := range requests {
				c := calls[i%len(calls)]
				if err := sendShared(hs, c.method, c.path, c.body, c.status, c.code); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// sendShared sends one request with token T and checks the status and the code
// of an error body.
func sendShared(hs *httptest.Server, method, path, body string, status int, code string) error {
	req, err := http.NewRequest(method, hs.URL+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("X-Auth-Token", "T")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hs.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct{ Code string }
	_ = json.Unmarshal(b, &e)
	if resp.StatusCode != status || (code != "" && e.Code != code) {
		return fmt.Errorf("%s %s: %d %s, want %d %s", method, path, resp.StatusCode, b, status, code)
	}
	return nil
}
