package store

// schemaFaceRetention is the retention rule of 刷脸's data (issue 15.6):
// photos, references and consents are deleted a number of days after the
// meeting's last day (the event definition's face_retention_days), by the
// server itself if nobody purged them by hand. Each purge leaves what it
// deleted, in numbers only, so that the archive made afterwards still
// says how many there were (the audit row says it too, in words).
const schemaFaceRetention = `
ALTER TABLE event ADD COLUMN face_retention_days INTEGER NOT NULL DEFAULT 30;

CREATE TABLE face_purges (
	id       INTEGER PRIMARY KEY,
	at       TEXT NOT NULL,
	actor    TEXT NOT NULL,
	photos   INTEGER NOT NULL,
	refs     INTEGER NOT NULL,
	consents INTEGER NOT NULL
);
`
