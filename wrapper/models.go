package wrapper

import "github.com/dnsep/dnsep/gen"

// The model types of the API, generated from the OpenAPI document. They are
// aliases, so values move freely between this package and package gen.
type (
	Endpoint     = gen.EndpointResp    // a resolver endpoint
	EndpointList = gen.EndpointList    // one page of ListEndpoints
	IPAddress    = gen.IpaddressesData // an IP address of an endpoint
	VPC          = gen.VpcsData        // a VPC that holds endpoints
	VPCList      = gen.VpcList         // one page of ListEndpointVpcs
	Metadata     = gen.Metadata        // paging information
	Direction    = gen.Direction       // inbound or outbound
	Status       = gen.Status          // PENDING_CREATE, ACTIVE, PENDING_DELETE or ERROR
)

// The model types of the resolver rules. A rule comes in three shapes: the
// writes answer a ResolverRuleBrief, ListResolverRules adds the VPCs
// (ListedResolverRule), and ShowResolverRule adds the target addresses too
// (ResolverRule).
type (
	ResolverRule       = gen.ShowResolverRuleRespParam // a rule with its targets and VPCs, as ShowResolverRule answers it
	ResolverRuleBrief  = gen.ResolverRuleParam         // a rule as the writes answer it, without targets or VPCs
	ListedResolverRule = gen.ListResolverRuleParam     // a rule with its VPCs, as ListResolverRules answers it
	ResolverRuleList   = gen.ResolverRuleList          // one page of ListResolverRules
	ResolverRuleStatus = gen.ResolverRuleStatus        // a rule's status: Status's values plus DELETED
	Router             = gen.Router                    // a VPC associated with a rule, and the association's status
	RouterAssociation  = gen.RouterWithRuleResp        // the association that AssociateResolverRuleRouter or DisassociateResolverRuleRouter started
	TargetIPValue      = gen.IPValue                   // a target DNS server of a rule, as ShowResolverRule answers it
	PageInfo           = gen.PageInfo                  // marker paging information
	PageLink           = gen.PageLink                  // the links of a list page
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

// The request types are aliases of generated types, so that values move
// freely between this package and package gen; go doc shows an alias
// without its fields, so each one lists them here. (Defined types would
// show their fields but would no longer be the generated types: every
// caller holding a gen value would have to convert it, and nested slices
// such as Ipaddresses would still be of gen's element types.)

// CreateEndpointRequest is the body of CreateEndpoint. Its fields:
//
//	Name        string          // 1 to 64 letters, digits, Chinese characters, '_', '-', '.'
//	Direction   Direction       // Inbound or Outbound
//	Region      string          // the region of the subnets, e.g. "cn-north-4"
//	Ipaddresses []IPAddressInfo // 2 to 6 addresses, in subnets of one VPC
type CreateEndpointRequest = gen.CreateEndpointRequestBody

// UpdateEndpointRequest is the body of UpdateEndpoint, which renames an
// endpoint. Its field:
//
//	Name string // the new name, by the rule of CreateEndpointRequest.Name
type UpdateEndpointRequest = gen.UpdateEndpointRequestBody

// IPAddressInfo is an IP address to create: one of
// CreateEndpointRequest.Ipaddresses, or the body of
// AssociateEndpointIpaddress. Its fields:
//
//	SubnetID string  // the VPC subnet's ID (not the network ID that IPAddress.SubnetID reports)
//	IP       *string // the address, inside the subnet; nil lets the service pick one (see IP)
type IPAddressInfo = gen.IpaddressInfo

// ListEndpointsParams is the query of ListEndpoints. Its fields:
//
//	Direction Direction // required: the API lists one direction at a time
//	VpcID     *string   // only the endpoints in this VPC
//	Name      *string   // only the endpoints with this name
//	Limit     *int      // page size, 0 to 500; nil means 500
//	Offset    *int      // endpoints to skip; nil means 0
type ListEndpointsParams = gen.ListEndpointsParams

// ListEndpointVpcsParams is the query of ListEndpointVpcs. Its fields, all
// optional:
//
//	VpcID  *string // only this VPC
//	Limit  *int    // page size, 0 to 500; nil means 500
//	Offset *int    // VPCs to skip; nil means 0
type ListEndpointVpcsParams = gen.ListEndpointVpcsParams

// CreateResolverRuleRequest is the body of CreateResolverRule. Its fields:
//
//	Name        string     // by the rule of CreateEndpointRequest.Name
//	DomainName  string     // the domain to forward; the service adds a trailing dot
//	EndpointID  string     // the (outbound, ACTIVE) endpoint that forwards the queries
//	Ipaddresses []TargetIP // 1 to 5 target DNS servers
type CreateResolverRuleRequest = gen.CreateResolverRuleRequestBody

// UpdateResolverRuleRequest is the body of UpdateResolverRule. Its fields,
// either or both:
//
//	Name        string     // the new name; "" keeps the old one
//	Ipaddresses []TargetIP // the whole new list of 1 to 5 targets; nil keeps the old one
type UpdateResolverRuleRequest = gen.UpdateResolverRuleRequestBody

// TargetIP is a target DNS server of a resolver rule, in a request. Its
// field:
//
//	IP string // an IPv4 address; queries go to its port 53
type TargetIP = gen.IPInfo

// ListResolverRulesParams is the query of ListResolverRules. Its fields,
// all optional:
//
//	EndpointID *string // only the rules of this endpoint
//	DomainName *string // only the rules for this domain, with or without its trailing dot
//	Name       *string // only the rules with this name
//	ID         *string // only the rule with this ID
//	Limit      *int    // page size, 0 to 500; nil means 500
//	Offset     *int    // rules to skip; not with Marker
//	Marker     *string // start after the rule with this ID; not with Offset
type ListResolverRulesParams = gen.ListResolverRulesParams

// IP returns a pointer to a copy of addr, for the optional
// IPAddressInfo.IP:
//
//	wrapper.IPAddressInfo{SubnetID: subnetID, IP: wrapper.IP("192.168.0.10")}
func IP(addr string) *string { return &addr }
