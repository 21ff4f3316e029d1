package store

// schemaImports lets a large attendee import be stored in short
// transactions and still be all or nothing (import.go, import_undo.go):
// each transaction writes, beside its rows, what it takes to undo them,
// and only the last one marks the import done. An import still 'applying'
// when the database is opened was cut short by a crash and is undone
// before anything reads it.
//
// The index lets recompute count the seats taken at each dining table from
// the index alone, in table order, instead of sorting a meal's tickets:
// recomputing a chunk of an import then costs the same however many
// tickets the meal already has.
const schemaImports = `
CREATE TABLE imports (
	id          INTEGER PRIMARY KEY,
	actor       TEXT NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('applying','done','undone')),
	started_at  TEXT NOT NULL,
	finished_at TEXT,
	detail      TEXT NOT NULL DEFAULT ''
);

-- What each stored row of an import changed, as JSON, in the order it was
-- done; undone last first. Dropped once the import is done.
CREATE TABLE import_undo (
	import_id INTEGER NOT NULL REFERENCES imports(id),
	seq       INTEGER NOT NULL,
	entry     TEXT NOT NULL,
	PRIMARY KEY (import_id, seq)
) WITHOUT ROWID;

CREATE INDEX meal_tickets_table ON meal_tickets(meal_id, venue_id, table_no);
`
