package credentials_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"huiwu/badge/credential"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
	"huiwu/server/internal/testkit/pgtest"
)

// TestSharedDatabase: on PostgreSQL (HUIWU_TEST_PG) a server without a
// master key refuses to start, saying why, and stores nothing, not even a
// master.key beside the data; servers given the same key and starting at
// once end with one signing key; a data directory's old signing.key is
// moved into the shared database.
func TestSharedDatabase(t *testing.T) {
	t.Parallel()
	if !pgtest.Enabled() {
		t.Skip("needs PostgreSQL: set " + pgtest.Env + " (scripts/pg start)")
	}
	ctx := context.Background()
	dir := t.TempDir()
	cfg := testkit.StoreConfig(t, dir)
	open := func() *store.DB {
		db, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	dbs := []*store.DB{open(), open()}
	old, _ := credential.GenerateKey(nil)
	os.WriteFile(filepath.Join(dir, "signing.key"), credential.MarshalSigner(old), 0o600)

	_, err := credentials.Open(ctx, credentials.Config{DataDir: dir}, dbs[0], noEvent)
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL") || !strings.Contains(err.Error(), "HUIWU_KEY") {
		t.Fatalf("no master key on PostgreSQL: %v", err)
	}
	if _, err := dbs[0].SigningSecret(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused start stored a key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "master.key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused start made master.key: %v", err)
	}

	keys := credentials.Config{DataDir: dir, Key: testkit.PGMasterKey}
	svcs := make([]*credentials.Service, len(dbs))
	errs := make([]error, len(dbs))
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Go(func() { svcs[i], errs[i] = credentials.Open(ctx, keys, db, noEvent) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if svcs[0].KeyID() != old.KeyID() || svcs[1].KeyID() != old.KeyID() {
		t.Fatalf("the servers sign with %s and %s; the data directory's key was %s", svcs[0].KeyID(), svcs[1].KeyID(), old.KeyID())
	}
	if _, err := os.Stat(filepath.Join(dir, "signing.key.moved")); err != nil {
		t.Errorf("signing.key was not kept as signing.key.moved: %v", err)
	}
	wrong := strings.Repeat("ab", 32)
	if _, err := credentials.Open(ctx, credentials.Config{DataDir: dir, Key: wrong}, dbs[1], noEvent); !errors.Is(err, credentials.ErrWrongMasterKey) {
		t.Errorf("another master key on the shared database: %v", err)
	}
}
