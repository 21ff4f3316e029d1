package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// ErrSQLiteOnly is what an operation that exists only for SQLite's file
// answers on PostgreSQL: the integrity check, the file backup (PostgreSQL
// is backed up with its own tools, pg_dump or its replication).
var ErrSQLiteOnly = errors.New("SQLite only: on PostgreSQL use the database server's own tools / 仅适用于 SQLite：PostgreSQL 请使用其自带工具")

// openPostgres opens the PostgreSQL database at cfg.URL through the
// wrapping driver (pgdriver.go) and migrates it.
//
// What SQLite does with files is done differently or not at all here:
//   - the data directory is made (0700) but the database has no file in
//     it, so private's tightening of the database files is skipped;
//   - the import lock is an advisory lock in the database, which every
//     server sees (import_lock.go): an import cut short is undone at open,
//     as on SQLite, and one another server is running is left to it.
func openPostgres(ctx context.Context, cfg Config) (*DB, error) {
	path := ""
	if cfg.Dir != "" {
		if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create data directory: %w", err)
		}
		path = filepath.Join(cfg.Dir, "huiwu.db")
	}
	w, err := sql.Open(pgDriverName, poolURL(cfg.URL, "write"))
	if err != nil {
		return nil, fmt.Errorf("store: open PostgreSQL: %w", err)
	}
	// One write connection, as on SQLite: the check-in engine and Write
	// take turns on it in this process, and the advisory lock makes the
	// other servers' writers wait their turn.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: connect to PostgreSQL: %w", err)
	}
	if err := migrate(ctx, w, Postgres); err != nil {
		w.Close()
		return nil, err
	}
	if err := recoverImports(ctx, w, pgImportLock{cfg.URL}); err != nil {
		w.Close()
		return nil, err
	}
	if err := refreshSearchKeys(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open(pgDriverName, poolURL(cfg.URL, "read"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open PostgreSQL readers: %w", err)
	}
	r.SetMaxOpenConns(readers())
	r.SetMaxIdleConns(readers())
	db := newDB(w, r, path, Postgres)
	db.imports = pgImportLock{cfg.URL}
	if err := db.openFeed(ctx, cfg.URL); err != nil { // the feed between servers (feed_pg.go)
		db.Close()
		return nil, err
	}
	return db, nil
}

// poolURL marks the URL with the pool its connections serve (the driver
// takes the mark off again). A URL that does not parse is passed on as it
// is, for the driver to refuse.
func poolURL(raw, pool string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set(poolParam, pool)
	u.RawQuery = q.Encode()
	return u.String()
}
