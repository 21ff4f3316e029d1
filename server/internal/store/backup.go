package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Backup writes a consistent copy of the database to path (which must not
// exist) while the server keeps running: VACUUM INTO reads one snapshot, so
// scans committed during the copy are either wholly in it or not at all.
// The copy is 0600, as the database is: it is made empty with that mode
// first (VACUUM INTO fills an empty file), since SQLite would make it 0644.
// On PostgreSQL it refuses (ErrSQLiteOnly), naming pg_dump: the database
// server's own tools (pg_dump, its replication) back it up, as
// docs/backup.md describes, and the master key is kept apart from it.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return fmt.Errorf("store: backup: 数据库是 PostgreSQL，请用 pg_dump -Fc 备份（见 docs/backup.md）/ "+
			"the database is PostgreSQL: back it up with pg_dump -Fc (see docs/backup.md): %w", ErrSQLiteOnly)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("store: backup: %s already exists", path)
	}
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	if _, err := db.r.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup: %w", err)
	}
	return os.Chmod(path, 0o600)
}
