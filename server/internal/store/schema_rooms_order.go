package store

// schemaRoomsOrder keeps a hotel's rooms in the order the definition lists
// them. They were read back ORDER BY rowid, the order of their insertion,
// which PostgreSQL has no word for (issue 17): the order becomes a column,
// written by the definition (definition_parts.go) and read by the
// definition and the room board.
//
// SQLite fills it from rowid, which is exactly the order read until now.
// PostgreSQL's text (schema_postgres_edits.go) numbers the rows in the
// order they lie in the table (ctid); no PostgreSQL database read rooms
// before this migration (the query failed there), and the next save of the
// definition writes its own order anyway.
const schemaRoomsOrder = `
ALTER TABLE hotel_rooms ADD COLUMN sort INTEGER NOT NULL DEFAULT 0;
UPDATE hotel_rooms SET sort = rowid;
`

// schemaFaceCheckDevice makes face_checks.device_id hold what it holds:
// a device's text id ("dev-…"). v18 declared it INTEGER, which PostgreSQL
// made BIGINT, refusing every kiosk's face check.
//
// SQLite is left as it is: a rebuild would copy every row to change
// nothing a query answers. INTEGER affinity keeps as text any value that
// does not read as a number, which paired devices' ids never do; the one
// query reading the column joins it to devices.id, where SQLite compares
// both sides with the same numeric conversion, so even a number-like id
// finds its device. The statement below reads nothing: it stands for
// PostgreSQL's ALTER COLUMN (schema_postgres_edits.go).
const schemaFaceCheckDevice = `
SELECT device_id FROM face_checks LIMIT 0;
`
