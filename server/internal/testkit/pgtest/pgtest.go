// Package pgtest gives tests PostgreSQL databases when HUIWU_TEST_PG holds
// the URL of a throw-away cluster's admin database (scripts/pg start).
//
// Each test's data directory gets a database of its own, a copy of a
// template database that was filled once per test binary (migrated, or
// migrated with the demo loaded): CREATE DATABASE … TEMPLATE copies files,
// far faster than migrating again. The copy is dropped when the test
// ends. The package knows nothing of Huiwu's schema (the store's own tests
// use it, and the store cannot be imported from them): whoever asks for a
// template says how to fill it.
//
// Databases are named huiwu_<pid>_…, so that test binaries running side
// by side on one cluster never touch each other's, and those a killed
// binary left behind are dropped by the next one to start.
//
// A template named with CopyShared is filled once per run rather than
// once per binary when RunEnv names the run (scripts/test-pg sets it, on a
// cluster it made for that run alone): the first binary to ask fills it,
// the others wait and copy it.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Env is the environment variable that holds the admin URL.
const Env = "HUIWU_TEST_PG"

// RunEnv names one run of the tests on a cluster of its own; with it set,
// CopyShared's templates are shared by the run's test binaries. A cluster
// kept between runs must not have it set: a template filled by older code
// would be copied by newer.
const RunEnv = "HUIWU_TEST_PG_RUN"

// Enabled reports whether tests run on PostgreSQL.
func Enabled() bool { return os.Getenv(Env) != "" }

// Fill fills a fresh template database, given its URL.
type Fill func(ctx context.Context, url string) error

var state = struct {
	sync.Mutex
	admin     *sql.DB
	swept     bool
	templates map[string]*template // by name
	dirs      map[string]string    // data directory → its database's URL
	n         int
}{templates: map[string]*template{}, dirs: map[string]string{}}

// template is filled once; tests waiting for it wait on its own lock, not
// the package's.
type template struct {
	once sync.Once
	db   string
	err  error
}

// URL answers the URL of dir's database: the first call for dir creates
// it as a copy of the template name (filled by fill the first time any
// test asks for it) and drops it when t ends; later calls for the same
// dir, as a test that closes and opens its store again makes, answer the
// same database.
func URL(t testing.TB, dir, name string, fill Fill) string {
	t.Helper()
	state.Lock()
	u, ok := state.dirs[dir]
	state.Unlock()
	if ok {
		return u
	}
	return Copy(t, dir, name, fill)
}

// Copy makes dir's database a fresh copy of the template name (dropping
// the one dir had), as copying a database file over dir's would, and
// answers its URL.
func Copy(t testing.TB, dir, name string, fill Fill) string {
	t.Helper()
	return copyOf(t, dir, name, fill, false)
}

// CopyShared is Copy of a template whose content depends on name alone,
// so that the test binaries of one run (RunEnv) may share it: filling the
// demo's costs seconds in every package that starts a server.
func CopyShared(t testing.TB, dir, name string, fill Fill) string {
	t.Helper()
	return copyOf(t, dir, name, fill, os.Getenv(RunEnv) != "")
}

func copyOf(t testing.TB, dir, name string, fill Fill, shared bool) string {
	t.Helper()
	admin, err := adminDB()
	if err != nil {
		t.Fatal(err)
	}
	tpl := templateDB(t, admin, name, fill, shared)
	state.Lock()
	state.n++
	db := fmt.Sprintf("huiwu_%d_t%d", os.Getpid(), state.n)
	old, had := state.dirs[dir]
	state.Unlock()
	ctx := context.Background()
	if had {
		if err := dropDB(ctx, admin, dbName(old)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+db+" TEMPLATE "+tpl); err != nil {
		t.Fatalf("pgtest: create %s from %s: %v", db, tpl, err)
	}
	u := withDB(os.Getenv(Env), db)
	state.Lock()
	state.dirs[dir] = u
	state.Unlock()
	t.Cleanup(func() {
		state.Lock()
		if state.dirs[dir] == u {
			delete(state.dirs, dir)
		}
		state.Unlock()
		// FORCE: a store the test left open does not keep it.
		if err := dropDB(context.Background(), admin, db); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return u
}

// templateDB answers the template's database, filling it the first time.
func templateDB(t testing.TB, admin *sql.DB, name string, fill Fill, shared bool) string {
	t.Helper()
	key := name
	if shared {
		key = "shared " + name
	}
	state.Lock()
	tp, ok := state.templates[key]
	if !ok {
		tp = &template{db: fmt.Sprintf("huiwu_%d_tpl_%s", os.Getpid(), safeName(name))}
		if shared {
			tp.db = "huiwu_run" + safeName(os.Getenv(RunEnv)) + "_" + safeName(name)
		}
		state.templates[key] = tp
	}
	state.Unlock()
	tp.once.Do(func() {
		ctx := context.Background()
		if shared {
			tp.err = fillShared(ctx, admin, tp.db, name, fill)
			return
		}
		tp.err = fillTemplate(ctx, admin, tp.db, name, fill)
	})
	if tp.err != nil {
		t.Fatal(tp.err)
	}
	return tp.db
}

// execer is a pool or one of its connections.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// fillTemplate creates the database db and fills it.
func fillTemplate(ctx context.Context, admin execer, db, name string, fill Fill) error {
	// Collation C whatever the cluster's default: text sorts bytewise,
	// as in SQLite, and as a Huiwu database is created in production
	// (docs/servers.md). The tests' copies inherit it.
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+db+" ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"); err != nil {
		return fmt.Errorf("pgtest: create template %s: %w", db, err)
	}
	if err := fill(ctx, withDB(os.Getenv(Env), db)); err != nil {
		return fmt.Errorf("pgtest: fill template %s: %w", name, err)
	}
	// The copies are made with nobody connected to it: CREATE DATABASE …
	// TEMPLATE refuses otherwise.
	if _, err := admin.ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", db); err != nil {
		return fmt.Errorf("pgtest: template %s: %w", name, err)
	}
	return nil
}

// fillShared makes the run's template db unless another binary has: under
// a cluster-wide lock, filled under this binary's own name (swept if the
// binary dies half-way) and renamed to db only when full, so a binary that
// finds db finds it whole. Everything runs on the one connection that
// holds the lock: waiting on the lock with one connection and filling
// with another could empty the small admin pool.
func fillShared(ctx context.Context, admin *sql.DB, db, name string, fill Fill) error {
	conn, err := admin.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	exists := func() (bool, error) {
		var n int
		err := conn.QueryRowContext(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", db).Scan(&n)
		return n > 0, err
	}
	if ok, err := exists(); ok || err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(hashtext($1))", db); err != nil {
		return fmt.Errorf("pgtest: lock template %s: %w", db, err)
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(hashtext($1))", db) //nolint:errcheck // the session's end unlocks too
	if ok, err := exists(); ok || err != nil {
		return err
	}
	own := fmt.Sprintf("huiwu_%d_fill_%s", os.Getpid(), safeName(name))
	if err := dropDB(ctx, conn, own); err != nil {
		return err
	}
	if err := fillTemplate(ctx, conn, own, name, fill); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+own+" RENAME TO "+db); err != nil {
		return fmt.Errorf("pgtest: publish template %s: %w", db, err)
	}
	return nil
}

var unsafe = regexp.MustCompile(`[^a-z0-9]+`)

// safeName makes a template's name a part of a database name: lower-case
// letters, digits and underscores, short enough for PostgreSQL's 63 bytes.
func safeName(name string) string {
	s := strings.Trim(unsafe.ReplaceAllString(strings.ToLower(name), "_"), "_")
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

// adminDB connects to the admin database once, and on the first
// connection drops what binaries no longer running left behind.
func adminDB() (*sql.DB, error) {
	state.Lock()
	defer state.Unlock()
	if state.admin == nil {
		db, err := sql.Open("pgx", os.Getenv(Env))
		if err != nil {
			return nil, fmt.Errorf("pgtest: %s: %w", Env, err)
		}
		db.SetMaxOpenConns(4)
		state.admin = db
	}
	if !state.swept {
		if err := sweep(context.Background(), state.admin); err != nil {
			return nil, err
		}
		state.swept = true
	}
	return state.admin, nil
}

var leftName = regexp.MustCompile(`^huiwu_(\d+)_`)

// sweep drops the databases of test binaries that are gone (killed, or
// stopped at a failed template). A cluster serves one machine's tests
// (its socket is local), so the pid says whether the binary still runs.
func sweep(ctx context.Context, admin *sql.DB) error {
	rows, err := admin.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'huiwu\_%'`)
	if err != nil {
		return fmt.Errorf("pgtest: list databases (is %s a running cluster? scripts/pg start DIR): %w", Env, err)
	}
	var gone []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		m := leftName.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		pid, _ := strconv.Atoi(m[1])
		if pid != os.Getpid() && errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			gone = append(gone, name)
		}
	}
	rows.Close()
	for _, name := range gone {
		if err := dropDB(ctx, admin, name); err != nil {
			return err
		}
	}
	return rows.Err()
}

func dropDB(ctx context.Context, admin execer, name string) error {
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("pgtest: drop %s: %w", name, err)
	}
	return nil
}

// withDB answers the admin URL with its database replaced.
func withDB(admin, db string) string {
	u, err := url.Parse(admin)
	if err != nil {
		panic(fmt.Sprintf("pgtest: %s does not parse: %v", Env, err))
	}
	u.Path = "/" + db
	return u.String()
}

// dbName is the database a URL from withDB names.
func dbName(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(p.Path, "/")
}
