package store

// schemaNotices is the 会议通知与回执 of issue 13.1:
//
//   - units: the 单位 or 代表团 a notice goes to, derived from the list
//     (one per delegation, otherwise one per organisation) and kept so that
//     the desk's contact person and phone and the links have a home;
//   - reply_links: the private links a unit replies through, stored only
//     as the SHA-256 of their token, with an expiry and a revocation;
//   - reply_drafts: what a unit has filled in on its page and not yet sent;
//   - replies and reply_answers: each reply sent (from the page or an
//     imported XLSX) and, per person, what it said;
//   - reply_items: the changes a reply asks of the list, each applied or
//     rejected by the desk on its own. base is what the list said when
//     the reply was made (the attendee's updated_at, or the value the item
//     changes), so that an item whose person changed since is refused
//     rather than applied over the change;
//   - notice_settings: what the desk asks units to fill in, and by when.
const schemaNotices = `
CREATE TABLE units (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('delegation','organization')),
	name       TEXT NOT NULL,
	contact    TEXT NOT NULL DEFAULT '',
	phone      TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (kind, name)
);

CREATE TABLE reply_links (
	id         INTEGER PRIMARY KEY,
	unit_id    INTEGER NOT NULL REFERENCES units(id),
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	revoked_at TEXT,
	revoked_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reply_links_unit ON reply_links(unit_id);

CREATE TABLE reply_drafts (
	unit_id     INTEGER NOT NULL REFERENCES units(id),
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	answer      TEXT NOT NULL, -- JSON, ReplyAnswer
	saved_at    TEXT NOT NULL,
	PRIMARY KEY (unit_id, attendee_id)
) WITHOUT ROWID;

CREATE TABLE replies (
	id           INTEGER PRIMARY KEY,
	unit_id      INTEGER NOT NULL REFERENCES units(id),
	channel      TEXT NOT NULL CHECK (channel IN ('web','xlsx')),
	link_id      INTEGER REFERENCES reply_links(id),
	submitted_at TEXT NOT NULL,
	submitted_by TEXT NOT NULL
);
CREATE INDEX replies_unit ON replies(unit_id);

CREATE TABLE reply_answers (
	reply_id    INTEGER NOT NULL REFERENCES replies(id),
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	status      TEXT NOT NULL CHECK (status IN ('confirm','substitute','decline')),
	answer      TEXT NOT NULL, -- JSON, ReplyAnswer
	PRIMARY KEY (reply_id, attendee_id)
) WITHOUT ROWID;
CREATE INDEX reply_answers_attendee ON reply_answers(attendee_id, reply_id);

CREATE TABLE reply_items (
	id          INTEGER PRIMARY KEY,
	reply_id    INTEGER NOT NULL REFERENCES replies(id),
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	kind        TEXT NOT NULL CHECK (kind IN ('substitute','decline','diet','room','arrival','departure')),
	before      TEXT NOT NULL DEFAULT '', -- what the list said, in words
	after       TEXT NOT NULL,            -- JSON: the change asked for
	base        TEXT NOT NULL DEFAULT '', -- what the list said, to compare at apply time
	state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','applied','rejected','superseded')),
	decided_at  TEXT,
	decided_by  TEXT NOT NULL DEFAULT '',
	reason      TEXT NOT NULL DEFAULT '',
	made_attendee_id INTEGER REFERENCES attendees(id) -- the substitute an applied 代会 made
);
CREATE INDEX reply_items_reply ON reply_items(reply_id);
CREATE INDEX reply_items_pending ON reply_items(attendee_id) WHERE state = 'pending';

CREATE TABLE notice_settings (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	ask_travel  INTEGER NOT NULL DEFAULT 1,
	ask_diet    INTEGER NOT NULL DEFAULT 1,
	ask_room    INTEGER NOT NULL DEFAULT 1,
	deadline    TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD, 回执截止
	updated_at  TEXT NOT NULL DEFAULT '',
	updated_by  TEXT NOT NULL DEFAULT ''
);
`
