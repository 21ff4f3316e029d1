package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestAccountsMigrationKeepsTokens: a database from before staff accounts
// keeps its token users: each active one's token becomes an API session
// that expires thirty days on, and a revoked one's token works no more.
func TestAccountsMigrationKeepsTokens(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	raw, err := sql.Open("sqlite", dsn(filepath.Join(dir, "huiwu.db"), false))
	if err != nil {
		t.Fatal(err)
	}
	// The database as it was just before staff accounts.
	before := slices.Index(migrations, schemaAccounts)
	for i, m := range migrations[:before] {
		if err := applyMigration(ctx, raw, i+1, m); err != nil {
			t.Fatal(err)
		}
	}
	now := FormatTime(time.Now())
	if _, err := raw.Exec(`INSERT INTO users (id, name, role, token_hash, created_at, revoked_at) VALUES
		(1, '脚本', 'desk', 'live-hash', ?, NULL), (2, '旧', 'admin', 'gone-hash', ?, ?)`, now, now, now); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
