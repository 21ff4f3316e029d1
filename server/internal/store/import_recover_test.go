package store

import (
	"context"
	"testing"
)

// TestRecoveryLeavesALiveImportAlone: opening the database undoes an
// import left applying, unless the import lock is held, as it is by an
// import running in another process (`huiwu import` beside the server,
// or the server beside `huiwu backup`).
func TestRecoveryLeavesALiveImportAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	open := func() *DB {
		t.Helper()
		db, err := Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	state := func(db *DB) (people int, st string) {
		t.Helper()
		if err := db.r.QueryRow(`SELECT (SELECT count(*) FROM attendees), (SELECT state FROM imports)`).Scan(&people, &st); err != nil {
			t.Fatal(err)
		}
		return people, st
	}
	db := open()
	for _, q := range []string{
		`INSERT INTO categories (code, name) VALUES ('deputy', '代表')`,
		// An import that stored one new person, and no more.
		`INSERT INTO imports (id, actor, state, started_at) VALUES (1, 'desk', 'applying', '2026-03-05T08:00:00.000Z')`,
		`INSERT INTO attendees (id, key, name, category, created_at, updated_at) VALUES (1, 'k1', '张三', 'deputy', '', '')`,
		`INSERT INTO import_undo (import_id, seq, entry) VALUES (1, 1, '{"kind":"created","id":1}')`,
	} {
		if _, err := db.w.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()

	held, ok, err := newImportLock(cfg).try(ctx)
	if err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	db = open()
	if people, st := state(db); people != 1 || st != "applying" {
		t.Errorf("with the lock held elsewhere: %d people, import %s; want it left alone", people, st)
	}
	db.Close()
	held.release()

	db = open()
	defer db.Close()
	if people, st := state(db); people != 0 || st != "undone" {
		t.Errorf("after a crash: %d people, import %s; want it undone", people, st)
	}
	var n int
	if err := db.r.QueryRow(`SELECT count(*) FROM audit WHERE action = 'import undone' AND actor = 'desk'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d audit rows for the undone import (%v)", n, err)
	}
}
