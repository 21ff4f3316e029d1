package auth

import (
	"context"
	"errors"
	"fmt"
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
	// A clash with a live code is one in millions; draw again then. A
	// request claimed but never collected is kept one more PairingTTL.
	for range 5 {
		r.Code = pairingCode()
		err := s.db.AddPairingRequest(ctx, store.PairingRequest{ClaimHash: hashToken(r.Claim), CodeHash: hashToken(r.Code),
			Expires: r.Expires, At: now}, PairingTTL)
		if !errors.Is(err, store.ErrPairingCodeTaken) {
			return r, err
		}
	}
	return r, errors.New("auth: no free pairing code")
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
	now := time.Now()
	dev := Device{ID: "dev-" + newToken("")[:8], Name: name, Kind: kind, Checkpoint: checkpoint, CreatedAt: now}
	err := s.db.ClaimPairing(ctx, hashToken(code), store.NewDevice{ID: dev.ID, Name: name, Kind: string(kind),
		Checkpoint: checkpoint, At: now})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Device{}, ErrBadPairingCode
	case err != nil:
		return Device{}, err
	}
	return dev, nil
}

// PollPairing is the kiosk asking whether its code was claimed. Once it
// was, the token is minted here and the request deleted, so the claim
// secret works once and the token is never stored in the clear.
func (s *Service) PollPairing(ctx context.Context, claim string) (Device, string, error) {
	if claim == "" || len(claim) > 200 {
		return Device{}, "", ErrPairingGone
	}
	token := newToken("hwd_")
	d, err := s.db.CollectPairing(ctx, hashToken(claim), hashToken(token), time.Now())
	switch {
	case errors.Is(err, store.ErrPairingPending):
		return Device{}, "", ErrPairingPending
	case errors.Is(err, store.ErrNotFound):
		// Unknown, expired, or its device revoked before the kiosk came.
		return Device{}, "", ErrPairingGone
	case err != nil:
		return Device{}, "", err
	}
	s.forget()
	return device(d), token, nil
}
