package store

import (
	"context"
	"database/sql"
	"time"
)

// Audit records that actor did action to subject, for reads that must
// leave a trace (a full phone number or ID number shown at the desk) and
// other single actions outside a larger write.
func (db *DB) Audit(ctx context.Context, actor, action, subject, detail string) error {
	return audit(ctx, db.w, time.Now(), actor, action, subject, detail)
}

// execer is a write connection or a transaction: audit rows are written
// inside the write they describe, so that both are stored or neither.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// audit is the one INSERT of an audit row: every aggregate's write that
// leaves a trace calls it inside its own transaction.
func audit(ctx context.Context, ex execer, at time.Time, actor, action, subject, detail string) error {
	_, err := ex.ExecContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)`,
		FormatTime(at), actor, action, subject, detail)
	return err
}
