package wrapper

import (
	"context"
	"iter"
)

// defaultPageSize is the page size the service uses when the request sets no
// limit.
const defaultPageSize = 500

// pages walks an offset/limit list from params' offset: it asks for a page,
// yields its items, and moves the offset on by the page's length until a page
// comes back empty or short, or the offset reaches the total the service
// reports. fetch must not keep the pointers it is given.
func pages[T any](limit, offset *int, fetch func(limit, offset *int) ([]T, int, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
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
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
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
// changed. The iterator stops after yielding an error.
func (c *Client) AllEndpoints(ctx context.Context, params ListEndpointsParams) iter.Seq2[Endpoint, error] {
	return pages(params.Limit, params.Offset, func(limit, offset *int) ([]Endpoint, int, error) {
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
	return pages(params.Limit, params.Offset, func(limit, offset *int) ([]VPC, int, error) {
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
