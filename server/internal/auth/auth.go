// Package auth knows who is calling: the admin token given at start, people
// with a role (desk, usher, screen), and paired devices (kiosks, screens,
// usher tablets). Tokens are random, shown once, and stored only as SHA-256
// hashes. Revoking a device or user takes effect on its next request.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"huiwu/server/internal/store"
)

// Role is what a caller may do.
type Role string

// The roles. A device's role is its kind.
const (
	RoleAdmin  Role = "admin"
	RoleDesk   Role = "desk"
	RoleUsher  Role = "usher"
	RoleKiosk  Role = "kiosk"
	RoleScreen Role = "screen"
)

// Principal is an authenticated caller.
type Principal struct {
	Role Role
	// Name is who, for logs and the audit trail: "admin", "user:3 王芳",
	// "device:k7f3 东门1号".
	Name string
	// Device is the device id for paired devices, else "".
	Device string
	// Checkpoint is a kiosk's checkpoint at the moment of the request.
	Checkpoint string
}

// Can reports whether the principal holds one of roles; admin holds all.
func (p Principal) Can(roles ...Role) bool {
	if p.Role == RoleAdmin {
		return true
	}
	for _, r := range roles {
		if p.Role == r {
			return true
		}
	}
	return false
}

// ErrUnauthenticated means no valid token was presented.
var ErrUnauthenticated = errors.New("auth: no valid token")

// Service authenticates tokens and manages users and devices.
type Service struct {
	db         *store.DB
	adminToken []byte

	mu    sync.Mutex
	cache map[string]Principal // token hash -> principal
	seen  map[string]time.Time // device id -> last request
}

// New makes the service. adminToken may be empty (no static admin token).
func New(db *store.DB, adminToken string) *Service {
	return &Service{db: db, adminToken: []byte(adminToken), cache: map[string]Principal{}, seen: map[string]time.Time{}}
}

// Authenticate resolves a bearer token.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	if token == "" || len(token) > 200 {
		return Principal{}, ErrUnauthenticated
	}
	if len(s.adminToken) > 0 && subtle.ConstantTimeCompare([]byte(token), s.adminToken) == 1 {
		return Principal{Role: RoleAdmin, Name: "admin"}, nil
	}
	h := hashToken(token)
	s.mu.Lock()
	p, ok := s.cache[h]
	s.mu.Unlock()
	if !ok {
		var err error
		if p, err = s.lookup(ctx, h); err != nil {
			return Principal{}, err
		}
		s.mu.Lock()
		s.cache[h] = p
		s.mu.Unlock()
	}
	if p.Device != "" {
		s.mu.Lock()
		s.seen[p.Device] = time.Now()
		s.mu.Unlock()
	}
	return p, nil
}

func (s *Service) lookup(ctx context.Context, h string) (Principal, error) {
	var id int64
	var name, role string
	err := s.db.R.QueryRowContext(ctx, `SELECT id, name, role FROM users WHERE token_hash = ? AND revoked_at IS NULL`, h).
		Scan(&id, &name, &role)
	if err == nil {
		return Principal{Role: Role(role), Name: fmt.Sprintf("user:%d %s", id, name)}, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return Principal{}, fmt.Errorf("auth: %w", err)
	}
	var dev, kind, checkpoint string
	err = s.db.R.QueryRowContext(ctx, `SELECT id, name, kind, coalesce(checkpoint_id, '') FROM devices
		WHERE token_hash = ? AND revoked_at IS NULL`, h).Scan(&dev, &name, &kind, &checkpoint)
	if errors.Is(err, sql.ErrNoRows) {
		return Principal{}, ErrUnauthenticated
	} else if err != nil {
		return Principal{}, fmt.Errorf("auth: %w", err)
	}
	return Principal{Role: Role(kind), Name: "device:" + dev + " " + name, Device: dev, Checkpoint: checkpoint}, nil
}

// forget drops cached principals so that a change to users or devices
// applies to the very next request.
func (s *Service) forget() {
	s.mu.Lock()
	clear(s.cache)
	s.mu.Unlock()
}

// LastSeen is when each device last made a request since this process
// started.
func (s *Service) LastSeen() map[string]time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]time.Time, len(s.seen))
	for k, v := range s.seen {
		out[k] = v
	}
	return out
}

// CreateUser adds a person with a role and returns their token, shown once.
func (s *Service) CreateUser(ctx context.Context, name string, role Role) (int64, string, error) {
	switch role {
	case RoleAdmin, RoleDesk, RoleUsher, RoleScreen:
	default:
		return 0, "", fmt.Errorf("auth: a user cannot have role %q", role)
	}
	token := newToken("hwu_")
	var id int64
	err := s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)`,
			name, string(role), hashToken(token), store.FormatTime(time.Now()))
		if err != nil {
			return store.Change{}, fmt.Errorf("auth: create user: %w", err)
		}
		id, _ = res.LastInsertId()
		return store.Change{}, nil
	})
	return id, token, err
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newToken makes a random bearer token with a prefix that says what it is
// (hwu_ user, hwd_ device), which helps when one turns up in a log.
func newToken(prefix string) string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}
