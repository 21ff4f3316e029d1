package store

// schemaSigning keeps the badge signing key's private half in the database,
// sealed, so that every server on one database signs and verifies with the
// same key (issue 17.1). Until v21 the key was the file signing.key in the
// data directory; the credentials package moves such a file in on start.
//
// Only the sealed seed is stored: the key that opens it (the master key)
// comes from the environment or a file, never from this database, so a copy
// of the database alone cannot sign badges.
//
//   - key_id names the key as tokens do; its public half is in
//     signing_keys, written in the same transaction.
//   - in_use marks the key new credentials are signed with. The partial
//     unique index lets one row hold it, so two servers starting at once on
//     an empty database cannot each put a key of their own: the second
//     insert does nothing and both read back the first. A later rotation
//     clears in_use on the old row and inserts the new one.
//   - algorithm and master_id say how to open the seal and with which master
//     key, so that a wrong master key is named as such rather than reported
//     as damage; nonce is the seal's nonce.
//
// Portable DDL: no STRICT, BLOB and INTEGER words the dialect layer
// translates, a partial index both databases know.
const schemaSigning = `
CREATE TABLE signing_secrets (
	key_id     TEXT PRIMARY KEY REFERENCES signing_keys(key_id),
	in_use     INTEGER NOT NULL DEFAULT 1 CHECK (in_use IN (0, 1)),
	algorithm  TEXT NOT NULL CHECK (length(algorithm) BETWEEN 1 AND 40),
	master_id  TEXT NOT NULL CHECK (length(master_id) BETWEEN 1 AND 40),
	nonce      BLOB NOT NULL,
	sealed     BLOB NOT NULL,
	created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX signing_secrets_in_use ON signing_secrets (in_use) WHERE in_use = 1;
`
