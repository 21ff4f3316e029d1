package credentials_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"huiwu/badge/credential"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/store"
)

func openStore(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func noEvent() string { return "" }

// stored is what the database holds of the signing key, the sealed rows
// and the public halves, as text to compare before and after a refusal.
func stored(t *testing.T, db *store.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT key_id || ' ' || in_use || ' ' || master_id || ' ' || hex(nonce) || ' ' || hex(sealed) FROM signing_secrets ORDER BY key_id`,
		`SELECT key_id || ' ' || hex(public_key) FROM signing_keys ORDER BY key_id`,
	} {
		rows, err := db.ForTest().R.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		rows.Close()
	}
	return b.String()
}

// TestWrongMasterKeyStoresNothing: once the database holds a sealed key,
// a master key that does not open it (given in HUIWU_KEY, in a key file, or
// a master.key from elsewhere) is refused, saying so, and nothing changes:
// not the database, not a signing.key beside it, no master.key made.
func TestWrongMasterKeyStoresNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	right := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	wrong := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{2}, 32))
	wrongFile := filepath.Join(t.TempDir(), "wrong.key")
	os.WriteFile(wrongFile, []byte(wrong+"\n"), 0o600)
	for _, tc := range []struct {
		name  string
		cfg   func(dir string) credentials.Config
		setup func(dir string)
	}{
		{"HUIWU_KEY", func(dir string) credentials.Config { return credentials.Config{DataDir: dir, Key: wrong} }, nil},
		{"-key-file", func(dir string) credentials.Config { return credentials.Config{DataDir: dir, KeyFile: wrongFile} }, nil},
		{"master.key from another machine", func(dir string) credentials.Config { return credentials.Config{DataDir: dir} },
			func(dir string) { os.WriteFile(filepath.Join(dir, "master.key"), []byte(wrong), 0o600) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db := openStore(t, dir)
			first, err := credentials.Open(ctx, credentials.Config{DataDir: dir, Key: right}, db, noEvent)
			if err != nil {
				t.Fatal(err)
			}
			// An old key file beside it (the same key, as after a restore)
			// must stay where it is when the start is refused.
			signer, err := credentials.LoadSigner(ctx, credentials.Config{Key: right}, db)
			if err != nil || signer.KeyID() != first.KeyID() {
				t.Fatalf("LoadSigner: %v", err)
			}
			os.WriteFile(filepath.Join(dir, "signing.key"), credential.MarshalSigner(signer), 0o600)
			if tc.setup != nil {
				tc.setup(dir)
			}
			before := stored(t, db)
			entries, _ := os.ReadDir(dir)
			_, err = credentials.Open(ctx, tc.cfg(dir), db, noEvent)
			if !errors.Is(err, credentials.ErrWrongMasterKey) || !strings.Contains(err.Error(), "主密钥不对") {
				t.Fatalf("wrong master key: %v", err)
			}
			if after := stored(t, db); after != before {
				t.Errorf("the refusal changed the database:\n%s\nthen\n%s", before, after)
			}
			if after, _ := os.ReadDir(dir); len(after) != len(entries) {
				t.Errorf("the refusal changed the data directory: %v then %v", entries, after)
			}
			if _, err := os.Stat(filepath.Join(dir, "signing.key")); err != nil {
				t.Errorf("signing.key moved on a refused start: %v", err)
			}
		})
	}
}

// TestRacingOpens: two servers starting at once on one database (two store
// handles on one SQLite data directory) end with one signing key and one
// master key, whichever came first.
func TestRacingOpens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for round := range 4 {
		dir := t.TempDir()
		dbs := []*store.DB{openStore(t, dir), openStore(t, dir)}
		svcs := make([]*credentials.Service, len(dbs))
		errs := make([]error, len(dbs))
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Go(func() { svcs[i], errs[i] = credentials.Open(ctx, credentials.Config{DataDir: dir}, db, noEvent) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if svcs[0].KeyID() != svcs[1].KeyID() {
			t.Fatalf("round %d: the servers sign with %s and %s", round, svcs[0].KeyID(), svcs[1].KeyID())
		}
		keys, err := dbs[0].SigningKeys(ctx)
		if err != nil || len(keys) != 1 {
			t.Errorf("round %d: %d public keys recorded, want 1 (%v)", round, len(keys), err)
		}
		// What one server signs verifies at the other.
		if _, _, err := svcs[0].Keyring().Verify(tokenFrom(t, ctx, dir, dbs[1])); err != nil {
			t.Errorf("round %d: %v", round, err)
		}
	}
}

// tokenFrom signs a token with the key in the database as a second server
// (LoadSigner with the data directory's master.key) would.
func tokenFrom(t *testing.T, ctx context.Context, dir string, db *store.DB) string {
	t.Helper()
	s, err := credentials.LoadSigner(ctx, credentials.Config{DataDir: dir}, db)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Sign(credential.Claims{Event: "e-2026", Attendee: 1, Serial: 1})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestMovesOldKeyFile: a data directory from before v21, with signing.key
// and its public half in the database, keeps the same key: it is sealed
// into the database, badges printed before still verify and are rebuilt
// to the same QR text, the file is kept as signing.key.moved, and starts
// after that read the database. A signing.key holding another key than the
// database's stops the start and stays where it is.
func TestMovesOldKeyFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db := openStore(t, dir)
	old, err := credential.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	// What a server before v21 left: the file and the public half.
	file := credential.MarshalSigner(old)
	os.WriteFile(filepath.Join(dir, "signing.key"), file, 0o600)
	if err := db.AddSigningKey(ctx, old.KeyID(), old.Public(), time.Now()); err != nil {
		t.Fatal(err)
	}
	claims := credential.Claims{Event: "e-2026", Attendee: 1, Serial: 1}
	printed, _ := old.Sign(claims)

	svc, err := credentials.Open(ctx, credentials.Config{DataDir: dir}, db, noEvent)
	if err != nil {
		t.Fatal(err)
	}
	if svc.KeyID() != old.KeyID() {
		t.Fatalf("the moved key is %s, the file's was %s", svc.KeyID(), old.KeyID())
	}
	if got, _, err := svc.Keyring().Verify(printed); err != nil || got != claims {
		t.Errorf("a badge printed before: %+v %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "signing.key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("signing.key is still in place: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "signing.key.moved")); err != nil || !bytes.Equal(b, file) {
		t.Errorf("signing.key.moved: %v, or not the old file", err)
	}
	sealed := stored(t, db)
	if strings.Contains(sealed, strings.ToUpper(hex.EncodeToString(file))) {
		t.Error("the database holds the key file in the clear")
	}

	// A restart (on a second handle, as another server would) reads the
	// database: the same key signs the same token.
	again, err := credentials.LoadSigner(ctx, credentials.Config{DataDir: dir}, openStore(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if tok, _ := again.Sign(claims); tok != printed {
		t.Error("the key from the database signs another token than the file's")
	}
	// The same file put back (a restored old backup) is moved again.
	os.WriteFile(filepath.Join(dir, "signing.key"), file, 0o600)
	if _, err := credentials.Open(ctx, credentials.Config{DataDir: dir}, db, noEvent); err != nil {
		t.Fatalf("the same key file again: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "signing.key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the same key file again was not moved: %v", err)
	}
	// Another key in signing.key is refused and left alone.
	other, _ := credential.GenerateKey(nil)
	os.WriteFile(filepath.Join(dir, "signing.key"), credential.MarshalSigner(other), 0o600)
	_, err = credentials.Open(ctx, credentials.Config{DataDir: dir}, db, noEvent)
	if err == nil || !strings.Contains(err.Error(), other.KeyID()) || !strings.Contains(err.Error(), old.KeyID()) {
		t.Errorf("another key in signing.key: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "signing.key")); !bytes.Equal(b, credential.MarshalSigner(other)) {
		t.Error("the other key file was touched")
	}
	if after := stored(t, db); after != sealed {
		t.Errorf("the refused start changed the database:\n%s\nthen\n%s", sealed, after)
	}
}
