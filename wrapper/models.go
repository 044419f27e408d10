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

// The values of Direction and Status.
const (
	Inbound  = gen.DirectionInbound
	Outbound = gen.DirectionOutbound

	StatusPendingCreate = gen.StatusPendingCreate
	StatusActive        = gen.StatusActive
	StatusPendingDelete = gen.StatusPendingDelete
	StatusError         = gen.StatusError
)
