package auth_test

import (
	"context"
	"errors"
	"testing"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/store"
)

// TestKioskInitiatedPairing: a request waits until claimed, pays out its
// token exactly once, and the token authenticates as the claimed kiosk.
func TestKioskInitiatedPairing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.ForTest().W.Exec(`INSERT INTO venues (code, name, kind) VALUES ('hall', '大会堂', 'hall')`)
	db.ForTest().W.Exec(`INSERT INTO checkpoints (id, name, kind, venue_id) VALUES ('door', '东门', 'entrance', 1)`)
	s := auth.New(db, "admin-secret")

	r, err := s.RequestPairing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var stored int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM pairing_requests WHERE code_hash = ? OR claim_hash = ?`, r.Code, r.Claim).Scan(&stored)
	if stored != 0 {
		t.Fatal("code or claim stored in the clear")
	}
	if _, _, err := s.PollPairing(ctx, r.Claim); !errors.Is(err, auth.ErrPairingPending) {
		t.Fatalf("poll before claim: %v", err)
	}
	if _, err := s.ClaimPairing(ctx, r.Code, "东门1号", auth.RoleKiosk, ""); err == nil {
		t.Fatal("a kiosk was claimed without a checkpoint")
	}
	dev, err := s.ClaimPairing(ctx, r.Code, "东门1号", auth.RoleKiosk, "door")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimPairing(ctx, r.Code, "again", auth.RoleKiosk, "door"); !errors.Is(err, auth.ErrBadPairingCode) {
		t.Fatalf("second claim: %v", err)
	}
	got, token, err := s.PollPairing(ctx, r.Claim)
	if err != nil || got.ID != dev.ID || got.PairedAt == nil {
		t.Fatalf("poll after claim: %+v %v", got, err)
	}
	if _, _, err := s.PollPairing(ctx, r.Claim); !errors.Is(err, auth.ErrPairingGone) {
		t.Fatalf("second poll: %v", err)
	}
	p, err := s.Authenticate(ctx, token)
	if err != nil || p.Role != auth.RoleKiosk || p.Device != dev.ID || p.Checkpoint != "door" {
		t.Fatalf("kiosk token: %+v %v", p, err)
	}
	if err := s.RevokeDeviceBecause(ctx, dev.ID, "王芳", "丢失"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("revoked kiosk: %v", err)
	}
}
