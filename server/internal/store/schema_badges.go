package store

// schemaBadges holds the print log: every badge and slip sheet printed,
// with who printed it, when, which credential serial it carried and why
// (a reprint's reason). "Not yet printed" means no badge row for the
// attendee's live serial, so a reissued badge counts as unprinted until
// the new one comes out of the printer.
const schemaBadges = `
CREATE TABLE badge_prints (
	id          INTEGER PRIMARY KEY,
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	serial      INTEGER NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('badge','slips')),
	layout      TEXT NOT NULL DEFAULT '',
	batch       TEXT NOT NULL DEFAULT '',
	actor       TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	printed_at  TEXT NOT NULL
);
CREATE INDEX badge_prints_attendee ON badge_prints(attendee_id, kind, serial);
`
