// Package testkit sets up a real Huiwu back end for tests: a SQLite file in
// t.TempDir() opened through store.Open, the demo event loaded at a chosen
// moment, the signing key, and a running check-in engine.
package testkit

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"huiwu/server/internal/checkin"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/demo"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
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
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := db.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := credentials.Open(ctx, dir, db, func() string { return cat.Event.ID })
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
// its event ready.
func CopyDemo(t testing.TB, dir string, now time.Time) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
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
	db, err := store.Open(context.Background(), dir)
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
