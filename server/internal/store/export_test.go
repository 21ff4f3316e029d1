package store

// SetImportChunkRows makes db's imports take at most n rows a transaction,
// so that a test can catch one between two; the returned function puts
// the default back. It is db's alone: other tests' imports run beside.
func SetImportChunkRows(db *DB, n int) (restore func()) {
	db.chunkRows = n
	return func() { db.chunkRows = 0 }
}
