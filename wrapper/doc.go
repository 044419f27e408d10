// Package wrapper is the Go client of the Huawei Cloud DNS resolver-endpoint
// API that dnsep users embed. It sits on top of the client generated from the
// OpenAPI document (package gen) and adds what production code needs:
//
//   - one method per operation, named after its operationId, context first,
//     returning the generated model types (aliased here: Endpoint, IPAddress,
//     VPC, ...) or an error;
//   - authentication on every request: an IAM token in X-Auth-Token (static,
//     or from a TokenSource such as iam.PasswordTokenSource, renewed and
//     re-sent once when the service answers 401), or AK/SK signing
//     (SDK-HMAC-SHA256, package aksk);
//   - one error type, *APIError, for every answer that is not the expected
//     success, with predicates (IsNotFound, IsRetryable, ...) and sentinels
//     for errors.Is; transport and context errors stay matchable;
//   - retries of transient failures with capped, jittered exponential backoff
//     and Retry-After, never of a POST (see RetryPolicy);
//   - iterators over paged lists (AllEndpoints, AllEndpointVpcs, and
//     AllResolverRules by offset or marker) and waiters for the asynchronous
//     writes (WaitEndpointActive, WaitEndpointDeleted, WaitIpaddressGone,
//     WaitResolverRuleActive, WaitResolverRuleDeleted, WaitRouterAssociated,
//     WaitRouterDisassociated);
//   - guards: IDs that could change the request path are refused before any
//     request is built, redirects are never followed (so credentials never
//     reach another host), response bodies are capped at 8 MiB, each attempt
//     is bounded by DefaultAttemptTimeout and the client's own transport
//     waits at most DefaultResponseHeaderTimeout for headers, and list walks
//     stop at DefaultMaxListItems or when the service's paging repeats
//     itself (ErrBadPaging).
//
// Every write of the API answers 202 and finishes in the background: the
// endpoint, rule or VPC association is PENDING_CREATE or PENDING_DELETE
// first. Call a waiter, with a context deadline, to learn the outcome. A
// deleted resolver rule may be answered for a while with status DELETED
// instead of 404; WaitResolverRuleDeleted takes either as gone.
//
// The package reads no environment variables, writes no files and sends no
// host or OS details; configure it with Options.
package wrapper
