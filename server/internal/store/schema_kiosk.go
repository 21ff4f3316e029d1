package store

// schemaKiosk holds what kiosks report about themselves, for the desk's
// overview of its devices, and the pairing requests kiosks make. A kiosk's
// scans live in scans like everyone else's; the index below makes "scans
// today per device" one range read.
//
// pairing_requests is the kiosk-initiated pairing: a new kiosk asks for a
// short code it shows on screen and a long claim secret it keeps; the desk
// types or scans the code, which creates the device (device_id); the kiosk
// trades its claim for the device token. Both are stored only as hashes,
// and the token is minted when the kiosk collects it, so none rests here.
const schemaKiosk = `
CREATE TABLE kiosk_status (
	device_id   TEXT PRIMARY KEY REFERENCES devices(id),
	queued      INTEGER NOT NULL DEFAULT 0, -- offline scans waiting to upload
	offline     INTEGER NOT NULL DEFAULT 0, -- the kiosk could not reach us before this report
	reported_at TEXT NOT NULL
);
CREATE INDEX scans_device ON scans(device_id, scanned_at);

CREATE TABLE pairing_requests (
	claim_hash TEXT PRIMARY KEY,
	code_hash  TEXT NOT NULL UNIQUE,
	expires_at TEXT NOT NULL,
	device_id  TEXT REFERENCES devices(id), -- set when the desk claims the code
	created_at TEXT NOT NULL
);
`
