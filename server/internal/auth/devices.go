package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"time"

	"huiwu/server/internal/store"
)

// PairingTTL is how long a pairing code shown at the desk stays valid.
const PairingTTL = 15 * time.Minute

// ErrBadPairingCode means the code is unknown, used or expired.
var ErrBadPairingCode = errors.New("auth: pairing code unknown or expired")

// Device is a kiosk, screen or usher tablet as the desk sees it.
type Device struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Kind       Role       `json:"kind"`
	Checkpoint string     `json:"checkpoint,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	PairedAt   *time.Time `json:"paired_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastSeenAt *time.Time `json:"last_seen_at,omitempty"`
}

// Pairing is what the desk shows to pair a new device: a short code to type
// or scan on the device, valid until Expires.
type Pairing struct {
	Device  Device    `json:"device"`
	Code    string    `json:"pairing_code"`
	Expires time.Time `json:"expires_at"`
}

// CreateDevice registers a device and returns its one-time pairing code.
func (s *Service) CreateDevice(ctx context.Context, name string, kind Role, checkpoint string) (Pairing, error) {
	switch kind {
	case RoleKiosk, RoleScreen, RoleUsher:
	default:
		return Pairing{}, fmt.Errorf("auth: a device cannot be a %q", kind)
	}
	if kind == RoleKiosk && checkpoint == "" {
		return Pairing{}, errors.New("auth: a kiosk needs a checkpoint")
	}
	now := time.Now()
	p := Pairing{
		Device:  Device{ID: "dev-" + newToken("")[:8], Name: name, Kind: kind, Checkpoint: checkpoint, CreatedAt: now},
		Code:    pairingCode(),
		Expires: now.Add(PairingTTL),
	}
	err := s.db.CreateDevice(ctx, store.NewDevice{ID: p.Device.ID, Name: name, Kind: string(kind), Checkpoint: checkpoint,
		PairingHash: hashToken(p.Code), PairingExpires: p.Expires, At: now})
	return p, err
}

// pairingCode is eight digits: easy to type on a kiosk's on-screen keypad,
// and with rate limiting far too many to guess in fifteen minutes.
func pairingCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	return fmt.Sprintf("%08d", n.Int64())
}

// Pair exchanges a pairing code for the device's token. The code works once.
func (s *Service) Pair(ctx context.Context, code string) (Device, string, error) {
	if len(code) != 8 {
		return Device{}, "", ErrBadPairingCode
	}
	token := newToken("hwd_")
	d, err := s.db.PairDevice(ctx, hashToken(code), hashToken(token), time.Now())
	if errors.Is(err, store.ErrNotFound) {
		return Device{}, "", ErrBadPairingCode
	} else if err != nil {
		return Device{}, "", err
	}
	s.forget()
	return device(d), token, nil
}

// UpdateDevice renames a device or moves it to another checkpoint; a kiosk
// picks the new checkpoint up on its next request.
func (s *Service) UpdateDevice(ctx context.Context, id string, name, checkpoint *string) (Device, error) {
	d, err := s.db.UpdateDevice(ctx, id, name, checkpoint)
	s.forget()
	if err != nil {
		return Device{}, err
	}
	return device(d), nil
}

// RevokeDevice stops a device at once: its token is refused from the next
// request on and its live connections close.
func (s *Service) RevokeDevice(ctx context.Context, id string) error {
	if err := s.db.RevokeDevice(ctx, id, time.Now()); err != nil {
		return err
	}
	s.revoked(deviceOwner(id))
	return nil
}

// RevokeDeviceBecause revokes a device as RevokeDevice does and logs who
// did it and why in the audit log, as every other desk action is.
func (s *Service) RevokeDeviceBecause(ctx context.Context, id, actor, reason string) error {
	if err := s.db.RevokeDeviceBecause(ctx, id, time.Now(), actor, reason); err != nil {
		return err
	}
	s.revoked(deviceOwner(id))
	return nil
}

// Devices lists every device with when it was last seen.
func (s *Service) Devices(ctx context.Context) ([]Device, error) {
	list, err := s.db.Devices(ctx)
	if err != nil {
		return nil, err
	}
	seen := s.LastSeen()
	var out []Device
	for _, d := range list {
		dev := device(d)
		if t, ok := seen[d.ID]; ok {
			dev.LastSeenAt = &t
		}
		out = append(out, dev)
	}
	return out, nil
}

// device is a stored device as the desk sees it: times it does not have
// are left out of the JSON.
func device(d store.Device) Device {
	dev := Device{ID: d.ID, Name: d.Name, Kind: Role(d.Kind), Checkpoint: d.Checkpoint, CreatedAt: d.CreatedAt}
	if !d.PairedAt.IsZero() {
		t := d.PairedAt
		dev.PairedAt = &t
	}
	if !d.RevokedAt.IsZero() {
		t := d.RevokedAt
		dev.RevokedAt = &t
	}
	return dev
}
