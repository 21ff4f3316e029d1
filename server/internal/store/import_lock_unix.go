//go:build unix

package store

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"
)

// SQLite's import lock (import_lock.go) is an flock on a file beside the
// database. It keeps imports one at a time across processes (the server
// and `huiwu import`), and tells the opening of the database (`huiwu
// backup` included) whether an import still applying is running or was
// cut short: the kernel drops the lock of a process that dies.

func importLockPath(db string) string { return db + "-import.lock" }

// lockImports waits for the import lock until ctx ends.
func lockImports(ctx context.Context, db string) (func(), error) {
	for {
		release, ok, err := tryLockImports(db)
		if err != nil || ok {
			return release, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// tryLockImports takes the import lock if it is free.
func tryLockImports(db string) (release func(), ok bool, err error) {
	f, err := os.OpenFile(importLockPath(db), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, true, nil
}
