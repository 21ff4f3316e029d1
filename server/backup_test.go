package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// TestBackupWhileRunningAndRestore: a backup taken while the server scans
// restores into a working server with the same people, scans and signing
// key (printed badges keep working). The backup holds the database, with
// the signing key sealed in it, and the master key file that opens it.
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
	if _, err := os.Stat(filepath.Join(dest, "signing.key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the backup has a signing.key beside the database that holds the key: %v", err)
	}
	restored := t.TempDir()
	for _, f := range []string{"huiwu.db", "master.key"} {
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

// TestBackupWithGivenMasterKey: with the master key given (HUIWU_KEY) the
// backup holds no master key; restored without it the server refuses to
// start, naming what is missing, and with it the old badges work.
func TestBackupWithGivenMasterKey(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789ABCDEF"))
	data := t.TempDir()
	testkit.CopyDemo(t, data, time.Now())
	s := startConfigured(t, Config{DataDir: data, Demo: true, AdminToken: adminToken, Key: key})
	var cred struct{ Token string }
	s.call("GET", "/attendees/4/credential", adminToken, nil, &cred)
	dest := filepath.Join(t.TempDir(), "backup")
	if err := backup(context.Background(), s.data, dest); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dest); len(entries) != 1 || entries[0].Name() != "huiwu.db" {
		t.Fatalf("backup with a given master key holds %v, want only huiwu.db", entries)
	}
	restored := t.TempDir()
	b, _ := os.ReadFile(filepath.Join(dest, "huiwu.db"))
	os.WriteFile(filepath.Join(restored, "huiwu.db"), b, 0o600)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	err := run(context.Background(), Config{DataDir: restored, Addr: addr, AdminToken: adminToken})
	if err == nil || !strings.Contains(err.Error(), "master.key") || !strings.Contains(err.Error(), "HUIWU_KEY") {
		t.Fatalf("restored without the master key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(restored, "master.key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused start made a master.key: %v", err)
	}
	r := startConfigured(t, Config{DataDir: restored, AdminToken: adminToken, Key: key})
	if res := r.scan(adminToken, fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":"gk1"}`, cred.Token)); res.Status != "ok" {
		t.Errorf("the old badge on the server restored with its master key: %+v", res)
	}
}
