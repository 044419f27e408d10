// Package bench compares the cost of one DNS endpoint call, the unbind
// (DisassociateEndpointIpaddress), through five clients: plain net/http with
// encoding/json, the generated gen.ClientWithResponses, the wrapper with a
// static token, the wrapper with AK/SK signing, and the official
// huaweicloud-sdk-go-v3 DNS client with AK/SK.
//
// It is a module of its own so that users of github.com/dnsep/dnsep never
// download the official SDK. Run it with `make bench` from the repository
// root; BENCHMARKS.md holds the method and the numbers.
package bench
