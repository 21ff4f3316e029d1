package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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

// flag is a Go bool as the 0 or 1 the schema's INTEGER flags hold:
// PostgreSQL's driver will not put a bool into an integer column, and
// SQLite's stores the same 0 or 1 either way.
func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The database's refusals, told apart on both engines: SQLite names the
// constraint in its message ("UNIQUE constraint failed", extended code 787
// for a foreign key); PostgreSQL's errors carry a SQLSTATE (class 23 is
// integrity constraint violation).

// sqlState is a PostgreSQL error's SQLSTATE, "" for any other error.
func sqlState(err error) string {
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		return coded.SQLState()
	}
	return ""
}

// isUnique reports a unique or primary key violation.
func isUnique(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "UNIQUE constraint failed") || sqlState(err) == "23505")
}

// isForeignKey reports a foreign key violation (SQLite's
// SQLITE_CONSTRAINT_FOREIGNKEY, 787; PostgreSQL's 23503).
func isForeignKey(err error) bool {
	var coded interface{ Code() int }
	return err != nil && ((errors.As(err, &coded) && coded.Code() == 787) || sqlState(err) == "23503")
}

// isCheck reports a CHECK constraint's refusal.
func isCheck(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "CHECK constraint failed") || sqlState(err) == "23514")
}

// isConstraint reports any constraint's refusal.
func isConstraint(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "constraint failed") || strings.HasPrefix(sqlState(err), "23"))
}

// execExpectingRefusal runs one statement whose refusal by a constraint
// the caller handles and then goes on in the same transaction. It runs
// inside a savepoint: PostgreSQL aborts the whole transaction at a failed
// statement unless it is rolled back to a savepoint; SQLite undoes just
// the statement either way.
func execExpectingRefusal(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT expected_refusal"); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT expected_refusal"); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	if _, rerr := tx.ExecContext(ctx, "RELEASE SAVEPOINT expected_refusal"); rerr != nil && err == nil {
		return rerr
	}
	return err
}
