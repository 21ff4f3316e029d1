package store

import (
	"context"
	"testing"

	"huiwu/server/internal/testkit/pgtest"
)

// testConfig is testkit.StoreConfig for the store's own (package store)
// tests, which cannot import testkit (it imports the store): SQLite in
// dir, or with HUIWU_TEST_PG set dir's own PostgreSQL database, a copy of
// a template migrated once. It shares testkit's template: the test binary
// holds one pgtest.
func testConfig(t testing.TB, dir string) Config {
	t.Helper()
	if !pgtest.Enabled() {
		return Config{Dir: dir}
	}
	return Config{Dir: dir, URL: pgtest.URL(t, dir, "migrated", func(ctx context.Context, url string) error {
		db, err := Open(ctx, Config{URL: url})
		if err != nil {
			return err
		}
		return db.Close()
	})}
}

// openPG opens a fresh migrated PostgreSQL database for a test of the
// PostgreSQL side alone, and answers its Config too (to open it again,
// as a second server would); without HUIWU_TEST_PG the test is skipped.
func openPG(t *testing.T) (*DB, Config) {
	t.Helper()
	if !pgtest.Enabled() {
		t.Skip("PostgreSQL only: set HUIWU_TEST_PG (scripts/pg start DIR)")
	}
	cfg := testConfig(t, t.TempDir())
	db, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, cfg
}
