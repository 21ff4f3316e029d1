// Package checkin decides scans. Every scan — from a kiosk camera, a USB
// scanner, an offline kiosk's queue or the desk's manual 补签 — becomes one
// Result and one row in the append-only scan log.
//
// Decisions are serialised through a single writer goroutine that takes
// whatever scans are waiting, decides them in order inside one transaction
// and commits once (group commit): one fsync covers the whole batch, two
// kiosks scanning the same badge at the same moment are decided one after
// the other (exactly one ok), and no answer leaves before its commit.
package checkin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"huiwu/badge/credential"
	"huiwu/server/internal/store"
)

// maxBatch bounds how many scans share one transaction, so that a flood of
// batch uploads cannot hold the writer for long.
const maxBatch = 256

// Request is one scan to decide.
type Request struct {
	Token      string // the QR text; empty for manual check-in by AttendeeID
	AttendeeID int64  // manual 补签 (desk only); the web layer checks the role
	Checkpoint string
	ScanID     string    // client-unique; the same id is answered once
	ScannedAt  time.Time // the kiosk's clock; trusted only for offline scans
	Offline    bool
	Device     string // device id of the kiosk, "" for people
	Actor      string // who: device id or user, for the log
	Reason     string // why a manual check-in was needed
}

// ErrBadRequest wraps request errors that are not scan decisions: a missing
// scan id, an unknown checkpoint.
var ErrBadRequest = errors.New("bad scan request")

// ErrClosed is returned once the engine has stopped.
var ErrClosed = errors.New("check-in engine stopped")

// Engine decides scans. Create it with New and start Run.
type Engine struct {
	db      *store.DB
	keys    *credential.Keyring
	catalog atomic.Pointer[store.Catalog]
	queue   chan *pending
	done    chan struct{}
	now     func() time.Time
	stmts   *statements
}

type pending struct {
	req      Request
	claims   credential.Claims
	tokenErr error
	res      Result
	err      error
	ready    chan struct{}
}

// New makes an engine over db that verifies tokens with keys.
func New(db *store.DB, keys *credential.Keyring, catalog *store.Catalog) *Engine {
	e := &Engine{
		db:    db,
		keys:  keys,
		queue: make(chan *pending, 4*maxBatch),
		done:  make(chan struct{}),
		now:   time.Now,
	}
	e.catalog.Store(catalog)
	return e
}

// SetCatalog swaps in a reloaded catalog (after sessions or checkpoints
// change). Scans already queued may still see the old one.
func (e *Engine) SetCatalog(c *store.Catalog) { e.catalog.Store(c) }

// Catalog returns the catalog in use.
func (e *Engine) Catalog() *store.Catalog { return e.catalog.Load() }

// SetClock replaces the engine's clock; for tests only.
func (e *Engine) SetClock(now func() time.Time) { e.now = now }

// Run is the writer loop; it returns when ctx ends, after answering
// everything it had taken.
func (e *Engine) Run(ctx context.Context) error {
	defer close(e.done)
	stmts, err := prepare(ctx, e.db)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped before it started
		}
		return err
	}
	e.stmts = stmts
	defer stmts.close()
	batch := make([]*pending, 0, maxBatch)
	for {
		select {
		case <-ctx.Done():
			return nil
		case p := <-e.queue:
			batch = append(batch[:0], p)
		}
	drain:
		for len(batch) < maxBatch {
			select {
			case p := <-e.queue:
				batch = append(batch, p)
			default:
				break drain
			}
		}
		e.commit(context.WithoutCancel(ctx), batch)
	}
}

// Scan decides one scan and returns after it is durably stored.
func (e *Engine) Scan(ctx context.Context, r Request) (Result, error) {
	res, err := e.ScanBatch(ctx, []Request{r})
	if err != nil {
		return Result{}, err
	}
	return res[0].Result, res[0].Err
}

// Outcome is one scan's result in a batch, or the request error that kept it
// from being decided.
type Outcome struct {
	Result
	Err error
}

// ScanBatch decides scans in order (an offline kiosk's queue) and returns
// once all are stored.
func (e *Engine) ScanBatch(ctx context.Context, reqs []Request) ([]Outcome, error) {
	ps := make([]*pending, len(reqs))
	for i, r := range reqs {
		p := &pending{req: r, ready: make(chan struct{})}
		if err := e.precheck(&p.req); err != nil {
			p.err = err
			close(p.ready)
		} else if r.Token != "" {
			// Signature checks are pure CPU: do them here, in the
			// caller's goroutine, not in the single writer.
			p.claims, _, p.tokenErr = e.keys.Verify(r.Token)
		}
		ps[i] = p
	}
	for _, p := range ps {
		if p.err != nil {
			continue
		}
		select {
		case e.queue <- p:
		case <-e.done:
			return nil, ErrClosed
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	out := make([]Outcome, len(ps))
	for i, p := range ps {
		select {
		case <-p.ready:
		case <-e.done:
			// The writer answers everything it took before it stops;
			// a scan still waiting in the queue was never decided.
			select {
			case <-p.ready:
			default:
				return nil, ErrClosed
			}
		}
		out[i] = Outcome{Result: p.res, Err: p.err}
	}
	return out, nil
}

// precheck rejects requests that cannot be decided at all.
func (e *Engine) precheck(r *Request) error {
	switch {
	case r.ScanID == "":
		return fmt.Errorf("%w: scan_id is required", ErrBadRequest)
	case len(r.ScanID) > 64:
		return fmt.Errorf("%w: scan_id is longer than 64 characters", ErrBadRequest)
	case r.Token == "" && r.AttendeeID == 0:
		return fmt.Errorf("%w: token or attendee_id is required", ErrBadRequest)
	case len(r.Reason) > 500:
		return fmt.Errorf("%w: reason is longer than 500 bytes", ErrBadRequest)
	}
	if _, ok := e.Catalog().Checkpoints[r.Checkpoint]; !ok {
		return fmt.Errorf("%w: unknown checkpoint %q", ErrBadRequest, r.Checkpoint)
	}
	return nil
}

// commit decides a batch in one transaction. If anything fails the whole
// transaction is rolled back and each scan is retried on its own, so one bad
// scan cannot cost the others their answer.
func (e *Engine) commit(ctx context.Context, batch []*pending) {
	change, err := e.decideAll(ctx, batch)
	if err != nil && len(batch) > 1 {
		slog.Warn("check-in batch failed; retrying one by one", "size", len(batch), "err", err)
		for _, p := range batch {
			e.commit(ctx, []*pending{p})
		}
		return
	}
	// Announce before answering, so that a kiosk that reads the counts
	// right after its scan sees its own scan in them.
	if err == nil {
		e.db.Announce(change)
	}
	for _, p := range batch {
		if err != nil {
			p.err = err
		}
		close(p.ready)
	}
}

func (e *Engine) decideAll(ctx context.Context, batch []*pending) (store.Change, error) {
	tx, err := e.db.W.BeginTx(ctx, nil)
	if err != nil {
		return store.Change{}, fmt.Errorf("checkin: begin: %w", err)
	}
	defer tx.Rollback()
	d := decider{ctx: ctx, tx: tx, st: e.stmts, cat: e.Catalog(), now: e.now()}
	for _, p := range batch {
		res, err := d.decide(&p.req, p.claims, p.tokenErr)
		if err != nil {
			return store.Change{}, fmt.Errorf("checkin: scan %q: %w", p.req.ScanID, err)
		}
		p.res = res
	}
	if err := tx.Commit(); err != nil {
		return store.Change{}, fmt.Errorf("checkin: commit: %w", err)
	}
	return d.change, nil
}
