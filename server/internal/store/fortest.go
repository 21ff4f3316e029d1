package store

import "database/sql"

// Pools are the database's connections, for tests outside the store that
// look at rows no method answers (what a scan stored, an audit trail) or
// damage them on purpose (a fault test). Production code calls the
// store's named methods: TestNoSQLOutsideStore keeps it so.
type Pools struct {
	W *sql.DB // the single write connection
	R *sql.DB // the read-only pool
}

// ForTest gives tests the pools; see Pools.
func (db *DB) ForTest() Pools { return Pools{W: db.w, R: db.r} }
