package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dnsep/dnsep/wrapper"
)

// errNoSuchName is the error of a name that no endpoint or rule has: exit
// code 3, like the service's 404 for an unknown ID.
var errNoSuchName = errors.New("no such name")

// nameError is a name that nothing has; it matches errNoSuchName.
type nameError struct{ kind, name string }

func (e nameError) Error() string { return fmt.Sprintf("no %s is named %q", e.kind, e.name) }
func (e nameError) Unwrap() error { return errNoSuchName }

// looksLikeID reports whether s is to be used as an ID: it has the shape
// of the service's endpoint, address and rule IDs (32 lowercase
// hexadecimal characters), or it cannot be a name, so that the client's
// own checks of IDs (such as "..") still apply. Any other value is a name
// to look up.
func looksLikeID(s string) bool {
	if !validName(s) || s == "." || s == ".." {
		return true
	}
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// resolveEndpoint returns the ID of the endpoint that arg names: arg itself if
// it is an ID, else the ID of the one endpoint, of either direction, with
// exactly that name. No match is errNoSuchName; several are a usage error
// that lists them.
func resolveEndpoint(ctx context.Context, c *wrapper.Client, arg string) (string, error) {
	if looksLikeID(arg) {
		return arg, nil
	}
	var found []string
	for _, d := range []wrapper.Direction{wrapper.Inbound, wrapper.Outbound} {
		// The service's name filter may match more than the exact name:
		// compare again here.
		eps, err := c.ListAllEndpoints(ctx, wrapper.ListEndpointsParams{Direction: d, Name: &arg})
		if err != nil {
			return "", err
		}
		for _, ep := range eps {
			if ep.Name == arg {
				found = append(found, ep.ID+" ("+string(ep.Direction)+")")
			}
		}
	}
	return pick("endpoint", arg, found)
}

// resolveRule is resolveEndpoint for resolver rules.
func resolveRule(ctx context.Context, c *wrapper.Client, arg string) (string, error) {
	if looksLikeID(arg) {
		return arg, nil
	}
	rules, err := c.ListAllResolverRules(ctx, wrapper.ListResolverRulesParams{Name: &arg})
	if err != nil {
		return "", err
	}
	var found []string
	for _, r := range rules {
		if r.Name == arg {
			found = append(found, r.ID+" ("+r.DomainName+")")
		}
	}
	return pick("resolver rule", arg, found)
}

// pick returns the ID of the one match, each match being "ID (detail)".
func pick(kind, name string, found []string) (string, error) {
	switch len(found) {
	case 0:
		return "", nameError{kind, name}
	case 1:
		id, _, _ := strings.Cut(found[0], " ")
		return id, nil
	}
	return "", usagef("%d %ss are named %q: give the ID of one of them:\n  %s", len(found), kind, name, strings.Join(found, "\n  "))
}
