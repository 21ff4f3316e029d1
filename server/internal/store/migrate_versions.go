package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// SchemaVersion is the schema version this program migrates databases to:
// the number of its migrations.
func SchemaVersion() int { return len(migrations) }

// Migrated says what Migrate did: the database's schema version before
// and after. Before is 0 for a database that was empty (or, on SQLite, a
// file that did not exist).
type Migrated struct {
	Before, After int
}

// Migrate opens the database cfg names as a server would, which migrates
// it to this program's schema (and, as every open does, undoes an import a
// crash cut short and refreshes search keys), and closes it again. It is
// `huiwu migrate`: run once before several servers start on a new
// PostgreSQL, or after an upgrade, so that none of them starts by
// migrating. A database newer than this program is refused before
// anything is opened for writing.
func Migrate(ctx context.Context, cfg Config) (Migrated, error) {
	before, err := readSchemaVersion(ctx, cfg)
	if err != nil {
		return Migrated{}, err
	}
	if err := newer(before); err != nil {
		return Migrated{Before: before}, err
	}
	db, err := Open(ctx, cfg)
	if err != nil {
		return Migrated{Before: before}, err
	}
	if err := db.Close(); err != nil {
		return Migrated{Before: before}, fmt.Errorf("store: close: %w", err)
	}
	after, err := readSchemaVersion(ctx, cfg)
	return Migrated{Before: before, After: after}, err
}

// readSchemaVersion reads the schema version of the database cfg names,
// changing nothing: a read-only connection, and a missing SQLite file or
// PostgreSQL's missing schema_version table is version 0.
func readSchemaVersion(ctx context.Context, cfg Config) (int, error) {
	if cfg.URL != "" {
		return readPostgresVersion(ctx, cfg.URL)
	}
	path := filepath.Join(cfg.Dir, "huiwu.db")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return 0, fmt.Errorf("store: open %s: %w", path, err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}

func readPostgresVersion(ctx context.Context, url string) (int, error) {
	if !strings.HasPrefix(url, "postgres://") && !strings.HasPrefix(url, "postgresql://") {
		// As Open refuses it; not the URL itself: it may hold a password.
		return 0, errors.New("store: the database URL must start with postgres:// or postgresql:// (none: SQLite in the data directory)")
	}
	db, err := sql.Open(pgDriverName, poolURL(url, "read"))
	if err != nil {
		return 0, fmt.Errorf("store: open PostgreSQL: %w", err)
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('schema_version') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, fmt.Errorf("store: connect to PostgreSQL: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	err = db.QueryRowContext(ctx, `SELECT version FROM schema_version WHERE id = 1`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}
