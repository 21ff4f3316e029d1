package auth_test

import (
	"context"
	"errors"
	"testing"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/store"
)

func TestUsersAndDevices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.ForTest().W.Exec(`INSERT INTO venues (code, name, kind) VALUES ('hall', '大会堂', 'hall')`)
	db.ForTest().W.Exec(`INSERT INTO checkpoints (id, name, kind, venue_id) VALUES ('door', '东门', 'entrance', 1), ('west', '西门', 'entrance', 1)`)
	s := auth.New(db, "admin-secret")

	if p, err := s.Authenticate(ctx, "admin-secret"); err != nil || p.Role != auth.RoleAdmin {
		t.Fatalf("admin token: %+v %v", p, err)
	}
	for _, bad := range []string{"", "admin-secre", "admin-secret ", string(make([]byte, 300))} {
		if _, err := s.Authenticate(ctx, bad); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("token %q accepted", bad)
		}
	}
	_, token, err := s.CreateUser(ctx, "王芳", auth.RoleDesk)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.Authenticate(ctx, token); err != nil || p.Role != auth.RoleDesk || !p.Can(auth.RoleDesk) || p.Can(auth.RoleKiosk) {
		t.Fatalf("desk user: %+v %v", p, err)
	}
	if _, _, err := s.CreateUser(ctx, "x", auth.RoleKiosk); err == nil {
		t.Error("a person was made a kiosk")
	}

	pairing, err := s.CreateDevice(ctx, "东门1号", auth.RoleKiosk, "door")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Pair(ctx, "00000000"); !errors.Is(err, auth.ErrBadPairingCode) {
		t.Errorf("wrong code: %v", err)
	}
	dev, devToken, err := s.Pair(ctx, pairing.Code)
	if err != nil || dev.Checkpoint != "door" {
		t.Fatalf("pair: %+v %v", dev, err)
	}
	p, err := s.Authenticate(ctx, devToken)
	if err != nil || p.Role != auth.RoleKiosk || p.Checkpoint != "door" || p.Device != dev.ID {
		t.Fatalf("kiosk: %+v %v", p, err)
	}
	// Moving the kiosk applies to its next request (the cache forgets).
	west := "west"
	if _, err := s.UpdateDevice(ctx, dev.ID, nil, &west); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Authenticate(ctx, devToken); p.Checkpoint != "west" {
		t.Errorf("moved kiosk still at %s", p.Checkpoint)
	}
	if err := s.RevokeDevice(ctx, dev.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, devToken); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("revoked device: %v", err)
	}
	list, _ := s.Devices(ctx)
	if len(list) != 1 || list[0].RevokedAt == nil || list[0].LastSeenAt == nil {
		t.Errorf("devices: %+v", list)
	}
}
