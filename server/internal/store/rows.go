package store

import (
	"context"
	"fmt"
)

// readMap reads a query of two columns, key and value, into a map: what
// many look-ups (aliases to stations, attendees to phones) read before
// they write.
func readMap[K comparable, V any](ctx context.Context, q querier, what, query string, args ...any) (map[K]V, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	out := map[K]V{}
	for rows.Next() {
		var k K
		var v V
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

// readAll reads every row of a query with scan, in order; an empty result
// is an empty slice, not nil (it answers JSON as []).
func readAll[T any](ctx context.Context, q querier, what string, scan func(interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
