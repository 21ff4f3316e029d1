package store_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"huiwu/server/internal/store"
)

// TestSigningSecretPutOnce: the first key put is the key in use; a second
// put answers the first and records nothing of its own, neither the secret
// nor its public half.
func TestSigningSecretPutOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	if _, err := db.SigningSecret(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("empty database: %v", err)
	}
	at := time.Date(2026, 3, 5, 9, 0, 0, 123456000, time.UTC)
	first := store.SigningSecret{KeyID: "k1", Algorithm: "xchacha20poly1305", MasterID: "m1",
		Nonce: bytes.Repeat([]byte{1}, 24), Sealed: bytes.Repeat([]byte{2}, 48), CreatedAt: at}
	got, err := db.PutSigningSecret(ctx, first, bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	if !equalSecrets(got, first) {
		t.Fatalf("put answered %+v, want %+v", got, first)
	}
	second := first
	second.KeyID, second.Sealed = "k2", bytes.Repeat([]byte{9}, 48)
	got, err = db.PutSigningSecret(ctx, second, bytes.Repeat([]byte{4}, 32))
	if err != nil || !equalSecrets(got, first) {
		t.Fatalf("second put answered %+v, %v; want the first key", got, err)
	}
	if read, err := db.SigningSecret(ctx); err != nil || !equalSecrets(read, first) {
		t.Fatalf("read back %+v, %v", read, err)
	}
	keys, err := db.SigningKeys(ctx)
	if err != nil || len(keys) != 1 || !bytes.Equal(keys[0], bytes.Repeat([]byte{3}, 32)) {
		t.Errorf("public keys after two puts: %x, %v; want only the first's", keys, err)
	}
}

// TestSigningSecretRacingHandles: two store handles on one data directory
// (two servers on one database) put different keys at once; both answer
// the same key, and only one row is in use.
func TestSigningSecretRacingHandles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dbs := []*store.DB{open(t, dir), open(t, dir)}
	for round := range 5 {
		var wg sync.WaitGroup
		got := make([]store.SigningSecret, len(dbs))
		errs := make([]error, len(dbs))
		for i, db := range dbs {
			wg.Go(func() {
				s := store.SigningSecret{KeyID: string(rune('a'+round)) + string(rune('0'+i)), Algorithm: "x", MasterID: "m",
					Nonce: []byte{byte(i)}, Sealed: []byte{byte(round)}, CreatedAt: time.Now()}
				got[i], errs[i] = db.PutSigningSecret(ctx, s, bytes.Repeat([]byte{byte(i)}, 32))
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, handle %d: %v", round, i, err)
			}
		}
		if got[0].KeyID != got[1].KeyID {
			t.Fatalf("round %d: the handles answered different keys: %s and %s", round, got[0].KeyID, got[1].KeyID)
		}
		var inUse int
		dbs[0].ForTest().R.QueryRow(`SELECT count(*) FROM signing_secrets WHERE in_use = 1`).Scan(&inUse)
		if inUse != 1 {
			t.Fatalf("round %d: %d keys in use", round, inUse)
		}
		// Retire the key, as a rotation would, so the next round races on
		// an empty slot again.
		if _, err := dbs[0].ForTest().W.Exec(`UPDATE signing_secrets SET in_use = 0`); err != nil {
			t.Fatal(err)
		}
	}
}

func equalSecrets(a, b store.SigningSecret) bool {
	return a.KeyID == b.KeyID && a.Algorithm == b.Algorithm && a.MasterID == b.MasterID &&
		bytes.Equal(a.Nonce, b.Nonce) && bytes.Equal(a.Sealed, b.Sealed) && a.CreatedAt.Equal(b.CreatedAt)
}
