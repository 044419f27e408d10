package fake_test

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/aksk"
	"github.com/dnsep/dnsep/fake"
)

// refuseWait is the safety net of TestRefuseWithoutBody: a refusal comes
// at once, and the test fails only if it never comes.
const refuseWait = 10 * time.Second

// TestRefuseWithoutBody sends requests that announce a body and send one
// byte of it: the gateway refuses them at once and closes the connection,
// rather than wait for a body it will not use.
func TestRefuseWithoutBody(t *testing.T) {
	t.Parallel()
	srv := fake.NewTestServer(t, fake.WithToken("good-token"), fake.WithAccessKey("AKGOOD", "secret"))
	addr := strings.TrimPrefix(srv.URL, "http://")

	signedBy := func(ak string) string {
		req, _ := http.NewRequest("POST", srv.URL+"/v2.1/endpoints", nil)
		if err := aksk.Sign(req, []byte("{}"), ak, "secret", time.Now()); err != nil {
			t.Fatal(err)
		}
		req.Header.Set(aksk.HeaderProjectID, "p1")
		var b strings.Builder
		_ = req.Header.Write(&b)
		return b.String()
	}
	for _, tt := range []struct {
		name, path, header string
		status             int
	}{
		{"no credentials", "/v2.1/endpoints", "", 401},
		{"wrong token", "/v2.1/endpoints", "X-Auth-Token: bad\r\n", 401},
		{"unknown access key", "/v2.1/endpoints", signedBy("AKUNKNOWN"), 401},
		{"malformed signature", "/v2.1/endpoints", "Authorization: SDK-HMAC-SHA256 nonsense\r\n", 401},
		{"wrong project", "/v2.1/endpoints", strings.Replace(signedBy("AKGOOD"), "p1", "", 1), 401},
		{"unknown route", "/v2.1/nothing-here", "X-Auth-Token: good-token\r\n", 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			conn, err := net.DialTimeout("tcp", addr, refuseWait)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(refuseWait))
			req := "POST " + tt.path + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\n" +
				tt.header + "Content-Length: 1000\r\n\r\n{"
			if _, err := conn.Write([]byte(req)); err != nil {
				t.Fatal(err)
			}
			br := bufio.NewReader(conn)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("no answer while the body is pending: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status || !resp.Close {
				t.Errorf("answered %d with Connection %q, want %d and close", resp.StatusCode, resp.Header.Get("Connection"), tt.status)
			}
			if _, err := br.ReadByte(); err == nil || isTimeout(err) {
				t.Errorf("the connection stayed open after the answer: %v", err)
			}
		})
	}
}

func isTimeout(err error) bool {
	ne, ok := errors.AsType[net.Error](err)
	return ok && ne.Timeout()
}
