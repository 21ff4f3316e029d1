// Package credentials issues and revokes the signed tokens printed in badge
// QR codes. The signing key (Ed25519) lives in the database, sealed with a
// master key that comes from outside it (HUIWU_KEY, a key file, or on a
// single SQLite machine DATA/master.key), so that every server on one
// database signs and verifies with the same key. Its public half is stored
// beside it so kiosks can download every key they may meet and verify
// offline. A signing.key file from before is moved in on start.
package credentials

import (
	"context"
	"errors"
	"fmt"
	"time"

	"huiwu/badge/credential"
	"huiwu/server/internal/store"
)

// Service issues credentials for one event.
type Service struct {
	db      *store.DB
	event   func() string // the event's id: there may be none when the server starts
	signer  *credential.Signer
	keyring *credential.Keyring
}

// Open loads the signing key from the database with the master key cfg
// names, putting one there on first start (see loadOrPut), and the keyring
// of every public key the database knows. A master key that does not open
// the stored key is refused (ErrWrongMasterKey) and nothing is changed.
func Open(ctx context.Context, cfg Config, db *store.DB, event func() string) (*Service, error) {
	signer, err := loadOrPut(ctx, cfg, db)
	if err != nil {
		return nil, err
	}
	// The public half went in with the sealed key; this covers a database
	// whose signing_keys row was lost since, and costs nothing otherwise.
	if err := db.AddSigningKey(ctx, signer.KeyID(), []byte(signer.Public()), time.Now()); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	keyring, err := credential.NewKeyring()
	if err != nil {
		return nil, err
	}
	keys, err := db.SigningKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	for _, pub := range keys {
		if err := keyring.Add(pub); err != nil {
			return nil, fmt.Errorf("credentials: stored public key: %w", err)
		}
	}
	return &Service{db: db, event: event, signer: signer, keyring: keyring}, nil
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
	c, err := s.db.LiveCredential(ctx, attendee)
	if errors.Is(err, store.ErrNotFound) {
		// Nothing is issued that could not be signed (no event yet).
		if err := s.signable(); err != nil {
			return Credential{}, err
		}
		c, err = s.db.IssueCredential(ctx, attendee, s.signer.KeyID())
	}
	if err != nil {
		return Credential{}, err
	}
	return s.token(attendee, c)
}

// Reissue revokes the attendee's live credential (a lost badge) and issues a
// new one in the same transaction; from its commit on the old token scans as
// revoked.
func (s *Service) Reissue(ctx context.Context, attendee int64, reason, actor string) (Credential, error) {
	if err := s.signable(); err != nil {
		return Credential{}, err
	}
	c, err := s.db.ReissueCredential(ctx, attendee, s.signer.KeyID(), reason, actor)
	if err != nil {
		return Credential{}, err
	}
	return s.token(attendee, c)
}

// signable checks, before a credential is stored, that its token can be
// signed: the claims need the event's id (the attendee is the store's to
// find, and serials are positive).
func (s *Service) signable() error {
	return credential.Claims{Event: s.event(), Attendee: 1, Serial: 1}.Validate()
}

// token answers a stored credential with its QR text. A credential signed
// with a key this server does not hold cannot be rebuilt.
func (s *Service) token(attendee int64, sc store.Credential) (Credential, error) {
	c := Credential{Serial: sc.Serial, KeyID: sc.KeyID, IssuedAt: sc.IssuedAt}
	if c.KeyID != s.signer.KeyID() {
		return c, fmt.Errorf("credentials: serial %d was signed with key %s, which this server does not hold", c.Serial, c.KeyID)
	}
	var err error
	c.Token, err = s.signer.Sign(credential.Claims{Event: s.event(), Attendee: attendee, Serial: c.Serial})
	return c, err
}
