package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/aksk"
)

// testServeFlags are the flags of a serve with short limits, a token T and
// a key pair AK/SK.
func testServeFlags(l serveLimits) serveFlags {
	return serveFlags{listen: "127.0.0.1:0", token: "T", tokenSet: true, accessKey: "AK", secretKey: "SK", limits: l}
}

// shortLimits are limits short enough to pass within a test.
func shortLimits() serveLimits {
	return serveLimits{readHeader: 300 * time.Millisecond, read: 300 * time.Millisecond, write: time.Second,
		idle: 300 * time.Millisecond, maxHeaderBytes: 8 << 10, maxConns: 64}
}

// dialServe connects to the server at url, with serveWait as the safety
// net of every read and write.
func dialServe(t *testing.T, url string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(url, "http://"), serveWait)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(serveWait))
	return conn, bufio.NewReader(conn)
}

// roundTrip writes req on conn and reads the answer.
func roundTrip(t *testing.T, conn net.Conn, br *bufio.Reader, req string) *http.Response {
	t.Helper()
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// closedByServer reads what the server sends until it closes the
// connection, and reports whether it did (rather than the safety net
// expiring).
func closedByServer(br *bufio.Reader) (bool, error) {
	_, err := io.Copy(io.Discard, br)
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return false, err
	}
	return true, err
}

const getVPCs = "GET /v2.1/vpcs HTTP/1.1\r\nHost: x\r\nX-Auth-Token: T\r\n\r\n"

func TestServeConnectionLimits(t *testing.T) {
	t.Run("slow body of a signed request is cut", func(t *testing.T) {
		t.Parallel()
		url, _ := serveInProcess(t, nil, testServeFlags(shortLimits()))
		req, _ := http.NewRequest("POST", url+"/v2.1/endpoints", nil)
		if err := aksk.Sign(req, []byte("{}"), "AK", "SK", time.Now()); err != nil {
			t.Fatal(err)
		}
		req.Header.Set(aksk.HeaderProjectID, "p1")
		var h strings.Builder
		_ = req.Header.Write(&h)
		conn, br := dialServe(t, url)
		if _, err := io.WriteString(conn, "POST /v2.1/endpoints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+h.String()+"Content-Length: 1000\r\n\r\n{"); err != nil {
			t.Fatal(err)
		}
		if closed, err := closedByServer(br); !closed {
			t.Errorf("a body that never ends held the connection: %v", err)
		}
	})
	t.Run("idle keep-alive connection is closed", func(t *testing.T) {
		t.Parallel()
		url, _ := serveInProcess(t, nil, testServeFlags(shortLimits()))
		conn, br := dialServe(t, url)
		if resp := roundTrip(t, conn, br, getVPCs); resp.StatusCode != 200 || resp.Close {
			t.Fatalf("answered %d, close %v; want 200 and keep-alive", resp.StatusCode, resp.Close)
		}
		if closed, err := closedByServer(br); !closed {
			t.Errorf("an idle connection stayed open: %v", err)
		}
	})
	t.Run("silent connection is closed", func(t *testing.T) {
		t.Parallel()
		url, _ := serveInProcess(t, nil, testServeFlags(shortLimits()))
		_, br := dialServe(t, url)
		if closed, err := closedByServer(br); !closed {
			t.Errorf("a connection that sends nothing stayed open: %v", err)
		}
	})
	t.Run("big header is refused", func(t *testing.T) {
		t.Parallel()
		url, _ := serveInProcess(t, nil, testServeFlags(shortLimits()))
		conn, br := dialServe(t, url)
		pad := "X-Pad: " + strings.Repeat("p", 16<<10) + "\r\n"
		if resp := roundTrip(t, conn, br, strings.Replace(getVPCs, "\r\n\r\n", "\r\n"+pad+"\r\n", 1)); resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("a 16 KiB header over an 8 KiB limit answered %d, want 431", resp.StatusCode)
		}
	})
	t.Run("unauthenticated request with a pending body is answered", func(t *testing.T) {
		t.Parallel()
		l := shortLimits()
		l.read, l.write = time.Minute, time.Minute // the answer must not wait for the read timeout
		url, _ := serveInProcess(t, nil, testServeFlags(l))
		conn, br := dialServe(t, url)
		resp := roundTrip(t, conn, br, "POST /v2.1/endpoints HTTP/1.1\r\nHost: x\r\nX-Auth-Token: wrong\r\nContent-Length: 1000\r\n\r\n{")
		if resp.StatusCode != 401 || !resp.Close {
			t.Errorf("answered %d, close %v; want 401 and close", resp.StatusCode, resp.Close)
		}
	})
	t.Run("at the connection limit the longest idle is closed", func(t *testing.T) {
		t.Parallel()
		l := shortLimits()
		l.idle, l.maxConns = time.Minute, 2
		url, _ := serveInProcess(t, nil, testServeFlags(l))
		var idle []*bufio.Reader
		for range 2 {
			conn, br := dialServe(t, url)
			if resp := roundTrip(t, conn, br, getVPCs); resp.StatusCode != 200 {
				t.Fatalf("answered %d", resp.StatusCode)
			}
			idle = append(idle, br)
		}
		conn, br := dialServe(t, url)
		if resp := roundTrip(t, conn, br, getVPCs); resp.StatusCode != 200 {
			t.Fatalf("a third client answered %d", resp.StatusCode)
		}
		// The server closes the one it saw idle the longest: usually the
		// first, but the server may learn of the first's idleness late.
		closed := make(chan bool, len(idle))
		for _, br := range idle {
			go func() { ok, _ := closedByServer(br); closed <- ok }()
		}
		if first := <-closed; !first {
			if second := <-closed; !second {
				t.Errorf("both idle connections stayed open beyond the limit of 2")
			}
		}
	})
}

func TestServeLimitsShipped(t *testing.T) {
	t.Parallel()
	l := shippedServeLimits()
	switch {
	case l.readHeader <= 0 || l.readHeader > l.read:
		t.Errorf("header timeout %s", l.readHeader)
	case l.read <= 0 || l.read > 30*time.Second:
		t.Errorf("read timeout %s, want at most 30s", l.read)
	case l.write <= l.read:
		t.Errorf("write timeout %s, want more than the read timeout", l.write)
	case l.idle <= 0 || l.idle > time.Minute:
		t.Errorf("idle timeout %s, want at most 60s", l.idle)
	case l.maxHeaderBytes <= 0 || l.maxHeaderBytes > 64<<10:
		t.Errorf("MaxHeaderBytes %d, want at most 64 KiB", l.maxHeaderBytes)
	case l.maxConns <= 0:
		t.Errorf("connection limit %d", l.maxConns)
	}
	hs := l.server(http.NotFoundHandler())
	if hs.ReadHeaderTimeout != l.readHeader || hs.ReadTimeout != l.read || hs.WriteTimeout != l.write || hs.IdleTimeout != l.idle || hs.MaxHeaderBytes != l.maxHeaderBytes {
		t.Errorf("server limits %+v, want %+v", hs, l)
	}

	var out strings.Builder
	if code := newApp(&out, io.Discard, func(string) string { return "" }).run(t.Context(), []string{"serve", "--help"}); code != 0 {
		t.Fatalf("serve --help: exit %d", code)
	}
	help := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{"within 10s", "within 30s", "within 40s", "after 1m0s idle", "64 KiB", "At most 1000 connections"} {
		if !strings.Contains(help, want) {
			t.Errorf("serve --help does not say %q:\n%s", want, out.String())
		}
	}
}
