//go:build !unix

package store

import (
	"context"
	"sync"
)

// Without flock SQLite's import lock holds within this process only: imports
// are one at a time here, and opening the database assumes that no other
// process is importing into it.

var importSlots sync.Map // database path → chan struct{} (a one-slot semaphore)

// importSlot is the database's semaphore.
func importSlot(db string) chan struct{} {
	ch, _ := importSlots.LoadOrStore(db, make(chan struct{}, 1))
	return ch.(chan struct{})
}

func lockImports(ctx context.Context, db string) (func(), error) {
	ch := importSlot(db)
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func tryLockImports(db string) (func(), bool, error) {
	ch := importSlot(db)
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, true, nil
	default:
		return nil, false, nil
	}
}
