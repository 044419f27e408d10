package wrapper

import "github.com/dnsep/dnsep/gen"

// The model types of the API, generated from the OpenAPI document. They are
// aliases, so values move freely between this package and package gen.
type (
	Endpoint               = gen.EndpointResp              // a resolver endpoint
	EndpointList           = gen.EndpointList              // one page of ListEndpoints
	IPAddress              = gen.IpaddressesData           // an IP address of an endpoint
	IPAddressInfo          = gen.IpaddressInfo             // an IP address to bind
	VPC                    = gen.VpcsData                  // a VPC that holds endpoints
	VPCList                = gen.VpcList                   // one page of ListEndpointVpcs
	Metadata               = gen.Metadata                  // paging information
	Direction              = gen.Direction                 // inbound or outbound
	Status                 = gen.Status                    // PENDING_CREATE, ACTIVE, PENDING_DELETE or ERROR
	CreateEndpointRequest  = gen.CreateEndpointRequestBody // the body of CreateEndpoint
	UpdateEndpointRequest  = gen.UpdateEndpointRequestBody // the body of UpdateEndpoint
	ListEndpointsParams    = gen.ListEndpointsParams       // the query of ListEndpoints
	ListEndpointVpcsParams = gen.ListEndpointVpcsParams    // the query of ListEndpointVpcs
)

// The model types of the resolver rules. A rule comes in three shapes: the
// writes answer a ResolverRuleBrief, ListResolverRules adds the VPCs
// (ListedResolverRule), and ShowResolverRule adds the target addresses too
// (ResolverRule).
type (
	ResolverRule              = gen.ShowResolverRuleRespParam     // a rule with its targets and VPCs, as ShowResolverRule answers it
	ResolverRuleBrief         = gen.ResolverRuleParam             // a rule as the writes answer it, without targets or VPCs
	ListedResolverRule        = gen.ListResolverRuleParam         // a rule with its VPCs, as ListResolverRules answers it
	ResolverRuleList          = gen.ResolverRuleList              // one page of ListResolverRules
	ResolverRuleStatus        = gen.ResolverRuleStatus            // a rule's status: Status's values plus DELETED
	Router                    = gen.Router                        // a VPC associated with a rule, and the association's status
	RouterAssociation         = gen.RouterWithRuleResp            // the association that AssociateResolverRuleRouter or DisassociateResolverRuleRouter started
	TargetIP                  = gen.IPInfo                        // a target DNS server of a rule, in a request
	TargetIPValue             = gen.IPValue                       // a target DNS server of a rule, as ShowResolverRule answers it
	PageInfo                  = gen.PageInfo                      // marker paging information
	PageLink                  = gen.PageLink                      // the links of a list page
	CreateResolverRuleRequest = gen.CreateResolverRuleRequestBody // the body of CreateResolverRule
	UpdateResolverRuleRequest = gen.UpdateResolverRuleRequestBody // the body of UpdateResolverRule
	ListResolverRulesParams   = gen.ListResolverRulesParams       // the query of ListResolverRules
)

// The values of Direction, Status and ResolverRuleStatus.
const (
	Inbound  = gen.DirectionInbound
	Outbound = gen.DirectionOutbound

	StatusPendingCreate = gen.StatusPendingCreate
	StatusActive        = gen.StatusActive
	StatusPendingDelete = gen.StatusPendingDelete
	StatusError         = gen.StatusError

	RuleStatusPendingCreate = gen.ResolverRuleStatusPendingCreate
	RuleStatusActive        = gen.ResolverRuleStatusActive
	RuleStatusPendingDelete = gen.ResolverRuleStatusPendingDelete
	RuleStatusError         = gen.ResolverRuleStatusError
	RuleStatusDeleted       = gen.ResolverRuleStatusDeleted // a deleted rule, which ShowResolverRule may answer for a while instead of 404
)
