package wrapper

import (
	"context"
	"iter"
)

// AllResolverRules iterates over every resolver rule that params selects,
// page after page. The page size is params.Limit, or the service's default
// of 500. params is copied: the caller's value is never changed.
//
// The caller chooses how to page: with params.Marker nil, by offset, from
// params.Offset, as AllEndpoints does; with params.Marker set, by marker,
// starting after the rule it names ("" for the first page), each next page
// starting at the service's page_info.next_marker, or, when the service
// gives none, after the last rule seen. Offset is then left out.
//
// The iterator stops after yielding an error; it yields one matching
// ErrBadPaging, without asking for more pages, when the list passes the list
// cap (DefaultMaxListItems, see WithMaxListItems) or a page brings no rule
// not seen before.
func (c *Client) AllResolverRules(ctx context.Context, params ListResolverRulesParams) iter.Seq2[ListedResolverRule, error] {
	id := func(r *ListedResolverRule) string { return r.ID }
	if params.Marker != nil {
		return markers(opListResolverRules.name(), c.maxList, params.Limit, *params.Marker, id, func(limit *int, marker string) (markerPage[ListedResolverRule], error) {
			p := params
			p.Limit, p.Offset, p.Marker = limit, nil, nil
			if marker != "" {
				p.Marker = &marker
			}
			page, err := c.ListResolverRules(ctx, p)
			if err != nil {
				return markerPage[ListedResolverRule]{}, err
			}
			mp := markerPage[ListedResolverRule]{items: page.ResolverRules, total: page.Metadata.TotalCount}
			if page.PageInfo != nil {
				mp.next, mp.told = page.PageInfo.NextMarker, true
			}
			return mp, nil
		})
	}
	return pages(opListResolverRules.name(), c.maxList, params.Limit, params.Offset, id, func(limit, offset *int) ([]ListedResolverRule, int, error) {
		p := params
		p.Limit, p.Offset = limit, offset
		page, err := c.ListResolverRules(ctx, p)
		if err != nil {
			return nil, 0, err
		}
		return page.ResolverRules, page.Metadata.TotalCount, nil
	})
}

// ListAllResolverRules returns every resolver rule that params selects (see
// AllResolverRules). On error it returns the rules read so far.
func (c *Client) ListAllResolverRules(ctx context.Context, params ListResolverRulesParams) ([]ListedResolverRule, error) {
	return collect(c.AllResolverRules(ctx, params))
}
