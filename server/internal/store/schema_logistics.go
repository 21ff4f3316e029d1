package store

// schemaLogistics is the days around the meeting (issue 12): how people
// come and go (travel legs at stations), the vehicles that meet them, and
// what happens to their hotel stay.
//
//   - stations: airports, railway stations, a car park: where people
//     arrive and leave. Made from the attendee list's text (a name not
//     seen before is a new station, with a warning) and merged at the
//     desk, which keeps the old spelling as an alias.
//   - travel_legs: one attendee's arrival or departure: mode (flight,
//     train, car, other), number, station, local date and time (the time
//     may be unknown), companions (随行人员, who need seats and beds too),
//     for departures the ticket (needed: 需代订, booked with its number,
//     self: 自行安排), and what happened (picked up, missed, changed,
//     departed). At most one live leg per attendee and direction; a leg
//     that is rebooked or cancelled stays, cancelled, beside the leg that
//     replaces it.
//   - vehicles and vehicle_runs: the secretariat's cars, vans and buses,
//     and each trip one makes to or from a station with the legs it
//     carries (run_passengers: a leg rides at most one run).
//   - lodging gains who checked out and when (退房); room_moves keeps each
//     change of room or nights (换房, 加住, a temporary room for someone
//     stranded) with who did it and why. The role "logistics" joins the
//     staff accounts (SQLite cannot change a CHECK, so users and the
//     sessions that reference it are copied).
const schemaLogistics = `
CREATE TABLE stations (
	id      INTEGER PRIMARY KEY,
	code    TEXT NOT NULL UNIQUE,
	name    TEXT NOT NULL,
	name_en TEXT NOT NULL DEFAULT '',
	kind    TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('airport','rail','road','other')),
	sort    INTEGER NOT NULL DEFAULT 0
);
-- alias is the station's name as people write it, normalised (NFKC, no
-- spaces, upper case): 首都机场, 北京首都国际机场, PEK.
CREATE TABLE station_aliases (
	alias      TEXT PRIMARY KEY,
	station_id INTEGER NOT NULL REFERENCES stations(id) ON DELETE CASCADE
);

CREATE TABLE travel_legs (
	id           INTEGER PRIMARY KEY,
	attendee_id  INTEGER NOT NULL REFERENCES attendees(id),
	direction    TEXT NOT NULL CHECK (direction IN ('arrival','departure')),
	mode         TEXT NOT NULL DEFAULT '' CHECK (mode IN ('','flight','train','car','other')),
	number       TEXT NOT NULL DEFAULT '',
	station_id   INTEGER REFERENCES stations(id),
	on_date      TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD in the event's zone
	at           TEXT NOT NULL DEFAULT '',  -- the moment (store time), '' when only the date is known
	companions   INTEGER NOT NULL DEFAULT 0 CHECK (companions BETWEEN 0 AND 20),
	ticket       TEXT NOT NULL DEFAULT '' CHECK (ticket IN ('','needed','booked','self')),
	ticket_no    TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL DEFAULT 'expected'
		CHECK (state IN ('expected','picked_up','missed','changed','departed')),
	state_at     TEXT NOT NULL DEFAULT '',
	state_by     TEXT NOT NULL DEFAULT '',
	notes        TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT 'desk' CHECK (source IN ('import','desk','reply','pickup')),
	replaces     INTEGER REFERENCES travel_legs(id),
	cancelled_at TEXT,
	cancelled_by TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX travel_legs_live ON travel_legs(attendee_id, direction) WHERE cancelled_at IS NULL;
CREATE INDEX travel_legs_day ON travel_legs(direction, on_date, station_id) WHERE cancelled_at IS NULL;

CREATE TABLE vehicles (
	id           INTEGER PRIMARY KEY,
	code         TEXT NOT NULL UNIQUE,
	kind         TEXT NOT NULL CHECK (kind IN ('car','van','bus')),
	seats        INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 100), -- passengers, the driver not counted
	plate        TEXT NOT NULL DEFAULT '',
	driver       TEXT NOT NULL DEFAULT '',
	driver_phone TEXT NOT NULL DEFAULT '',
	notes        TEXT NOT NULL DEFAULT '',
	sort         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE vehicle_runs (
	id         INTEGER PRIMARY KEY,
	vehicle_id INTEGER NOT NULL REFERENCES vehicles(id),
	direction  TEXT NOT NULL CHECK (direction IN ('arrival','departure')),
	station_id INTEGER NOT NULL REFERENCES stations(id),
	at         TEXT NOT NULL, -- meets the arrivals, or leaves for the station
	state      TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned','out','done')),
	notes      TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX vehicle_runs_vehicle ON vehicle_runs(vehicle_id, at);

CREATE TABLE run_passengers (
	run_id INTEGER NOT NULL REFERENCES vehicle_runs(id) ON DELETE CASCADE,
	leg_id INTEGER NOT NULL UNIQUE REFERENCES travel_legs(id),
	PRIMARY KEY (run_id, leg_id)
);

ALTER TABLE lodging ADD COLUMN checked_out_at TEXT NOT NULL DEFAULT '';
ALTER TABLE lodging ADD COLUMN checked_out_by TEXT NOT NULL DEFAULT '';

CREATE TABLE room_moves (
	id            INTEGER PRIMARY KEY,
	attendee_id   INTEGER NOT NULL REFERENCES attendees(id),
	kind          TEXT NOT NULL CHECK (kind IN ('move','nights','checkout','temporary')),
	from_venue_id INTEGER REFERENCES venues(id),
	from_room     TEXT NOT NULL DEFAULT '',
	to_venue_id   INTEGER REFERENCES venues(id),
	to_room       TEXT NOT NULL DEFAULT '',
	from_nights   TEXT NOT NULL DEFAULT '', -- check_in..check_out before
	to_nights     TEXT NOT NULL DEFAULT '',
	reason        TEXT NOT NULL DEFAULT '',
	at            TEXT NOT NULL,
	by            TEXT NOT NULL
);
CREATE INDEX room_moves_attendee ON room_moves(attendee_id);

CREATE TABLE users_v9 (
	id            INTEGER PRIMARY KEY,
	login         TEXT UNIQUE COLLATE NOCASE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('admin','desk','usher','chair','screen','logistics')),
	password_hash TEXT NOT NULL DEFAULT '',
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until  TEXT,
	created_at    TEXT NOT NULL,
	created_by    TEXT NOT NULL DEFAULT '',
	revoked_at    TEXT,
	revoked_by    TEXT NOT NULL DEFAULT ''
);
INSERT INTO users_v9 SELECT id, login, name, role, password_hash, failed_logins, locked_until,
	created_at, created_by, revoked_at, revoked_by FROM users;
CREATE TABLE user_sessions_v9 (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users_v9(id),
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
INSERT INTO user_sessions_v9 SELECT id, user_id, token_hash, kind, address, agent, created_at,
	last_seen_at, expires_at, ended_at, ended_by FROM user_sessions;
DROP TABLE user_sessions;
DROP TABLE users;
-- Renaming users_v9 also renames the reference in user_sessions_v9.
ALTER TABLE users_v9 RENAME TO users;
ALTER TABLE user_sessions_v9 RENAME TO user_sessions;
CREATE INDEX user_sessions_user ON user_sessions(user_id) WHERE ended_at IS NULL;
`
