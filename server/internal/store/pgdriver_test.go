package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"huiwu/server/internal/testkit/pgtest"
)

func TestDialect(t *testing.T) {
	t.Parallel()
	db, err := Open(context.Background(), Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Dialect() != SQLite || db.Path() == "" {
		t.Fatalf("dialect %q, path %q", db.Dialect(), db.Path())
	}
}

// TestOpenRefusesOtherURLs: a URL that is not PostgreSQL's is refused,
// without quoting it (it may hold a password).
func TestOpenRefusesOtherURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"mysql://root:secret@db/huiwu", "secret", "file:huiwu.db"} {
		_, err := Open(context.Background(), Config{Dir: t.TempDir(), URL: u})
		if err == nil || strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), u) {
			t.Errorf("Open(%q): %v", u, err)
		}
	}
}

func TestPGDialect(t *testing.T) {
	t.Parallel()
	db, _ := openPG(t)
	if db.Dialect() != Postgres || db.Path() != "" {
		t.Fatalf("dialect %q, path %q", db.Dialect(), db.Path())
	}
	if _, err := db.IntegrityCheck(context.Background()); !errors.Is(err, ErrSQLiteOnly) {
		t.Fatalf("integrity check on PostgreSQL: %v", err)
	}
}

// TestPGStatementsRewritten: SQLite's placeholders and its LIKE, which
// ignores case, work as they do on SQLite.
func TestPGStatementsRewritten(t *testing.T) {
	t.Parallel()
	db, _ := openPG(t)
	var s string
	var like, notLike bool
	err := db.r.QueryRow(`SELECT ?2 || '?' || ?1 || ?, 'Zhang San' LIKE ?, 'Zhang' NOT LIKE 'z%' -- ?`, "a", "b", "c", "zhang%").
		Scan(&s, &like, &notLike)
	if err != nil {
		t.Fatal(err)
	}
	if s != "b?ac" || !like || notLike {
		t.Fatalf("got %q, %v, %v", s, like, notLike)
	}
}

// TestPGReadersSeeOneSnapshot: a read transaction is REPEATABLE READ READ
// ONLY, and the read pool refuses writes outside one too.
func TestPGReadersSeeOneSnapshot(t *testing.T) {
	t.Parallel()
	db, _ := openPG(t)
	ctx := context.Background()
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var iso, ro string
	if err := tx.QueryRow(`SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')`).Scan(&iso, &ro); err != nil {
		t.Fatal(err)
	}
	if iso != "repeatable read" || ro != "on" {
		t.Fatalf("read transaction: %s, read only %s", iso, ro)
	}
	var before int
	if err := tx.QueryRow(`SELECT count(*) FROM audit`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if err := db.Audit(ctx, "test", "probe", "", ""); err != nil {
		t.Fatal(err)
	}
	var after int
	if err := tx.QueryRow(`SELECT count(*) FROM audit`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("the snapshot moved: %d then %d rows", before, after)
	}
	if _, err := db.r.Exec(`DELETE FROM audit`); err == nil {
		t.Fatal("the read pool wrote")
	}
}

// TestPGOneWriterAcrossServers: two stores on one database (two servers)
// write one at a time. While the first holds a write transaction, the
// second's transaction and its statement outside one both wait; they go
// on when the first commits.
func TestPGOneWriterAcrossServers(t *testing.T) {
	t.Parallel()
	a, cfg := openPG(t)
	ctx := context.Background()
	b, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	tx, err := a.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	done := make(chan string, 2)
	go func() {
		tx, err := b.w.BeginTx(ctx, nil)
		if err != nil {
			t.Error(err)
			done <- "b's transaction"
			return
		}
		defer tx.Rollback()
		if _, err := tx.Exec(`INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, 'b', 'inside', '', '')`, FormatTime(time.Now())); err != nil {
			t.Error(err)
		}
		if err := tx.Commit(); err != nil {
			t.Error(err)
		}
		done <- "b's transaction"
		// Outside a transaction: it gets one of its own, under the lock.
		if _, err := b.w.Exec(`INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, 'b', 'outside', '', '')`, FormatTime(time.Now())); err != nil {
			t.Error(err)
		}
		done <- "b's statement"
	}()
	select {
	case w := <-done:
		t.Fatalf("%s went on while a held the writers' lock", w)
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := tx.Exec(`INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, 'a', 'inside', '', '')`, FormatTime(time.Now())); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("b still waits after a committed")
		}
	}
	// a holds the lock again: b's statement outside a transaction waits.
	tx, err = a.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if _, err := b.w.Exec(`DELETE FROM audit WHERE action = 'outside'`); err != nil {
			t.Error(err)
		}
		done <- "b's delete"
	}()
	select {
	case w := <-done:
		t.Fatalf("%s went on while a held the writers' lock", w)
	case <-time.After(300 * time.Millisecond):
	}
	var order []string
	rows, err := tx.Query(`SELECT actor || ' ' || action FROM audit WHERE action IN ('inside', 'outside') ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		order = append(order, s)
	}
	rows.Close()
	if got := strings.Join(order, ", "); got != "a inside, b inside, b outside" {
		t.Fatalf("writes in the order %s, want a's, then b's", got)
	}
	tx.Commit()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("b's delete still waits after a committed")
	}
}

// emptyPG answers the Config of an empty PostgreSQL database (no schema).
func emptyPG(t *testing.T) Config {
	t.Helper()
	if !pgtest.Enabled() {
		t.Skip("PostgreSQL only: set HUIWU_TEST_PG (scripts/pg start DIR)")
	}
	dir := t.TempDir()
	return Config{Dir: dir, URL: pgtest.URL(t, dir, "empty", func(context.Context, string) error { return nil })}
}

// TestPGServersMigrateOnce: servers that start together on an empty
// database migrate it once between them.
func TestPGServersMigrateOnce(t *testing.T) {
	t.Parallel()
	cfg := emptyPG(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			db, err := Open(ctx, cfg)
			if err != nil {
				t.Error(err)
				return
			}
			db.Close()
		})
	}
	wg.Wait()
	db, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version, rows int
	if err := db.r.QueryRow(`SELECT max(version), count(*) FROM schema_version`).Scan(&version, &rows); err != nil {
		t.Fatal(err)
	}
	if version != len(migrations) || rows != 1 {
		t.Fatalf("schema_version: version %d in %d rows, want %d in 1", version, rows, len(migrations))
	}
}

// TestPGRefusesNewerDatabase: a database a newer huiwu migrated is left
// alone.
func TestPGRefusesNewerDatabase(t *testing.T) {
	t.Parallel()
	db, cfg := openPG(t)
	if _, err := db.w.Exec(`UPDATE schema_version SET version = ?`, len(migrations)+1); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("opening a newer database: %v", err)
	}
}
