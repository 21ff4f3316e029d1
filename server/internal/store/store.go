// Package store opens Huiwu's database and owns its tables. SQLite in the
// data directory is the default: one write connection beside a pool of
// readers, WAL, synchronous=FULL so that an answered check-in survives
// kill -9 and power loss, foreign keys on. Several servers share one
// PostgreSQL instead (issue 17; dialect.go, pgdriver.go). Both run the
// same numbered migrations and the same SQL, written in SQLite's words.
//
// SQL lives next to the code that uses it; this package owns the schema, the
// connections, the loading of a whole event and the change feed that the live
// hub listens to. Changes are announced after commit, never before.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// DB is an open Huiwu database.
type DB struct {
	// w is the single write connection. Every write goes through it, so
	// SQLite never answers SQLITE_BUSY between our own writers and the
	// check-in engine can serialise decisions without extra locks. On
	// PostgreSQL its transactions also take the writers' advisory lock,
	// which serialises writers across servers (pgdriver.go).
	w *sql.DB
	// r is a pool of read-only connections that see committed data (WAL
	// lets readers run beside the writer; on PostgreSQL each read
	// transaction is one snapshot).
	r *sql.DB

	// path is the SQLite database file. On PostgreSQL it is where such a
	// file would be ("" without a data directory).
	path    string
	dialect string
	// imports is the import lock (import_lock.go): a file lock beside
	// SQLite's database, an advisory lock in PostgreSQL.
	imports importLock

	// feed hands committed changes to listeners and followers (changes.go).
	feed feed

	// chunkRows bounds an import's chunk (import.go): maxChunk, or fewer
	// where a test wants to catch an import between two chunks.
	chunkRows int
}

// The dialects Dialect answers.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Config says which database to open.
type Config struct {
	// Dir is the data directory. It holds SQLite's database file, and on
	// either database the files that are not in it.
	Dir string
	// URL selects the database: "" is SQLite in Dir; a postgres:// or
	// postgresql:// URL is PostgreSQL, shared by every server given it.
	URL string
}

// Open opens (creating if needed) the database cfg names and migrates it.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	switch {
	case cfg.URL == "":
		return openSQLite(ctx, cfg.Dir)
	case strings.HasPrefix(cfg.URL, "postgres://"), strings.HasPrefix(cfg.URL, "postgresql://"):
		return openPostgres(ctx, cfg)
	default:
		// Not the URL itself: it may hold a password.
		return nil, errors.New("store: the database URL must start with postgres:// or postgresql:// (none: SQLite in the data directory)")
	}
}

// openSQLite opens the database in dir. The directory is made 0700 and
// the files in it 0600 (see private).
func openSQLite(ctx context.Context, dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data directory: %w", err)
	}
	path := filepath.Join(dir, "huiwu.db")
	if err := private(dir, path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := migrate(ctx, w, SQLite); err != nil {
		w.Close()
		return nil, err
	}
	// Before anything reads it: an import a crash cut short is undone.
	if err := recoverImports(ctx, w, fileImportLock{path}); err != nil {
		w.Close()
		return nil, err
	}
	if err := refreshSearchKeys(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open readers: %w", err)
	}
	r.SetMaxOpenConns(readers())
	r.SetMaxIdleConns(readers())
	db := newDB(w, r, path, SQLite)
	db.imports = fileImportLock{path}
	return db, nil
}

// readers is the size of the read pool.
func readers() int { return max(4, runtime.GOMAXPROCS(0)*2) }

func newDB(w, r *sql.DB, path, dialect string) *DB {
	db := &DB{w: w, r: r, path: path, dialect: dialect}
	db.feed.handled.L = &db.feed.mu
	return db
}

// private makes the data directory 0700 and every file in it 0600 (the
// database and its WAL and shared-memory files, the signing key): they
// hold phones and ID numbers. A directory that already existed keeps its
// mode through MkdirAll, hence the chmod, and the log says when it was
// wider. The database file is created here, 0600, before SQLite opens it:
// SQLite creates a missing database 0644 (less the umask), and its -wal
// and -shm files take the database file's mode when they appear.
func private(dir, db string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("store: data directory: %w", err)
	}
	if m := fi.Mode().Perm(); m != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("store: make the data directory private (chmod 700 %s): %w", dir, err)
		}
		if m&0o077 != 0 {
			slog.Warn("the data directory was open to others; it is now 0700", "dir", dir, "was", fmt.Sprintf("%04o", m))
		}
	}
	f, err := os.OpenFile(db, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: create %s: %w", db, err)
	}
	f.Close()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("store: data directory: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // gone meanwhile
		}
		if m := fi.Mode().Perm(); m&0o077 != 0 {
			p := filepath.Join(dir, e.Name())
			if err := os.Chmod(p, 0o600); err != nil {
				return fmt.Errorf("store: make %s private: %w", p, err)
			}
			slog.Warn("a file in the data directory was open to others; it is now 0600", "file", p, "was", fmt.Sprintf("%04o", m))
		}
	}
	return nil
}

// dsn builds the connection string. busy_timeout comes first so that it is
// in force while the other pragmas run.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_txlock", "immediate")
	if readOnly {
		q.Add("mode", "ro")
		q.Set("_txlock", "deferred")
	}
	return "file:" + path + "?" + q.Encode()
}

// Path is the SQLite database file's path; "" on PostgreSQL.
func (db *DB) Path() string {
	if db.dialect != SQLite {
		return ""
	}
	return db.path
}

// Dialect answers which database this is: SQLite ("sqlite") or Postgres
// ("postgres").
func (db *DB) Dialect() string { return db.dialect }

// Close stops the change feed's followers (after the rounds they are in)
// and closes both pools.
func (db *DB) Close() error {
	db.feed.close()
	return errors.Join(db.r.Close(), db.w.Close())
}

// Write runs fn in a write transaction and commits it; on any error nothing
// is stored. The change fn returns is announced after the commit, and Write
// returns once every follower has handled it (see Follow), so that the
// writer's answer shows it: the counts after a leave, the catalog after a
// new definition.
func (db *DB) Write(ctx context.Context, fn func(tx *sql.Tx) (Change, error)) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	ch, err := fn(tx)
	if err != nil {
		return err
	}
	// On PostgreSQL the change goes into the feed between servers in this
	// transaction (feed_pg.go).
	a, err := db.commit(ctx, tx, ch)
	if err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	db.settle(a)
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict. It
// is SQLite's: on PostgreSQL it refuses (ErrSQLiteOnly), the database
// server's own checks (amcheck, its replication) are the operator's.
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	if db.dialect != SQLite {
		return "", fmt.Errorf("store: integrity check: %w", ErrSQLiteOnly)
	}
	var s string
	err := db.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&s)
	return s, err
}
