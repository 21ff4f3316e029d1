package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Kiosk-initiated pairing (pairing_requests, schema_kiosk.go): a kiosk
// stores a request, the desk claims its code and so creates the device,
// and the kiosk collects the device's token with its claim secret.

// Errors of kiosk-initiated pairing.
var (
	// ErrPairingCodeTaken means a live request already shows the code:
	// the caller draws another.
	ErrPairingCodeTaken = errors.New("store: pairing code in use")
	// ErrPairingPending means the desk has not claimed the request yet.
	ErrPairingPending = errors.New("store: pairing request not claimed yet")
)

// PairingRequest is a kiosk's request to be paired, stored by the hashes
// of its code (shown on the kiosk) and its claim secret (kept on it).
type PairingRequest struct {
	ClaimHash string
	CodeHash  string
	Expires   time.Time
	At        time.Time
}

// AddPairingRequest stores a kiosk's request. Expired requests are deleted
// first, so the table never grows with kiosks that were switched off: an
// unclaimed one at once, a claimed one the kiosk never collected keepClaimed
// after it expired. ErrPairingCodeTaken when a stored request has the code.
func (db *DB) AddPairingRequest(ctx context.Context, r PairingRequest, keepClaimed time.Duration) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM pairing_requests WHERE expires_at <= ? AND
			(device_id IS NULL OR expires_at <= ?)`, FormatTime(r.At), FormatTime(r.At.Add(-keepClaimed))); err != nil {
			return Change{}, fmt.Errorf("store: purge pairing requests: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO pairing_requests (claim_hash, code_hash, expires_at, created_at)
			VALUES (?, ?, ?, ?)`, r.ClaimHash, r.CodeHash, FormatTime(r.Expires), FormatTime(r.At))
		if isUnique(err) {
			return Change{}, ErrPairingCodeTaken
		} else if err != nil {
			return Change{}, fmt.Errorf("store: pairing request: %w", err)
		}
		return Change{}, nil
	})
}

// ClaimPairing is the desk taking a kiosk's code (by its hash): it creates
// the device d and ties it to the request, in one transaction. The code
// works once and only before it expires: ErrNotFound otherwise.
func (db *DB) ClaimPairing(ctx context.Context, codeHash string, d NewDevice) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var claim string
		err := tx.QueryRowContext(ctx, `SELECT claim_hash FROM pairing_requests
			WHERE code_hash = ? AND expires_at > ? AND device_id IS NULL`, codeHash, FormatTime(d.At)).Scan(&claim)
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, fmt.Errorf("store: claim pairing: %w", err)
		}
		if err := insertDevice(ctx, tx, d); err != nil {
			return Change{}, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pairing_requests SET device_id = ? WHERE claim_hash = ?`, d.ID, claim); err != nil {
			return Change{}, fmt.Errorf("store: claim pairing: %w", err)
		}
		return Change{}, nil
	})
}

// CollectPairing is the kiosk collecting its device once the desk claimed
// its request: the device gets the token (by its hash) and the request is
// deleted, so the claim secret works once. ErrPairingPending while the
// request is live and unclaimed; ErrNotFound when it is unknown, expired
// unclaimed, or its device was revoked before the kiosk collected it (the
// request is deleted then all the same).
func (db *DB) CollectPairing(ctx context.Context, claimHash, tokenHash string, at time.Time) (Device, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return Device{}, fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	var expires, device string
	err = tx.QueryRowContext(ctx, `SELECT expires_at, coalesce(device_id, '') FROM pairing_requests WHERE claim_hash = ?`,
		claimHash).Scan(&expires, &device)
	if errors.Is(err, sql.ErrNoRows) {
		return Device{}, ErrNotFound
	} else if err != nil {
		return Device{}, fmt.Errorf("store: collect pairing: %w", err)
	}
	if device == "" {
		if !ReadTime(expires).After(at) {
			return Device{}, ErrNotFound
		}
		return Device{}, ErrPairingPending
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pairing_requests WHERE claim_hash = ?`, claimHash); err != nil {
		return Device{}, fmt.Errorf("store: collect pairing: %w", err)
	}
	// A device revoked between the desk's claim and the kiosk's poll gets
	// nothing, and its request goes all the same.
	res, err := tx.ExecContext(ctx, `UPDATE devices SET token_hash = ?, paired_at = ? WHERE id = ? AND revoked_at IS NULL`,
		tokenHash, FormatTime(at), device)
	if err != nil {
		return Device{}, fmt.Errorf("store: collect pairing: %w", err)
	}
	var dev Device
	revoked := false
	if n, _ := res.RowsAffected(); n == 0 {
		revoked = true
	} else if dev, err = deviceByID(ctx, tx, device); err != nil {
		return Device{}, err
	}
	if err := tx.Commit(); err != nil {
		return Device{}, fmt.Errorf("store: commit: %w", err)
	}
	if revoked {
		return Device{}, ErrNotFound
	}
	return dev, nil
}
