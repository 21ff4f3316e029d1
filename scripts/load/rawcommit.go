package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite"
)

// rawCommitRate measures SQLite's durable single-row commit rate on the
// disk holding dir, with the server store's settings (WAL,
// synchronous=FULL; see server/internal/store's dsn): the yardstick every
// scan figure is set beside.
func rawCommitRate(dir string, d time.Duration) (float64, error) {
	tmp, err := os.MkdirTemp(dir, "huiwu-rawcommit-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(tmp, "raw.db")+
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE bench (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		return 0, err
	}
	start := time.Now()
	n := 0
	for time.Since(start) < d {
		if _, err := db.Exec(`INSERT INTO bench (v) VALUES (?)`, fmt.Sprint(n)); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
