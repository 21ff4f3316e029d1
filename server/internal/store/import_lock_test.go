package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"
)

// seedImportApplying stores an import that stored one new person and no
// more, as a running import has, or one a crash cut short.
func seedImportApplying(t *testing.T, db *DB) {
	t.Helper()
	for _, q := range []string{
		`INSERT INTO categories (code, name) VALUES ('deputy', '代表')`,
		`INSERT INTO imports (id, actor, state, started_at) VALUES (1, 'desk', 'applying', '2026-03-05T08:00:00.000Z')`,
		`INSERT INTO attendees (id, key, name, category, created_at, updated_at) VALUES (1, 'k1', '张三', 'deputy', '', '')`,
		`INSERT INTO import_undo (import_id, seq, entry) VALUES (1, 1, '{"kind":"created","id":1}')`,
	} {
		if _, err := db.w.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
}

// importState answers how many people there are and the import's state.
func importState(t *testing.T, db *DB) (people int, st string) {
	t.Helper()
	if err := db.r.QueryRow(`SELECT (SELECT count(*) FROM attendees), (SELECT state FROM imports)`).Scan(&people, &st); err != nil {
		t.Fatal(err)
	}
	return people, st
}

// TestImportLockIsExclusive: while one holder has the import lock nobody
// else gets it, through the same handle or another; once given back the
// next waiter gets it. On SQLite a file lock, on PostgreSQL an advisory
// lock.
func TestImportLockIsExclusive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := testConfig(t, t.TempDir())
	db, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	held, err := db.imports.lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := newImportLock(cfg).try(ctx); ok || err != nil {
		t.Fatalf("a second holder took the lock: %v %v", ok, err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := db.imports.lock(short); err == nil {
		t.Fatal("lock did not wait for the holder")
	}
	got := make(chan error, 1)
	go func() {
		h, err := newImportLock(cfg).lock(ctx)
		if err == nil {
			h.release()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("the waiter got the lock while it was held (%v)", err)
	case <-time.After(100 * time.Millisecond):
	}
	held.release()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the waiter did not get the lock once it was given back")
	}
}

// TestImportLockAcrossServers: two servers on one PostgreSQL, on different
// machines as far as files go (each its own data directory). An import
// server A is running (the lock held on A's handle, an import applying)
// is not undone when server B opens the database; if A's lock goes (its
// session ends, as when A's machine dies) A's import can store no more,
// and the next open undoes it.
func TestImportLockAcrossServers(t *testing.T) {
	t.Parallel()
	a, cfg := openPG(t)
	ctx := context.Background()
	seedImportApplying(t, a)
	held, err := a.imports.lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer held.release()

	b, err := Open(ctx, Config{Dir: t.TempDir(), URL: cfg.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if people, st := importState(t, b); people != 1 || st != "applying" {
		t.Fatalf("server B's open with A importing: %d people, import %s; want it left alone", people, st)
	}
	if _, ok, err := b.imports.try(ctx); ok || err != nil {
		t.Fatalf("server B took the import lock A holds: %v %v", ok, err)
	}
	if err := a.Write(ctx, func(tx *sql.Tx) (Change, error) { return Change{}, held.check(ctx, tx) }); err != nil {
		t.Fatalf("A's lock, held, fails its check: %v", err)
	}

	// A's session with the lock ends without A giving it back.
	if _, err := b.w.Exec(`SELECT pg_terminate_backend(?)`, held.(*heldAdvisory).pid); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := a.Write(ctx, func(tx *sql.Tx) (Change, error) { return Change{}, held.check(ctx, tx) })
		if errors.Is(err, errImportLockLost) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("A's check after its lock's session ended: %v; want errImportLockLost", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	c, err := Open(ctx, Config{Dir: t.TempDir(), URL: cfg.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if people, st := importState(t, c); people != 0 || st != "undone" {
		t.Errorf("an open after A's lock went: %d people, import %s; want it undone", people, st)
	}
}
