package store

// pgEdits holds, per migration, the PostgreSQL text of the statements that
// neither translate word for word nor as triggers (see postgresDDL).
// SQLite's table rebuilds become ALTER TABLE, which keeps PostgreSQL's
// names for constraints, indexes and the identity sequence; the triggers a
// rebuild recreates in SQLite stay on PostgreSQL's table.
var pgEdits = map[int][]pgEdit{
	6: {
		// The log gains its source and request key in place: the unique
		// scan_id becomes unique per source. The append-only trigger is
		// held off for the one UPDATE that fills source, as SQLite's copy
		// into a new table does without it.
		{"CREATE TABLE scans_v6", `
ALTER TABLE scans ADD COLUMN source TEXT;
ALTER TABLE scans ADD COLUMN request_key TEXT NOT NULL DEFAULT '';
ALTER TABLE scans DISABLE TRIGGER scans_no_update;
UPDATE scans SET source = CASE WHEN device_id <> '' THEN device_id ELSE 'actor:' || actor END;
ALTER TABLE scans ENABLE TRIGGER scans_no_update;
ALTER TABLE scans ALTER COLUMN source SET NOT NULL;
ALTER TABLE scans DROP CONSTRAINT scans_scan_id_key;
ALTER TABLE scans ADD CONSTRAINT scans_source_scan_id_key UNIQUE (source, scan_id);`},
		{"INSERT INTO scans_v6", ""},
		{"DROP TABLE scans", ""},
		{"ALTER TABLE scans_v6 RENAME TO scans", ""},
		{"CREATE INDEX scans_attendee", ""},
		{"CREATE INDEX scans_session", ""},
		{"CREATE INDEX scans_device", ""},
		{"CREATE TRIGGER scans_no_update", ""},
		{"CREATE TRIGGER scans_no_delete", ""},
		{"CREATE TRIGGER devices_assigned", `
CREATE FUNCTION devices_assigned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO device_assignments (device_id, from_at, checkpoint_id) VALUES (NEW.id, NEW.created_at, NEW.checkpoint_id)
		ON CONFLICT (device_id, from_at) DO UPDATE SET checkpoint_id = EXCLUDED.checkpoint_id;
	RETURN NULL;
END $$;
CREATE TRIGGER devices_assigned AFTER INSERT ON devices FOR EACH ROW EXECUTE FUNCTION devices_assigned();`},
		// SQLite's 'now' is the statement's time: statement_timestamp().
		{"CREATE TRIGGER devices_moved", `
CREATE FUNCTION devices_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO device_assignments (device_id, from_at, checkpoint_id) VALUES (NEW.id, ` + pgNow + `, NEW.checkpoint_id)
		ON CONFLICT (device_id, from_at) DO UPDATE SET checkpoint_id = EXCLUDED.checkpoint_id;
	RETURN NULL;
END $$;
CREATE TRIGGER devices_moved AFTER UPDATE OF checkpoint_id ON devices FOR EACH ROW
	WHEN (NEW.checkpoint_id IS DISTINCT FROM OLD.checkpoint_id) EXECUTE FUNCTION devices_moved();`},
	},
	7: {
		// users gains its columns in place and loses the token, which moves
		// to user_sessions; the role CHECK is replaced.
		{"ALTER TABLE users RENAME TO users_v6", `
ALTER TABLE users ADD COLUMN login TEXT COLLATE nocase UNIQUE;
ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT;
ALTER TABLE users ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN revoked_by TEXT NOT NULL DEFAULT '';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin','desk','usher','chair','screen'));`},
		{"CREATE TABLE users", ""},
		{"INSERT INTO users", ""},
		{"INSERT INTO user_sessions", `
INSERT INTO user_sessions (user_id, token_hash, kind, created_at, last_seen_at, expires_at)
	SELECT id, token_hash, 'api', created_at, created_at,
		to_char((statement_timestamp() AT TIME ZONE 'UTC') + interval '30 days', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
	FROM users WHERE revoked_at IS NULL;`},
		{"DROP TABLE users_v6", `ALTER TABLE users DROP COLUMN token_hash;`},
	},
	9: {
		// The role "logistics" joins: PostgreSQL replaces the CHECK, and
		// user_sessions, copied in SQLite only to follow users, stays.
		{"CREATE TABLE users_v9", `
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin','desk','usher','chair','screen','logistics'));`},
		{"INSERT INTO users_v9", ""},
		{"CREATE TABLE user_sessions_v9", ""},
		{"INSERT INTO user_sessions_v9", ""},
		{"DROP TABLE user_sessions", ""},
		{"DROP TABLE users", ""},
		{"ALTER TABLE users_v9 RENAME TO users", ""},
		{"ALTER TABLE user_sessions_v9 RENAME TO user_sessions", ""},
		{"CREATE INDEX user_sessions_user", ""},
	},
	14: {
		// randomblob(32): 32 bytes from the server's strong random source.
		// gen_random_uuid() (built in since PostgreSQL 13) draws 122 random
		// bits from pg_strong_random; SHA-256 over three of them (366 bits)
		// gives a uniformly distributed 32-byte key without pgcrypto.
		{"INSERT INTO document_key", `
INSERT INTO document_key (id, key) VALUES (1,
	sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())));`},
	},
}

// The edits of migrations added after v22 find their version by their
// text, so that the list's order is said in one place (migrate.go).
func init() {
	pgEdits[migrationVersion(schemaRoomsOrder)] = []pgEdit{
		// The rooms are numbered in the order they lie in the table, which
		// is their insertion order unless the table reused freed space;
		// see schema_rooms_order.go.
		{"UPDATE hotel_rooms SET sort", `
UPDATE hotel_rooms h SET sort = o.n
	FROM (SELECT venue_id, number, row_number() OVER (ORDER BY ctid) AS n FROM hotel_rooms) o
	WHERE h.venue_id = o.venue_id AND h.number = o.number;`},
	}
	pgEdits[migrationVersion(schemaFaceCheckDevice)] = []pgEdit{
		{"SELECT device_id FROM face_checks", `ALTER TABLE face_checks ALTER COLUMN device_id TYPE TEXT;`},
	}
}

// migrationVersion answers the version of the migration whose text is ddl.
func migrationVersion(ddl string) int {
	for i, m := range migrations {
		if m == ddl {
			return i + 1
		}
	}
	panic("store: migration not in the list")
}

// pgNow is SQLite's strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'): the
// statement's time in FormatTime's layout (to the microsecond, where
// SQLite has milliseconds and three zeros).
const pgNow = `to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
