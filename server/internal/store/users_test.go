package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// openBefore makes a database in dir as it was just before migration
// ddl, opened raw (without the later migrations).
func openBefore(t *testing.T, dir, ddl string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", dsn(filepath.Join(dir, "huiwu.db"), false))
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range migrations[:slices.Index(migrations, ddl)] {
		if err := applyMigration(context.Background(), raw, i+1, m); err != nil {
			t.Fatal(err)
		}
	}
	return raw
}

// migrated closes raw and opens dir as the program does, applying the
// migrations raw lacks.
func migrated(t *testing.T, raw *sql.DB, dir string) *DB {
	t.Helper()
	raw.Close()
	db, err := Open(context.Background(), Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestAccountsMigrationKeepsTokens: a database from before staff accounts
// keeps its token users: each active one's token becomes an API session
// that expires thirty days on, and a revoked one's token works no more.
func TestAccountsMigrationKeepsTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	// The database as it was just before staff accounts.
	raw := openBefore(t, dir, schemaAccounts)
	now := FormatTime(time.Now())
	if _, err := raw.Exec(`INSERT INTO users (id, name, role, token_hash, created_at, revoked_at) VALUES
		(1, '脚本', 'desk', 'live-hash', ?, NULL), (2, '旧', 'admin', 'gone-hash', ?, ?)`, now, now, now); err != nil {
		t.Fatal(err)
	}
	db := migrated(t, raw, dir)
	s, u, err := db.SessionByToken(ctx, "live-hash")
	if err != nil || u.Name != "脚本" || u.Role != "desk" || s.Kind != "api" {
		t.Fatalf("migrated token: %+v %+v %v", s, u, err)
	}
	if d := time.Until(s.ExpiresAt); d < 29*24*time.Hour || d > 31*24*time.Hour {
		t.Errorf("migrated token expires at %v", s.ExpiresAt)
	}
	if _, _, err := db.SessionByToken(ctx, "gone-hash"); err != ErrNotFound {
		t.Errorf("a revoked user's token: %v", err)
	}
	if has, _ := db.HasAdmin(ctx); has {
		t.Error("a token-only admin counts as an admin who can sign in")
	}
}

// TestAbsentFromMigration: sessions stored before the 缺席 rule existed
// count 缺席 from the start, as they always did.
func TestAbsentFromMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	raw := openBefore(t, dir, schemaAbsentFrom)
	if _, err := raw.Exec(`INSERT INTO event (id, name, timezone, starts_on, created_at) VALUES ('e', '会', 'Asia/Shanghai', '2026-03-05', '2026-03-01T00:00:00.000Z');
		INSERT INTO venues (id, code, name, kind) VALUES (1, 'r1', '一号会议室', 'room');
		INSERT INTO sessions (id, name, kind, venue_id, opens_at, starts_at, ends_at, closes_at)
		VALUES ('g1', '分组讨论', 'group', 1, '2026-03-05T06:00:00.000000Z', '2026-03-05T06:30:00.000000Z', '2026-03-05T09:00:00.000000Z', '2026-03-05T09:30:00.000000Z')`); err != nil {
		t.Fatal(err)
	}
	db := migrated(t, raw, dir)
	cat, err := db.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s := cat.Sessions["g1"]; s == nil || s.AbsentFrom != "start" || !s.AbsentAt().Equal(s.StartsAt) {
		t.Fatalf("migrated session %+v", s)
	}
	if _, err := db.w.Exec(`UPDATE sessions SET absent_from = 'end'`); err == nil {
		t.Error("the database took a rule it does not know")
	}
}
