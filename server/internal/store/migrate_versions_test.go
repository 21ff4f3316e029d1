package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"huiwu/server/internal/testkit/pgtest"
)

// emptyConfig is a database with nothing in it: SQLite's missing file, or
// a fresh PostgreSQL database with no schema (a copy of an empty template).
func emptyConfig(t *testing.T) Config {
	t.Helper()
	dir := t.TempDir()
	if !pgtest.Enabled() {
		return Config{Dir: dir}
	}
	return Config{Dir: dir, URL: pgtest.URL(t, dir, "empty", func(context.Context, string) error { return nil })}
}

// setSchemaVersion writes the version as a newer program would have.
func setSchemaVersion(t *testing.T, db *DB, v int) {
	t.Helper()
	q := fmt.Sprintf("PRAGMA user_version = %d", v)
	if db.Dialect() == Postgres {
		q = fmt.Sprintf("UPDATE schema_version SET version = %d WHERE id = 1", v)
	}
	if _, err := db.w.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateReportsVersions: Migrate takes an empty database to this
// program's schema and says so (0 → N), finds nothing to do the second
// time (N → N), and refuses a database a newer program wrote, leaving it
// as it was.
func TestMigrateReportsVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := emptyConfig(t)
	n := SchemaVersion()
	m, err := Migrate(ctx, cfg)
	if err != nil || m != (Migrated{0, n}) {
		t.Fatalf("first migrate: %+v %v; want 0 → %d", m, err, n)
	}
	db, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var events int
	if err := db.r.QueryRow(`SELECT count(*) FROM event`).Scan(&events); err != nil {
		t.Errorf("the migrated database has no event table: %v", err)
	}
	db.Close()
	if m, err := Migrate(ctx, cfg); err != nil || m != (Migrated{n, n}) {
		t.Fatalf("second migrate: %+v %v; want %d → %d", m, err, n, n)
	}

	db, err = Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	setSchemaVersion(t, db, n+1)
	db.Close()
	m, err = Migrate(ctx, cfg)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("migrate of a newer database: %+v %v; want refused", m, err)
	}
	if m.Before != n+1 {
		t.Errorf("refused migrate reports version %d before, want %d", m.Before, n+1)
	}
	if v, err := readSchemaVersion(ctx, cfg); err != nil || v != n+1 {
		t.Errorf("after the refusal the version is %d (%v), want %d left", v, err, n+1)
	}
}

// TestMigrateRefusesAURLOfAnotherKind: a -db that is no PostgreSQL URL is
// refused, without its text (it may hold a password) in the message.
func TestMigrateRefusesAURLOfAnotherKind(t *testing.T) {
	t.Parallel()
	_, err := Migrate(context.Background(), Config{Dir: t.TempDir(), URL: "mysql://u:secret@host/db"})
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("migrate with a mysql URL: %v", err)
	}
}
