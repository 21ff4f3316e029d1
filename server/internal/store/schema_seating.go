package store

// schemaSeating holds the tables for seating and venues. Until the area needs any it is a
// comment, which SQLite runs as an empty migration.
const schemaSeating = `-- seating and venues: nothing yet
`
