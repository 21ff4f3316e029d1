package store

import (
	"context"
	"fmt"
)

// KioskKeys is what a kiosk needs to verify badges offline: the public
// keys in use and the serials that no longer count.
type KioskKeys struct {
	Keys           []PublicKey
	RevokedSerials []int64 // ascending
}

// PublicKey is the public half of a signing key that is not retired.
type PublicKey struct {
	ID     string
	Public []byte
}

// KioskKeys reads the keys and the revoked serials in one read
// transaction, so that a kiosk never gets a list older than its keys.
func (db *DB) KioskKeys(ctx context.Context) (KioskKeys, error) {
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return KioskKeys{}, fmt.Errorf("store: kiosk keys: %w", err)
	}
	defer tx.Rollback()
	keys, err := readAll(ctx, tx, "signing keys", func(row interface{ Scan(...any) error }) (PublicKey, error) {
		var k PublicKey
		err := row.Scan(&k.ID, &k.Public)
		return k, err
	}, `SELECT key_id, public_key FROM signing_keys WHERE retired_at IS NULL`)
	if err != nil {
		return KioskKeys{}, err
	}
	revoked, err := readAll(ctx, tx, "revoked serials", func(row interface{ Scan(...any) error }) (int64, error) {
		var n int64
		err := row.Scan(&n)
		return n, err
	}, `SELECT serial FROM credentials WHERE revoked_at IS NOT NULL ORDER BY serial`)
	if err != nil {
		return KioskKeys{}, err
	}
	return KioskKeys{Keys: keys, RevokedSerials: revoked}, nil
}
