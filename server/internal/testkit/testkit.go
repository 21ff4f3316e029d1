// Package testkit sets up a real Huiwu back end for tests: a SQLite file in
// t.TempDir() opened through store.Open, the demo event loaded at a chosen
// moment, the signing key, and a running check-in engine. With
// HUIWU_TEST_PG set (scripts/pg), the database is a PostgreSQL database of
// the test's own instead (StoreConfig, package pgtest).
package testkit

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"huiwu/server/internal/app"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/demo"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit/pgtest"
)

// Env is a running back end.
type Env struct {
	Dir     string
	DB      *store.DB
	Catalog *store.Catalog
	Creds   *credentials.Service
	Engine  *checkin.Engine
	Event   domain.EventData

	mu  sync.Mutex
	now time.Time
}

// Now is the engine's clock.
func (e *Env) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

// SetNow moves the engine's clock.
func (e *Env) SetNow(t time.Time) {
	e.mu.Lock()
	e.now = t
	e.mu.Unlock()
}

// New loads the demo event generated at now and starts the engine, whose
// clock is e.Now (move it with SetNow).
func New(t testing.TB, now time.Time) *Env {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	ev := demo.Generate(now)
	CopyDemo(t, dir, now)
	db, err := store.Open(ctx, StoreConfig(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := db.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := credentials.Open(ctx, credentials.Config{DataDir: dir, Key: masterKey(db)}, db, func() string { return cat.Event.ID })
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{Dir: dir, DB: db, Catalog: cat, Creds: creds, Event: ev, now: now}
	e.Engine = checkin.New(db, creds.Keyring(), cat)
	e.Engine.SetClock(e.Now)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := e.Engine.Run(ctx); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		db.Close()
	})
	return e
}

// templates holds, per demo event (demo.Key), a database file with the
// demo loaded. Loading takes a tenth of a second (seconds under -race), so
// each test copies the file instead of loading again. The template files
// stay in the system temp directory (about 2 MB each).
var templates = struct {
	sync.Mutex
	files map[string]string
}{files: map[string]string{}}

// CopyDemo puts the demo event generated for now into the data directory
// dir, as `huiwu -demo` would load it there: a server started on dir finds
// its event ready. On PostgreSQL dir's database (StoreConfig) becomes a
// copy of a database the demo was loaded into once per demo.Key.
func CopyDemo(t testing.TB, dir string, now time.Time) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if pgtest.Enabled() {
		pgtest.CopyShared(t, dir, "demo "+demo.Key(now), func(ctx context.Context, url string) error {
			db, err := store.Open(ctx, store.Config{URL: url})
			if err != nil {
				return err
			}
			if _, err := demo.Load(ctx, db, now); err != nil {
				db.Close()
				return err
			}
			return db.Close()
		})
		return
	}
	if err := copyFile(template(t, now), filepath.Join(dir, "huiwu.db")); err != nil {
		t.Fatal(err)
	}
}

func template(t testing.TB, now time.Time) string {
	templates.Lock()
	defer templates.Unlock()
	key := demo.Key(now)
	if f, ok := templates.files[key]; ok {
		return f
	}
	dir, err := os.MkdirTemp("", "huiwu-template-")
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), store.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), db, now); err != nil {
		t.Fatal(err)
	}
	// Closing the last connection folds the WAL into the main file, so the
	// one file is the whole database.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "huiwu.db")
	templates.files[key] = f
	return f
}

// StoreConfig is the store.Config of a test's data directory dir: SQLite
// in dir, or with HUIWU_TEST_PG set a PostgreSQL database of dir's own,
// migrated (a copy of a template migrated once), dropped when t ends.
// Opening dir again, as a test that restarts its store does, opens the
// same database.
func StoreConfig(t testing.TB, dir string) store.Config {
	t.Helper()
	if !pgtest.Enabled() {
		return store.Config{Dir: dir}
	}
	return store.Config{Dir: dir, URL: pgtest.URL(t, dir, "migrated", migrated)}
}

// PGMasterKey is the master key (hex) of the signing key sealed in tests'
// PostgreSQL databases, which start only with one given (on SQLite the
// data directory keeps its own, as a server's does).
const PGMasterKey = "74657374206d6173746572206b657920666f7220687569777520746573747321"

// masterKey is the master key a test hands credentials.Open for db.
func masterKey(db *store.DB) string {
	if db.Dialect() == store.Postgres {
		return PGMasterKey
	}
	return ""
}

// onDB completes the app.Config of a test server on cfg.DataDir with its
// database: nothing to add on SQLite; on PostgreSQL the data directory's
// database (StoreConfig) and the tests' master key.
func onDB(t testing.TB, cfg app.Config) app.Config {
	t.Helper()
	if sc := StoreConfig(t, cfg.DataDir); sc.URL != "" {
		cfg.DBURL, cfg.MasterKey = sc.URL, PGMasterKey
	}
	return cfg
}

// migrated fills a template database with the schema.
func migrated(ctx context.Context, url string) error {
	db, err := store.Open(ctx, store.Config{URL: url})
	if err != nil {
		return err
	}
	return db.Close()
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}

// Token returns the attendee's live credential token.
func (e *Env) Token(t testing.TB, attendee int64) string {
	t.Helper()
	c, err := e.Creds.Current(context.Background(), attendee)
	if err != nil {
		t.Fatal(err)
	}
	return c.Token
}

// AttendeeID finds an attendee's row id by the demo key.
func (e *Env) AttendeeID(t testing.TB, key string) int64 {
	t.Helper()
	id, err := e.DB.AttendeeIDByKey(context.Background(), key)
	if err != nil {
		t.Fatalf("attendee %s: %v", key, err)
	}
	return id
}

// Session is the catalog entry of a session.
func (e *Env) Session(t testing.TB, id string) *store.Session {
	t.Helper()
	s, ok := e.Catalog.Sessions[id]
	if !ok {
		t.Fatalf("no session %s", id)
	}
	return s
}
