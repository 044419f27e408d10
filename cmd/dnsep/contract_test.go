package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/gen"
)

// newContractCLI returns a CLI against a fake with three inbound and two
// outbound endpoints, so that a page size of 2 needs paging both ways.
func newContractCLI(t *testing.T) *cli {
	t.Helper()
	var opts []fake.Option
	for _, s := range []struct{ name, dir string }{
		{"in-a", "inbound"}, {"in-b", "inbound"}, {"in-c", "inbound"}, {"out-a", "outbound"}, {"out-b", "outbound"},
	} {
		opts = append(opts, fake.WithSeedEndpoint(fake.SeedEndpoint{Name: s.name, Direction: gen.Direction(s.dir), IPs: ips(2)}))
	}
	return newCLI(t, opts...)
}

// raw returns the fake's own answer to GET path, for a fault to distort.
func (c *cli) raw(path string) string {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.srv.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("X-Auth-Token", c.srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return string(b)
}

// onlyGETs fails the test if the fake saw anything but GET.
func (c *cli) onlyGETs() {
	c.t.Helper()
	for _, r := range c.srv.Server.Requests() {
		if r.Method != http.MethodGet {
			c.t.Errorf("contract check sent %s %s: it must never write", r.Method, r.Path)
		}
	}
}

// TestContractCheckClean runs the check against the fake: no drift, exit 0,
// every list walked page by page, and nothing but GET.
func TestContractCheckClean(t *testing.T) {
	c := newContractCLI(t)
	for _, args := range [][]string{
		{"contract", "check", "--page-size", "2"},
		{"contract", "check", "--page-size", "2", "-o", "json"},
	} {
		c.srv.Server.ResetRequests()
		r := c.run(nil, args...)
		if r.code != exitOK {
			t.Errorf("%v: exit %d, want 0\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		name := "contract/clean"
		if len(args) > 4 {
			name += "-json"
		}
		golden(t, name, c.transcript(args, r))
		c.onlyGETs()
		offsets := map[string]bool{}
		for _, req := range c.srv.Server.Requests() {
			if req.Operation == "ListEndpoints" {
				offsets[req.Query] = true
			}
		}
		// Inbound: offsets 0 and 2 (2 then 1 endpoint); outbound: offset 0
		// (2 of a total of 2).
		if len(offsets) != 3 {
			t.Errorf("%v: ListEndpoints queries %v: want three pages", args, offsets)
		}
	}
}

// TestContractCheckDrifts injects one fault for each rule of the document a
// real service could break, and checks each line of the report.
func TestContractCheckDrifts(t *testing.T) {
	c := newContractCLI(t)
	page := c.raw("/v2.1/endpoints?direction=inbound&limit=2&offset=0")
	var list struct {
		Endpoints []struct {
			ID string `json:"id"`
		} `json:"endpoints"`
	}
	if err := json.Unmarshal([]byte(page), &list); err != nil || len(list.Endpoints) != 2 {
		t.Fatalf("first page %s: %v", page, err)
	}
	first := list.Endpoints[0].ID
	show := c.raw("/v2.1/endpoints/" + first)
	ipList := c.raw("/v2.1/endpoints/" + first + "/ipaddresses")
	vpcs := c.raw("/v2.1/vpcs?limit=2&offset=0")
	secrets := []string{"sideways", "top-secret-value", "PENDING_SOMETHING", "2026-11-26T08:00:00Z", `"2"`}
	inject := func() {
		s := c.srv.Server
		s.ResetRequests()
		// An enum violation and an undocumented property, in a page the
		// client still reads: the walk goes on.
		s.InjectFault("ListEndpoints", 1, fake.Fault{Status: 200, Body: strings.Replace(strings.Replace(page,
			`"direction":"inbound"`, `"direction":"sideways"`, 1),
			`"name":`, `"tags":[{"key":"owner","value":"top-secret-value"}],"name":`, 1)})
		// A missing required property and a timestamp with a zone.
		s.InjectFault("ShowEndpoint", 1, fake.Fault{Status: 200, Body: strings.NewReplacer(
			`"id":"`+first+`",`, ``, `"2026-11-26T08:00:00.000"`, `"2026-11-26T08:00:00Z"`).Replace(show)})
		// A status the document does not declare.
		s.InjectFault("ShowEndpoint", 1, fake.ServiceError(http.StatusConflict, "DNS.9999", "Conflict."))
		// A value of the wrong type, and a status outside the enum.
		s.InjectFault("ListEndpointIpaddresses", 1, fake.Fault{Status: 200, Body: strings.Replace(strings.Replace(ipList,
			`"status":"ACTIVE"`, `"status":"PENDING_SOMETHING"`, 1), `"status":"ACTIVE"`, `"status":7`, 1)})
		// A count as a string.
		s.InjectFault("ListEndpointVpcs", 1, fake.Fault{Status: 200, Body: strings.Replace(vpcs,
			`"inbound_endpoint_count":3`, `"inbound_endpoint_count":"3"`, 1)})
	}
	for _, args := range [][]string{
		{"contract", "check", "--page-size", "2"},
		{"contract", "check", "--page-size", "2", "-o", "json"},
	} {
		inject()
		r := c.run(nil, args...)
		if r.code != exitFailure {
			t.Errorf("%v: exit %d, want 1\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		name := "contract/drifts"
		if len(args) > 4 {
			name += "-json"
		}
		golden(t, name, c.transcript(args, r))
		c.onlyGETs()
		for _, s := range secrets {
			if strings.Contains(r.stdout+r.stderr, s) {
				t.Errorf("%v: the report quotes the value %s", args, s)
			}
		}
	}
}

// TestContractCheckUndocumentedOnly: a property the document does not
// declare is reported, and is not a failure.
func TestContractCheckUndocumentedOnly(t *testing.T) {
	c := newContractCLI(t)
	vpcs := c.raw("/v2.1/vpcs?limit=2&offset=0")
	c.srv.Server.InjectFault("ListEndpointVpcs", 1, fake.Fault{Status: 200,
		Body: strings.Replace(vpcs, `"id":`, `"router_count":4,"id":`, 1)})
	r := c.run(nil, "contract", "check")
	if r.code != exitOK {
		t.Errorf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"/vpcs/0/router_count\tundocumented", "No drift from the document; 1 undocumented property (not a failure)."} {
		if !strings.Contains(strings.Join(strings.Fields(r.stdout), "\t"), strings.Join(strings.Fields(want), "\t")) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestContractCheckFailsLikeOtherCommands: refused credentials stop the
// check with the usual exit code, and a bad page size is a usage error.
func TestContractCheckFailsLikeOtherCommands(t *testing.T) {
	c := newContractCLI(t)
	if r := c.run(map[string]string{"HW_AUTH_TOKEN": "wrong"}, "contract", "check"); r.code != exitAuth {
		t.Errorf("wrong token: exit %d, want %d\n%s", r.code, exitAuth, r.stderr)
	}
	for _, size := range []string{"0", "501"} {
		if r := c.run(nil, "contract", "check", "--page-size", size); r.code != exitUsage {
			t.Errorf("--page-size %s: exit %d, want %d", size, r.code, exitUsage)
		}
	}
}

// TestReadOnly: the check's transport refuses writes before they leave.
func TestReadOnly(t *testing.T) {
	t.Parallel()
	sent := 0
	next := roundTripFunc(func(*http.Request) (*http.Response, error) { sent++; return nil, errors.New("sent") })
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		req, _ := http.NewRequest(method, "http://127.0.0.1/v2.1/endpoints", strings.NewReader("{}"))
		if _, err := (readOnly{next}).RoundTrip(req); err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("%s: err = %v, want a read-only refusal", method, err)
		}
	}
	if sent != 0 {
		t.Errorf("%d writes reached the transport", sent)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
