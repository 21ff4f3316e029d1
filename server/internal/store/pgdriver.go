package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The store reaches PostgreSQL through database/sql and pgx's stdlib
// driver, wrapped by the driver registered here as "huiwu-pgx". The
// wrapper does three things pgx does not:
//
//   - it rewrites each statement's text from SQLite's words (pgRebind:
//     placeholders, LIKE);
//   - on the write pool, every transaction first takes one advisory lock
//     (writeLockSQL), so that writers run one at a time across every
//     server on the database, as SQLite's single writer does within one;
//     a statement run outside a transaction there gets a transaction of
//     its own, so that it too runs under the lock;
//   - on the read pool, every transaction is REPEATABLE READ READ ONLY:
//     one snapshot throughout, as a SQLite read transaction sees.

// pgDriverName is the name the wrapping driver is registered under.
const pgDriverName = "huiwu-pgx"

// writeLockKey is the advisory lock every write transaction takes: "huiwu"
// in ASCII. Any constant would do, as long as every server uses the same.
const writeLockKey int64 = 0x68_75_69_77_75

// writeLockSQL takes the writers' lock until the transaction ends.
var writeLockSQL = fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", writeLockKey)

// poolParam is the query parameter of a data source name that says which
// pool a connection serves; the driver takes it off before pgx parses the
// URL (pgx would send it to the server as a setting).
const poolParam = "huiwu_pool"

func init() { sql.Register(pgDriverName, pgDriver{}) }

// pgDriver opens connections for a data source name that is a PostgreSQL
// URL, with huiwu_pool=write on the write pool's.
type pgDriver struct{}

// Open opens one connection (database/sql calls OpenConnector instead).
func (d pgDriver) Open(name string) (driver.Conn, error) {
	c, err := d.OpenConnector(name)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector parses name once for every connection of a pool.
func (pgDriver) OpenConnector(name string) (driver.Connector, error) {
	u, err := url.Parse(name)
	if err != nil {
		return nil, errors.New("store: the PostgreSQL URL does not parse")
	}
	q := u.Query()
	write := q.Get(poolParam) == "write"
	q.Del(poolParam)
	u.RawQuery = q.Encode()
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		// pgx's message quotes the URL with its password masked.
		return nil, fmt.Errorf("store: the PostgreSQL URL: %w", err)
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "huiwu"
	}
	if !write {
		// As SQLite's readers open the file read-only: a write slipped
		// onto the read pool fails instead of running outside the lock.
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	return pgConnector{inner: stdlib.GetConnector(*cfg), write: write}, nil
}

type pgConnector struct {
	inner driver.Connector
	write bool
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{inner: conn.(*stdlib.Conn), write: c.write}, nil
}

func (pgConnector) Driver() driver.Driver { return pgDriver{} }

// pgConn is one connection. database/sql uses a connection from one
// goroutine at a time, so inTx needs no lock.
type pgConn struct {
	inner *stdlib.Conn
	write bool
	inTx  bool
}

var (
	_ driver.ConnPrepareContext = (*pgConn)(nil)
	_ driver.ConnBeginTx        = (*pgConn)(nil)
	_ driver.ExecerContext      = (*pgConn)(nil)
	_ driver.QueryerContext     = (*pgConn)(nil)
	_ driver.Pinger             = (*pgConn)(nil)
	_ driver.SessionResetter    = (*pgConn)(nil)
	_ driver.NamedValueChecker  = (*pgConn)(nil)
)

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.inner.PrepareContext(ctx, pgRebind(query))
	if err != nil {
		return nil, err
	}
	return &pgStmt{inner: st.(*stdlib.Stmt), conn: c}, nil
}

func (c *pgConn) Close() error { return c.inner.Close() }

func (c *pgConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx begins a transaction: on the write pool under the writers' lock,
// on the read pool as a read-only snapshot whatever opts asks.
func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if !c.write {
		opts = driver.TxOptions{Isolation: driver.IsolationLevel(sql.LevelRepeatableRead), ReadOnly: true}
	}
	tx, err := c.inner.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	if c.write {
		if _, err := c.inner.ExecContext(ctx, writeLockSQL, nil); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("store: take the writers' lock: %w", err)
		}
	}
	c.inTx = true
	return &pgTx{inner: tx, conn: c}, nil
}

// own reports whether a statement about to run needs a transaction of its
// own: on the write pool, outside one.
func (c *pgConn) own() bool { return c.write && !c.inTx }

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	query = pgRebind(query)
	if !c.own() {
		return c.inner.ExecContext(ctx, query, args)
	}
	return execOwn(ctx, c, func() (driver.Result, error) { return c.inner.ExecContext(ctx, query, args) })
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	query = pgRebind(query)
	if !c.own() {
		return c.inner.QueryContext(ctx, query, args)
	}
	return queryOwn(ctx, c, func() (driver.Rows, error) { return c.inner.QueryContext(ctx, query, args) })
}

// execOwn runs exec in a write transaction of its own and commits it.
func execOwn(ctx context.Context, c *pgConn, exec func() (driver.Result, error)) (driver.Result, error) {
	tx, err := c.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return nil, err
	}
	res, err := exec()
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return res, nil
}

// queryOwn runs query in a write transaction of its own, which commits
// when the rows are closed (a write with RETURNING is stored then).
func queryOwn(ctx context.Context, c *pgConn, query func() (driver.Rows, error)) (driver.Rows, error) {
	tx, err := c.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return nil, err
	}
	rows, err := query()
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	return &ownRows{Rows: rows.(*stdlib.Rows), tx: tx}, nil
}

func (c *pgConn) Ping(ctx context.Context) error { return c.inner.Ping(ctx) }

func (c *pgConn) ResetSession(ctx context.Context) error { return c.inner.ResetSession(ctx) }

// CheckNamedValue passes every argument to pgx as it is: pgx encodes Go
// values (and driver.Valuer, sql.Scanner) itself.
func (c *pgConn) CheckNamedValue(v *driver.NamedValue) error { return c.inner.CheckNamedValue(v) }

// pgTx ends its connection's transaction state with the transaction.
type pgTx struct {
	inner driver.Tx
	conn  *pgConn
}

func (t *pgTx) Commit() error {
	t.conn.inTx = false
	return t.inner.Commit()
}

func (t *pgTx) Rollback() error {
	t.conn.inTx = false
	return t.inner.Rollback()
}

// pgStmt is a prepared statement; run outside a transaction on the write
// pool, it too gets one of its own.
type pgStmt struct {
	inner *stdlib.Stmt
	conn  *pgConn
}

var (
	_ driver.StmtExecContext  = (*pgStmt)(nil)
	_ driver.StmtQueryContext = (*pgStmt)(nil)
)

func (s *pgStmt) Close() error  { return s.inner.Close() }
func (s *pgStmt) NumInput() int { return s.inner.NumInput() }

func (s *pgStmt) Exec(args []driver.Value) (driver.Result, error) {
	return nil, errors.New("store: Stmt.Exec without a context")
}

func (s *pgStmt) Query(args []driver.Value) (driver.Rows, error) {
	return nil, errors.New("store: Stmt.Query without a context")
}

func (s *pgStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if !s.conn.own() {
		return s.inner.ExecContext(ctx, args)
	}
	return execOwn(ctx, s.conn, func() (driver.Result, error) { return s.inner.ExecContext(ctx, args) })
}

func (s *pgStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if !s.conn.own() {
		return s.inner.QueryContext(ctx, args)
	}
	return queryOwn(ctx, s.conn, func() (driver.Rows, error) { return s.inner.QueryContext(ctx, args) })
}

// ownRows are the rows of a statement run in a transaction of its own:
// closing them commits it. The embedded rows keep pgx's column types.
type ownRows struct {
	*stdlib.Rows
	tx driver.Tx
}

func (r *ownRows) Close() error {
	if err := r.Rows.Close(); err != nil {
		r.tx.Rollback()
		return err
	}
	return r.tx.Commit()
}
