package auth

import (
	"context"
	"crypto/rand"
	"database/sql"
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
	err := s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO devices (id, name, kind, checkpoint_id, pairing_hash, pairing_expires, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, p.Device.ID, name, string(kind), nullStr(checkpoint),
			hashToken(p.Code), store.FormatTime(p.Expires), store.FormatTime(now))
		if err != nil {
			return store.Change{}, fmt.Errorf("auth: create device: %w", err)
		}
		return store.Change{}, nil
	})
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
	var dev Device
	err := s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		now := time.Now()
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM devices WHERE pairing_hash = ? AND pairing_expires > ? AND revoked_at IS NULL`,
			hashToken(code), store.FormatTime(now)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return store.Change{}, ErrBadPairingCode
		} else if err != nil {
			return store.Change{}, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE devices SET token_hash = ?, pairing_hash = NULL, pairing_expires = NULL, paired_at = ?
			WHERE id = ?`, hashToken(token), store.FormatTime(now), id); err != nil {
			return store.Change{}, err
		}
		dev, err = deviceByID(ctx, tx, id)
		return store.Change{}, err
	})
	if err != nil {
		return Device{}, "", err
	}
	s.forget()
	return dev, token, nil
}

// UpdateDevice renames a device or moves it to another checkpoint; a kiosk
// picks the new checkpoint up on its next request.
func (s *Service) UpdateDevice(ctx context.Context, id string, name, checkpoint *string) (Device, error) {
	var dev Device
	err := s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		if name != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE devices SET name = ? WHERE id = ?`, *name, id); err != nil {
				return store.Change{}, err
			}
		}
		if checkpoint != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE devices SET checkpoint_id = ? WHERE id = ?`, nullStr(*checkpoint), id); err != nil {
				return store.Change{}, fmt.Errorf("auth: move device: %w", err)
			}
		}
		var err error
		dev, err = deviceByID(ctx, tx, id)
		return store.Change{}, err
	})
	s.forget()
	return dev, err
}

// RevokeDevice stops a device at once: its token is refused from the next
// request on and its live connections close.
func (s *Service) RevokeDevice(ctx context.Context, id string) error {
	err := s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		res, err := tx.ExecContext(ctx, `UPDATE devices SET revoked_at = ?, pairing_hash = NULL WHERE id = ? AND revoked_at IS NULL`,
			store.FormatTime(time.Now()), id)
		if err != nil {
			return store.Change{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.Change{}, store.ErrNotFound
		}
		return store.Change{}, nil
	})
	if err != nil {
		return err
	}
	s.revoked(deviceOwner(id))
	return nil
}

// Devices lists every device with when it was last seen.
func (s *Service) Devices(ctx context.Context) ([]Device, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+deviceColumns+` FROM devices ORDER BY created_at`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := s.LastSeen()
	var out []Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, err
		}
		if t, ok := seen[d.ID]; ok {
			d.LastSeenAt = &t
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

const deviceColumns = `id, name, kind, coalesce(checkpoint_id, ''), created_at, coalesce(paired_at, ''), coalesce(revoked_at, '')`

func deviceByID(ctx context.Context, tx *sql.Tx, id string) (Device, error) {
	d, err := scanDevice(tx.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM devices WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Device{}, store.ErrNotFound
	}
	return d, err
}

func scanDevice(row interface{ Scan(...any) error }) (Device, error) {
	var d Device
	var created, paired, revoked string
	if err := row.Scan(&d.ID, &d.Name, &d.Kind, &d.Checkpoint, &created, &paired, &revoked); err != nil {
		return d, err
	}
	d.CreatedAt = store.ReadTime(created)
	if paired != "" {
		t := store.ReadTime(paired)
		d.PairedAt = &t
	}
	if revoked != "" {
		t := store.ReadTime(revoked)
		d.RevokedAt = &t
	}
	return d, nil
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// RevokeDeviceBecause revokes a device as RevokeDevice does and logs who
// did it and why in the audit log, as every other desk action is.
func (s *Service) RevokeDeviceBecause(ctx context.Context, id, actor, reason string) error {
	err := s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		now := store.FormatTime(time.Now())
		res, err := tx.ExecContext(ctx, `UPDATE devices SET revoked_at = ?, pairing_hash = NULL WHERE id = ? AND revoked_at IS NULL`, now, id)
		if err != nil {
			return store.Change{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.Change{}, store.ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, 'device.revoke', ?, ?)`,
			now, actor, id, reason); err != nil {
			return store.Change{}, fmt.Errorf("auth: audit revoke: %w", err)
		}
		return store.Change{}, nil
	})
	if err != nil {
		return err
	}
	s.revoked(deviceOwner(id))
	return nil
}
