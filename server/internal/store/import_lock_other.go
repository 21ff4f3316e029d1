//go:build !unix

package store

import (
	"context"
	"sync"
)

// Without flock SQLite's import lock holds within this process only: imports
// are one at a time here, and opening the database assumes that no other
// process is importing into it.

var importLocks sync.Map // database path → chan struct{} (a one-slot semaphore)

func importLock(db string) chan struct{} {
	ch, _ := importLocks.LoadOrStore(db, make(chan struct{}, 1))
	return ch.(chan struct{})
}

func lockImports(ctx context.Context, db string) (func(), error) {
	ch := importLock(db)
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func tryLockImports(db string) (func(), bool, error) {
	ch := importLock(db)
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, true, nil
	default:
		return nil, false, nil
	}
}
