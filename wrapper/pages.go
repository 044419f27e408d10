package wrapper

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// defaultPageSize is the page size the service uses when the request sets no
// limit.
const defaultPageSize = 500

// DefaultMaxListItems is the most items a list walk (AllEndpoints,
// AllEndpointVpcs, AllResolverRules and their ListAll forms) accepts unless
// WithMaxListItems says otherwise. The service's default quotas are 50
// endpoints of each direction and 50 resolver rules, so a longer list means
// a broken server.
const DefaultMaxListItems = 10000

// ErrBadPaging is matched by the error that ends a list walk when the
// service's paging cannot be trusted: a page that brings no item the walk has
// not seen (a server that ignores offset repeats its first page), or a total
// count above the list cap (see WithMaxListItems).
var ErrBadPaging = errors.New("dnsep: the list's paging cannot be trusted")

// pages walks an offset/limit list from params' offset: it asks for a page,
// yields its items, and moves the offset on by the page's length until a page
// comes back empty or short, or the offset reaches the total the service
// reports. It fails with ErrBadPaging when the total passes maxItems or a
// page brings no new item (by id), so that a broken server cannot make it
// run away. fetch must not keep the pointers it is given.
func pages[T any](op string, maxItems int, limit, offset *int, id func(*T) string, fetch func(limit, offset *int) ([]T, int, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]bool{}
		size := defaultPageSize
		var lim *int // a limit of 0 or less would never advance: use the service's default
		if limit != nil && *limit > 0 {
			size = *limit
			lim = &size
		}
		next := 0
		if offset != nil && *offset > 0 {
			next = *offset
		}
		for {
			at := next
			items, total, err := fetch(lim, &at)
			if err != nil {
				yield(zero, err)
				return
			}
			if total > maxItems {
				yield(zero, fmt.Errorf("dnsep: %s: the service reports %d items, more than the list cap of %d (see WithMaxListItems): %w", op, total, maxItems, ErrBadPaging))
				return
			}
			fresh := 0
			for i := range items {
				if !seen[id(&items[i])] {
					fresh++
				}
			}
			if len(items) > 0 && fresh == 0 {
				yield(zero, fmt.Errorf("dnsep: %s: the page at offset %d brings no new item: the service may ignore offset: %w", op, at, ErrBadPaging))
				return
			}
			for i, it := range items {
				seen[id(&items[i])] = true
				if !yield(it, nil) {
					return
				}
			}
			next += len(items)
			if len(items) == 0 || len(items) < size || next >= total {
				return
			}
		}
	}
}

// collect gathers an iterator's items, stopping at the first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var all []T
	for it, err := range seq {
		if err != nil {
			return all, err
		}
		all = append(all, it)
	}
	return all, nil
}

// AllEndpoints iterates over every endpoint that params selects, page after
// page, starting at params.Offset. The page size is params.Limit, or the
// service's default of 500. params is copied: the caller's value is never
// changed. The iterator stops after yielding an error; it yields one
// matching ErrBadPaging, without asking for more pages, when the service
// reports more than the list cap (DefaultMaxListItems, see
// WithMaxListItems) or sends a page with no endpoint not seen before.
func (c *Client) AllEndpoints(ctx context.Context, params ListEndpointsParams) iter.Seq2[Endpoint, error] {
	return pages(opListEndpoints.name(), c.maxList, params.Limit, params.Offset, func(ep *Endpoint) string { return ep.ID }, func(limit, offset *int) ([]Endpoint, int, error) {
		p := params
		p.Limit, p.Offset = limit, offset
		page, err := c.ListEndpoints(ctx, p)
		if err != nil {
			return nil, 0, err
		}
		return page.Endpoints, page.Metadata.TotalCount, nil
	})
}

// ListAllEndpoints returns every endpoint that params selects (see
// AllEndpoints). On error it returns the endpoints read so far.
func (c *Client) ListAllEndpoints(ctx context.Context, params ListEndpointsParams) ([]Endpoint, error) {
	return collect(c.AllEndpoints(ctx, params))
}

// AllEndpointVpcs iterates over every VPC that params selects, page after
// page, like AllEndpoints.
func (c *Client) AllEndpointVpcs(ctx context.Context, params ListEndpointVpcsParams) iter.Seq2[VPC, error] {
	return pages(opListEndpointVpcs.name(), c.maxList, params.Limit, params.Offset, func(v *VPC) string { return v.ID }, func(limit, offset *int) ([]VPC, int, error) {
		p := params
		p.Limit, p.Offset = limit, offset
		page, err := c.ListEndpointVpcs(ctx, p)
		if err != nil {
			return nil, 0, err
		}
		return page.Vpcs, page.Metadata.TotalCount, nil
	})
}

// ListAllEndpointVpcs returns every VPC that params selects (see
// AllEndpointVpcs). On error it returns the VPCs read so far.
func (c *Client) ListAllEndpointVpcs(ctx context.Context, params ListEndpointVpcsParams) ([]VPC, error) {
	return collect(c.AllEndpointVpcs(ctx, params))
}

// markerPage is one page of a marker walk: its items, the total the service
// reports, and the marker of the next page ("" when the service says there
// is none, or gives no page_info).
type markerPage[T any] struct {
	items []T
	total int
	next  string
	told  bool // the page carried page_info: next is the service's word
}

// markers walks a marker/limit list from params' marker: it asks for a
// page, yields its items, and asks for the page after the marker the service
// gave (page_info.next_marker), or, when it gave no page_info, after the
// page's last item, until a page comes back empty, the service names no
// next page, or a page comes back short without page_info. It has the
// guards of pages, and also stops with ErrBadPaging when it has seen more
// than maxItems items, whatever total the service reports.
func markers[T any](op string, maxItems int, limit *int, marker string, id func(*T) string, fetch func(limit *int, marker string) (markerPage[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]bool{}
		size := defaultPageSize
		var lim *int
		if limit != nil && *limit > 0 {
			size = *limit
			lim = &size
		}
		for {
			page, err := fetch(lim, marker)
			if err != nil {
				yield(zero, err)
				return
			}
			fresh := 0
			for i := range page.items {
				if !seen[id(&page.items[i])] {
					fresh++
				}
			}
			if n := max(page.total, len(seen)+fresh); n > maxItems {
				yield(zero, fmt.Errorf("dnsep: %s: the list holds %d items or more, more than the list cap of %d (see WithMaxListItems): %w", op, n, maxItems, ErrBadPaging))
				return
			}
			if len(page.items) > 0 && fresh == 0 {
				yield(zero, fmt.Errorf("dnsep: %s: the page after marker %q brings no new item: the service may ignore marker: %w", op, marker, ErrBadPaging))
				return
			}
			for i, it := range page.items {
				seen[id(&page.items[i])] = true
				if !yield(it, nil) {
					return
				}
			}
			switch {
			case len(page.items) == 0:
				return
			case page.told:
				marker = page.next
			case len(page.items) < size || len(seen) >= page.total:
				return
			default:
				marker = id(&page.items[len(page.items)-1])
			}
			if marker == "" {
				return
			}
		}
	}
}
