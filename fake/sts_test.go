package fake_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/aksk"
	"github.com/dnsep/dnsep/fake"
)

// TestTemporaryAccessKey: a temporary key pair is accepted only with its
// security token, sent and signed; the refusal is the gateway's 401 and
// never holds the token.
func TestTemporaryAccessKey(t *testing.T) {
	t.Parallel()
	const tak, tsk, token = "AKTEMP", "sk-temp", "STS-SECRET-token"
	srv := fake.NewTestServer(t,
		fake.WithTemporaryAccessKey(tak, tsk, token),
		fake.WithAccessKey(ak, sk), // a permanent key needs no token
		fake.WithTemporaryAccessKey("AKWASTEMP", tsk, token), fake.WithAccessKey("AKWASTEMP", tsk))
	send := func(key, secret string, prepare func(*http.Request), afterSign func(*http.Request)) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v2.1/vpcs", nil)
		req.Header.Set("X-Project-Id", project)
		prepare(req)
		if err := aksk.Sign(req, nil, key, secret, time.Now()); err != nil {
			t.Fatal(err)
		}
		afterSign(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e struct {
			Code string `json:"error_code"`
			Msg  string `json:"error_msg"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&e)
		if strings.Contains(e.Msg, "SECRET") {
			t.Errorf("the refusal holds the token: %q", e.Msg)
		}
		return resp.StatusCode, e.Code
	}
	none := func(*http.Request) {}
	withToken := func(v string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set(aksk.HeaderSecurityToken, v) }
	}
	tests := []struct {
		name            string
		key             string
		prepare, tamper func(*http.Request)
		wantStatus      int
	}{
		{"token signed", tak, withToken(token), none, 200},
		{"no token", tak, none, none, 401},
		{"wrong token", tak, withToken("STS-SECRET-wrong"), none, 401},
		{"token added after signing", tak, none, withToken(token), 401},
		{"token changed after signing", tak, withToken("STS-SECRET-wrong"), withToken(token), 401},
		{"token twice", tak, withToken(token), func(r *http.Request) { r.Header.Add(aksk.HeaderSecurityToken, token) }, 401},
		{"permanent key", ak, none, none, 200},
		{"made permanent again", "AKWASTEMP", none, none, 200},
	}
	for _, tt := range tests {
		secret := tsk
		if tt.key == ak {
			secret = sk
		}
		status, code := send(tt.key, secret, tt.prepare, tt.tamper)
		if status != tt.wantStatus || status == 401 && code != "APIGW.0301" {
			t.Errorf("%s: %d %s, want %d (APIGW.0301 if refused)", tt.name, status, code, tt.wantStatus)
		}
	}
}

func TestTemporaryAccessKeyChecksInput(t *testing.T) {
	t.Parallel()
	for _, o := range []fake.Option{
		fake.WithTemporaryAccessKey("AK", "SK", ""),
		fake.WithTemporaryAccessKey("", "SK", "tok"),
		fake.WithTemporaryAccessKey("AK", "SK", "to\nk"),
	} {
		if _, err := fake.New(o); err == nil {
			t.Error("New accepted a bad temporary key")
		}
	}
}
