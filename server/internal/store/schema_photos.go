package store

// schemaPhotos is attendees' photos (issue 15.1): one per person, stored
// in the database itself so that a backup (the database file) holds them
// and a restore brings them back, as it does everything else. The JPEG is
// the photos package's normalised one (at most 600×800, re-encoded, no
// EXIF or other metadata), never the uploaded file; the file's name is
// not kept (it may be an ID number).
const schemaPhotos = `
CREATE TABLE attendee_photos (
	attendee_id INTEGER PRIMARY KEY REFERENCES attendees(id) ON DELETE CASCADE,
	jpeg        BLOB NOT NULL,
	width       INTEGER NOT NULL,
	height      INTEGER NOT NULL,
	source      TEXT NOT NULL DEFAULT 'import', -- how it came: 'import' (a ZIP at the desk)
	actor       TEXT NOT NULL,
	at          TEXT NOT NULL
);
`
