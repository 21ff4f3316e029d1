package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestLogisticsMigrationKeepsAccounts: the migration that adds the
// logistics role copies users and their sessions (SQLite cannot change a
// CHECK): a signed-in user stays signed in, the sessions still belong to
// their user, and a logistics account can then be made.
func TestLogisticsMigrationKeepsAccounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	raw, err := sql.Open("sqlite", dsn(filepath.Join(dir, "huiwu.db"), false))
	if err != nil {
		t.Fatal(err)
	}
	before := slices.Index(migrations, schemaLogistics)
	for i, m := range migrations[:before] {
		if err := applyMigration(ctx, raw, i+1, m); err != nil {
			t.Fatal(err)
		}
	}
	now, later := FormatTime(time.Now()), FormatTime(time.Now().Add(time.Hour))
	if _, err := raw.Exec(`INSERT INTO users (id, login, name, role, created_at) VALUES (7, 'wangf', '王芳', 'desk', ?)`, now); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO user_sessions (user_id, token_hash, kind, created_at, last_seen_at, expires_at)
		VALUES (7, 'h1', 'browser', ?, ?, ?)`, now, now, later); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err := Open(ctx, Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, u, err := db.SessionByToken(ctx, "h1")
	if err != nil || u.ID != 7 || u.Login != "wangf" || s.Kind != "browser" {
		t.Fatalf("session after the migration: %+v %+v %v", s, u, err)
	}
	if _, err := db.w.Exec(`INSERT INTO users (login, name, role, created_at) VALUES ('zhaol', '赵磊', 'logistics', ?)`, now); err != nil {
		t.Fatalf("a logistics account: %v", err)
	}
	// The foreign key points at the new users table, not at a dropped copy.
	if _, err := db.w.Exec(`INSERT INTO user_sessions (user_id, token_hash, kind, created_at, last_seen_at, expires_at)
		VALUES (999, 'h2', 'api', ?, ?, ?)`, now, now, later); err == nil {
		t.Error("a session of no user was stored: user_sessions lost its foreign key")
	}
	var fkTarget string
	db.r.QueryRow(`SELECT "table" FROM pragma_foreign_key_list('user_sessions')`).Scan(&fkTarget)
	if fkTarget != "users" {
		t.Errorf("user_sessions references %q", fkTarget)
	}
}
