package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dnsep/dnsep/openapi"
)

// TestServeDocument runs serve in-process and fetches the API document
// from it, in YAML and in JSON, without credentials.
func TestServeDocument(t *testing.T) {
	pr, pw := io.Pipe()
	a := newApp(pw, io.Discard, func(string) string { return "" })
	ctx, cancel := context.WithCancel(t.Context())
	exit := make(chan int, 1)
	go func() {
		exit <- a.run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--delay", "0"})
		pw.Close()
	}()
	defer func() {
		cancel()
		select {
		case <-exit:
		case <-time.After(serveWait):
			t.Error("serve did not stop after its context was cancelled")
		}
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), serveBanner); ok {
				urls <- u
			}
		}
	}()
	var base string
	select {
	case base = <-urls:
	case code := <-exit:
		t.Fatalf("serve ended with exit %d before printing its URL", code)
	case <-time.After(serveWait):
		t.Fatal("no URL within the time limit")
	}
	hc := &http.Client{Timeout: serveWait}
	get := func(method, path string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, method, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}

	resp, body := get(http.MethodGet, "/openapi.yaml")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/yaml" || !bytes.Equal(body, openapi.YAML()) {
		t.Errorf("GET /openapi.yaml: %d %q, %d bytes: want 200 application/yaml and the document as written", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	resp, body = get(http.MethodGet, "/openapi.json")
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" ||
		!strings.HasPrefix(doc.OpenAPI, "3.") || doc.Paths["/v2.1/endpoints"] == nil {
		t.Errorf("GET /openapi.json: %d %q, %v: want 200 and the document in JSON", resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	if resp, _ := get(http.MethodHead, "/openapi.yaml"); resp.StatusCode != http.StatusOK {
		t.Errorf("HEAD /openapi.yaml: %d, want 200", resp.StatusCode)
	}
	if resp, _ := get(http.MethodPost, "/openapi.json"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /openapi.json: %d, want 405", resp.StatusCode)
	}
	// The API itself still asks for credentials.
	if resp, _ := get(http.MethodGet, "/v2.1/vpcs"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /v2.1/vpcs without a token: %d, want 401", resp.StatusCode)
	}
}
