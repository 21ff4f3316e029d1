package store

// schemaSeating holds each session's arrangement rules (seating.Rules as
// JSON: who sits on the presidium, the floor order and fill, delegations as
// blocks, the categories seated). The presidium rule and the honour side
// stay on the sessions row, where the catalog already reads them.
const schemaSeating = `
CREATE TABLE seating_rules (
	session_id TEXT PRIMARY KEY REFERENCES sessions(id),
	rules      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL DEFAULT ''
);
`
