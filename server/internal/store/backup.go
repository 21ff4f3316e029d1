package store

import (
	"context"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the database to path (which must not
// exist) while the server keeps running: VACUUM INTO reads one snapshot, so
// scans committed during the copy are either wholly in it or not at all.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s already exists", path)
	}
	if _, err := db.R.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}
