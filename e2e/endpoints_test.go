package e2e

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
)

// endpointView is what the Endpoints page shows of one endpoint.
type endpointView struct {
	Section   string // the id of the enclosing section: inbound or outbound
	Name      string
	Status    string // data-status of td.status
	Pending   bool   // td.status has the class pending
	VPC       string
	IPCount   string
	RuleCount string
	Subnets   map[string]subnetView // by data-subnet-id
}

type subnetView struct {
	CIDR string
	IPs  []string // data-ip-id, sorted
}

// endpointViewJS reads an endpointView from the page; null while the row is
// missing.
const endpointViewJS = `((id) => {
	const row = document.querySelector('tr[data-endpoint-id="' + CSS.escape(id) + '"]');
	if (!row) return null;
	const cell = (c) => { const e = row.querySelector('td.' + c); return e ? e.textContent.trim() : "(no td." + c + ")"; };
	const status = row.querySelector("td.status");
	const section = row.closest("section");
	const subnets = {};
	const addrs = document.querySelector('[data-endpoint-addresses="' + CSS.escape(id) + '"]');
	if (addrs) for (const g of addrs.querySelectorAll("[data-subnet-id]")) {
		const cidr = g.querySelector(".cidr");
		subnets[g.dataset.subnetId] = {
			CIDR: cidr ? cidr.textContent.trim() : "(no .cidr)",
			IPs: [...g.querySelectorAll("[data-ip-id]")].map(e => e.dataset.ipId).sort(),
		};
	}
	return {
		Section: section ? section.id : "", Name: cell("name"),
		Status: status ? status.dataset.status || "" : "", Pending: !!status && status.classList.contains("pending"),
		VPC: cell("vpc"), IPCount: cell("ipcount"), RuleCount: cell("rulecount"), Subnets: subnets,
	};
})`

// endpointView reads the endpoint's row and addresses from the page.
func (b *browser) endpointView(t *testing.T, id string) *endpointView {
	t.Helper()
	return eval[*endpointView](t, b, endpointViewJS+"("+jsString(id)+")")
}

// TestEndpointsCreatedThroughAPI creates endpoints and a rule with the CLI
// and finds them on the Endpoints page: by direction, with their addresses
// grouped by subnet, the rule and its VPC.
func TestEndpointsCreatedThroughAPI(t *testing.T) {
	t.Parallel()
	f := startServe(t, serveOptions{Token: "e2e-endpoints-token"})
	s0, s1 := f.Subnets[0], f.Subnets[1]
	in := f.createEndpointIPs(t, "e2e-in", "inbound", "subnet="+s0.ID+",ip=192.168.0.10", "subnet="+s0.ID, "subnet="+s1.ID)
	out := f.createEndpoint(t, "e2e-out", "outbound", 2)
	f.mustCLI(t, "wait", "endpoint", out, "--for", "active")
	rule := f.createRule(t, "corp", "corp.example.", out, "10.1.0.53", "10.1.1.53")

	b := newBrowser(t)
	b.login(t, f)
	b.waitFor(t, "both endpoints and the rule are listed", fmt.Sprintf(
		`document.querySelector('section#inbound tr[data-endpoint-id=%[1]s]') && document.querySelector('section#outbound tr[data-endpoint-id=%[2]s]') && document.querySelector('section#rules tr[data-rule-id=%[3]s]')`,
		jsString(in), jsString(out), jsString(rule)))

	for _, ep := range []struct {
		id, section, name, rules string
		bySubnet                 map[string]int // addresses per subnet
	}{
		{in, "inbound", "e2e-in", "0", map[string]int{s0.ID: 2, s1.ID: 1}},
		{out, "outbound", "e2e-out", "1", map[string]int{s0.ID: 1, s1.ID: 1}},
	} {
		// The rule count can lag a refresh behind the rule itself.
		b.waitFor(t, ep.name+" counts its rules", endpointViewJS+"("+jsString(ep.id)+")?.RuleCount === "+jsString(ep.rules))
		got := b.endpointView(t, ep.id)
		ips := f.ipIDs(t, ep.id)
		want := &endpointView{
			Section: ep.section, Name: ep.name, Status: "ACTIVE", VPC: f.VPC,
			IPCount: fmt.Sprint(len(ips)), RuleCount: ep.rules, Subnets: map[string]subnetView{},
		}
		var shown []string
		for _, sn := range f.Subnets {
			if ep.bySubnet[sn.ID] == 0 {
				continue
			}
			g := got.Subnets[sn.ID]
			want.Subnets[sn.ID] = subnetView{CIDR: sn.CIDR, IPs: g.IPs}
			if len(g.IPs) != ep.bySubnet[sn.ID] {
				t.Errorf("%s: subnet %s shows %d addresses %v, want %d", ep.name, sn.ID, len(g.IPs), g.IPs, ep.bySubnet[sn.ID])
			}
			shown = append(shown, g.IPs...)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s on the page:\n got %+v\nwant %+v", ep.name, *got, *want)
		}
		if slices.Sort(shown); !slices.Equal(shown, ips) {
			t.Errorf("%s: the page shows the addresses %v, the API %v", ep.name, shown, ips)
		}
	}

	ruleRow := eval[[]string](t, b, fmt.Sprintf(`(() => {
		const row = document.querySelector('section#rules tr[data-rule-id=%[1]s]');
		const st = row.querySelector("td.status");
		const vpcs = document.querySelector('[data-rule-vpcs=%[1]s]');
		return [st ? st.dataset.status || "" : "(no td.status)", vpcs ? vpcs.textContent : "(no [data-rule-vpcs])", row.textContent];
	})()`, jsString(rule)))
	if ruleRow[0] != "ACTIVE" {
		t.Errorf("rule %s: status %q, want ACTIVE", rule, ruleRow[0])
	}
	if containsAny(ruleRow[1], f.VPC) == "" {
		t.Errorf("rule %s: its VPCs read %q, want %s among them", rule, ruleRow[1], f.VPC)
	}
	if containsAny(ruleRow[2], "corp.example.") == "" {
		t.Errorf("rule %s: its row reads %q, want the domain corp.example.", rule, ruleRow[2])
	}
}

// TestPendingTurnsActiveWithoutReload watches an endpoint created while the
// page is open go from PENDING_CREATE to ACTIVE, in place: a marker that
// the test leaves in the page's window survives.
func TestPendingTurnsActiveWithoutReload(t *testing.T) {
	t.Parallel()
	const delay = 3 * time.Second // long enough for a refresh of about a second to see it pending
	f := startServe(t, serveOptions{Token: "e2e-pending-token", Delay: delay})
	b := newBrowser(t)
	b.login(t, f)
	eval[bool](t, b, `(window.e2eMarker = "still the same page", true)`)

	id := f.createEndpoint(t, "e2e-pending", "inbound", 2)
	row := jsString(id)
	b.waitFor(t, "the new endpoint shows PENDING_CREATE, marked pending",
		endpointViewJS+"("+row+")?.Status === 'PENDING_CREATE' && "+endpointViewJS+"("+row+").Pending")
	b.waitFor(t, "the endpoint turns ACTIVE, no longer marked pending",
		endpointViewJS+"("+row+")?.Status === 'ACTIVE' && !"+endpointViewJS+"("+row+").Pending")

	if got := eval[string](t, b, `String(window.e2eMarker)`); got != "still the same page" {
		t.Errorf("window.e2eMarker = %q: the page was reloaded", got)
	}
	if n := eval[int](t, b, `performance.getEntriesByType("navigation").length`); n != 1 {
		t.Errorf("%d navigations, want the one of the login", n)
	}
	if got := b.endpointView(t, id); got.Name != "e2e-pending" || got.Section != "inbound" {
		t.Errorf("the endpoint's row: %+v", *got)
	}
}
