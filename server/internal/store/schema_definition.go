package store

// schemaDefinition lets the event definition (eventdef) be stored and read
// back in the shape it was given, and entitlements follow from rules:
//
//   - venues.layout holds a hall's presidium rows and floor sections as
//     given (JSON); the seats table holds every seat they make;
//   - sessions.expected is the 应到 rule as JSON, or NULL for a session
//     whose list was written row by row before rules existed (a database
//     from before this migration), which recomputing leaves alone;
//   - meal_halls are the halls serving each meal, tried in order, each with
//     a rule of whom it serves;
//   - entitlement_exceptions are the desk's per-person exceptions, kept
//     across recomputes: add one person to a session's 应到 or take them
//     out, send one person to another dining hall (or none) for a meal or,
//     with ref '*', for every meal;
//   - sort columns keep each part in the order it was given;
//   - event.version counts definition changes, for the live "event" topic.
const schemaDefinition = `
ALTER TABLE event ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE venues ADD COLUMN layout TEXT NOT NULL DEFAULT '{}';
ALTER TABLE venues ADD COLUMN sort INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN expected TEXT;
ALTER TABLE meals ADD COLUMN sort INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkpoints ADD COLUMN sort INTEGER NOT NULL DEFAULT 0;

CREATE TABLE meal_halls (
	meal_id  TEXT NOT NULL REFERENCES meals(id),
	position INTEGER NOT NULL,
	venue_id INTEGER NOT NULL REFERENCES venues(id),
	rule     TEXT NOT NULL DEFAULT '{}',
	PRIMARY KEY (meal_id, position)
);

CREATE TABLE entitlement_exceptions (
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	kind        TEXT NOT NULL CHECK (kind IN ('session','meal')),
	ref         TEXT NOT NULL, -- session id, meal id, or '*' for every meal
	mode        TEXT NOT NULL CHECK (mode IN ('include','exclude','hall')),
	venue_id    INTEGER REFERENCES venues(id), -- the hall, for mode 'hall'
	reason      TEXT NOT NULL DEFAULT '',
	created_by  TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	PRIMARY KEY (attendee_id, kind, ref)
);
CREATE INDEX entitlement_exceptions_ref ON entitlement_exceptions(kind, ref);
`
