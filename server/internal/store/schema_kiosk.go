package store

// schemaKiosk holds the tables for kiosks and offline sync. Until the area needs any it is a
// comment, which SQLite runs as an empty migration.
const schemaKiosk = `-- kiosks and offline sync: nothing yet
`
