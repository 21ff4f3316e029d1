package store

// schemaDuty is the secretariat's duty room (值班, issue 13.4):
//
//   - duty_places: where someone is on duty (会务组值班室, 酒店值班点),
//     with the place's own line; one place is the secretariat's main one,
//     which the readiness board wants staffed every hour of the meeting's
//     days. A place marked overlap lets its shifts overlap (two people on
//     at the busy hours); elsewhere an overlap needs the desk's reason.
//   - duty_shifts and duty_people: a place from–to and who is on it, a
//     staff account or a free name, with the phone to reach them there.
//     A shift is cancelled, never deleted.
//   - duty_items and duty_versions: the log (电话记录、接待记录、信息传递).
//     An item is one thing that happened; its text lives in versions, and
//     a correction is a new version beside the old, written by the signed
//     in account (never a typed name). The item's follow-up (待办 / 已办)
//     says who closed it, when and what was done; shift_id is the shift
//     that holds it now, which a handover moves.
//   - duty_handovers and duty_handover_items: 交接班. The outgoing shift
//     offers, the incoming person (another account) accepts; the items it
//     lists are exactly those open at the place when accepted.
const schemaDuty = `
CREATE TABLE duty_places (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL UNIQUE,
	phone   TEXT NOT NULL DEFAULT '',
	main    INTEGER NOT NULL DEFAULT 0 CHECK (main IN (0, 1)),
	overlap INTEGER NOT NULL DEFAULT 0 CHECK (overlap IN (0, 1)),
	sort    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX duty_places_main ON duty_places(main) WHERE main = 1;

CREATE TABLE duty_shifts (
	id             INTEGER PRIMARY KEY,
	place_id       INTEGER NOT NULL REFERENCES duty_places(id),
	starts_at      TEXT NOT NULL,
	ends_at        TEXT NOT NULL,
	notes          TEXT NOT NULL DEFAULT '',
	overlap_reason TEXT NOT NULL DEFAULT '',
	created_at     TEXT NOT NULL,
	created_by     TEXT NOT NULL,
	cancelled_at   TEXT,
	cancelled_by   TEXT NOT NULL DEFAULT '',
	CHECK (ends_at > starts_at)
);
CREATE INDEX duty_shifts_place ON duty_shifts(place_id, starts_at) WHERE cancelled_at IS NULL;

CREATE TABLE duty_people (
	shift_id INTEGER NOT NULL REFERENCES duty_shifts(id),
	seq      INTEGER NOT NULL,
	user_id  INTEGER REFERENCES users(id),
	name     TEXT NOT NULL,
	phone    TEXT NOT NULL DEFAULT '',
	lead     INTEGER NOT NULL DEFAULT 0 CHECK (lead IN (0, 1)), -- 带班
	PRIMARY KEY (shift_id, seq)
);

CREATE TABLE duty_items (
	id          INTEGER PRIMARY KEY,
	place_id    INTEGER NOT NULL REFERENCES duty_places(id),
	origin_shift INTEGER REFERENCES duty_shifts(id), -- on duty when it was written
	shift_id    INTEGER REFERENCES duty_shifts(id),  -- holds it now
	state       TEXT NOT NULL CHECK (state IN ('open', 'done')),
	closed_at   TEXT NOT NULL DEFAULT '',
	closed_by   TEXT NOT NULL DEFAULT '',
	outcome     TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	created_by  TEXT NOT NULL,
	created_uid INTEGER
);
CREATE INDEX duty_items_open ON duty_items(place_id) WHERE state = 'open';

CREATE TABLE duty_versions (
	item_id    INTEGER NOT NULL REFERENCES duty_items(id),
	version    INTEGER NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('call', 'visit', 'message', 'other')),
	at         TEXT NOT NULL, -- when it happened
	from_name  TEXT NOT NULL DEFAULT '',
	from_unit  TEXT NOT NULL DEFAULT '',
	from_phone TEXT NOT NULL DEFAULT '',
	content    TEXT NOT NULL,
	to_whom    TEXT NOT NULL DEFAULT '', -- passed on to
	reason     TEXT NOT NULL DEFAULT '', -- why a correction was made
	written_at TEXT NOT NULL,
	written_by TEXT NOT NULL,
	written_uid INTEGER,
	PRIMARY KEY (item_id, version)
);

CREATE TABLE duty_handovers (
	id          INTEGER PRIMARY KEY,
	place_id    INTEGER NOT NULL REFERENCES duty_places(id),
	from_shift  INTEGER REFERENCES duty_shifts(id),
	to_shift    INTEGER REFERENCES duty_shifts(id),
	note        TEXT NOT NULL DEFAULT '',
	offered_at  TEXT NOT NULL,
	offered_by  TEXT NOT NULL,
	offered_uid INTEGER,
	accepted_at TEXT,
	accepted_by TEXT NOT NULL DEFAULT '',
	accepted_uid INTEGER
);
CREATE UNIQUE INDEX duty_handovers_pending ON duty_handovers(place_id) WHERE accepted_at IS NULL;

CREATE TABLE duty_handover_items (
	handover_id INTEGER NOT NULL REFERENCES duty_handovers(id),
	item_id     INTEGER NOT NULL REFERENCES duty_items(id),
	PRIMARY KEY (handover_id, item_id)
);
`
