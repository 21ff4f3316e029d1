package store_test

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"huiwu/server/internal/store"
)

// modeOf answers the permission bits of path.
func modeOf(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// written opens dir, makes a write (so that the WAL and its index exist)
// and checks that the directory is 0700 and every database file 0600.
func written(t *testing.T, dir string) {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ForTest().W.Exec(`CREATE TABLE IF NOT EXISTS mode_probe (x)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ForTest().W.Exec(`INSERT INTO mode_probe VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	if m := modeOf(t, dir); m != 0o700 {
		t.Errorf("data directory %04o, want 0700", m)
	}
	for _, f := range []string{"huiwu.db", "huiwu.db-wal", "huiwu.db-shm"} {
		if m := modeOf(t, filepath.Join(dir, f)); m != 0o600 {
			t.Errorf("%s %04o, want 0600", f, m)
		}
	}
}

// TestDataDirectoryIsPrivate (issue 10.9): the database holds phones and ID
// numbers, so the data directory is 0700 and the database, its WAL and
// shared-memory files 0600 whatever the umask, for a new directory and for
// one that already exists with wider modes (which the log then says).
//
// Not parallel: the umask and the default logger it sets are the
// process's, and the other store tests log through it (CI's race detector
// caught one writing to this test's buffer while it read it).
func TestDataDirectoryIsPrivate(t *testing.T) {
	old := syscallUmask(0o022) // the usual umask, under which SQLite makes 0644 files
	defer syscallUmask(old)

	t.Run("new", func(t *testing.T) {
		written(t, filepath.Join(t.TempDir(), "data"))
	})
	t.Run("existing and wide", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data")
		written(t, dir)
		key := filepath.Join(dir, "signing.key")
		if err := os.WriteFile(key, []byte("key"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"huiwu.db", "signing.key"} {
			os.Chmod(filepath.Join(dir, f), 0o644)
		}
		os.Chmod(dir, 0o755)

		var logged lockedBuffer // a goroutine an earlier test left may still log
		prev := slog.Default()
		slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))
		written(t, dir)
		slog.SetDefault(prev)
		if m := modeOf(t, key); m != 0o600 {
			t.Errorf("signing.key %04o, want 0600", m)
		}
		if !strings.Contains(logged.String(), dir) || !strings.Contains(logged.String(), "0755") {
			t.Errorf("the log does not say the directory was 0755: %q", logged.String())
		}
	})
}

// lockedBuffer is a bytes.Buffer that may be written and read at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
