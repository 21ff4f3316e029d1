package store

// schemaScanSources makes a scan's idempotency key its source and scan_id
// (API.md, "A scan": a scan_id is unique per device, not across devices)
// and keeps each device's checkpoint assignments with their times, so that
// a kiosk scans only where it stood when it scanned (online or offline, and
// after being moved while offline).
//
//   - scans.source is the device id, or "actor:" and the person for scans
//     made by people (the desk's 补签); request_key fingerprints the badge
//     and checkpoint a scan_id was first used for, so that the same device
//     reusing the id for something else is refused rather than answered
//     with another person's result. SQLite cannot drop a UNIQUE constraint,
//     so the log is copied into a new table (append-only triggers and
//     indexes recreated).
//   - device_assignments is filled by triggers on devices: every device's
//     checkpoint from its creation, and each move from the moment it is
//     made (times as FormatTime writes them).
const schemaScanSources = `
CREATE TABLE scans_v6 (
	id            INTEGER PRIMARY KEY,
	scan_id       TEXT NOT NULL,
	source        TEXT NOT NULL,
	request_key   TEXT NOT NULL DEFAULT '',
	device_id     TEXT NOT NULL DEFAULT '',
	actor         TEXT NOT NULL DEFAULT '',
	checkpoint_id TEXT REFERENCES checkpoints(id),
	attendee_id   INTEGER REFERENCES attendees(id),
	serial        INTEGER,
	session_id    TEXT REFERENCES sessions(id),
	meal_id       TEXT REFERENCES meals(id),
	status        TEXT NOT NULL,
	late          INTEGER NOT NULL DEFAULT 0,
	offline       INTEGER NOT NULL DEFAULT 0,
	manual        INTEGER NOT NULL DEFAULT 0,
	flags         TEXT NOT NULL DEFAULT '',
	reason        TEXT NOT NULL DEFAULT '',
	scanned_at    TEXT NOT NULL,
	client_time   TEXT NOT NULL DEFAULT '',
	received_at   TEXT NOT NULL,
	response      TEXT NOT NULL,
	UNIQUE (source, scan_id)
);
INSERT INTO scans_v6 (id, scan_id, source, device_id, actor, checkpoint_id, attendee_id, serial, session_id, meal_id,
	status, late, offline, manual, flags, reason, scanned_at, client_time, received_at, response)
	SELECT id, scan_id, CASE WHEN device_id <> '' THEN device_id ELSE 'actor:' || actor END, device_id, actor,
	checkpoint_id, attendee_id, serial, session_id, meal_id, status, late, offline, manual, flags, reason,
	scanned_at, client_time, received_at, response FROM scans;
DROP TABLE scans;
ALTER TABLE scans_v6 RENAME TO scans;
CREATE INDEX scans_attendee ON scans(attendee_id);
CREATE INDEX scans_session ON scans(session_id, scanned_at);
CREATE INDEX scans_device ON scans(device_id, scanned_at);
CREATE TRIGGER scans_no_update BEFORE UPDATE ON scans
	BEGIN SELECT RAISE(ABORT, 'scans are append-only'); END;
CREATE TRIGGER scans_no_delete BEFORE DELETE ON scans
	BEGIN SELECT RAISE(ABORT, 'scans are append-only'); END;

CREATE TABLE device_assignments (
	device_id     TEXT NOT NULL REFERENCES devices(id),
	from_at       TEXT NOT NULL,
	checkpoint_id TEXT, -- NULL: not assigned anywhere
	PRIMARY KEY (device_id, from_at)
) WITHOUT ROWID;
INSERT INTO device_assignments (device_id, from_at, checkpoint_id) SELECT id, created_at, checkpoint_id FROM devices;
CREATE TRIGGER devices_assigned AFTER INSERT ON devices
	BEGIN INSERT OR REPLACE INTO device_assignments (device_id, from_at, checkpoint_id) VALUES (NEW.id, NEW.created_at, NEW.checkpoint_id); END;
CREATE TRIGGER devices_moved AFTER UPDATE OF checkpoint_id ON devices WHEN NEW.checkpoint_id IS NOT OLD.checkpoint_id
	BEGIN INSERT OR REPLACE INTO device_assignments (device_id, from_at, checkpoint_id)
		VALUES (NEW.id, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'), NEW.checkpoint_id); END;
`
