package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Device is a kiosk, screen or usher tablet as stored. Its token and
// pairing code are kept only as hashes and never read back.
type Device struct {
	ID         string
	Name       string
	Kind       string // kiosk, screen or usher
	Checkpoint string // "" for a device tied to no checkpoint
	CreatedAt  time.Time
	PairedAt   time.Time // zero until the device collected its token
	RevokedAt  time.Time // zero while the device may work
}

// NewDevice is a device to register. PairingHash and PairingExpires are
// the desk's pairing code (CreateDevice); a device made from a kiosk's own
// request (ClaimPairing) has none.
type NewDevice struct {
	ID             string
	Name           string
	Kind           string
	Checkpoint     string
	PairingHash    string
	PairingExpires time.Time
	At             time.Time
}

// DeviceCheckpointAt is the checkpoint the device was assigned to at the
// given moment ("" when it was assigned nowhere). A moment before the
// device existed (an offline kiosk whose clock runs behind) counts as its
// first assignment.
func (db *DB) DeviceCheckpointAt(ctx context.Context, device string, at time.Time) (string, error) {
	var cp sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT checkpoint_id FROM device_assignments WHERE device_id = ?1
		ORDER BY from_at > ?2, CASE WHEN from_at <= ?2 THEN from_at END DESC, from_at LIMIT 1`, device, FormatTime(at)).Scan(&cp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return cp.String, err
}

// CreateDevice registers a device the desk pairs with a code it shows.
func (db *DB) CreateDevice(ctx context.Context, d NewDevice) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		return Change{}, insertDevice(ctx, tx, d)
	})
}

// insertDevice is the one INSERT of a device, for both ways of pairing.
func insertDevice(ctx context.Context, tx *sql.Tx, d NewDevice) error {
	var expires any
	if d.PairingHash != "" {
		expires = FormatTime(d.PairingExpires)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO devices (id, name, kind, checkpoint_id, pairing_hash, pairing_expires, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, d.ID, d.Name, d.Kind, nullStr(d.Checkpoint), nullStr(d.PairingHash), expires, FormatTime(d.At))
	if err != nil {
		return fmt.Errorf("store: create device: %w", err)
	}
	return nil
}

// PairDevice trades a live pairing code (by its hash) for the device's
// token (by its hash): the code works once. ErrNotFound when the code is
// unknown, used, expired or its device revoked.
func (db *DB) PairDevice(ctx context.Context, codeHash, tokenHash string, at time.Time) (Device, error) {
	var dev Device
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM devices WHERE pairing_hash = ? AND pairing_expires > ? AND revoked_at IS NULL`,
			codeHash, FormatTime(at)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, fmt.Errorf("store: pair device: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE devices SET token_hash = ?, pairing_hash = NULL, pairing_expires = NULL, paired_at = ?
			WHERE id = ?`, tokenHash, FormatTime(at), id); err != nil {
			return Change{}, fmt.Errorf("store: pair device: %w", err)
		}
		dev, err = deviceByID(ctx, tx, id)
		return Change{}, err
	})
	return dev, err
}

// UpdateDevice renames a device (name not nil) or moves it to another
// checkpoint (checkpoint not nil; "" for none) and answers it as it now
// is; ErrNotFound for an unknown device.
func (db *DB) UpdateDevice(ctx context.Context, id string, name, checkpoint *string) (Device, error) {
	var dev Device
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		if name != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE devices SET name = ? WHERE id = ?`, *name, id); err != nil {
				return Change{}, fmt.Errorf("store: rename device: %w", err)
			}
		}
		if checkpoint != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE devices SET checkpoint_id = ? WHERE id = ?`, nullStr(*checkpoint), id); err != nil {
				return Change{}, fmt.Errorf("store: move device: %w", err)
			}
		}
		var err error
		dev, err = deviceByID(ctx, tx, id)
		return Change{}, err
	})
	return dev, err
}

// RevokeDevice takes a device out of service at at: its token and any
// pairing code stop working. ErrNotFound when it is unknown or revoked
// already.
func (db *DB) RevokeDevice(ctx context.Context, id string, at time.Time) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		return Change{}, revokeDevice(ctx, tx, id, at)
	})
}

// RevokeDeviceBecause revokes as RevokeDevice does and records who did it
// and why in the audit log, in the same transaction.
func (db *DB) RevokeDeviceBecause(ctx context.Context, id string, at time.Time, actor, reason string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		if err := revokeDevice(ctx, tx, id, at); err != nil {
			return Change{}, err
		}
		if err := audit(ctx, tx, at, actor, "device.revoke", id, reason); err != nil {
			return Change{}, fmt.Errorf("store: audit revoke: %w", err)
		}
		return Change{}, nil
	})
}

func revokeDevice(ctx context.Context, tx *sql.Tx, id string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE devices SET revoked_at = ?, pairing_hash = NULL WHERE id = ? AND revoked_at IS NULL`,
		FormatTime(at), id)
	if err != nil {
		return fmt.Errorf("store: revoke device: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Devices lists every device, oldest first.
func (db *DB) Devices(ctx context.Context) ([]Device, error) {
	return readAll(ctx, db.r, "devices", scanDevice, `SELECT `+deviceColumns+` FROM devices ORDER BY created_at`)
}

// DeviceByToken is the device whose token hashes to tokenHash, revoked or
// not (a revoked device is told so and may hand in its last scans);
// ErrNotFound when no device has it. A revocation time that does not read
// is an error, not a device that works.
func (db *DB) DeviceByToken(ctx context.Context, tokenHash string) (Device, error) {
	var d Device
	var revoked string
	err := db.r.QueryRowContext(ctx, `SELECT id, name, kind, coalesce(checkpoint_id, ''), coalesce(revoked_at, '') FROM devices
		WHERE token_hash = ?`, tokenHash).Scan(&d.ID, &d.Name, &d.Kind, &d.Checkpoint, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	} else if err != nil {
		return d, fmt.Errorf("store: device by token: %w", err)
	}
	if revoked != "" {
		if d.RevokedAt, err = ParseTime(revoked); err != nil {
			return d, fmt.Errorf("store: device %s revoked_at: %w", d.ID, err)
		}
	}
	return d, nil
}

const deviceColumns = `id, name, kind, coalesce(checkpoint_id, ''), created_at, coalesce(paired_at, ''), coalesce(revoked_at, '')`

func deviceByID(ctx context.Context, tx *sql.Tx, id string) (Device, error) {
	d, err := scanDevice(tx.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM devices WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Device{}, ErrNotFound
	} else if err != nil {
		return Device{}, fmt.Errorf("store: device %s: %w", id, err)
	}
	return d, nil
}

func scanDevice(row interface{ Scan(...any) error }) (Device, error) {
	var d Device
	var created, paired, revoked string
	if err := row.Scan(&d.ID, &d.Name, &d.Kind, &d.Checkpoint, &created, &paired, &revoked); err != nil {
		return d, err
	}
	d.CreatedAt = ReadTime(created)
	if paired != "" {
		d.PairedAt = ReadTime(paired)
	}
	if revoked != "" {
		d.RevokedAt = ReadTime(revoked)
	}
	return d, nil
}
