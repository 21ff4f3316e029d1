package store

// schemaV1 is the first schema: the whole domain of DESIGN.md. Times are
// RFC 3339 text in UTC with a fixed width (see FormatTime) so that text order
// is time order; dates are YYYY-MM-DD.
const schemaV1 = `
CREATE TABLE event (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	name_en    TEXT NOT NULL DEFAULT '',
	timezone   TEXT NOT NULL,
	starts_on  TEXT NOT NULL,
	created_at TEXT NOT NULL
);

-- Public halves of the credential signing keys; the private keys live in
-- files in the data directory. Kiosks download these to verify offline.
CREATE TABLE signing_keys (
	key_id     TEXT PRIMARY KEY,
	public_key BLOB NOT NULL,
	created_at TEXT NOT NULL,
	retired_at TEXT
);

CREATE TABLE categories (
	code    TEXT PRIMARY KEY,
	name    TEXT NOT NULL,
	name_en TEXT NOT NULL DEFAULT '',
	color   TEXT NOT NULL DEFAULT '#888888',
	voting  INTEGER NOT NULL DEFAULT 0,
	sort    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE delegations (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	sort INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE venues (
	id       INTEGER PRIMARY KEY,
	code     TEXT NOT NULL UNIQUE,
	name     TEXT NOT NULL,
	name_en  TEXT NOT NULL DEFAULT '',
	kind     TEXT NOT NULL CHECK (kind IN ('hall','room','dining','hotel')),
	capacity INTEGER NOT NULL DEFAULT 0,
	doors    TEXT NOT NULL DEFAULT '[]' -- JSON array of door names
);

CREATE TABLE seats (
	id       INTEGER PRIMARY KEY,
	venue_id INTEGER NOT NULL REFERENCES venues(id),
	label    TEXT NOT NULL,
	section  TEXT NOT NULL,
	row      INTEGER NOT NULL,
	number   INTEGER NOT NULL,
	kind     TEXT NOT NULL DEFAULT 'normal'
	         CHECK (kind IN ('normal','presidium','reserved','blocked','wheelchair')),
	door     TEXT NOT NULL DEFAULT '',
	x        REAL NOT NULL DEFAULT 0,
	y        REAL NOT NULL DEFAULT 0,
	UNIQUE (venue_id, label)
);

CREATE TABLE dining_tables (
	venue_id INTEGER NOT NULL REFERENCES venues(id),
	number   INTEGER NOT NULL,
	seats    INTEGER NOT NULL DEFAULT 10,
	PRIMARY KEY (venue_id, number)
);

CREATE TABLE hotel_rooms (
	venue_id INTEGER NOT NULL REFERENCES venues(id),
	number   TEXT NOT NULL,
	beds     INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (venue_id, number)
);

CREATE TABLE groups (
	id       INTEGER PRIMARY KEY,
	name     TEXT NOT NULL UNIQUE,
	venue_id INTEGER REFERENCES venues(id)
);

CREATE TABLE sessions (
	id             TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	name_en        TEXT NOT NULL DEFAULT '',
	kind           TEXT NOT NULL CHECK (kind IN ('plenary','group','banquet')),
	venue_id       INTEGER NOT NULL REFERENCES venues(id),
	group_id       INTEGER REFERENCES groups(id),
	opens_at       TEXT NOT NULL,
	starts_at      TEXT NOT NULL,
	ends_at        TEXT NOT NULL,
	closes_at      TEXT NOT NULL,
	quorum_base    TEXT NOT NULL DEFAULT 'expected' CHECK (quorum_base IN ('members','expected')),
	quorum_num     INTEGER NOT NULL DEFAULT 1,
	quorum_den     INTEGER NOT NULL DEFAULT 2,
	quorum_strict  INTEGER NOT NULL DEFAULT 1,
	quorum_categories TEXT NOT NULL DEFAULT '[]', -- JSON; empty = voting categories
	presidium_rule TEXT NOT NULL DEFAULT 'odd',
	honour         TEXT NOT NULL DEFAULT 'left',
	sort           INTEGER NOT NULL DEFAULT 0,
	CHECK (opens_at <= starts_at AND starts_at <= ends_at AND ends_at <= closes_at)
);

CREATE TABLE meals (
	id        TEXT PRIMARY KEY,
	date      TEXT NOT NULL,
	slot      TEXT NOT NULL CHECK (slot IN ('breakfast','lunch','dinner')),
	name      TEXT NOT NULL,
	opens_at  TEXT NOT NULL,
	closes_at TEXT NOT NULL,
	CHECK (opens_at < closes_at)
);

CREATE TABLE checkpoints (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	name_en    TEXT NOT NULL DEFAULT '',
	kind       TEXT NOT NULL CHECK (kind IN ('entrance','exit','meal','lodging')),
	venue_id   INTEGER NOT NULL REFERENCES venues(id),
	session_id TEXT REFERENCES sessions(id),
	meal_id    TEXT REFERENCES meals(id),
	door       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE attendees (
	id            INTEGER PRIMARY KEY,
	key           TEXT NOT NULL UNIQUE, -- stable import key
	name          TEXT NOT NULL,
	pinyin        TEXT NOT NULL DEFAULT '', -- full pinyin, for search
	initials      TEXT NOT NULL DEFAULT '', -- pinyin initials, for search
	gender        TEXT NOT NULL DEFAULT '',
	ethnicity     TEXT NOT NULL DEFAULT '',
	organization  TEXT NOT NULL DEFAULT '',
	title         TEXT NOT NULL DEFAULT '',
	rank          INTEGER NOT NULL DEFAULT 0,
	category      TEXT NOT NULL REFERENCES categories(code),
	delegation_id INTEGER REFERENCES delegations(id),
	group_id      INTEGER REFERENCES groups(id),
	phone         TEXT NOT NULL DEFAULT '',
	id_number     TEXT NOT NULL DEFAULT '',
	diet          TEXT NOT NULL DEFAULT '',
	access        TEXT NOT NULL DEFAULT '',
	notes         TEXT NOT NULL DEFAULT '',
	arrival       TEXT NOT NULL DEFAULT '',
	departure     TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','cancelled')),
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);
CREATE INDEX attendees_delegation ON attendees(delegation_id);
CREATE INDEX attendees_category ON attendees(category);

-- One row per issued badge credential. Reissuing revokes the previous row.
CREATE TABLE credentials (
	serial        INTEGER PRIMARY KEY,
	attendee_id   INTEGER NOT NULL REFERENCES attendees(id),
	key_id        TEXT NOT NULL REFERENCES signing_keys(key_id),
	issued_at     TEXT NOT NULL,
	revoked_at    TEXT,
	revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX credentials_attendee ON credentials(attendee_id);
CREATE UNIQUE INDEX credentials_one_live ON credentials(attendee_id) WHERE revoked_at IS NULL;

-- Entitlements: who is expected at which session (应到), which meals and
-- which room.
CREATE TABLE session_attendees (
	session_id  TEXT NOT NULL REFERENCES sessions(id),
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	PRIMARY KEY (session_id, attendee_id)
) WITHOUT ROWID;
CREATE INDEX session_attendees_attendee ON session_attendees(attendee_id);

CREATE TABLE seat_assignments (
	session_id  TEXT NOT NULL REFERENCES sessions(id),
	seat_id     INTEGER NOT NULL REFERENCES seats(id),
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	pinned      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (session_id, seat_id),
	UNIQUE (session_id, attendee_id)
);

CREATE TABLE meal_tickets (
	meal_id     TEXT NOT NULL REFERENCES meals(id),
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	venue_id    INTEGER NOT NULL REFERENCES venues(id),
	table_no    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (meal_id, attendee_id)
) WITHOUT ROWID;

CREATE TABLE lodging (
	attendee_id INTEGER PRIMARY KEY REFERENCES attendees(id),
	venue_id    INTEGER NOT NULL REFERENCES venues(id),
	room        TEXT NOT NULL,
	check_in    TEXT NOT NULL DEFAULT '',
	check_out   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE leaves (
	id          INTEGER PRIMARY KEY,
	session_id  TEXT NOT NULL REFERENCES sessions(id),
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	reason      TEXT NOT NULL DEFAULT '',
	created_by  TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	revoked_at  TEXT,
	revoked_by  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX leaves_active ON leaves(session_id, attendee_id) WHERE revoked_at IS NULL;

-- Devices (kiosks, screens, usher tablets) and people who log in. Tokens are
-- stored as SHA-256 hashes only.
CREATE TABLE devices (
	id              TEXT PRIMARY KEY,
	name            TEXT NOT NULL,
	kind            TEXT NOT NULL CHECK (kind IN ('kiosk','screen','usher')),
	checkpoint_id   TEXT REFERENCES checkpoints(id),
	token_hash      TEXT UNIQUE,
	pairing_hash    TEXT UNIQUE,
	pairing_expires TEXT,
	created_at      TEXT NOT NULL,
	paired_at       TEXT,
	revoked_at      TEXT,
	last_seen_at    TEXT
);

CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	role       TEXT NOT NULL CHECK (role IN ('admin','desk','usher','screen')),
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	revoked_at TEXT
);

-- The scan log: every scan, accepted or not. Append-only (see triggers).
-- scanned_at is the logical time the decision used (the kiosk's clock for
-- offline scans), received_at when the server got it.
CREATE TABLE scans (
	id            INTEGER PRIMARY KEY,
	scan_id       TEXT NOT NULL UNIQUE,
	device_id     TEXT NOT NULL DEFAULT '',
	actor         TEXT NOT NULL DEFAULT '',
	checkpoint_id TEXT REFERENCES checkpoints(id),
	attendee_id   INTEGER REFERENCES attendees(id),
	serial        INTEGER,
	session_id    TEXT REFERENCES sessions(id),
	meal_id       TEXT REFERENCES meals(id),
	status        TEXT NOT NULL,
	late          INTEGER NOT NULL DEFAULT 0,
	offline       INTEGER NOT NULL DEFAULT 0,
	manual        INTEGER NOT NULL DEFAULT 0,
	flags         TEXT NOT NULL DEFAULT '',
	reason        TEXT NOT NULL DEFAULT '',
	scanned_at    TEXT NOT NULL,
	client_time   TEXT NOT NULL DEFAULT '',
	received_at   TEXT NOT NULL,
	response      TEXT NOT NULL -- the JSON answered, replayed for a repeated scan_id
);
CREATE INDEX scans_attendee ON scans(attendee_id);
CREATE INDEX scans_session ON scans(session_id, scanned_at);
CREATE TRIGGER scans_no_update BEFORE UPDATE ON scans
	BEGIN SELECT RAISE(ABORT, 'scans are append-only'); END;
CREATE TRIGGER scans_no_delete BEFORE DELETE ON scans
	BEGIN SELECT RAISE(ABORT, 'scans are append-only'); END;

-- Derived state that makes each decision and count one indexed lookup. The
-- scan log stays the truth; these follow from it.
CREATE TABLE presence (
	session_id  TEXT NOT NULL REFERENCES sessions(id),
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	first_in_at TEXT NOT NULL,
	first_door  TEXT NOT NULL DEFAULT '',
	inside      INTEGER NOT NULL DEFAULT 1,
	last_at     TEXT NOT NULL,
	PRIMARY KEY (session_id, attendee_id)
) WITHOUT ROWID;

CREATE TABLE meal_redemptions (
	meal_id     TEXT NOT NULL REFERENCES meals(id),
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	redeemed_at TEXT NOT NULL,
	venue_id    INTEGER NOT NULL REFERENCES venues(id),
	PRIMARY KEY (meal_id, attendee_id)
) WITHOUT ROWID;

CREATE TABLE hotel_checkins (
	attendee_id   INTEGER PRIMARY KEY REFERENCES attendees(id),
	checked_in_at TEXT NOT NULL
);

-- Who did what at the desk: prints, reissues, leave, edits.
CREATE TABLE audit (
	id      INTEGER PRIMARY KEY,
	at      TEXT NOT NULL,
	actor   TEXT NOT NULL,
	action  TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	detail  TEXT NOT NULL DEFAULT ''
);
`
