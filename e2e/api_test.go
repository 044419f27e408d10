package e2e

import (
	"slices"
	"strings"
	"testing"
)

// createEndpoint creates an endpoint with n addresses through the CLI,
// spread over the fake's subnets, and returns its ID. It does not wait.
func (f *fakeAPI) createEndpoint(t *testing.T, name, direction string, n int) string {
	t.Helper()
	var ips []string
	for i := range n {
		ips = append(ips, "subnet="+f.Subnets[i%len(f.Subnets)].ID)
	}
	return f.createEndpointIPs(t, name, direction, ips...)
}

// createEndpointIPs creates an endpoint with the addresses given as the
// CLI's --ip values, and returns its ID. It does not wait.
func (f *fakeAPI) createEndpointIPs(t *testing.T, name, direction string, ips ...string) string {
	t.Helper()
	args := []string{"endpoint", "create", "--name", name, "--direction", direction, "-o", "name"}
	for _, ip := range ips {
		args = append(args, "--ip", ip)
	}
	return oneLine(t, f.mustCLI(t, args...))
}

// createRule creates a resolver rule forwarding domain to the targets
// through the outbound endpoint, waits until it is ACTIVE, associates the
// fake's VPC with it, waits for that too, and returns the rule's ID.
func (f *fakeAPI) createRule(t *testing.T, name, domain, endpoint string, targets ...string) string {
	t.Helper()
	args := []string{"rule", "create", "--name", name, "--domain", domain, "--endpoint-id", endpoint, "--wait", "-o", "name"}
	for _, ip := range targets {
		args = append(args, "--target", ip)
	}
	id := oneLine(t, f.mustCLI(t, args...))
	f.mustCLI(t, "rule", "associate", id, "--vpc", f.VPC, "--wait")
	return id
}

// ipIDs returns the IDs of the addresses of an endpoint, through the CLI.
func (f *fakeAPI) ipIDs(t *testing.T, endpoint string) []string {
	t.Helper()
	ids := strings.Fields(f.mustCLI(t, "ip", "list", endpoint, "-o", "name"))
	slices.Sort(ids)
	return ids
}

// oneLine returns the only line of out.
func oneLine(t *testing.T, out string) string {
	t.Helper()
	lines := strings.Fields(out)
	if len(lines) != 1 {
		t.Fatalf("want one ID, got %q", out)
	}
	return lines[0]
}
