// Package fake is an in-memory Huawei Cloud DNS endpoint service for tests
// and local development. It is built on the generated strict server
// (gen.StrictServerInterface), enforces the service's rules, and checks every
// request and response against the OpenAPI document, so a test that passes
// against it has good odds of passing against the cloud — and a fake that
// drifts from the document fails its own tests.
//
// In a test, one line starts it on loopback and one more points the client
// at it:
//
//	srv := fake.NewTestServer(t)
//	client, err := wrapper.New(srv.URL, wrapper.WithToken(srv.Token))
//
// (or srv.Client(t), which also validates every exchange on the client side).
//
// # What is emulated
//
//   - The nine operations of the endpoint-management group, with the API's
//     status codes, bodies and error codes.
//   - IDs of 32 lowercase hexadecimal characters, zone-less UTC timestamps,
//     an X-Request-Id on every answer.
//   - A default inventory: VPC DefaultVPCID with subnets DefaultSubnetID
//     (192.168.0.0/24) and DefaultSubnet2ID (192.168.1.0/24); more with
//     WithVPC. Requests name subnets by ID; IP address lists report the
//     subnet's network (Neutron) ID, as the service does.
//   - CreateEndpoint: 2 to 6 addresses (DNS.1514), all in one VPC (DNS.1508),
//     known subnets (DNS.1502), a chosen IP valid (DNS.1515), inside its
//     subnet (DNS.1505), not the network or broadcast address (DNS.1516), not
//     repeated (DNS.1506) and not in use (DNS.1507; the gateway, the
//     subnet's first host, counts as used), free addresses assigned from the
//     lowest up when none is chosen, name rules (DNS.1501) and uniqueness
//     among all endpoints (DNS.1504), direction (DNS.1503), region (the
//     fake's, DNS.0601), quota per direction (403 DNS.0406 / DNS.0407).
//   - Asynchronous writes: the answer shows the pending state and reads show
//     it settled once WithDelay has passed (with no delay, from the next
//     read). A new endpoint answers PENDING_CREATE with vpc_id null and
//     ipaddress_count 0, then reads ACTIVE. Binding makes the new address and
//     the endpoint PENDING_CREATE; unbinding makes the address PENDING_DELETE
//     while the endpoint stays ACTIVE and still counts it; deleting makes the
//     endpoint PENDING_DELETE, then 404 DNS.1510. ipaddress_count counts the
//     addresses in place, so it equals the length of the list once settled.
//   - Binding and unbinding keep an endpoint within 2 to 6 addresses (addresses
//     on their way out do not count; DNS.1514); an unknown endpoint is 404
//     DNS.1510, an unknown address 404 DNS.1511, checked before the count; an
//     ID of the wrong shape is 400 DNS.1509. Writes to an endpoint that is
//     being deleted are refused (400 DNS.0002).
//   - ListEndpoints (direction required, vpc_id and name filters with exact
//     match) and ListEndpointVpcs: offset/limit paging, an empty page past the
//     end, metadata.total_count of all matches. VPCs are listed in ID order
//     and a zero count is left out.
//   - The API gateway: 401 APIGW.0301 without credentials, with a wrong token
//     (SetToken rotates it) or a bad AK/SK signature; signatures are verified
//     as package aksk describes, against WithAccessKey pairs, within 15
//     minutes of the fake's clock, whichever headers the client signed (the
//     official Go SDK's requests are accepted). Unknown routes are 404
//     APIGW.0101.
//   - Contract validation (WithValidation): a request that breaks the
//     document is answered 400 with the service's code for the broken
//     constraint; a response that would break it becomes 500 DNS.0001 and is
//     reported (WithViolationHandler; NewTestServer fails the test).
//   - Saving and restoring: State returns the endpoints and the token as
//     JSON and WithState starts a fake from them (dnsep serve --state uses
//     this to survive restarts).
//   - Faults for the next N calls of an operation (InjectFault): any status
//     and body, 429 with Retry-After, HTML pages, delays, dropped connections
//     and truncated bodies. Requests are recorded with credentials redacted
//     (Requests): the last 10,000 and at most 16 MiB of them, and of a
//     request refused at the gateway only its credential headers, so that a
//     flood cannot grow the process (WithRecorderLimits changes the limits,
//     or turns recording off, as dnsep serve does).
//   - A refusal at the gateway (404, 401) does not wait for the request's
//     body: a signed request is checked as far as its header allows before
//     the body is read, and a refusal with the body unread closes the
//     connection. Timeouts and connection limits are the http.Server's job;
//     dnsep serve sets them (see dnsep serve --help).
//
// # What is not emulated
//
//   - Resolver rules: resolver_rule_count is always 0 and no endpoint is ever
//     in use by a rule.
//   - The ERROR status: nothing fails on its own; inject a fault instead.
//   - IAM: the fake does not issue tokens; it accepts the one it is given.
//   - Throttling, AK locking after failed signatures, projects (any
//     X-Project-Id is accepted unless WithProjectID sets one), enterprise
//     projects, tags, the global endpoint and regions other than the fake's.
//   - IPv6, subnets without free addresses beyond answering DNS.0036, and
//     the real VPC service's reserved addresses other than the gateway.
package fake
