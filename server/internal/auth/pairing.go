package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"huiwu/server/internal/store"
)

// Kiosk-initiated pairing, the way the issue asks for it: a new kiosk asks
// for a code and shows it; the desk enters or scans that code with the name
// and checkpoint it wants; the kiosk, polling with a secret only it holds,
// collects its token. The desk never sees the token and the kiosk never
// needs a keypad.

// ErrPairingPending means the desk has not claimed the kiosk's code yet.
var ErrPairingPending = errors.New("auth: pairing code not claimed yet")

// ErrPairingGone means the pairing request expired, was already collected,
// or its device was revoked before the kiosk collected the token.
var ErrPairingGone = errors.New("auth: pairing request expired or used")

// PairRequest is what a new kiosk shows and keeps: Code goes on screen for
// the desk; Claim stays on the kiosk and collects the token.
type PairRequest struct {
	Code    string    `json:"code"`
	Claim   string    `json:"claim"`
	Expires time.Time `json:"expires_at"`
}

// RequestPairing starts a kiosk-initiated pairing. Codes share the
// eight-digit form of the desk's codes so the desk has one thing to type.
func (s *Service) RequestPairing(ctx context.Context) (PairRequest, error) {
	now := time.Now()
	r := PairRequest{Claim: newToken("hwc_"), Expires: now.Add(PairingTTL)}
	err := s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		// Expired, unclaimed requests go first: they free their codes, and
		// the table never grows with kiosks that were switched off.
		if _, err := tx.ExecContext(ctx, `DELETE FROM pairing_requests WHERE expires_at <= ? AND
			(device_id IS NULL OR expires_at <= ?)`, store.FormatTime(now), store.FormatTime(now.Add(-PairingTTL))); err != nil {
			return store.Change{}, fmt.Errorf("auth: purge pairing requests: %w", err)
		}
		// A clash with a live code is one in millions; draw again then.
		for range 5 {
			r.Code = pairingCode()
			_, err := tx.ExecContext(ctx, `INSERT INTO pairing_requests (claim_hash, code_hash, expires_at, created_at)
				VALUES (?, ?, ?, ?)`, hashToken(r.Claim), hashToken(r.Code), store.FormatTime(r.Expires), store.FormatTime(now))
			if err == nil {
				return store.Change{}, nil
			}
			if !strings.Contains(err.Error(), "UNIQUE") {
				return store.Change{}, fmt.Errorf("auth: pairing request: %w", err)
			}
		}
		return store.Change{}, errors.New("auth: no free pairing code")
	})
	return r, err
}

// ClaimPairing is the desk taking a kiosk's code: it creates the device
// with its name, kind and checkpoint and ties it to the request. The code
// works once and only before it expires.
func (s *Service) ClaimPairing(ctx context.Context, code, name string, kind Role, checkpoint string) (Device, error) {
	switch kind {
	case RoleKiosk, RoleScreen, RoleUsher:
	default:
		return Device{}, fmt.Errorf("auth: a device cannot be a %q", kind)
	}
	if kind == RoleKiosk && checkpoint == "" {
		return Device{}, errors.New("auth: a kiosk needs a checkpoint")
	}
	if len(code) != 8 {
		return Device{}, ErrBadPairingCode
	}
	var dev Device
	err := s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		now := time.Now()
		var claim string
		err := tx.QueryRowContext(ctx, `SELECT claim_hash FROM pairing_requests
			WHERE code_hash = ? AND expires_at > ? AND device_id IS NULL`, hashToken(code), store.FormatTime(now)).Scan(&claim)
		if errors.Is(err, sql.ErrNoRows) {
			return store.Change{}, ErrBadPairingCode
		} else if err != nil {
			return store.Change{}, err
		}
		dev = Device{ID: "dev-" + newToken("")[:8], Name: name, Kind: kind, Checkpoint: checkpoint, CreatedAt: now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO devices (id, name, kind, checkpoint_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			dev.ID, name, string(kind), nullStr(checkpoint), store.FormatTime(now)); err != nil {
			return store.Change{}, fmt.Errorf("auth: claim device: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pairing_requests SET device_id = ? WHERE claim_hash = ?`, dev.ID, claim); err != nil {
			return store.Change{}, err
		}
		return store.Change{}, nil
	})
	return dev, err
}

// PollPairing is the kiosk asking whether its code was claimed. Once it
// was, the token is minted here and the request deleted, so the claim
// secret works once and the token is never stored in the clear.
func (s *Service) PollPairing(ctx context.Context, claim string) (Device, string, error) {
	if claim == "" || len(claim) > 200 {
		return Device{}, "", ErrPairingGone
	}
	token := newToken("hwd_")
	var dev Device
	err := s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		now := time.Now()
		var expires, device string
		err := tx.QueryRowContext(ctx, `SELECT expires_at, coalesce(device_id, '') FROM pairing_requests WHERE claim_hash = ?`,
			hashToken(claim)).Scan(&expires, &device)
		if errors.Is(err, sql.ErrNoRows) {
			return store.Change{}, ErrPairingGone
		} else if err != nil {
			return store.Change{}, err
		}
		if device == "" {
			if !store.ReadTime(expires).After(now) {
				return store.Change{}, ErrPairingGone
			}
			return store.Change{}, ErrPairingPending
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM pairing_requests WHERE claim_hash = ?`, hashToken(claim)); err != nil {
			return store.Change{}, err
		}
		// A device revoked between the desk's claim and the kiosk's poll
		// gets nothing.
		res, err := tx.ExecContext(ctx, `UPDATE devices SET token_hash = ?, paired_at = ? WHERE id = ? AND revoked_at IS NULL`,
			hashToken(token), store.FormatTime(now), device)
		if err != nil {
			return store.Change{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.Change{}, errPollRevoked
		}
		dev, err = deviceByID(ctx, tx, device)
		return store.Change{}, err
	})
	if errors.Is(err, errPollRevoked) {
		// The request row must still go: commit its deletion on its own.
		_ = s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
			_, err := tx.ExecContext(ctx, `DELETE FROM pairing_requests WHERE claim_hash = ?`, hashToken(claim))
			return store.Change{}, err
		})
		return Device{}, "", ErrPairingGone
	}
	if err != nil {
		return Device{}, "", err
	}
	s.forget()
	return dev, token, nil
}

var errPollRevoked = errors.New("auth: device revoked before pairing completed")
