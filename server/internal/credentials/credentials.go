// Package credentials issues and revokes the signed tokens printed in badge
// QR codes. The private key lives in a file in the data directory (made on
// first start); its public half is stored in the database so kiosks can
// download every key they may meet and verify offline.
package credentials

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"huiwu/badge/credential"
	"huiwu/server/internal/store"
)

// keyFile is the signing key's file name inside the data directory.
const keyFile = "signing.key"

// Service issues credentials for one event.
type Service struct {
	db      *store.DB
	event   func() string // the event's id: there may be none when the server starts
	signer  *credential.Signer
	keyring *credential.Keyring
}

// Open loads the event's signing key from dataDir, creating it on first
// start, and the keyring of every public key the database knows.
func Open(ctx context.Context, dataDir string, db *store.DB, event func() string) (*Service, error) {
	signer, err := loadOrCreateKey(filepath.Join(dataDir, keyFile))
	if err != nil {
		return nil, err
	}
	now := store.FormatTime(time.Now())
	if _, err := db.W.ExecContext(ctx, `INSERT INTO signing_keys (key_id, public_key, created_at) VALUES (?, ?, ?)
		ON CONFLICT (key_id) DO NOTHING`, signer.KeyID(), []byte(signer.Public()), now); err != nil {
		return nil, fmt.Errorf("credentials: record public key: %w", err)
	}
	keyring, err := credential.NewKeyring()
	if err != nil {
		return nil, err
	}
	rows, err := db.R.QueryContext(ctx, `SELECT public_key FROM signing_keys`)
	if err != nil {
		return nil, fmt.Errorf("credentials: read public keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pub []byte
		if err := rows.Scan(&pub); err != nil {
			return nil, err
		}
		if err := keyring.Add(pub); err != nil {
			return nil, fmt.Errorf("credentials: stored public key: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return &Service{db: db, event: event, signer: signer, keyring: keyring}, nil
}

func loadOrCreateKey(path string) (*credential.Signer, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		s, err := credential.ParseSigner(b)
		if err != nil {
			return nil, fmt.Errorf("credentials: %s: %w", path, err)
		}
		return s, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("credentials: read key: %w", err)
	}
	s, err := credential.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	// Write to a temporary file and rename, so a crash never leaves a
	// half-written key that would make every printed badge unverifiable.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, credential.MarshalSigner(s), 0o600); err != nil {
		return nil, fmt.Errorf("credentials: write key: %w", err)
	}
	if f, err := os.Open(tmp); err == nil {
		f.Sync()
		f.Close()
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("credentials: write key: %w", err)
	}
	return s, nil
}

// Keyring is the set of public keys scans are verified against.
func (s *Service) Keyring() *credential.Keyring { return s.keyring }

// KeyID names the key new credentials are signed with.
func (s *Service) KeyID() string { return s.signer.KeyID() }

// Credential is a badge credential: the QR text and its serial.
type Credential struct {
	Token    string    `json:"token"`
	Serial   int64     `json:"serial"`
	KeyID    string    `json:"key_id"`
	IssuedAt time.Time `json:"issued_at"`
}

// Current returns the attendee's live credential, issuing the first one if
// the attendee has none yet. Signatures are deterministic, so the token is
// rebuilt from its serial rather than stored.
func (s *Service) Current(ctx context.Context, attendee int64) (Credential, error) {
	c, err := s.live(ctx, s.db.R, attendee)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return c, err
	}
	err = s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		// Another request may have issued one meanwhile.
		if c, err = s.live(ctx, tx, attendee); err == nil {
			return store.Change{}, nil
		}
		c, err = s.issue(ctx, tx, attendee)
		return store.Change{Attendees: []int64{attendee}}, err
	})
	return c, err
}

// Reissue revokes the attendee's live credential (a lost badge) and issues a
// new one in the same transaction; from its commit on the old token scans as
// revoked.
func (s *Service) Reissue(ctx context.Context, attendee int64, reason, actor string) (Credential, error) {
	var c Credential
	err := s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		now := store.FormatTime(time.Now())
		if reason == "" {
			reason = "reissued"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE credentials SET revoked_at = ?, revoke_reason = ?
			WHERE attendee_id = ? AND revoked_at IS NULL`, now, reason, attendee); err != nil {
			return store.Change{}, fmt.Errorf("credentials: revoke: %w", err)
		}
		var err error
		if c, err = s.issue(ctx, tx, attendee); err != nil {
			return store.Change{}, err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, 'credential.reissue', ?, ?)`,
			now, actor, fmt.Sprint(attendee), fmt.Sprintf("serial %d: %s", c.Serial, reason))
		return store.Change{Attendees: []int64{attendee}}, err
	})
	return c, err
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Service) live(ctx context.Context, q querier, attendee int64) (Credential, error) {
	var c Credential
	var issued string
	err := q.QueryRowContext(ctx, `SELECT serial, key_id, issued_at FROM credentials
		WHERE attendee_id = ? AND revoked_at IS NULL`, attendee).Scan(&c.Serial, &c.KeyID, &issued)
	if errors.Is(err, sql.ErrNoRows) {
		return c, store.ErrNotFound
	} else if err != nil {
		return c, fmt.Errorf("credentials: read: %w", err)
	}
	if c.KeyID != s.signer.KeyID() {
		return c, fmt.Errorf("credentials: serial %d was signed with key %s, which this server does not hold", c.Serial, c.KeyID)
	}
	c.IssuedAt = store.ReadTime(issued)
	c.Token, err = s.signer.Sign(credential.Claims{Event: s.event(), Attendee: attendee, Serial: c.Serial})
	return c, err
}

func (s *Service) issue(ctx context.Context, tx *sql.Tx, attendee int64) (Credential, error) {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM attendees WHERE id = ?`, attendee).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return Credential{}, store.ErrNotFound
	} else if err != nil {
		return Credential{}, err
	}
	// Stored times keep microseconds; answer the time as it will read back.
	now := store.ReadTime(store.FormatTime(time.Now()))
	res, err := tx.ExecContext(ctx, `INSERT INTO credentials (attendee_id, key_id, issued_at) VALUES (?, ?, ?)`,
		attendee, s.signer.KeyID(), store.FormatTime(now))
	if err != nil {
		return Credential{}, fmt.Errorf("credentials: issue: %w", err)
	}
	c := Credential{KeyID: s.signer.KeyID(), IssuedAt: now}
	c.Serial, _ = res.LastInsertId()
	c.Token, err = s.signer.Sign(credential.Claims{Event: s.event(), Attendee: attendee, Serial: c.Serial})
	return c, err
}
