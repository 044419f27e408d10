// Package dnsep is a Go client, an in-memory fake server and a command-line
// tool for the resolver endpoints of the Huawei Cloud DNS API (v2.1): inbound
// and outbound endpoints inside a VPC and the IP addresses bound to them.
//
// The hand-written OpenAPI document in openapi/ is the source of truth. The
// directives below turn it into the typed client and server stubs of package
// gen; run `go generate` (or `make generate`) after every change to the
// document or to a generator config, and commit the result.
//
// Embed the client through package wrapper, which adds authentication, error
// mapping, retries, pagination and waiters on top of the generated code.
package dnsep

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config openapi/oapi-codegen.models.yaml openapi/dns-endpoint.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config openapi/oapi-codegen.client.yaml openapi/dns-endpoint.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config openapi/oapi-codegen.server.yaml openapi/dns-endpoint.yaml
