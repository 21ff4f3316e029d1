package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit/pgtest"
)

// TestMigrateCommand: `huiwu migrate` takes an empty database (SQLite, or
// with HUIWU_TEST_PG a PostgreSQL database with nothing in it) to this
// program's schema and prints both versions; a second run finds nothing
// to do; a database a newer program wrote is refused, exit 1, and left as
// it was; a stray argument is a usage error.
func TestMigrateCommand(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	cfg := store.Config{Dir: data}
	args := []string{"-data", data}
	if pgtest.Enabled() {
		url := pgtest.URL(t, data, "empty", func(context.Context, string) error { return nil })
		cfg = store.Config{URL: url}
		args = []string{"-db", url}
	}
	n := store.SchemaVersion()
	migrate := func(args ...string) (code int, stdout, stderr string) {
		t.Helper()
		var out, errs bytes.Buffer
		code = migrateCommand(args, &out, &errs)
		return code, out.String(), errs.String()
	}

	code, out, errs := migrate(args...)
	if want := fmt.Sprintf("schema version 0 → %d", n); code != 0 || !strings.Contains(out, want) {
		t.Fatalf("first run: exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
	}
	code, out, errs = migrate(args...)
	if want := fmt.Sprintf("at schema version %d already", n); code != 0 || !strings.Contains(out, want) {
		t.Fatalf("second run: exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
	}

	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !pgtest.Enabled() && db.Dialect() != store.SQLite || pgtest.Enabled() && db.Dialect() != store.Postgres {
		t.Fatalf("the command migrated a %s database", db.Dialect())
	}
	newer := fmt.Sprintf("PRAGMA user_version = %d", n+1)
	if db.Dialect() == store.Postgres {
		newer = fmt.Sprintf("UPDATE schema_version SET version = %d WHERE id = 1", n+1)
	}
	if _, err := db.ForTest().W.Exec(newer); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errs = migrate(args...)
	if code != 1 || out != "" || !strings.Contains(errs, fmt.Sprintf("schema version %d is newer", n+1)) {
		t.Fatalf("a newer database: exit %d, stdout %q, stderr %q; want refused", code, out, errs)
	}
	if _, err := store.Open(ctx, cfg); err == nil {
		t.Error("the refused database opens: its newer version was not left as it was")
	}

	if code, _, errs := migrate(append(args, "extra")...); code != 2 || !strings.Contains(errs, "usage") {
		t.Errorf("a stray argument: exit %d, stderr %q; want 2 with the usage", code, errs)
	}
}
