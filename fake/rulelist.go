package fake

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/dnsep/dnsep/gen"
)

type listURLKey struct{}

// keepListURL hands ListResolverRules the URL it was called with, from
// which it builds its links; the strict server gives handlers only the
// parsed parameters. The other operations pass through untouched.
func keepListURL(next gen.StrictHandlerFunc, operationID string) gen.StrictHandlerFunc {
	if operationID != "ListResolverRules" {
		return next
	}
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, req any) (any, error) {
		u := *r.URL
		u.Scheme, u.Host = "http", r.Host
		if r.TLS != nil {
			u.Scheme = "https"
		}
		return next(context.WithValue(ctx, listURLKey{}, &u), w, r, req)
	}
}

// ListResolverRules implements GET /v2.1/resolverrules: the rules that are
// not deleted, filtered by exact match (a domain name with or without its
// trailing dot), ordered by creation time then ID, one page at a time. A
// non-empty marker starts the page after the rule it names (400 DNS.0007 if
// it names no listed rule) and overrides offset. page_info and links.next
// tell the next page when more rules remain.
func (s *Server) ListResolverRules(ctx context.Context, req gen.ListResolverRulesRequestObject) (gen.ListResolverRulesResponseObject, error) {
	p := req.Params
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	var matches []*rule
	for _, r := range s.st.rules {
		if r.live() && matchRule(r, p) {
			matches = append(matches, r)
		}
	}
	slices.SortStableFunc(matches, func(a, b *rule) int {
		return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.id, b.id))
	})

	start := 0
	if p.Offset != nil {
		start = max(*p.Offset, 0) // for a caller that bypasses the validator
	}
	if p.Marker != nil && *p.Marker != "" {
		i := slices.IndexFunc(matches, func(r *rule) bool { return r.id == *p.Marker })
		if i < 0 {
			return nil, errBadMarker
		}
		start = i + 1
	}
	n := 500
	if p.Limit != nil && *p.Limit > 0 {
		n = *p.Limit
	}
	start = min(start, len(matches))
	end := min(start+n, len(matches))

	body := gen.ResolverRuleList{
		ResolverRules: make([]gen.ListResolverRuleParam, 0, end-start),
		Metadata:      gen.Metadata{TotalCount: len(matches)},
		PageInfo:      &gen.PageInfo{CurrentCount: end - start},
	}
	for _, r := range matches[start:end] {
		body.ResolverRules = append(body.ResolverRules, r.listed(s.cfg.region))
	}
	if start-n-1 >= 0 {
		body.PageInfo.PreviousMarker = matches[start-n-1].id
	}
	if self, ok := ctx.Value(listURLKey{}).(*url.URL); ok {
		body.Links = &gen.PageLink{Self: self.String()}
		if end < len(matches) {
			body.Links.Next = nextPage(self, matches[end-1].id)
		}
	}
	if end < len(matches) {
		body.PageInfo.NextMarker = matches[end-1].id
	}
	return gen.ListResolverRules200JSONResponse{Body: body}, nil
}

// matchRule reports whether r passes the list's filters.
func matchRule(r *rule, p gen.ListResolverRulesParams) bool {
	switch {
	case p.ID != nil && r.id != *p.ID,
		p.Name != nil && r.name != *p.Name,
		p.EndpointID != nil && r.endpointID != *p.EndpointID,
		p.DomainName != nil && r.domain != fqdn(*p.DomainName):
		return false
	}
	return true
}

// nextPage is self with the marker of the next page in place of any
// marker or offset.
func nextPage(self *url.URL, marker string) string {
	u := *self
	q := u.Query()
	q.Del("offset")
	q.Set("marker", marker)
	u.RawQuery = q.Encode()
	return u.String()
}
