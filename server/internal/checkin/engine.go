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
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"huiwu/badge/credential"
	"huiwu/kiosk/rules"
	"huiwu/server/internal/store"
)

// maxBatch bounds how many scans share one transaction, so that a flood of
// batch uploads cannot hold the writer for long. One kiosk's batch (at most
// the web layer's 500) always goes whole, in a transaction of its own if
// it is larger.
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
	// Face is the kiosk's face check of the person (刷脸), if it made one.
	Face *rules.FaceCheck
}

// ErrBadRequest wraps request errors that are not scan decisions: a missing
// scan id, an unknown checkpoint.
var ErrBadRequest = errors.New("bad scan request")

// ErrClosed is returned once the engine has stopped.
var ErrClosed = errors.New("check-in engine stopped")

// ErrScanIDReused is a scan whose device already used its scan_id for
// another badge or checkpoint: nothing is decided or recorded.
var ErrScanIDReused = errors.New("scan_id already used by this device for another scan")

// source is who a scan_id belongs to: the device, or the person at the
// desk. Ids are unique per source.
func (r *Request) source() string {
	if r.Device != "" {
		return r.Device
	}
	return "actor:" + r.Actor
}

// key fingerprints what a scan_id was used for: the badge (or the person,
// for 补签) and the checkpoint.
func (r *Request) key() string {
	h := sha256.New()
	if r.Token != "" {
		h.Write([]byte("token\x00" + r.Token))
	} else {
		fmt.Fprintf(h, "attendee\x00%d", r.AttendeeID)
	}
	h.Write([]byte("\x00" + r.Checkpoint))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Engine decides scans. Create it with New and start Run.
type Engine struct {
	db      *store.DB
	keys    *credential.Keyring
	catalog atomic.Pointer[store.Catalog]
	queue   chan *job
	done    chan struct{}
	now     func() time.Time
	stmts   *store.ScanStatements // prepared by Run, for its transactions
}

// pending is one scan of a job: its request, the verified token, and
// what it came to.
type pending struct {
	req      Request
	claims   credential.Claims
	tokenErr error
	res      Result
	err      error // a request error (scan_id reused): not decided, nothing stored
}

// job is what one caller hands the writer: a single scan, or an offline
// kiosk's batch, decided in one transaction so that it is stored whole or
// not at all.
type job struct {
	scans []*pending
	err   error // the job could not be stored: none of it was
	ready chan struct{}
}

// New makes an engine over db that verifies tokens with keys.
func New(db *store.DB, keys *credential.Keyring, catalog *store.Catalog) *Engine {
	e := &Engine{
		db:    db,
		keys:  keys,
		queue: make(chan *job, 4*maxBatch),
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
	stmts, err := e.db.PrepareScanStatements(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped before it started
		}
		return fmt.Errorf("checkin: %w", err)
	}
	e.stmts = stmts
	defer stmts.Close()
	batch := make([]*job, 0, maxBatch)
	for {
		select {
		case <-ctx.Done():
			return nil
		case j := <-e.queue:
			batch = append(batch[:0], j)
		}
		n := len(batch[0].scans)
	drain:
		for n < maxBatch {
			select {
			case j := <-e.queue:
				batch = append(batch, j)
				n += len(j.scans)
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
// once all are stored. A scan that cannot be decided at all (no scan_id, an
// unknown checkpoint, a reused scan_id) gets its error in its Outcome; if
// the batch cannot be stored (the disk is full) ScanBatch fails and none of
// it is stored.
func (e *Engine) ScanBatch(ctx context.Context, reqs []Request) ([]Outcome, error) {
	ps := make([]*pending, len(reqs))
	j := &job{ready: make(chan struct{})}
	for i, r := range reqs {
		p := &pending{req: r}
		if err := e.precheck(&p.req); err != nil {
			p.err = err
		} else {
			if r.Token != "" {
				// Signature checks are pure CPU: do them here, in the
				// caller's goroutine, not in the single writer.
				p.claims, _, p.tokenErr = e.keys.Verify(r.Token)
			}
			j.scans = append(j.scans, p)
		}
		ps[i] = p
	}
	if len(j.scans) > 0 {
		select {
		case e.queue <- j:
		case <-e.done:
			return nil, ErrClosed
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		select {
		case <-j.ready:
		case <-e.done:
			// The writer answers everything it took before it stops; a
			// job still waiting in the queue was never decided.
			select {
			case <-j.ready:
			default:
				return nil, ErrClosed
			}
		}
		if j.err != nil {
			return nil, j.err
		}
	}
	out := make([]Outcome, len(ps))
	for i, p := range ps {
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

// commit decides jobs in one transaction. If anything fails the whole
// transaction is rolled back and each job is retried on its own, so that
// one job that cannot be stored does not cost the others their answers;
// a job that fails on its own fails whole.
func (e *Engine) commit(ctx context.Context, batch []*job) {
	err := e.decideAll(ctx, batch)
	if err != nil && len(batch) > 1 {
		slog.Warn("check-in batch failed; retrying job by job", "jobs", len(batch), "err", err)
		for _, j := range batch {
			e.commit(ctx, []*job{j})
		}
		return
	}
	// The change was announced with the commit (decideAll), before the
	// answers, so that a kiosk that reads the counts right after its scan
	// sees its own scan in them.
	for _, j := range batch {
		j.err = err
		close(j.ready)
	}
}

func (e *Engine) decideAll(ctx context.Context, batch []*job) error {
	tx, err := e.db.BeginScans(ctx, e.stmts)
	if err != nil {
		return fmt.Errorf("checkin: %w", err)
	}
	defer tx.Rollback()
	d := decider{tx: tx, cat: e.Catalog(), now: e.now()}
	for _, j := range batch {
		for _, p := range j.scans {
			p.res, p.err = d.decide(&p.req, p.claims, p.tokenErr)
			if errors.Is(p.err, ErrScanIDReused) {
				continue // refused, not decided: the job goes on
			}
			if p.err != nil {
				return fmt.Errorf("checkin: scan %q: %w", p.req.ScanID, p.err)
			}
		}
	}
	if err := tx.CommitAnnounce(d.change); err != nil {
		return fmt.Errorf("checkin: %w", err)
	}
	return nil
}
