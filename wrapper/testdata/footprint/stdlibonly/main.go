// Command stdlibonly does what wrapperonly does with the standard library
// alone (net/http and encoding/json), as the baseline of the footprint
// comparison of `make footprint`; wrapper/footprint_test.go checks that it
// imports no module.
//
//	stdlibonly <base URL> <token> <endpoint ID> <IP address ID>
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

type endpoint struct {
	ID             string `json:"id"`
	Status         string `json:"status"`
	IpaddressCount int    `json:"ipaddress_count"`
}

type serviceError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: stdlibonly <base URL> <token> <endpoint ID> <IP address ID>")
		os.Exit(2)
	}
	if err := unbind(os.Args[1], os.Args[2], os.Args[3], os.Args[4]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func unbind(base, token, endpointID, ipaddressID string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u := strings.TrimRight(base, "/") + "/v2.1/endpoints/" + url.PathEscape(endpointID) + "/ipaddresses/" + url.PathEscape(ipaddressID)
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusAccepted {
		var se serviceError
		_ = json.Unmarshal(body, &se)
		return fmt.Errorf("unbind: status %d %s %s (request %s)", resp.StatusCode, se.Code, se.Message, resp.Header.Get("X-Request-Id"))
	}
	var out struct {
		Endpoint endpoint `json:"endpoint"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return fmt.Errorf("unbind: %w", err)
	}
	fmt.Printf("endpoint %s: %s, %d IP addresses\n", out.Endpoint.ID, out.Endpoint.Status, out.Endpoint.IpaddressCount)
	return nil
}
