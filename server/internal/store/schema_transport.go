package store

// schemaTransport is what the secretariat decides about pickups beyond the
// vehicles and runs of schemaLogistics (issue 12.2):
//
//   - transport_contact: the one person drivers call (会务组交通联系人),
//     printed on every driver's sheet;
//   - driver_phones: the attendees whose phone the desk lets drivers
//     have; everyone else's phone stays off the sheets. Kept by attendee,
//     not by leg, so that a rebooked flight keeps the desk's word.
const schemaTransport = `
CREATE TABLE transport_contact (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	name       TEXT NOT NULL DEFAULT '',
	phone      TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE driver_phones (
	attendee_id INTEGER PRIMARY KEY REFERENCES attendees(id),
	at          TEXT NOT NULL,
	by          TEXT NOT NULL
);
`
