package store

// schemaKiosk holds what kiosks report about themselves, for the desk's
// overview of its devices. A kiosk's scans live in scans like everyone
// else's; the index below makes "scans today per device" one range read.
const schemaKiosk = `
CREATE TABLE kiosk_status (
	device_id   TEXT PRIMARY KEY REFERENCES devices(id),
	queued      INTEGER NOT NULL DEFAULT 0, -- offline scans waiting to upload
	offline     INTEGER NOT NULL DEFAULT 0, -- the kiosk could not reach us before this report
	reported_at TEXT NOT NULL
);
CREATE INDEX scans_device ON scans(device_id, scanned_at);
`
