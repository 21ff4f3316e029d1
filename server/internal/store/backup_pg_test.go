package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupOnPostgresNamesPgDump: the file backup is SQLite's; on
// PostgreSQL it refuses, says to use pg_dump, and writes no file.
func TestBackupOnPostgresNamesPgDump(t *testing.T) {
	t.Parallel()
	db, _ := openPG(t)
	dest := filepath.Join(t.TempDir(), "huiwu.db")
	err := db.Backup(context.Background(), dest)
	if !errors.Is(err, ErrSQLiteOnly) || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup on PostgreSQL: %v; want ErrSQLiteOnly naming pg_dump", err)
	}
	if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused backup left a file: %v", err)
	}
}
