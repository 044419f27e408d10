package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/wrapper"
)

func (a *app) demoCmd() *cobra.Command {
	var delay time.Duration
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Show what dnsep does, against a fake API started in-process",
		Long: `Start a fake of the DNS endpoint API on a loopback port and walk through the
life of an endpoint with the client library, narrating each step: create an
inbound endpoint with three IP addresses, wait until it is ACTIVE, list its
addresses, unbind one, show the endpoint with two, try to unbind another and
show the API's refusal (400 DNS.1514), delete the endpoint and wait until it is
gone. Then forward a domain to on-premises resolvers: create an outbound
endpoint, a resolver rule sending corp.example. to two DNS servers, associate
the VPC with it, see the endpoint count the rule and refuse to be deleted while
the rule exists (400 DNS.0608), and clean up in the right order: disassociate
the VPC, delete the rule, delete the endpoint. No credentials or network are
needed.`,
		Example: `  dnsep demo
  dnsep demo --delay 2s   # slower PENDING states, to watch the waiters`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if delay < 0 {
				return usagef("--delay must not be negative")
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			return a.demo(ctx, delay)
		},
	}
	cmd.Flags().DurationVar(&delay, "delay", 300*time.Millisecond, "how long the fake's PENDING states last")
	return cmd
}

func (a *app) demo(ctx context.Context, delay time.Duration) error {
	start := time.Now()
	a.output = "table"
	a.pollMin = min(a.pollMin, max(delay/3, 10*time.Millisecond))

	srv, err := fake.New(fake.WithDelay(delay))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	url := "http://" + ln.Addr().String()
	client, err := wrapper.New(url, wrapper.WithToken(srv.Token()), wrapper.WithUserAgent("dnsep-demo/"+wrapper.Version))
	if err != nil {
		return err
	}

	n := 0
	step := func(format string, args ...any) {
		n++
		fmt.Fprintf(a.out, "\n==> %d. %s\n", n, fmt.Sprintf(format, args...))
	}
	say := func(format string, args ...any) { fmt.Fprintf(a.out, "    "+format+"\n", args...) }
	block := func(table func(w io.Writer)) error {
		var b bytes.Buffer
		saved := a.out
		a.out = &b
		err := a.render(nil, table)
		a.out = saved
		fmt.Fprint(a.out, indent(b.String(), "    "))
		return err
	}

	step("A fake Huawei Cloud DNS endpoint API is listening on %s", url)
	say("It has VPC %s with subnets %s (192.168.0.0/24)", fake.DefaultVPCID, fake.DefaultSubnetID)
	say("and %s (192.168.1.0/24). PENDING states last %s.", fake.DefaultSubnet2ID, delay)

	step("Create an inbound endpoint with three IP addresses: POST /v2.1/endpoints")
	ep, err := client.CreateEndpoint(ctx, wrapper.CreateEndpointRequest{
		Name: "demo-inbound", Direction: wrapper.Inbound, Region: "cn-north-4",
		Ipaddresses: []wrapper.IPAddressInfo{
			{SubnetID: fake.DefaultSubnetID, IP: ptr("192.168.0.10")},
			{SubnetID: fake.DefaultSubnetID},
			{SubnetID: fake.DefaultSubnet2ID},
		},
	})
	if err != nil {
		return err
	}
	say("202 Accepted: endpoint %s is %s, vpc_id %s, ipaddress_count %d.", ep.ID, ep.Status, orNull(ep.VpcID), ep.IpaddressCount)

	step("Wait until it is ACTIVE: GET /v2.1/endpoints/%s, polling", ep.ID)
	err = a.wait("    endpoint "+ep.ID, func(opts ...wrapper.WaitOption) (err error) {
		ep, err = client.WaitEndpointActive(ctx, ep.ID, opts...)
		return err
	})
	if err != nil {
		return err
	}
	if err := block(func(w io.Writer) { a.endpointDetail(w, ep) }); err != nil {
		return err
	}

	step("List its IP addresses: GET /v2.1/endpoints/%s/ipaddresses", ep.ID)
	ips, err := client.ListEndpointIpaddresses(ctx, ep.ID)
	if err != nil {
		return err
	}
	if err := block(func(w io.Writer) { a.ipRows(w, ips) }); err != nil {
		return err
	}

	gone, keep := ips[0], ips[1]
	step("Unbind %s: DELETE /v2.1/endpoints/%s/ipaddresses/%s", gone.IP, ep.ID, gone.ID)
	if ep, err = client.DisassociateEndpointIpaddress(ctx, ep.ID, gone.ID); err != nil {
		return err
	}
	say("202 Accepted: the endpoint is %s and still counts %d addresses while %s is PENDING_DELETE.", ep.Status, ep.IpaddressCount, gone.IP)
	err = a.wait("    IP address "+gone.ID, func(opts ...wrapper.WaitOption) error {
		_, err := client.WaitIpaddressGone(ctx, ep.ID, gone.ID, opts...)
		return err
	})
	if err != nil {
		return err
	}

	step("The endpoint now holds two IP addresses")
	if ep, err = client.ShowEndpoint(ctx, ep.ID); err != nil {
		return err
	}
	if ips, err = client.ListEndpointIpaddresses(ctx, ep.ID); err != nil {
		return err
	}
	say("ipaddress_count %d:", ep.IpaddressCount)
	if err := block(func(w io.Writer) { a.ipRows(w, ips) }); err != nil {
		return err
	}

	step("Try to unbind %s too: an endpoint keeps at least two addresses", keep.IP)
	_, err = client.DisassociateEndpointIpaddress(ctx, ep.ID, keep.ID)
	apiErr, ok := errors.AsType[*wrapper.APIError](err)
	if !ok {
		return fmt.Errorf("demo: expected the API to refuse the unbind, got %v", err)
	}
	say("Refused, as it should be: %d %s: %s (request ID %s)", apiErr.StatusCode, apiErr.Code, apiErr.Message, apiErr.RequestID)
	say("The wrapper returns it as *wrapper.APIError; exit code of the CLI: %d.", exitCode(err))

	step("Delete the endpoint: DELETE /v2.1/endpoints/%s", ep.ID)
	if ep, err = client.DeleteEndpoint(ctx, ep.ID); err != nil {
		return err
	}
	say("202 Accepted: %s.", ep.Status)
	err = a.wait("    endpoint "+ep.ID, func(opts ...wrapper.WaitOption) error {
		_, err := client.WaitEndpointDeleted(ctx, ep.ID, opts...)
		return err
	})
	if err != nil {
		return err
	}
	_, err = client.ShowEndpoint(ctx, ep.ID)
	notFound, ok := errors.AsType[*wrapper.APIError](err)
	if !ok || !wrapper.IsNotFound(err) {
		return fmt.Errorf("demo: expected 404 after the delete, got %v", err)
	}
	say("GET answers 404 %s: the endpoint is gone.", notFound.Code)
	if err := a.demoRules(ctx, client, step, say, block); err != nil {
		return err
	}
	if err := srv.Check(); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "\nDone in %s: %d requests to the fake API.\n", time.Since(start).Round(10*time.Millisecond), len(srv.Requests()))
	return nil
}

func orNull(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

func ptr[T any](v T) *T { return &v }
