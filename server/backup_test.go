package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestBackupWhileRunningAndRestore: a backup taken while the server scans
// restores into a working server with the same people, scans and signing
// key (printed badges keep working).
func TestBackupWhileRunningAndRestore(t *testing.T) {
	s := startServer(t)
	var cred struct{ Token string }
	s.call("GET", "/attendees/4/credential", adminToken, nil, &cred)
	if r := s.scan(adminToken, fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":"bk1"}`, cred.Token)); r.Status != "ok" {
		t.Fatalf("scan: %+v", r)
	}
	dest := filepath.Join(t.TempDir(), "backup")
	if err := backup(context.Background(), s.data, dest); err != nil {
		t.Fatal(err)
	}
	if err := backup(context.Background(), s.data, dest); err == nil {
		t.Error("a backup overwrote an existing one")
	}
	restored := t.TempDir()
	for _, f := range []string{"huiwu.db", "signing.key"} {
		b, err := os.ReadFile(filepath.Join(dest, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(restored, f), b, 0o600)
	}
	r := startServerOn(t, restored)
	var att struct{ Present int }
	r.call("GET", "/sessions/opening/attendance", adminToken, nil, &att)
	if att.Present != 1 {
		t.Errorf("restored server: present %d, want 1", att.Present)
	}
	if res := r.scan(adminToken, fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":"bk2"}`, cred.Token)); res.Status != "already" {
		t.Errorf("the old badge on the restored server: %+v", res)
	}
}
