package dashboard

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/dnsep/dnsep/gen"
)

// endpointsView is the answer of GET /dashboard/api/endpoints.
type endpointsView struct {
	Region   string         `json:"region"`
	Inbound  []endpointView `json:"inbound"`
	Outbound []endpointView `json:"outbound"`
	Rules    []ruleView     `json:"rules"`
}

type endpointView struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	Status    string       `json:"status"`
	Pending   bool         `json:"pending"`
	VPC       string       `json:"vpc_id"` // "" while the endpoint is being created
	IPCount   int          `json:"ipaddress_count"`
	RuleCount int          `json:"resolver_rule_count"`
	Created   time.Time    `json:"create_time"`
	Age       string       `json:"age"`
	Subnets   []subnetView `json:"subnets"`
}

// subnetView is one subnet's addresses of an endpoint.
type subnetView struct {
	ID        string        `json:"id"`   // the VPC subnet ID, as requests name it
	CIDR      string        `json:"cidr"` // "" for a subnet not in the inventory
	Addresses []addressView `json:"addresses"`
}

type addressView struct {
	ID      string `json:"id"`
	IP      string `json:"ip"`
	Status  string `json:"status"`
	Pending bool   `json:"pending"`
}

type ruleView struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Domain     string    `json:"domain_name"`
	EndpointID string    `json:"endpoint_id"`
	Status     string    `json:"status"`
	Pending    bool      `json:"pending"`
	Targets    []string  `json:"targets"`
	VPCs       []vpcView `json:"vpcs"`
	Age        string    `json:"age"`
}

type vpcView struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Pending bool   `json:"pending"`
}

// pending reports whether status is one of the PENDING_* states.
func pending(status string) bool { return strings.HasPrefix(status, "PENDING_") }

// listPage is the page size of the dashboard's reads: more than the
// default quotas allow, so that one read usually does.
const listPage = 500

// apiEndpoints answers GET /dashboard/api/endpoints: every endpoint by
// direction with its addresses by subnet, and every resolver rule with its
// VPCs.
func (d *Dashboard) apiEndpoints(w http.ResponseWriter, r *http.Request) {
	v, err := d.endpoints(r.Context())
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// endpoints reads the fake through its handlers. The reads are not one
// snapshot: an endpoint deleted between them shows without addresses, and
// the next refresh shows it gone.
func (d *Dashboard) endpoints(ctx context.Context) (endpointsView, error) {
	now := d.now()
	subnets := d.subnets()
	v := endpointsView{Region: d.src.Region(), Inbound: []endpointView{}, Outbound: []endpointView{}, Rules: []ruleView{}}
	for _, dir := range []gen.Direction{gen.DirectionInbound, gen.DirectionOutbound} {
		eps, err := d.listEndpoints(ctx, dir)
		if err != nil {
			return v, err
		}
		views := make([]endpointView, 0, len(eps))
		for _, ep := range eps {
			views = append(views, d.endpointView(ctx, ep, subnets, now))
		}
		if dir == gen.DirectionInbound {
			v.Inbound = views
		} else {
			v.Outbound = views
		}
	}
	rules, err := d.rules(ctx, now)
	v.Rules = rules
	return v, err
}

func (d *Dashboard) listEndpoints(ctx context.Context, dir gen.Direction) ([]gen.EndpointResp, error) {
	var all []gen.EndpointResp
	for offset := 0; ; offset += listPage {
		limit, off := listPage, offset
		resp, err := d.src.ListEndpoints(ctx, gen.ListEndpointsRequestObject{Params: gen.ListEndpointsParams{Direction: dir, Limit: &limit, Offset: &off}})
		if err != nil {
			return nil, err
		}
		ok, _ := resp.(gen.ListEndpoints200JSONResponse)
		all = append(all, ok.Body.Endpoints...)
		if len(ok.Body.Endpoints) < listPage || len(all) >= ok.Body.Metadata.TotalCount {
			return all, nil
		}
	}
}

// subnet is a subnet of the inventory, found by the network (Neutron) ID
// that address lists report.
type subnet struct{ id, cidr string }

func (d *Dashboard) subnets() map[string]subnet {
	m := map[string]subnet{}
	for _, vpc := range d.src.VPCs() {
		for _, sn := range vpc.Subnets {
			key := sn.NeutronID
			if key == "" {
				key = sn.ID
			}
			m[key] = subnet{sn.ID, sn.CIDR}
		}
	}
	return m
}

func (d *Dashboard) endpointView(ctx context.Context, ep gen.EndpointResp, subnets map[string]subnet, now time.Time) endpointView {
	v := endpointView{
		ID: ep.ID, Name: ep.Name, Status: string(ep.Status), Pending: pending(string(ep.Status)),
		IPCount: ep.IpaddressCount, RuleCount: ep.ResolverRuleCount,
		Created: ep.CreateTime.Time, Age: age(now, ep.CreateTime.Time), Subnets: []subnetView{},
	}
	if ep.VpcID != nil {
		v.VPC = *ep.VpcID
	}
	resp, err := d.src.ListEndpointIpaddresses(ctx, gen.ListEndpointIpaddressesRequestObject{EndpointID: ep.ID})
	if err != nil {
		return v
	}
	list, _ := resp.(gen.ListEndpointIpaddresses200JSONResponse)
	index := map[string]int{}
	for _, ip := range list.Body.Ipaddresses {
		sn, known := subnets[ip.SubnetID]
		if !known {
			sn = subnet{id: ip.SubnetID}
		}
		i, seen := index[sn.id]
		if !seen {
			i = len(v.Subnets)
			index[sn.id] = i
			v.Subnets = append(v.Subnets, subnetView{ID: sn.id, CIDR: sn.cidr})
		}
		v.Subnets[i].Addresses = append(v.Subnets[i].Addresses,
			addressView{ID: ip.ID, IP: ip.IP, Status: string(ip.Status), Pending: pending(string(ip.Status))})
	}
	return v
}

// rules reads every resolver rule, and each one's VPCs, which only
// ShowResolverRule reports.
func (d *Dashboard) rules(ctx context.Context, now time.Time) ([]ruleView, error) {
	views := []ruleView{}
	for offset := 0; ; offset += listPage {
		limit, off := listPage, offset
		resp, err := d.src.ListResolverRules(ctx, gen.ListResolverRulesRequestObject{Params: gen.ListResolverRulesParams{Limit: &limit, Offset: &off}})
		if err != nil {
			return views, err
		}
		list, _ := resp.(gen.ListResolverRules200JSONResponse)
		for _, rl := range list.Body.ResolverRules {
			views = append(views, d.ruleView(ctx, rl, now))
		}
		if len(list.Body.ResolverRules) < listPage || len(views) >= list.Body.Metadata.TotalCount {
			return views, nil
		}
	}
}

func (d *Dashboard) ruleView(ctx context.Context, rl gen.ListResolverRuleParam, now time.Time) ruleView {
	v := ruleView{
		ID: rl.ID, Name: rl.Name, Domain: rl.DomainName, EndpointID: rl.EndpointID,
		Status: string(rl.Status), Pending: pending(string(rl.Status)),
		Targets: []string{}, VPCs: vpcViews(rl.Routers), Age: age(now, rl.CreateTime.Time),
	}
	// Only ShowResolverRule reports the targets.
	resp, err := d.src.ShowResolverRule(ctx, gen.ShowResolverRuleRequestObject{ResolverruleID: rl.ID})
	if err != nil {
		return v
	}
	show, ok := resp.(gen.ShowResolverRule200JSONResponse)
	if !ok {
		return v
	}
	full := show.Body.ResolverRule
	v.Status, v.Pending = string(full.Status), pending(string(full.Status))
	v.VPCs = vpcViews(full.Routers)
	for _, ip := range full.Ipaddresses {
		v.Targets = append(v.Targets, ip.IP)
	}
	return v
}

func vpcViews(routers []gen.Router) []vpcView {
	vs := make([]vpcView, 0, len(routers))
	for _, rt := range routers {
		vs = append(vs, vpcView{ID: rt.RouterID, Status: string(rt.Status), Pending: pending(string(rt.Status))})
	}
	return vs
}

// age says how long ago t was, to the second: "45s", "3m12s", "2h5m0s".
func age(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return max(now.Sub(t), 0).Truncate(time.Second).String()
}
