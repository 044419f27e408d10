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
//	client, err := wrapper.New(srv.URL, wrapper.WithToken(srv.Token), wrapper.WithHTTPClient(srv.HTTPClient(t)))
//
// srv.HTTPClient(t) also validates every exchange on the client side. The
// fake does not import the client: they meet only on the wire, so the
// client's own tests can use the fake.
//
// # What is emulated
//
//   - The nine operations of the endpoint-management group and the seven of
//     the resolver rules, with the API's status codes, bodies and error
//     codes.
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
//   - Binding and unbinding keep an endpoint within 2 to 6 addresses (see
//     Invariants; DNS.1514); an unknown endpoint is 404 DNS.1510, an unknown
//     address 404 DNS.1511, checked before the count; an endpoint ID of the
//     wrong shape is 400 DNS.1509. An address ID of the wrong shape is 404
//     DNS.1511, checked after the endpoint: the service's error table has
//     no code for a malformed address ID (DNS.1509 names the endpoint), the
//     document declares no x-dns-error and no pattern for ipaddress_id, and
//     such an ID names no address. Writes to an endpoint that is being
//     deleted are refused (400 DNS.0002).
//   - ListEndpoints (direction required, vpc_id and name filters with exact
//     match) and ListEndpointVpcs: offset/limit paging, an empty page past the
//     end, metadata.total_count of all matches. VPCs are listed in ID order
//     and a zero count is left out.
//   - Resolver rules: 1 to 5 distinct IPv4 targets (DNS.1514, DNS.1515 from
//     the document; a repeat is DNS.1506), the domain name checked by the
//     document (DNS.0202) and given a trailing dot, an endpoint that exists
//     (DNS.1510, DNS.1509 for a malformed ID) and is ACTIVE, inbound ones
//     included as in Terraform's live runs; a quota of 50 rules
//     (WithRuleQuota). A new rule is PENDING_CREATE, then ACTIVE; an update
//     replaces the name and the whole target list and stays ACTIVE; a
//     deleted rule is PENDING_DELETE, then a DELETED tombstone that
//     ShowResolverRule still answers (without VPCs) while List, the counts
//     and every other operation treat it as gone (404, message "Resolver
//     rule not exist."). Writes to a rule while it or one of its VPC
//     associations is PENDING_* are 409 DNS.0021.
//   - Rule associations: a VPC of the inventory (404 DNS.0711), reported in
//     the fake's region, PENDING_CREATE then ACTIVE, PENDING_DELETE then
//     gone; a VPC once per rule and on one live rule per domain name (400
//     DNS.0212); disassociating a VPC the rule lacks is 400 DNS.0707.
//   - An endpoint's resolver_rule_count counts its rules that are not
//     deleted, pending ones included; deleting an endpoint that has any is
//     400 DNS.0608.
//   - ListResolverRules: exact filters (a domain name with or without its
//     dot), order by creation time then ID, paging by offset or by marker
//     (the ID of the previous page's last rule; an unknown one is 400
//     DNS.0007; it overrides offset); page_info.next_marker and links.next
//     when more rules remain, links.self always.
//   - The API gateway: 401 APIGW.0301 without credentials, with a wrong token
//     (SetToken rotates it) or a bad AK/SK signature; signatures are verified
//     as package aksk describes, against WithAccessKey pairs, within 15
//     minutes of the fake's clock, whichever headers the client signed (the
//     official Go SDK's requests are accepted). Unknown routes are 404
//     APIGW.0101, and so is HEAD: the API has no HEAD operation.
//   - Contract validation: a request that breaks the document is always
//     answered 400 with the service's code for the broken constraint (the
//     handlers keep only the rules the document cannot state: the fake's
//     region, endpoint ID shape, existence, uniqueness, counts and free
//     addresses); a response that would break it becomes 500 DNS.0001 and
//     is reported (WithViolationHandler; NewTestServer fails the test),
//     unless WithValidation(false) turns response validation off. A handler
//     reads exactly what the validator read: a query that does not parse (a
//     bad escape, a semicolon), data after the JSON body, a repeated key, or
//     a key that differs only in case from one of the document
//     (encoding/json would take it) is 400, with the parameter's code if it
//     has one (limit=%zz is DNS.0006), else DNS.0002.
//   - Saving and restoring: State returns the endpoints, the resolver rules
//     with their associations, and the token as JSON and WithState starts a fake from them (dnsep serve --state uses
//     this to survive restarts).
//   - Faults for the next N calls of an operation (InjectFault): any status
//     and body, 429 with Retry-After, HTML pages, delays, dropped connections
//     and truncated bodies; Faults lists what is queued and ClearFaults drops
//     it. Requests are recorded with credentials redacted (Requests,
//     RecentRequests, RecordedRequest): arrival time, latency, status,
//     service code and the first 64 KiB of each body (every JSON
//     "password" value redacted); the last 10,000 and at most 16 MiB of
//     them, and of a request refused at the gateway only its credential
//     headers, so that a flood cannot grow the process (WithRecorderLimits
//     changes the limits, or turns recording off). Reset puts the state
//     back to the seed endpoints.
//   - A refusal at the gateway (404, 401) does not wait for the request's
//     body: a signed request is checked as far as its header allows before
//     the body is read, and a refusal with the body unread closes the
//     connection. Timeouts and connection limits are the http.Server's job;
//     dnsep serve sets them (see dnsep serve --help).
//
// # Invariants
//
// The service keeps these at every instant, pending changes included;
// Server.Check verifies them as the store stands and as it will be at each
// instant a pending change settles.
//
//   - Slots: an endpoint holds at most 6 addresses, whatever their status.
//     An address being deleted keeps its slot until it is gone, so a bind
//     that would need a seventh slot is refused (400 DNS.1514), even while
//     unbinds are pending.
//   - Kept addresses: at least 2 of an endpoint's addresses are not being
//     deleted (ACTIVE or PENDING_CREATE); an unbind that would leave fewer is
//     refused (400 DNS.1514).
//   - ipaddress_count: an address being created does not count yet, one
//     being deleted still counts until it is gone; so the count is the
//     number of listed addresses that are ACTIVE or PENDING_DELETE, and it
//     stays within 2 to 6. An endpoint still being created (PENDING_CREATE
//     after CreateEndpoint, or PENDING_DELETE if deleted before it settled)
//     shows vpc_id null and a count of 0.
//   - Order: the changes to one endpoint settle in the order they were made,
//     even if the clock steps back, so an endpoint is never ACTIVE while one
//     of its addresses is PENDING_CREATE and the count never drops below 2
//     on the way.
//   - Addresses: each is bound to one endpoint at most, lies in a subnet of
//     its endpoint's VPC, and is in use exactly while it is bound (being
//     deleted included). Names and IDs are unique.
//   - Rules: an endpoint's resolver_rule_count equals its rules that are not
//     deleted; such a rule sits on an endpoint that exists and is not being
//     created (so an endpoint with rules is never deleted under them); a
//     rule has 1 to 5 distinct IPv4 targets and a domain name with its
//     trailing dot; a tombstone has no VPCs; an associated VPC is in the
//     inventory, once per rule and on one live rule per domain name. Rule
//     IDs are unique, among endpoint and address IDs too.
//
// # What is not emulated
//
//   - Resolver rules: the strict mode that refuses inbound endpoints, and
//     how long the service keeps a tombstone (the fake keeps the last
//     1,000). Rules do not resolve anything: the fake has no DNS.
//   - The ERROR status: nothing fails on its own; inject a fault instead.
//   - IAM: the fake does not issue tokens; it accepts the one it is given.
//   - Throttling, AK locking after failed signatures, projects (any
//     X-Project-Id is accepted unless WithProjectID sets one), enterprise
//     projects, tags, the global endpoint and regions other than the fake's.
//   - IPv6, subnets without free addresses beyond answering DNS.0036, and
//     the real VPC service's reserved addresses other than the gateway.
package fake

// The fake's answers to the open questions of the resolver-rule API
// (dnsep's research notes on resolver rules, section 8). No source shows
// these codes for these cases: each is the fake's choice, UNVERIFIED against
// the service, and named once here so that a finding changes one line.
const (
	// codeRuleNotFound answers an unknown or deleted rule, with 404 and the
	// message Terraform's tests show. Unverified: the code is not published.
	codeRuleNotFound    = "DNS.1601"
	messageRuleNotFound = "Resolver rule not exist."

	// codeRuleQuota answers a rule beyond the quota, with 403 as the
	// endpoint quotas do. Unverified: made up next to DNS.0406/DNS.0407.
	codeRuleQuota    = "DNS.0408"
	messageRuleQuota = "Insufficient resolver rule quota."

	// codeEndpointInUse answers deleting an endpoint that still has rules
	// (400). Unverified: the error table's "This resource is in use.".
	codeEndpointInUse = "DNS.0608"

	// codeBusy answers a write to a rule while the rule or one of its VPC
	// associations is PENDING_* (409). Unverified: the table's lock error.
	codeBusy = "DNS.0021"

	// codeVPCAssociated answers associating a VPC the rule already has, or
	// one that another rule for the same domain has (400). Unverified: the
	// table words it for zones.
	codeVPCAssociated = "DNS.0212"

	// codeVPCNotAssociated answers disassociating a VPC the rule does not
	// have (400). Unverified: the table words it for zones.
	codeVPCNotAssociated = "DNS.0707"

	// codeBadMarker answers a marker that names no listed rule (400).
	// Unverified: the table's "The marker parameter is invalid.".
	codeBadMarker = "DNS.0007"

	// codeTargetRepeated answers a target IP address given twice (400).
	// Unverified: the endpoints' "Ip is repeated.".
	codeTargetRepeated = "DNS.1506"

	// codeEndpointNotActive answers a rule on an endpoint that is not
	// ACTIVE (being created or deleted), with 400. Unverified: the sources
	// only say that the endpoint must exist.
	codeEndpointNotActive = "DNS.0002"
)

// defaultRuleQuota is the quota of resolver rules (WithRuleQuota): the
// example limit of the quota page [OTC-DOC].
const defaultRuleQuota = 50

// maxTombstones bounds the deleted rules that ShowResolverRule still
// answers with status DELETED; the oldest go first, so that a long run that
// creates and deletes rules does not grow the process.
const maxTombstones = 1000
