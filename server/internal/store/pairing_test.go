package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"huiwu/server/internal/store"
)

// TestCollectPairing walks the kiosk's side of pairing through what the
// auth tests do not reach: a request that expired unclaimed, and a device
// revoked between the desk's claim and the kiosk's poll, whose request
// must go all the same so the claim secret never works later.
func TestCollectPairing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	now := time.Now()
	add := func(claim, code string, expires time.Time) {
		t.Helper()
		r := store.PairingRequest{ClaimHash: claim, CodeHash: code, Expires: expires, At: now}
		if err := db.AddPairingRequest(ctx, r, 15*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	add("claim-old", "code-old", now.Add(-time.Second)) // expired at once
	if _, err := db.CollectPairing(ctx, "claim-old", "token-old", now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired, unclaimed: %v", err)
	}
	add("claim-1", "code-1", now.Add(time.Minute))
	if err := db.AddPairingRequest(ctx, store.PairingRequest{ClaimHash: "claim-2", CodeHash: "code-1", Expires: now.Add(time.Minute), At: now},
		15*time.Minute); !errors.Is(err, store.ErrPairingCodeTaken) {
		t.Fatalf("a live code drawn again: %v", err)
	}
	if _, err := db.CollectPairing(ctx, "claim-1", "token-1", now); !errors.Is(err, store.ErrPairingPending) {
		t.Fatalf("before the claim: %v", err)
	}
	if err := db.ClaimPairing(ctx, "code-1", store.NewDevice{ID: "dev-1", Name: "东门1号", Kind: "usher", At: now}); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeDevice(ctx, "dev-1", now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CollectPairing(ctx, "claim-1", "token-1", now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoked before collected: %v", err)
	}
	var left int
	if err := db.ForTest().R.QueryRowContext(ctx, `SELECT count(*) FROM pairing_requests WHERE claim_hash = 'claim-1'`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("the revoked device's request is still stored (%d, %v)", left, err)
	}
	if _, err := db.DeviceByToken(ctx, "token-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the revoked device got its token: %v", err)
	}
}
