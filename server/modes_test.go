package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestDataAndBackupsArePrivate (issue 10.9): a running server's data
// directory is 0700 and its database files and master key 0600, and so
// are a backup's directory and files: they hold phones and ID numbers, and
// the master key opens the signing key sealed in the database.
func TestDataAndBackupsArePrivate(t *testing.T) {
	s := startServer(t)
	var cred struct{ Token string }
	s.call("GET", "/attendees/4/credential", adminToken, nil, &cred)
	if r := s.scan(adminToken, fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":"mode1"}`, cred.Token)); r.Status != "ok" {
		t.Fatalf("scan: %+v", r)
	}
	dest := filepath.Join(t.TempDir(), "backup")
	if err := backup(context.Background(), s.data, dest); err != nil {
		t.Fatal(err)
	}
	check := func(path string, want os.FileMode) {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if m := fi.Mode().Perm(); m != want {
			t.Errorf("%s: %04o, want %04o", path, m, want)
		}
	}
	check(s.data, 0o700)
	for _, f := range []string{"huiwu.db", "huiwu.db-wal", "huiwu.db-shm", "master.key"} {
		check(filepath.Join(s.data, f), 0o600)
	}
	check(dest, 0o700)
	for _, f := range []string{"huiwu.db", "master.key"} {
		check(filepath.Join(dest, f), 0o600)
	}
}
