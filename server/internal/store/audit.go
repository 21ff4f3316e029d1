package store

import (
	"context"
	"time"
)

// Audit records that actor did action to subject, for reads that must
// leave a trace (a full phone number or ID number shown at the desk) and
// other single actions outside a larger write.
func (db *DB) Audit(ctx context.Context, actor, action, subject, detail string) error {
	_, err := db.W.ExecContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)`,
		FormatTime(time.Now()), actor, action, subject, detail)
	return err
}
