package wrapper_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/dnsep/dnsep/wrapper"
)

// rotatingSource hands out tok-1, tok-2, ... and counts invalidations.
type rotatingSource struct {
	mu          sync.Mutex
	n           int
	invalidated []string
}

func (s *rotatingSource) Token(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n == 0 {
		s.n = 1
	}
	return fmt.Sprintf("tok-%d", s.n), nil
}

func (s *rotatingSource) Invalidate(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidated = append(s.invalidated, tok)
	s.n++
}

var expired = wrapper.Reply(401, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: token expires, expires_at: 2026-11-25T00:00:00Z","request_id":"r401"}`)

// TestReauthOnce: a 401 makes the client ask for a new token and send the
// request once more, whatever the method; a second 401 is the answer.
func TestReauthOnce(t *testing.T) {
	t.Parallel()
	create := func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{Name: "n", Direction: wrapper.Inbound, Region: "r",
			Ipaddresses: []wrapper.IPAddressInfo{{SubnetID: "s"}, {SubnetID: "s"}}})
		return err
	}
	unbind := func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.DisassociateEndpointIpaddress(ctx, "ep1", "ip1")
		return err
	}
	tests := []struct {
		name       string
		call       func(context.Context, *wrapper.Client) error
		script     []wrapper.Step
		wantTokens []string
		wantErr    bool
	}{
		{"unbind: 401 then success", unbind, []wrapper.Step{expired, accepted}, []string{"tok-1", "tok-2"}, false},
		{"create (POST): 401 then success", create, []wrapper.Step{expired, accepted}, []string{"tok-1", "tok-2"}, false},
		{"401 twice: one re-authentication only", unbind, []wrapper.Step{expired, expired, accepted}, []string{"tok-1", "tok-2"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := &rotatingSource{}
			c, ft := scripted(t, wrapper.WithTokenSource(src), tt.script)
			err := tt.call(context.Background(), c)
			if tt.wantErr != (err != nil) {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr && !wrapper.IsUnauthorized(err) {
				t.Errorf("err = %v, want 401", err)
			}
			var got []string
			for _, s := range ft.Requests() {
				got = append(got, strings.Join(s.Header.Values("X-Auth-Token"), ","))
			}
			if strings.Join(got, " ") != strings.Join(tt.wantTokens, " ") {
				t.Errorf("tokens sent %q, want %q", got, tt.wantTokens)
			}
			if len(src.invalidated) != 1 || src.invalidated[0] != "tok-1" {
				t.Errorf("invalidated %q, want [tok-1]", src.invalidated)
			}
		})
	}
}

func TestStaticTokenIsNotReauthenticated(t *testing.T) {
	t.Parallel()
	c, ft := scripted(t, wrapper.WithToken(testToken), []wrapper.Step{expired, accepted})
	_, err := c.ShowEndpoint(context.Background(), "ep1")
	if !wrapper.IsUnauthorized(err) || len(ft.Requests()) != 1 {
		t.Fatalf("err = %v after %d requests, want one 401", err, len(ft.Requests()))
	}
}

type failingSource struct{}

func (failingSource) Token(context.Context) (string, error) { return "", errors.New("iam unreachable") }

func TestTokenSourceError(t *testing.T) {
	t.Parallel()
	c, ft := scripted(t, wrapper.WithTokenSource(failingSource{}), []wrapper.Step{accepted})
	_, err := c.ShowEndpoint(context.Background(), "ep1")
	if err == nil || !strings.Contains(err.Error(), "iam unreachable") || !strings.Contains(err.Error(), "ShowEndpoint") {
		t.Fatalf("err = %v, want the token source's error, with the operation", err)
	}
	if len(ft.Requests()) != 0 {
		t.Error("a request was sent without a token")
	}
}

// TestLogging: one debug record per attempt, with the fields an operator
// needs and no credentials.
func TestLogging(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := scripted(t, wrapper.WithToken(testToken), []wrapper.Step{
		wrapper.Reply(503, "", "X-Request-Id", "req-a"), wrapper.Reply(202, `{"endpoint":`+endpointJSON+`}`, "X-Request-Id", "req-b"),
	}, wrapper.WithLogger(logger), wrapper.WithRetryPolicy(fastRetries))
	if _, err := c.DisassociateEndpointIpaddress(context.Background(), "ep1", "ip1"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2:\n%s", len(lines), buf.String())
	}
	for i, want := range [][]string{
		{"level=DEBUG", "operation=DisassociateEndpointIpaddress", "method=DELETE", "path=/v2.1/endpoints/ep1/ipaddresses/ip1", "status=503", "attempt=1", "request_id=req-a", "duration="},
		{"status=202", "attempt=2", "request_id=req-b"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("log line %d %q lacks %q", i+1, lines[i], w)
			}
		}
	}
	if strings.Contains(buf.String(), testToken) {
		t.Error("the token was logged")
	}
}
