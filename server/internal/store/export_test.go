package store

// SetImportChunkRows makes an import take at most n rows a transaction,
// so that a test can catch it between two; the returned function puts
// the default back.
func SetImportChunkRows(n int) (restore func()) {
	old := maxChunk
	maxChunk = n
	return func() { maxChunk = old }
}
