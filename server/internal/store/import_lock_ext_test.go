package store_test

import (
	"context"
	"errors"
	"testing"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
	"huiwu/server/internal/testkit/pgtest"
)

// TestImportLosingItsLockUndoesItself: a chunked import on PostgreSQL whose
// lock goes away under it (its session ends, as when its connection
// breaks, and another server could now take the lock and undo it) stores
// no further chunk: it fails, says why, and undoes what it stored.
func TestImportLosingItsLockUndoesItself(t *testing.T) {
	t.Parallel()
	if !pgtest.Enabled() {
		t.Skip("PostgreSQL only: set HUIWU_TEST_PG (scripts/pg start DIR)")
	}
	env := testkit.New(t, importNow)
	defer store.SetImportChunkRows(env.DB, 40)()
	before := state(t, env.DB.ForTest().R)
	cut := false
	err := midway(t, context.Background(), env.DB, lateList(env.Event, 400), func(seen int) {
		if seen < 0 {
			return
		}
		var ended int
		if err := env.DB.ForTest().W.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_locks
			WHERE locktype = 'advisory' AND classid = ? AND objid = ? AND objsubid = 1 AND granted
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, // not the tests' beside
			store.ImportLockKey>>32, store.ImportLockKey&0xffff_ffff).Scan(&ended); err != nil || ended != 1 {
			t.Errorf("ended %d sessions holding the import lock (%v), want 1", ended, err)
		}
		cut = true
	})
	if err == nil && !cut {
		t.Skip("the import finished before its lock could be taken away")
	}
	if err == nil {
		t.Fatal("the import went on storing after its lock was taken away")
	}
	if !errors.Is(err, store.ErrImportLockLost) {
		t.Fatalf("import: %v, want ErrImportLockLost", err)
	}
	sameState(t, "after an import lost its lock", before, state(t, env.DB.ForTest().R))
}
