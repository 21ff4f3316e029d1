package store

// schemaDocuments is the 机要 desk's register of numbered confidential
// documents (涉密文件, issue 13.3):
//
//   - documents: a title, its 文号, its 密级, how many numbered copies were
//     made, who may receive one (everyone, some categories, a list) and,
//     when it belongs to one session, that session (its copies are due back
//     when the session closes; without one, when the meeting ends).
//   - document_copies: one row per numbered copy, with who holds it now.
//     state and holder_id are written only by the trigger below, from the
//     copy's chain of custody.
//   - copy_events: the chain of custody, append-only: issued to a person,
//     returned (by the holder, or by someone else with the desk's reason),
//     reported lost (with a reason). Each with time, place and who recorded it.
//
// The rules are the database's, not only the program's: a copy out cannot
// be issued again (copy_events_rules), a return names the holder of the
// moment, and a return by anyone else, or a loss, carries a reason (the
// CHECK on copy_events). document_key holds the secret the copy codes
// printed on the cover sheets are authenticated with (HMAC), made once
// per database.
const schemaDocuments = `
CREATE TABLE documents (
	id             INTEGER PRIMARY KEY,
	title          TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	number         TEXT NOT NULL DEFAULT '' CHECK (length(number) <= 60),
	classification TEXT NOT NULL CHECK (classification IN ('内部','秘密','机密','绝密')),
	copies         INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 5000),
	audience       TEXT NOT NULL DEFAULT 'all' CHECK (audience IN ('all','categories','list')),
	session_id     TEXT REFERENCES sessions(id) ON DELETE SET NULL,
	created_at     TEXT NOT NULL,
	created_by     TEXT NOT NULL
);
CREATE UNIQUE INDEX documents_number ON documents(number) WHERE number <> '';

CREATE TABLE document_categories (
	document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	category    TEXT NOT NULL REFERENCES categories(code) ON DELETE CASCADE,
	PRIMARY KEY (document_id, category)
);

CREATE TABLE document_recipients (
	document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	attendee_id INTEGER NOT NULL REFERENCES attendees(id),
	PRIMARY KEY (document_id, attendee_id)
);

CREATE TABLE document_copies (
	document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	copy        INTEGER NOT NULL CHECK (copy >= 1),
	state       TEXT NOT NULL DEFAULT 'in' CHECK (state IN ('in','out','lost')),
	holder_id   INTEGER REFERENCES attendees(id),
	PRIMARY KEY (document_id, copy),
	CHECK ((state = 'out') = (holder_id IS NOT NULL))
);
CREATE INDEX document_copies_holder ON document_copies(holder_id) WHERE holder_id IS NOT NULL;

CREATE TABLE copy_events (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL,
	copy        INTEGER NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('issue','return','lost')),
	-- holder_id: issued to (issue), or who held it (return, lost).
	holder_id   INTEGER NOT NULL REFERENCES attendees(id),
	-- person_id: who brought it back (return); NULL otherwise.
	person_id   INTEGER REFERENCES attendees(id),
	serial      INTEGER, -- the badge scanned, if one was
	reason      TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
	place       TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 60),
	actor       TEXT NOT NULL,
	at          TEXT NOT NULL,
	FOREIGN KEY (document_id, copy) REFERENCES document_copies(document_id, copy) ON DELETE CASCADE,
	CHECK (kind <> 'return' OR person_id IS NOT NULL),
	CHECK (kind <> 'return' OR person_id = holder_id OR trim(reason) <> ''),
	CHECK (kind <> 'lost' OR trim(reason) <> '')
);
CREATE INDEX copy_events_copy ON copy_events(document_id, copy, id);
CREATE INDEX copy_events_holder ON copy_events(holder_id);

CREATE TRIGGER copy_events_rules BEFORE INSERT ON copy_events BEGIN
	SELECT RAISE(ABORT, 'copy_not_in') WHERE NEW.kind = 'issue' AND
		(SELECT state FROM document_copies WHERE document_id = NEW.document_id AND copy = NEW.copy) IS NOT 'in';
	SELECT RAISE(ABORT, 'copy_not_out') WHERE NEW.kind IN ('return','lost') AND
		(SELECT holder_id FROM document_copies WHERE document_id = NEW.document_id AND copy = NEW.copy AND state = 'out') IS NOT NEW.holder_id;
END;
CREATE TRIGGER copy_events_apply AFTER INSERT ON copy_events BEGIN
	UPDATE document_copies SET
		state = CASE NEW.kind WHEN 'issue' THEN 'out' WHEN 'return' THEN 'in' ELSE 'lost' END,
		holder_id = CASE NEW.kind WHEN 'issue' THEN NEW.holder_id END
	WHERE document_id = NEW.document_id AND copy = NEW.copy;
END;
CREATE TRIGGER copy_events_append_only BEFORE UPDATE ON copy_events BEGIN
	SELECT RAISE(ABORT, 'copy_events are append-only');
END;
CREATE TRIGGER copy_events_no_delete BEFORE DELETE ON copy_events BEGIN
	SELECT RAISE(ABORT, 'copy_events are append-only');
END;

CREATE TABLE document_key (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	key BLOB NOT NULL CHECK (length(key) = 32)
);
INSERT INTO document_key (id, key) VALUES (1, randomblob(32));
`
