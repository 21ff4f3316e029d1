package store

// schemaFaces is 刷脸 (issue 15.4–15.6): who consented to face
// verification, the reference embedding computed from each consenting
// person's photo, and the checks kiosks made. Biometrics are sensitive
// personal information (PIPL art. 28): a reference exists only while its
// person's consent and photo do — the triggers below drop it the moment
// either goes — and nothing here reaches a screen, an export or a log line
// (see SECURITY.md).
const schemaFaces = `
-- One row per person asked: the answer, who recorded it, when and how
-- ('import': a column of the list; 'desk': the checkbox at the desk).
CREATE TABLE face_consents (
	attendee_id INTEGER PRIMARY KEY REFERENCES attendees(id) ON DELETE CASCADE,
	consent     INTEGER NOT NULL CHECK (consent IN (0, 1)),
	source      TEXT NOT NULL CHECK (source IN ('import', 'desk')),
	actor       TEXT NOT NULL,
	at          TEXT NOT NULL
);

-- The reference embedding: computed in a desk browser by the same model the
-- kiosks run (kiosk/web/common/face.js), from the photo stored at photo_at.
-- vector is the wire format as sent: 1024 signed bytes, the L2-normalised
-- embedding times 127.
CREATE TABLE face_refs (
	attendee_id INTEGER PRIMARY KEY REFERENCES attendees(id) ON DELETE CASCADE,
	model       TEXT NOT NULL,
	vector      BLOB NOT NULL,
	photo_at    TEXT NOT NULL,
	actor       TEXT NOT NULL,
	at          TEXT NOT NULL
);

CREATE TRIGGER face_refs_photo_deleted AFTER DELETE ON attendee_photos
BEGIN
	DELETE FROM face_refs WHERE attendee_id = OLD.attendee_id;
END;

CREATE TRIGGER face_refs_photo_replaced AFTER UPDATE OF jpeg ON attendee_photos
BEGIN
	DELETE FROM face_refs WHERE attendee_id = OLD.attendee_id;
END;

CREATE TRIGGER face_refs_consent_withdrawn AFTER UPDATE OF consent ON face_consents WHEN NEW.consent = 0
BEGIN
	DELETE FROM face_refs WHERE attendee_id = NEW.attendee_id;
END;

CREATE TRIGGER face_refs_consent_refused AFTER INSERT ON face_consents WHEN NEW.consent = 0
BEGIN
	DELETE FROM face_refs WHERE attendee_id = NEW.attendee_id;
END;

-- What a kiosk's face check found, one row per checked scan: a 'fail' calls
-- the usher and waits here for the desk; refused says the checkpoint turned
-- the person away for it. No image and no embedding is kept, only the
-- distance.
CREATE TABLE face_checks (
	id            INTEGER PRIMARY KEY,
	scan_id       TEXT NOT NULL UNIQUE,
	attendee_id   INTEGER NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,
	checkpoint_id TEXT NOT NULL,
	device_id     INTEGER,
	result        TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'noface')),
	distance      REAL,
	refused       INTEGER NOT NULL DEFAULT 0,
	at            TEXT NOT NULL,
	resolved_by   TEXT,
	resolved_at   TEXT
);
CREATE INDEX face_checks_open ON face_checks (result, resolved_at);
`
