package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SigningSecret is a signing key's private half as stored: sealed by the
// credentials package with a master key the database never sees. The store
// keeps the bytes and cannot open them.
type SigningSecret struct {
	KeyID     string
	Algorithm string // the seal's AEAD, e.g. "xchacha20poly1305"
	MasterID  string // names the master key that sealed it (not the key)
	Nonce     []byte
	Sealed    []byte
	CreatedAt time.Time
}

// PutSigningSecret makes s, with its public half, the signing key in use,
// unless a key is in use already; either way it answers the key in use as
// stored. Two servers that start at once on one database and each bring a
// key end with the same one: whichever write came first. Nothing is written
// when a key is in use, not even s's public half (kiosks would download a
// key nobody signs with).
func (db *DB) PutSigningSecret(ctx context.Context, s SigningSecret, public []byte) (SigningSecret, error) {
	var in SigningSecret
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var err error
		in, err = signingSecret(ctx, tx)
		if !errors.Is(err, ErrNotFound) {
			return Change{}, err // one is in use (or the read failed)
		}
		at := FormatTime(s.CreatedAt)
		if _, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (key_id, public_key, created_at) VALUES (?, ?, ?)
			ON CONFLICT (key_id) DO NOTHING`, s.KeyID, public, at); err != nil {
			return Change{}, fmt.Errorf("store: record public key: %w", err)
		}
		// Writers are serialised, so the read above already decided; the
		// conflict clause keeps the one-key rule should that ever change.
		if _, err := tx.ExecContext(ctx, `INSERT INTO signing_secrets (key_id, in_use, algorithm, master_id, nonce, sealed, created_at)
			VALUES (?, 1, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			s.KeyID, s.Algorithm, s.MasterID, s.Nonce, s.Sealed, at); err != nil {
			return Change{}, fmt.Errorf("store: put signing key: %w", err)
		}
		in, err = signingSecret(ctx, tx)
		return Change{}, err
	})
	return in, err
}

// SigningSecret answers the sealed signing key in use; ErrNotFound when the
// database has none yet.
func (db *DB) SigningSecret(ctx context.Context) (SigningSecret, error) {
	return signingSecret(ctx, db.r)
}

func signingSecret(ctx context.Context, q querier) (SigningSecret, error) {
	var s SigningSecret
	var at string
	err := q.QueryRowContext(ctx, `SELECT key_id, algorithm, master_id, nonce, sealed, created_at
		FROM signing_secrets WHERE in_use = 1`).Scan(&s.KeyID, &s.Algorithm, &s.MasterID, &s.Nonce, &s.Sealed, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	} else if err != nil {
		return s, fmt.Errorf("store: read signing key: %w", err)
	}
	s.CreatedAt = ReadTime(at)
	return s, nil
}
