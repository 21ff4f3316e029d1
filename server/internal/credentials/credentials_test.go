package credentials_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"huiwu/badge/credential"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/demo"
	"huiwu/server/internal/store"
)

func TestKeyPersistsAndReissueRevokes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, store.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ev, err := demo.Load(ctx, db, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := credentials.Open(ctx, credentials.Config{DataDir: dir}, db, func() string { return ev.Event.ID })
	if err != nil {
		t.Fatal(err)
	}
	// The signing key is in the database; the data directory holds only
	// the master key that opens it.
	if info, err := os.Stat(filepath.Join(dir, "master.key")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("master key file: %v %v", info, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "signing.key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a new data directory got a signing.key file: %v", err)
	}
	first, err := svc.Current(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := svc.Current(ctx, 1)
	if again != first {
		t.Errorf("Current issued a second credential: %+v then %+v", first, again)
	}
	claims, keyID, err := svc.Keyring().Verify(first.Token)
	if err != nil || claims.Attendee != 1 || claims.Serial != first.Serial || claims.Event != ev.Event.ID || keyID != svc.KeyID() {
		t.Fatalf("verify: %+v %s %v", claims, keyID, err)
	}
	// A restart reads the same key: printed badges stay valid.
	svc2, err := credentials.Open(ctx, credentials.Config{DataDir: dir}, db, func() string { return ev.Event.ID })
	if err != nil || svc2.KeyID() != svc.KeyID() {
		t.Fatalf("key changed across restart: %v", err)
	}
	if c, _ := svc2.Current(ctx, 1); c.Token != first.Token {
		t.Error("the same credential gives another token after a restart")
	}
	next, err := svc.Reissue(ctx, 1, "遗失", "desk")
	if err != nil || next.Serial == first.Serial {
		t.Fatalf("reissue: %+v %v", next, err)
	}
	var revoked int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM credentials WHERE serial = ? AND revoked_at IS NOT NULL`, first.Serial).Scan(&revoked)
	if revoked != 1 {
		t.Error("the old serial is not revoked")
	}
	if _, err := svc.Current(ctx, 99999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("credential for nobody: %v", err)
	}
	// The QR text carries nothing personal: only ids.
	c, _, _ := credential.Parse(first.Token)
	if c != (credential.Claims{Event: ev.Event.ID, Attendee: 1, Serial: first.Serial}) {
		t.Errorf("token carries %+v", c)
	}
}
