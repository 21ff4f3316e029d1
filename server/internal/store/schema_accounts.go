package store

// schemaAccounts makes users named staff accounts and gives them sessions
// (issue 10.4).
//
//   - users gains a login (the user name typed on the login page, unique
//     whatever its case; NULL for a token-only account made by a script),
//     an argon2id password hash (PHC string, salt inside; empty: none),
//     the per-account lock-out counters and who created and revoked it. The
//     role "chair" joins, and the token moves out to user_sessions. SQLite
//     cannot change a CHECK, so the table is copied.
//   - user_sessions: one row per sign-in (a browser's cookie) or API token,
//     stored as the SHA-256 of the token only. A session ends when it is
//     signed out or revoked (ended_at), when it expires (expires_at, the
//     absolute limit) or, for browsers, when idle past the limit since
//     last_seen_at (which the server writes at most once a minute).
//   - A token-only user of an older database keeps working: its token
//     becomes an API session that expires 30 days from this migration.
const schemaAccounts = `
ALTER TABLE users RENAME TO users_v6;
CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	login         TEXT UNIQUE COLLATE NOCASE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('admin','desk','usher','chair','screen')),
	password_hash TEXT NOT NULL DEFAULT '',
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until  TEXT,
	created_at    TEXT NOT NULL,
	created_by    TEXT NOT NULL DEFAULT '',
	revoked_at    TEXT,
	revoked_by    TEXT NOT NULL DEFAULT ''
);
INSERT INTO users (id, name, role, created_at, revoked_at)
	SELECT id, name, role, created_at, revoked_at FROM users_v6;

CREATE TABLE user_sessions (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users(id),
	token_hash   TEXT NOT NULL UNIQUE,
	kind         TEXT NOT NULL CHECK (kind IN ('browser','api')),
	address      TEXT NOT NULL DEFAULT '',
	agent        TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	ended_at     TEXT,
	ended_by     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX user_sessions_user ON user_sessions(user_id) WHERE ended_at IS NULL;
INSERT INTO user_sessions (user_id, token_hash, kind, created_at, last_seen_at, expires_at)
	SELECT id, token_hash, 'api', created_at, created_at,
		strftime('%Y-%m-%dT%H:%M:%f000Z', 'now', '+30 days') FROM users_v6 WHERE revoked_at IS NULL;
DROP TABLE users_v6;
`
