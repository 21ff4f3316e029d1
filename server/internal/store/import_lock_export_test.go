package store

// ErrImportLockLost is errImportLockLost, for the import tests outside the
// package (import_lock_ext_test.go).
var ErrImportLockLost = errImportLockLost

// ImportLockKey is PostgreSQL's import lock key, for a test to find the
// session that holds it.
const ImportLockKey = importLockKey
