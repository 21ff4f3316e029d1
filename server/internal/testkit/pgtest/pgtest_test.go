package pgtest

import (
	"context"
	"database/sql"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSharedTemplateFilledOnce: binaries of one run asking for the same
// shared template at once (here goroutines, each past its own sync.Once)
// fill it once, and every one of them gets it whole.
func TestSharedTemplateFilledOnce(t *testing.T) {
	if !Enabled() {
		t.Skip(Env + " not set (scripts/test-pg sets it)")
	}
	admin, err := adminDB()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db := "huiwu_runtest_" + safeName(t.Name())
	t.Cleanup(func() { dropDB(context.Background(), admin, db) })
	var fills atomic.Int32
	fill := func(ctx context.Context, url string) error {
		fills.Add(1)
		time.Sleep(300 * time.Millisecond) // long enough for the others to arrive
		c, err := sql.Open("pgx", url)
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.ExecContext(ctx, "CREATE TABLE filled (x int); INSERT INTO filled VALUES (1)")
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = fillShared(ctx, admin, db, t.Name(), fill) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fills.Load(); n != 1 {
		t.Errorf("filled %d times, want once", n)
	}
	c, err := sql.Open("pgx", withDB(os.Getenv(Env), db))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var x int
	if err := c.QueryRowContext(ctx, "SELECT x FROM filled").Scan(&x); err != nil || x != 1 {
		t.Errorf("the shared template: %d, %v", x, err)
	}
}
