package fake_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnsep/dnsep/aksk"
	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/openapi"
	"github.com/dnsep/dnsep/wrapper"
)

// raw sends a request without the wrapper and decodes a JSON answer.
func raw(t *testing.T, method, url string, header http.Header, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s %s: %d %q is not JSON", method, url, resp.StatusCode, b)
	}
	return resp.StatusCode, resp.Header, m
}

func TestGateway(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t, fake.WithToken("good-token"))
	tok := http.Header{"X-Auth-Token": {"good-token"}}
	tests := []struct {
		name         string
		method, path string
		header       http.Header
		body         string
		status       int
		codeKey      string
		code         string
	}{
		{"no credentials", "GET", "/v2.1/vpcs", nil, "", 401, "error_code", "APIGW.0301"},
		{"wrong token", "GET", "/v2.1/vpcs", http.Header{"X-Auth-Token": {"bad"}}, "", 401, "error_code", "APIGW.0301"},
		{"unknown route", "GET", "/v2/zones", tok, "", 404, "error_code", "APIGW.0101"},
		{"wrong method", "PATCH", "/v2.1/vpcs", tok, "", 404, "error_code", "APIGW.0101"},
		{"direction missing", "GET", "/v2.1/endpoints", tok, "", 400, "code", "DNS.0002"},
		{"malformed JSON", "POST", "/v2.1/endpoints", http.Header{"X-Auth-Token": {"good-token"}, "Content-Type": {"application/json"}}, `{"name":`, 400, "code", "DNS.0002"},
		{"ok", "GET", "/v2.1/vpcs", tok, "", 200, "", ""},
	}
	for _, tt := range tests {
		status, header, body := raw(t, tt.method, srv.URL+tt.path, tt.header, tt.body)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d (%v)", tt.name, status, tt.status, body)
		}
		if tt.codeKey != "" && body[tt.codeKey] != tt.code {
			t.Errorf("%s: %s = %v, want %s (%v)", tt.name, tt.codeKey, body[tt.codeKey], tt.code, body)
		}
		id := header.Get("X-Request-Id")
		if !hexID.MatchString(id) {
			t.Errorf("%s: X-Request-Id %q", tt.name, id)
		}
		if tt.codeKey == "error_code" && body["request_id"] != id {
			t.Errorf("%s: request_id %v, header %s", tt.name, body["request_id"], id)
		}
	}
	// A rotated token: the old one is refused from then on.
	srv.Server.SetToken("new-token")
	_, err := checkedClient(t, srv).ListEndpointVpcs(bg, wrapper.ListEndpointVpcsParams{})
	if !wrapper.IsUnauthorized(err) {
		t.Errorf("old token after SetToken: %v", err)
	}
}

const (
	ak      = "QTWAOYTTINDUT2QVKYUC"
	sk      = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
	project = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
)

func TestAKSK(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t, fake.WithAccessKey(ak, sk), fake.WithProjectID(project))
	signed, err := wrapper.New(srv.URL, wrapper.WithAKSK(ak, sk, project))
	if err != nil {
		t.Fatal(err)
	}
	ep, err := signed.CreateEndpoint(bg, create("signed", wrapper.Inbound, ips(3)...))
	if err != nil {
		t.Fatalf("signed create: %v", err)
	}
	list, err := signed.ListEndpointIpaddresses(bg, ep.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signed.DisassociateEndpointIpaddress(bg, ep.ID, list[0].ID); err != nil {
		t.Fatalf("signed unbind: %v", err)
	}
	for _, bad := range []struct {
		name string
		opt  wrapper.Option
	}{
		{"wrong secret", wrapper.WithAKSK(ak, "wrong-secret", project)},
		{"unknown key", wrapper.WithAKSK("OTHERKEY", sk, project)},
		{"wrong project", wrapper.WithAKSK(ak, sk, "another-project")},
	} {
		c, err := wrapper.New(srv.URL, bad.opt)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListEndpointVpcs(bg, wrapper.ListEndpointVpcsParams{})
		if !wrapper.IsUnauthorized(err) {
			t.Errorf("%s: %v, want 401", bad.name, err)
		}
	}
}

// TestAKSKTampered signs a request, then changes it on the way.
func TestAKSKTampered(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t, fake.WithAccessKey(ak, sk))
	tests := []struct {
		name   string
		tamper func(r *http.Request, body *string)
		want   int
	}{
		{"untouched", func(*http.Request, *string) {}, 202},
		{"body changed", func(_ *http.Request, b *string) { *b = strings.Replace(*b, "signed-ep", "other-ep", 1) }, 401},
		{"path changed", func(r *http.Request, _ *string) {
			r.URL.Path = "/v2.1/endpoints/0123456789abcdef0123456789abcdef/ipaddresses"
		}, 401},
		{"query added", func(r *http.Request, _ *string) { r.URL.RawQuery = "x=1" }, 401},
		{"signed header changed", func(r *http.Request, _ *string) { r.Header.Set("X-Project-Id", "p2") }, 401},
		{"date 16 minutes old", func(r *http.Request, _ *string) {
			r.Header.Set("X-Sdk-Date", time.Now().Add(-16*time.Minute).UTC().Format(aksk.DateLayout))
		}, 401},
	}
	for i, tt := range tests {
		body := fmt.Sprintf(`{"name":"signed-ep-%d","direction":"inbound","region":"cn-north-4","ipaddresses":[{"subnet_id":%q},{"subnet_id":%q}]}`, i, fake.DefaultSubnetID, fake.DefaultSubnetID)
		req, _ := http.NewRequest("POST", srv.URL+"/v2.1/endpoints", nil)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Project-Id", project)
		if err := aksk.Sign(req, []byte(body), ak, sk, time.Now()); err != nil {
			t.Fatal(err)
		}
		tt.tamper(req, &body)
		req.Body = io.NopCloser(strings.NewReader(body))
		req.ContentLength = int64(len(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}
}

// TestOfficialSDKRequests replays requests shaped as the official
// huaweicloud-sdk-go-v3 sends them (see the reference): it signs
// user-agent;x-project-id;x-sdk-date and not host, sends Content-Type on
// bodiless requests, and ends JSON bodies with a newline.
func TestOfficialSDKRequests(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t, fake.WithAccessKey(ak, sk))
	send := func(method, path, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "huaweicloud-usdk-go/3.0")
		req.Header.Set("X-Project-Id", project)
		date := time.Now().UTC().Format(aksk.DateLayout)
		req.Header.Set("X-Sdk-Date", date)
		signedHeaders := []string{"user-agent", "x-project-id", "x-sdk-date"}
		sum := sha256Hex(body)
		cr := sdkCanonicalRequest(req, signedHeaders, sum)
		sig := hmacHex(sk, aksk.Algorithm+"\n"+date+"\n"+sha256Hex(cr))
		req.Header.Set("Authorization", aksk.Algorithm+" Access="+ak+", SignedHeaders="+strings.Join(signedHeaders, ";")+", Signature="+sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	status, body := send("POST", "/v2.1/endpoints", `{"direction":"inbound","ipaddresses":[{"subnet_id":"`+fake.DefaultSubnetID+`"},{"subnet_id":"`+fake.DefaultSubnetID+`"},{"subnet_id":"`+fake.DefaultSubnetID+`"}],"name":"sdk","region":"cn-north-4"}`+"\n")
	if status != 202 {
		t.Fatalf("create: %d %v", status, body)
	}
	id := body["endpoint"].(map[string]any)["id"].(string)
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/v2.1/endpoints?direction=inbound&limit=10&name=", ""},
		{"GET", "/v2.1/endpoints/" + id, ""},
		{"GET", "/v2.1/endpoints/" + id + "/ipaddresses", ""},
		{"POST", "/v2.1/endpoints/" + id + "/ipaddresses", `{"ipaddress":{"subnet_id":"` + fake.DefaultSubnet2ID + `"}}` + "\n"},
		{"PUT", "/v2.1/endpoints/" + id, `{"name":"sdk-renamed"}` + "\n"},
		{"GET", "/v2.1/vpcs?limit=1&offset=0", ""},
		{"DELETE", "/v2.1/endpoints/" + id, ""},
	} {
		if status, body := send(c.method, c.path, c.body); status >= 300 {
			t.Errorf("%s %s: %d %v", c.method, c.path, status, body)
		}
	}
}

func TestFaultsAndRecording(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t)
	fast := wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: 2 * time.Second})
	// Injected faults break the contract on purpose: no client-side checks.
	c, err := wrapper.New(srv.URL, wrapper.WithToken(srv.Token), fast)
	if err != nil {
		t.Fatal(err)
	}
	ep, list := newEndpoint(t, c, "faults", 4)

	// Busy once, then the real answer: the client retries.
	srv.Server.ResetRequests()
	srv.Server.InjectFault("DisassociateEndpointIpaddress", 1, fake.ServiceError(500, "DNS.0000", "The system is busy. Try again later."))
	if _, err := c.DisassociateEndpointIpaddress(bg, ep.ID, list[0].ID); err != nil {
		t.Fatalf("busy then success: %v", err)
	}
	var statuses []int
	for _, r := range srv.Server.Requests() {
		statuses = append(statuses, r.Status)
		if r.Operation != "DisassociateEndpointIpaddress" || r.Header.Get("X-Auth-Token") != "REDACTED" {
			t.Errorf("recorded %+v", r)
		}
	}
	if fmt.Sprint(statuses) != "[500 202]" {
		t.Errorf("statuses %v, want [500 202]", statuses)
	}

	// Throttled with Retry-After, then success.
	srv.Server.InjectFault("ShowEndpoint", 1, fake.Throttled("1"))
	start := time.Now()
	if _, err := c.ShowEndpoint(bg, ep.ID); err != nil || time.Since(start) < time.Second {
		t.Errorf("throttled: %v after %v, want success after 1 s", err, time.Since(start))
	}

	// An HTML 503 on every attempt.
	srv.Server.InjectFault("ShowEndpoint", 3, fake.HTMLError(503))
	_, err = c.ShowEndpoint(bg, ep.ID)
	if apiErr, ok := errors.AsType[*wrapper.APIError](err); !ok || apiErr.StatusCode != 503 || apiErr.Message != "503 Service Unavailable" || apiErr.Attempts != 3 {
		t.Errorf("HTML 503: %v", err)
	}

	// A dropped connection on a POST is not retried; the service never saw it.
	srv.Server.InjectFault("AssociateEndpointIpaddress", 1, fake.Fault{Drop: true})
	if _, err := c.AssociateEndpointIpaddress(bg, ep.ID, wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}); err == nil {
		t.Error("dropped connection: no error")
	}
	if now, _ := c.ListEndpointIpaddresses(bg, ep.ID); len(now) != 3 {
		t.Errorf("after the dropped bind: %d IPs, want 3", len(now))
	}

	// A truncated answer: the service acted, the client sees an error.
	srv.Server.InjectFault("AssociateEndpointIpaddress", 1, fake.Fault{Truncate: true})
	if _, err := c.AssociateEndpointIpaddress(bg, ep.ID, wrapper.IPAddressInfo{SubnetID: fake.DefaultSubnetID}); err == nil {
		t.Error("truncated answer: no error")
	}
	if now, _ := c.ListEndpointIpaddresses(bg, ep.ID); len(now) != 4 {
		t.Errorf("after the truncated bind: %d IPs, want 4", len(now))
	}

	// A slow answer and a caller's deadline.
	srv.Server.InjectFault("", 1, fake.Fault{Delay: 5 * time.Second})
	ctx, cancel := context.WithTimeout(bg, 50*time.Millisecond)
	defer cancel()
	if _, err := c.ShowEndpoint(ctx, ep.ID); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow answer: %v", err)
	}
	if err := srv.Server.Check(); err != nil {
		t.Error(err)
	}
}

// TestConcurrentBindUnbind: 32 goroutines bind and unbind on the same
// endpoints. Afterwards every endpoint keeps 2 to 6 IPs, no IP is used
// twice, counts match lists, and every answer is one the document declares.
func TestConcurrentBindUnbind(t *testing.T) {
	t.Parallel()
	var violations atomic.Int32
	srv := fake.NewTestServer(t, fake.WithViolationHandler(func(e *openapi.ContractError) {
		violations.Add(1)
		t.Errorf("contract: %v", e)
	}))
	c := checkedClient(t, srv, wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1}))
	var eps []string
	for i := range 3 {
		ep, _ := newEndpoint(t, c, fmt.Sprintf("busy-%d", i), 4)
		eps = append(eps, ep.ID)
	}
	var wg sync.WaitGroup
	for g := range 32 {
		wg.Go(func() {
			for i := range 25 {
				ep := eps[(g+i)%len(eps)]
				if (g+i)%2 == 0 {
					_, _ = c.AssociateEndpointIpaddress(bg, ep, wrapper.IPAddressInfo{SubnetID: []string{fake.DefaultSubnetID, fake.DefaultSubnet2ID}[g%2]})
					continue
				}
				list, err := c.ListEndpointIpaddresses(bg, ep)
				if err != nil || len(list) == 0 {
					continue
				}
				_, _ = c.DisassociateEndpointIpaddress(bg, ep, list[(g*7+i)%len(list)].ID)
			}
		})
	}
	wg.Wait()
	if err := srv.Server.Check(); err != nil {
		t.Error(err)
	}
	declared := declaredStatuses(t)
	for _, r := range srv.Server.Requests() {
		if !slices.Contains(declared[r.Operation], r.Status) {
			t.Errorf("%s answered %d, which the document does not declare", r.Operation, r.Status)
		}
	}
	if n := len(srv.Server.Requests()); n < 32*25 {
		t.Errorf("%d requests recorded", n)
	}
}

// declaredStatuses reads the statuses each operation declares.
func declaredStatuses(t *testing.T) map[string][]int {
	t.Helper()
	doc, err := openapi.Load(bg)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]int{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for code := range op.Responses.Map() {
				n, _ := strconv.Atoi(code)
				out[op.OperationID] = append(out[op.OperationID], n)
			}
		}
	}
	return out
}

func TestNewValidatesOptions(t *testing.T) {
	t.Parallel()
	for _, opt := range []fake.Option{
		fake.WithToken(""), fake.WithAccessKey("", "x"), fake.WithDelay(-1), fake.WithClock(nil), fake.WithRegion(""),
		fake.WithQuota(-1, 1), fake.WithLogger(nil), fake.WithChangeHook(nil),
		fake.WithVPC(fake.VPC{ID: "v", Subnets: []fake.Subnet{{ID: "s", CIDR: "10.0.0.0/30"}}}),
		fake.WithVPC(fake.VPC{ID: "v", Subnets: []fake.Subnet{{ID: fake.DefaultSubnetID, CIDR: "10.0.0.0/24"}}}),
		fake.WithSeedEndpoint(fake.SeedEndpoint{Name: "x", Direction: wrapper.Inbound, IPs: ips(1)}),
	} {
		if _, err := fake.New(opt); err == nil {
			t.Errorf("New accepted a bad option")
		}
	}
}

func TestRepeatableIDs(t *testing.T) {
	t.Parallel()
	ids := func() string {
		srv := fake.NewTestServer(t, fake.WithRandSeed(7))
		ep, err := checkedClient(t, srv).CreateEndpoint(bg, create("x", wrapper.Inbound, ips(2)...))
		if err != nil {
			t.Fatal(err)
		}
		return ep.ID + srv.Token
	}
	if a, b := ids(), ids(); a != b {
		t.Errorf("same seed, different IDs: %s %s", a, b)
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// sdkCanonicalRequest builds the canonical request of an SDK-signed request
// by hand, as a third-party signer would: the paths and queries of
// TestOfficialSDKRequests need no escaping and their keys are sorted.
func sdkCanonicalRequest(r *http.Request, signed []string, payloadHash string) string {
	lines := []string{r.Method, r.URL.EscapedPath() + "/", r.URL.RawQuery}
	for _, name := range signed {
		lines = append(lines, name+":"+r.Header.Get(name))
	}
	return strings.Join(append(lines, "", strings.Join(signed, ";"), payloadHash), "\n")
}

func hmacHex(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// TestChangeHook: the hook runs after accepted writes only.
func TestChangeHook(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := fake.NewTestServer(t, fake.WithChangeHook(func() { calls.Add(1) }))
	c := plainClient(t, srv)
	ep, err := c.CreateEndpoint(bg, create("hooked", wrapper.Inbound, ips(2)...))
	if err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("after a create: %d calls, want 1", n)
	}
	_, _ = c.ShowEndpoint(bg, ep.ID)
	_, _ = c.CreateEndpoint(bg, create("hooked", wrapper.Inbound, ips(2)...)) // 400 DNS.1504
	_, _ = c.UpdateEndpoint(bg, "0123456789abcdef0123456789abcdef", wrapper.UpdateEndpointRequest{Name: "x"})
	if n := calls.Load(); n != 1 {
		t.Errorf("after a read and two refused writes: %d calls, want 1", n)
	}
	if _, err := c.DeleteEndpoint(bg, ep.ID); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("after a delete: %d calls, want 2", n)
	}
}
