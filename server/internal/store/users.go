package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors about staff accounts.
var (
	// ErrLoginTaken means another account already has the user name.
	ErrLoginTaken = errors.New("store: user name taken")
	// ErrAdminExists means the first admin was asked for when an admin
	// account that can sign in already exists.
	ErrAdminExists = errors.New("store: an admin account exists")
	// ErrLastAdmin means the change would leave no admin account that can
	// sign in.
	ErrLastAdmin = errors.New("store: the last admin account")
)

// User is a staff account: a person who signs in with a user name and a
// password, or a token-only account made for a script (Login empty).
type User struct {
	ID    int64
	Login string
	Name  string
	Role  string
	// PasswordHash is the argon2id PHC string; empty for token-only users.
	PasswordHash string
	// FailedLogins counts wrong passwords since the last sign-in or lock.
	FailedLogins int
	LockedUntil  time.Time // zero when not locked
	CreatedAt    time.Time
	CreatedBy    string
	RevokedAt    time.Time // zero while active
}

// UserSession is one sign-in (a browser's cookie) or one API token of a user.
type UserSession struct {
	ID         int64
	User       int64
	Kind       string // "browser" or "api"
	Address    string
	Agent      string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // the absolute limit
}

// NewUserSession is a session to store; TokenHash is the SHA-256 of its token.
type NewUserSession struct {
	TokenHash string
	Kind      string
	Address   string
	Agent     string
	At        time.Time
	Expires   time.Time
}

// NewUser is an account to create.
type NewUser struct {
	Login        string // "" for a token-only account
	Name         string
	Role         string
	PasswordHash string
	Actor        string // who creates it, for the audit log
	// FirstAdmin makes the creation fail with ErrAdminExists when an admin
	// that can sign in exists (checked in the same transaction).
	FirstAdmin bool
	// Session, when set, is stored for the new user in the same
	// transaction (a script's token, or the first admin's sign-in).
	Session *NewUserSession
}

const userColumns = `id, coalesce(login, ''), name, role, password_hash, failed_logins, coalesce(locked_until, ''),
	created_at, created_by, coalesce(revoked_at, '')`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var locked, created, revoked string
	if err := row.Scan(&u.ID, &u.Login, &u.Name, &u.Role, &u.PasswordHash, &u.FailedLogins, &locked,
		&created, &u.CreatedBy, &revoked); err != nil {
		return u, err
	}
	u.LockedUntil, u.CreatedAt, u.RevokedAt = ReadTime(locked), ReadTime(created), ReadTime(revoked)
	return u, nil
}

// usableAdmins counts the active admin accounts that can sign in, other
// than except.
func usableAdmins(ctx context.Context, tx *sql.Tx, except int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND revoked_at IS NULL
		AND password_hash <> '' AND id <> ?`, except).Scan(&n)
	return n, err
}

func userSubject(id int64, login string) string {
	if login == "" {
		return fmt.Sprintf("user:%d", id)
	}
	return fmt.Sprintf("user:%d %s", id, login)
}

func insertSession(ctx context.Context, tx *sql.Tx, user int64, s NewUserSession) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO user_sessions (user_id, token_hash, kind, address, agent, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, user, s.TokenHash, s.Kind, s.Address, s.Agent,
		FormatTime(s.At), FormatTime(s.At), FormatTime(s.Expires)).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: create session: %w", err)
	}
	return id, nil
}

// CreateUser stores a new account (and its first session, if given) and
// audits it. It answers the user's id and the session's (0 without one).
func (db *DB) CreateUser(ctx context.Context, u NewUser) (user, session int64, err error) {
	now := time.Now()
	if u.Session != nil {
		now = u.Session.At
	}
	err = db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		if u.FirstAdmin {
			if n, err := usableAdmins(ctx, tx, 0); err != nil {
				return Change{}, err
			} else if n > 0 {
				return Change{}, ErrAdminExists
			}
		}
		var login any
		if u.Login != "" {
			login = u.Login
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO users (login, name, role, password_hash, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, login, u.Name, u.Role, u.PasswordHash, FormatTime(now), u.Actor).Scan(&user); err != nil {
			if isUnique(err) {
				return Change{}, ErrLoginTaken
			}
			return Change{}, fmt.Errorf("store: create user: %w", err)
		}
		if u.Session != nil {
			if session, err = insertSession(ctx, tx, user, *u.Session); err != nil {
				return Change{}, err
			}
		}
		return Change{}, audit(ctx, tx, now, u.Actor, "user.create", userSubject(user, u.Login), u.Role)
	})
	return user, session, err
}

// HasAdmin reports whether an active admin account can sign in with a
// password: then the one-time login link creates nobody.
func (db *DB) HasAdmin(ctx context.Context) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND revoked_at IS NULL AND password_hash <> ''`).Scan(&n)
	return n > 0, err
}

// UserByLogin finds an account by user name, whatever its case; revoked
// accounts are found too (the caller refuses them).
func (db *DB) UserByLogin(ctx context.Context, login string) (User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE login = ?`, login))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	return u, err
}

// UserByID finds an account by id.
func (db *DB) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	return u, err
}

// Users lists every account, active ones first, then by id.
func (db *DB) Users(ctx context.Context) ([]User, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY revoked_at IS NOT NULL, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateUser renames an account or gives it another role (nil leaves a
// field as it is) and audits it. Taking the admin role from the last admin
// that can sign in is refused with ErrLastAdmin.
func (db *DB) UpdateUser(ctx context.Context, id int64, name, role *string, actor string) (User, error) {
	var u User
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		old, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ? AND revoked_at IS NULL`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, err
		}
		now := time.Now()
		if name != nil && *name != old.Name {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET name = ? WHERE id = ?`, *name, id); err != nil {
				return Change{}, err
			}
			if err := audit(ctx, tx, now, actor, "user.rename", userSubject(id, old.Login), old.Name+" → "+*name); err != nil {
				return Change{}, err
			}
		}
		if role != nil && *role != old.Role {
			if old.Role == "admin" && old.PasswordHash != "" {
				if n, err := usableAdmins(ctx, tx, id); err != nil {
					return Change{}, err
				} else if n == 0 {
					return Change{}, ErrLastAdmin
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, *role, id); err != nil {
				return Change{}, fmt.Errorf("store: set role: %w", err)
			}
			if err := audit(ctx, tx, now, actor, "user.role", userSubject(id, old.Login), old.Role+" → "+*role); err != nil {
				return Change{}, err
			}
		}
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
		return Change{}, err
	})
	return u, err
}

// endSessions ends every open session of user.
func endSessions(ctx context.Context, tx *sql.Tx, user int64, at time.Time, by string) error {
	_, err := tx.ExecContext(ctx, `UPDATE user_sessions SET ended_at = ?, ended_by = ? WHERE user_id = ? AND ended_at IS NULL`,
		FormatTime(at), by, user)
	return err
}

// SetPassword replaces an account's password hash, lifts its lock and
// ends every session it has (whoever held the old password is signed out).
// It gives a token-only account a password only when it has a login.
func (db *DB) SetPassword(ctx context.Context, id int64, hash, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		var login string
		err := tx.QueryRowContext(ctx, `SELECT coalesce(login, '') FROM users WHERE id = ? AND revoked_at IS NULL`, id).Scan(&login)
		if errors.Is(err, sql.ErrNoRows) || err == nil && login == "" {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?`,
			hash, id); err != nil {
			return Change{}, err
		}
		if err := endSessions(ctx, tx, id, now, "password reset"); err != nil {
			return Change{}, err
		}
		return Change{}, audit(ctx, tx, now, actor, "user.password", userSubject(id, login), "")
	})
}

// RevokeUser disables an account for good and ends its sessions. The last
// admin that can sign in is not revoked (ErrLastAdmin).
func (db *DB) RevokeUser(ctx context.Context, id int64, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ? AND revoked_at IS NULL`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, err
		}
		if u.Role == "admin" && u.PasswordHash != "" {
			if n, err := usableAdmins(ctx, tx, id); err != nil {
				return Change{}, err
			} else if n == 0 {
				return Change{}, ErrLastAdmin
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET revoked_at = ?, revoked_by = ? WHERE id = ?`, FormatTime(now), actor, id); err != nil {
			return Change{}, err
		}
		if err := endSessions(ctx, tx, id, now, "account revoked"); err != nil {
			return Change{}, err
		}
		return Change{}, audit(ctx, tx, now, actor, "user.revoke", userSubject(id, u.Login), "")
	})
}

// LoginFailed counts a wrong password for the account. At the max-th in a
// row the account is locked until at+lockFor (audited) and the count
// starts again; it answers when the lock ends (zero when not locked).
func (db *DB) LoginFailed(ctx context.Context, id int64, at time.Time, max int, lockFor time.Duration, address string) (time.Time, error) {
	var until time.Time
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var n int
		var login string
		if err := tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?
			RETURNING failed_logins, coalesce(login, '')`, id).Scan(&n, &login); err != nil {
			return Change{}, err
		}
		if n < max {
			return Change{}, nil
		}
		until = at.Add(lockFor)
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?`, FormatTime(until), id); err != nil {
			return Change{}, err
		}
		return Change{}, audit(ctx, tx, at, "system", "user.locked", userSubject(id, login),
			fmt.Sprintf("%d wrong passwords, last from %s; locked until %s", n, address, FormatTime(until)))
	})
	return until, err
}

// SignIn stores a new session for a user who gave the right password,
// clears their failure count, and audits the sign-in.
func (db *DB) SignIn(ctx context.Context, user int64, s NewUserSession) (int64, error) {
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var login string
		if err := tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ? AND revoked_at IS NULL
			RETURNING coalesce(login, '')`, user).Scan(&login); errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, err
		}
		var err error
		if id, err = insertSession(ctx, tx, user, s); err != nil {
			return Change{}, err
		}
		return Change{}, audit(ctx, tx, s.At, userSubject(user, login), "user.login", userSubject(user, login),
			strings.TrimSpace(s.Kind+" "+s.Address))
	})
	return id, err
}

// AddSession stores another API token for an active user.
func (db *DB) AddSession(ctx context.Context, user int64, s NewUserSession) (int64, error) {
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var err error
		id, err = insertSession(ctx, tx, user, s)
		return Change{}, err
	})
	return id, err
}

// SessionByToken finds the open session whose token hashes to hash, with
// its user, who must be active. Expiry is the caller's to judge.
func (db *DB) SessionByToken(ctx context.Context, hash string) (UserSession, User, error) {
	var s UserSession
	var created, seen, expires string
	row := db.r.QueryRowContext(ctx, `SELECT s.id, s.kind, s.address, s.agent, s.created_at, s.last_seen_at, s.expires_at,
		u.id, coalesce(u.login, ''), u.name, u.role, u.password_hash, u.failed_logins, coalesce(u.locked_until, ''),
		u.created_at, u.created_by, coalesce(u.revoked_at, '')
		FROM user_sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.ended_at IS NULL AND u.revoked_at IS NULL`, hash)
	u, err := scanUser(sessionRow{row: row, s: &s, created: &created, seen: &seen, expires: &expires})
	if errors.Is(err, sql.ErrNoRows) {
		return UserSession{}, User{}, ErrNotFound
	} else if err != nil {
		return UserSession{}, User{}, err
	}
	s.User = u.ID
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = ReadTime(created), ReadTime(seen), ReadTime(expires)
	return s, u, nil
}

// sessionRow scans a session's columns before a user's.
type sessionRow struct {
	row                    interface{ Scan(...any) error }
	s                      *UserSession
	created, seen, expires *string
}

func (r sessionRow) Scan(dest ...any) error {
	return r.row.Scan(append([]any{&r.s.ID, &r.s.Kind, &r.s.Address, &r.s.Agent, r.created, r.seen, r.expires}, dest...)...)
}

// TouchSession records that a session was used at at.
func (db *DB) TouchSession(ctx context.Context, id int64, at time.Time) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		_, err := tx.ExecContext(ctx, `UPDATE user_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?`,
			FormatTime(at), id, FormatTime(at))
		return Change{}, err
	})
}

// EndSession ends one open session of user (signed out, or revoked by an
// admin: by says which) and audits it.
func (db *DB) EndSession(ctx context.Context, user, id int64, by, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		res, err := tx.ExecContext(ctx, `UPDATE user_sessions SET ended_at = ?, ended_by = ? WHERE id = ? AND user_id = ? AND ended_at IS NULL`,
			FormatTime(now), by, id, user)
		if err != nil {
			return Change{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		return Change{}, audit(ctx, tx, now, actor, "session.end", fmt.Sprintf("session:%d user:%d", id, user), by)
	})
}

// OpenSessions lists the sessions not ended and not past their absolute
// limit at now, by user; idle ones are the caller's to leave out.
func (db *DB) OpenSessions(ctx context.Context, now time.Time) (map[int64][]UserSession, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, user_id, kind, address, agent, created_at, last_seen_at, expires_at
		FROM user_sessions WHERE ended_at IS NULL AND expires_at > ? ORDER BY id`, FormatTime(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]UserSession{}
	for rows.Next() {
		var s UserSession
		var created, seen, expires string
		if err := rows.Scan(&s.ID, &s.User, &s.Kind, &s.Address, &s.Agent, &created, &seen, &expires); err != nil {
			return nil, err
		}
		s.CreatedAt, s.LastSeenAt, s.ExpiresAt = ReadTime(created), ReadTime(seen), ReadTime(expires)
		out[s.User] = append(out[s.User], s)
	}
	return out, rows.Err()
}
