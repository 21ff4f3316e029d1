package store

// schemaBadges holds the tables for badges, print log and the desk. Until the area needs any it is a
// comment, which SQLite runs as an empty migration.
const schemaBadges = `-- badges, print log and the desk: nothing yet
`
