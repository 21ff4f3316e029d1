package store

import (
	"context"
	"database/sql"
	"log/slog"
	"time"
)

// A chunked import writes tens of thousands of pages to the write-ahead
// log. SQLite copies the log back into the database (a checkpoint) in
// whichever commit finds it over a thousand pages, and a checkpoint
// writes and syncs megabytes: most commits during an import are scans, so
// most of those checkpoints would land on a scan. While an import runs,
// the writer therefore does not checkpoint; a connection of its own does,
// passively, beside the writer, which it never blocks.

// checkpointEvery is how often the import's own connection checkpoints.
const checkpointEvery = 100 * time.Millisecond

// checkpointAside moves checkpoints off the writer until the returned
// function is called, which puts them back. PostgreSQL has no such log to
// tend: there it does nothing.
func (db *DB) checkpointAside(ctx context.Context) (restore func()) {
	if db.dialect != SQLite {
		return func() {}
	}
	c, err := sql.Open("sqlite", dsn(db.path, false))
	if err == nil {
		_, err = db.w.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0")
	}
	if err != nil {
		slog.Warn("import: checkpoints stay on the writer", "err", err)
		if c != nil {
			c.Close()
		}
		return func() {}
	}
	c.SetMaxOpenConns(1)
	checkpoint := func() {
		if _, err := c.Exec("PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
			slog.Warn("import: checkpoint", "err", err)
		}
	}
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(checkpointEvery)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				checkpoint()
				return
			case <-tick.C:
				checkpoint()
			}
		}
	}()
	return func() {
		close(stop)
		<-stopped
		c.Close()
		if _, err := db.w.ExecContext(context.WithoutCancel(ctx), "PRAGMA wal_autocheckpoint = 1000"); err != nil {
			slog.Error("import: automatic checkpoints could not be turned back on", "err", err)
		}
	}
}
