package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"time"
)

// The import lock keeps imports one at a time, and tells the opening of
// the database whether an import still applying is running (it is left
// alone) or was cut short (it is undone). Whoever holds it may be another
// process: `huiwu import` beside the server, or on PostgreSQL another
// server on another machine. So the lock lives where every one of them
// sees it and where it goes away with a holder that dies:
//
//   - on SQLite, a file lock beside the database (import_lock_unix.go):
//     the kernel drops it with the process;
//   - on PostgreSQL, a session advisory lock (importLockKey) held on a
//     connection of its own for the import's duration: the database drops
//     it with the session, when the process dies or its connection breaks.
//
// A lock that goes away under a running import (its connection broke)
// must not let another server undo the import while it goes on writing:
// each of the import's transactions first checks, under the writers'
// lock, that its import lock is still held (heldImports.check), and the
// import fails, and undoes itself, if not.

// importLock is the database's import lock, not yet taken.
type importLock interface {
	// lock waits for the lock until ctx ends.
	lock(ctx context.Context) (heldImports, error)
	// try takes the lock if it is free; ok is false when someone holds it.
	try(ctx context.Context) (h heldImports, ok bool, err error)
}

// heldImports is the import lock, held.
type heldImports interface {
	// check fails when the lock has been lost. It runs inside each of an
	// import's write transactions, which serialise with the undoing of an
	// import at another server's open.
	check(ctx context.Context, tx *sql.Tx) error
	// release gives the lock back.
	release()
}

// errImportLockLost is what an import answers when its lock went away
// under it.
var errImportLockLost = errors.New("the import lock was lost (its connection to PostgreSQL broke); the import is undone, run it again / 导入锁已丢失（与 PostgreSQL 的连接中断），本次导入已撤销，请重新导入")

// newImportLock answers the import lock of the database cfg names.
func newImportLock(cfg Config) importLock {
	if cfg.URL != "" {
		return pgImportLock{url: cfg.URL}
	}
	return fileImportLock{path: filepath.Join(cfg.Dir, "huiwu.db")}
}

// fileImportLock is SQLite's import lock, on the database file path.
type fileImportLock struct{ path string }

func (l fileImportLock) lock(ctx context.Context) (heldImports, error) {
	release, err := lockImports(ctx, l.path)
	if err != nil {
		return nil, err
	}
	return heldFile(release), nil
}

func (l fileImportLock) try(context.Context) (heldImports, bool, error) {
	release, ok, err := tryLockImports(l.path)
	if err != nil || !ok {
		return nil, ok, err
	}
	return heldFile(release), true, nil
}

// heldFile is a file lock held: only the process's death takes it away,
// and that ends the import too.
type heldFile func()

func (heldFile) check(context.Context, *sql.Tx) error { return nil }
func (h heldFile) release()                           { h() }

// importLockKey is PostgreSQL's import lock: "import" in ASCII. It differs
// from the writers' lock (writeLockKey), which an import takes and gives
// back with every transaction while it holds this one throughout.
const importLockKey int64 = 0x69_6d_70_6f_72_74

var (
	importLockSQL    = fmt.Sprintf("SELECT pg_advisory_lock(%d)", importLockKey)
	importTryLockSQL = fmt.Sprintf("SELECT pg_try_advisory_lock(%d)", importLockKey)
	importUnlockSQL  = fmt.Sprintf("SELECT pg_advisory_unlock(%d)", importLockKey)
	// importHeldSQL finds the lock among the granted ones of the holding
	// session (pg_locks splits a bigint key into classid and objid).
	importHeldSQL = fmt.Sprintf(`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
		AND classid = %d AND objid = %d AND objsubid = 1 AND granted AND pid = ?)`,
		importLockKey>>32, importLockKey&0xffff_ffff)
)

// pgImportLock is PostgreSQL's import lock on the database at url. Each
// hold opens a connection of its own: not the write pool's single
// connection, which every write of this server needs meanwhile, nor a
// reader that would be missed by the pool.
type pgImportLock struct{ url string }

func (l pgImportLock) lock(ctx context.Context) (heldImports, error) {
	h, _, err := l.take(ctx, importLockSQL)
	return h, err
}

func (l pgImportLock) try(ctx context.Context) (heldImports, bool, error) {
	return l.take(ctx, importTryLockSQL)
}

// take connects and runs q, which answers whether the lock was taken
// (pg_advisory_lock answers nothing: it waits until it is).
func (l pgImportLock) take(ctx context.Context, q string) (heldImports, bool, error) {
	db, err := sql.Open(pgDriverName, poolURL(l.url, "import"))
	if err != nil {
		return nil, false, fmt.Errorf("store: import lock: %w", err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, false, fmt.Errorf("store: import lock: %w", err)
	}
	h := &heldAdvisory{db: db, conn: conn}
	ok := true
	if q == importLockSQL {
		_, err = conn.ExecContext(ctx, q)
	} else {
		err = conn.QueryRowContext(ctx, q).Scan(&ok)
	}
	if err == nil && ok {
		err = conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&h.pid)
	}
	if err != nil || !ok {
		// Closing the session gives back a lock taken before the error.
		h.close()
		if err != nil {
			return nil, false, fmt.Errorf("store: import lock: %w", err)
		}
		return nil, false, nil
	}
	return h, true, nil
}

// heldAdvisory is the advisory lock held by the session pid on conn.
type heldAdvisory struct {
	db   *sql.DB
	conn *sql.Conn
	pid  int64
}

func (h *heldAdvisory) check(ctx context.Context, tx *sql.Tx) error {
	var held bool
	if err := tx.QueryRowContext(ctx, importHeldSQL, h.pid).Scan(&held); err != nil {
		return fmt.Errorf("store: import lock: %w", err)
	}
	if !held {
		return fmt.Errorf("store: import: %w", errImportLockLost)
	}
	return nil
}

func (h *heldAdvisory) release() {
	// Ending the session gives the lock back too; unlocking first gives it
	// back at once, whenever the database notices the session end.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	h.conn.ExecContext(ctx, importUnlockSQL)
	h.close()
}

func (h *heldAdvisory) close() {
	h.conn.Close()
	h.db.Close()
}
