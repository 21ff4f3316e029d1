package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Credential is a badge credential as stored: its serial, the key that
// signs it, and when it was issued. The token printed in the QR code is
// rebuilt from these (signatures are deterministic), so it is not stored.
type Credential struct {
	Serial   int64
	KeyID    string
	IssuedAt time.Time
}

// AddSigningKey records a signing key's public half, once, so that kiosks
// can download every key they may meet and verify offline.
func (db *DB) AddSigningKey(ctx context.Context, keyID string, public []byte, at time.Time) error {
	if _, err := db.w.ExecContext(ctx, `INSERT INTO signing_keys (key_id, public_key, created_at) VALUES (?, ?, ?)
		ON CONFLICT (key_id) DO NOTHING`, keyID, public, FormatTime(at)); err != nil {
		return fmt.Errorf("store: record public key: %w", err)
	}
	return nil
}

// SigningKeys are the public keys of every signing key recorded.
func (db *DB) SigningKeys(ctx context.Context) ([][]byte, error) {
	return readAll(ctx, db.r, "public keys", func(row interface{ Scan(...any) error }) ([]byte, error) {
		var pub []byte
		err := row.Scan(&pub)
		return pub, err
	}, `SELECT public_key FROM signing_keys`)
}

// LiveCredential is the attendee's credential not revoked; ErrNotFound
// when there is none.
func (db *DB) LiveCredential(ctx context.Context, attendee int64) (Credential, error) {
	return liveCredential(ctx, db.r, attendee)
}

// IssueCredential answers the attendee's live credential, issuing the
// first one signed with keyID when there is none (another request may have
// issued it since the caller looked). ErrNotFound for an unknown attendee.
func (db *DB) IssueCredential(ctx context.Context, attendee int64, keyID string) (Credential, error) {
	var c Credential
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var err error
		if c, err = liveCredential(ctx, tx, attendee); !errors.Is(err, ErrNotFound) {
			return Change{}, err
		}
		c, err = issueCredential(ctx, tx, attendee, keyID)
		return Change{Attendees: []int64{attendee}}, err
	})
	return c, err
}

// ReissueCredential revokes the attendee's live credential (a lost badge)
// and issues a new one signed with keyID, in one transaction with its
// audit row: from the commit on, the old token scans as revoked.
// ErrNotFound for an unknown attendee.
func (db *DB) ReissueCredential(ctx context.Context, attendee int64, keyID, reason, actor string) (Credential, error) {
	var c Credential
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		if reason == "" {
			reason = "reissued"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE credentials SET revoked_at = ?, revoke_reason = ?
			WHERE attendee_id = ? AND revoked_at IS NULL`, FormatTime(now), reason, attendee); err != nil {
			return Change{}, fmt.Errorf("store: revoke credential: %w", err)
		}
		var err error
		if c, err = issueCredential(ctx, tx, attendee, keyID); err != nil {
			return Change{}, err
		}
		err = audit(ctx, tx, now, actor, "credential.reissue", fmt.Sprint(attendee), fmt.Sprintf("serial %d: %s", c.Serial, reason))
		return Change{Attendees: []int64{attendee}}, err
	})
	return c, err
}

func liveCredential(ctx context.Context, q querier, attendee int64) (Credential, error) {
	var c Credential
	var issued string
	err := q.QueryRowContext(ctx, `SELECT serial, key_id, issued_at FROM credentials
		WHERE attendee_id = ? AND revoked_at IS NULL`, attendee).Scan(&c.Serial, &c.KeyID, &issued)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	} else if err != nil {
		return c, fmt.Errorf("store: read credential: %w", err)
	}
	c.IssuedAt = ReadTime(issued)
	return c, nil
}

func issueCredential(ctx context.Context, tx *sql.Tx, attendee int64, keyID string) (Credential, error) {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM attendees WHERE id = ?`, attendee).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return Credential{}, ErrNotFound
	} else if err != nil {
		return Credential{}, fmt.Errorf("store: issue credential: %w", err)
	}
	// Stored times keep microseconds; answer the time as it will read back.
	now := ReadTime(FormatTime(time.Now()))
	c := Credential{KeyID: keyID, IssuedAt: now}
	if err := tx.QueryRowContext(ctx, `INSERT INTO credentials (attendee_id, key_id, issued_at) VALUES (?, ?, ?) RETURNING serial`,
		attendee, keyID, FormatTime(now)).Scan(&c.Serial); err != nil {
		return Credential{}, fmt.Errorf("store: issue credential: %w", err)
	}
	return c, nil
}
