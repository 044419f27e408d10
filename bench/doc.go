// Package bench compares the cost of one DNS endpoint call, the unbind
// (DisassociateEndpointIpaddress), through five clients: plain net/http with
// encoding/json, the generated gen.ClientWithResponses, the wrapper with a
// static token, the wrapper with AK/SK signing, and the official
// huaweicloud-sdk-go-v3 DNS client with AK/SK.
//
// TestSDKCompat drives the same official SDK through all nine endpoint and
// seven resolver-rule operations against a built `dnsep serve`, and checks
// that it decodes every answer and error.
//
// It is a module of its own so that users of github.com/dnsep/dnsep never
// download the official SDK. Run the benchmarks with `make bench` and the
// test with `make compat` from the repository root; BENCHMARKS.md holds the
// method and the numbers.
package bench
