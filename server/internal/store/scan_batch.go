package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The check-in engine (package checkin) decides scans in batches: one write
// transaction a batch, so that one fsync covers every scan in it (group
// commit). Its statements run hundreds of times a second, so they are
// prepared once on the write connection (ScanStatements) and each batch's
// transaction (ScanTx) reuses them. The methods are named for the facts
// the engine asks and the writes a decision makes; the engine keeps the
// rules and builds the Change it announces after commit.

// scanStmt names one of the engine's prepared statements.
type scanStmt int

const (
	stReplay scanStmt = iota
	stCredential
	stPerson
	stExpected
	stSeat
	stOnLeave
	stPresence
	stEnter
	stSetInside
	stTicket
	stRedemption
	stRedeem
	stLodging
	stHotelCheckin
	stCheckInHotel
	stSaveScan
	stHandoutDue
	stSaveHandout
	stFaceRefModel
	stSaveFaceCheck
	scanStmts // how many there are
)

// scanWhat names each statement in errors.
var scanWhat = [scanStmts]string{
	stReplay: "replay", stCredential: "credential", stPerson: "person", stExpected: "expected", stSeat: "seat",
	stOnLeave: "on leave", stPresence: "presence", stEnter: "enter", stSetInside: "set inside", stTicket: "meal ticket",
	stRedemption: "redemption", stRedeem: "redeem", stLodging: "lodging", stHotelCheckin: "hotel check-in",
	stCheckInHotel: "check in at the hotel", stSaveScan: "save scan", stHandoutDue: "handouts due",
	stSaveHandout: "save handout", stFaceRefModel: "face reference", stSaveFaceCheck: "save face check",
}

// scanSQL is the text of each statement. The face statements are their
// aggregates' (faces.go, face_checks.go), which own those tables.
var scanSQL = [scanStmts]string{
	stReplay:     `SELECT response, request_key FROM scans WHERE source = ? AND scan_id = ?`,
	stCredential: `SELECT attendee_id, revoked_at IS NOT NULL FROM credentials WHERE serial = ?`,
	stPerson: `SELECT a.name, a.category, a.status = 'cancelled', coalesce(d.name, ''), a.diet
		FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id WHERE a.id = ?`,
	stExpected: `SELECT count(*) FROM session_attendees WHERE session_id = ? AND attendee_id = ?`,
	stSeat: `SELECT s.label, s.section, s.row, s.number, s.door FROM seat_assignments sa
		JOIN seats s ON s.id = sa.seat_id WHERE sa.session_id = ? AND sa.attendee_id = ?`,
	stOnLeave:  `SELECT count(*) FROM active_leaves WHERE session_id = ? AND attendee_id = ?`,
	stPresence: `SELECT first_in_at, inside FROM presence WHERE session_id = ? AND attendee_id = ?`,
	stEnter: `INSERT INTO presence (session_id, attendee_id, first_in_at, first_door, inside, last_at)
		VALUES (?1, ?2, ?3, ?4, 1, ?3)`,
	stSetInside: `UPDATE presence SET inside = ?3, last_at = ?4,
		first_in_at = CASE WHEN ?4 < first_in_at THEN ?4 ELSE first_in_at END
		WHERE session_id = ?1 AND attendee_id = ?2`,
	stTicket:       `SELECT venue_id, table_no FROM meal_tickets WHERE meal_id = ? AND attendee_id = ?`,
	stRedemption:   `SELECT redeemed_at FROM meal_redemptions WHERE meal_id = ? AND attendee_id = ?`,
	stRedeem:       `INSERT INTO meal_redemptions (meal_id, attendee_id, redeemed_at, venue_id) VALUES (?, ?, ?, ?)`,
	stLodging:      `SELECT venue_id, room FROM lodging WHERE attendee_id = ?`,
	stHotelCheckin: `SELECT checked_in_at FROM hotel_checkins WHERE attendee_id = ?`,
	// The room handed over is the one the person holds at this moment.
	stCheckInHotel: `INSERT INTO hotel_checkins (attendee_id, checked_in_at, venue_id, room)
		SELECT ?1, ?2, venue_id, room FROM lodging WHERE attendee_id = ?1`,
	stSaveScan: `INSERT INTO scans (scan_id, source, request_key, device_id, actor, checkpoint_id, attendee_id, serial, session_id, meal_id,
		status, late, offline, manual, flags, reason, scanned_at, client_time, received_at, response)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	stHandoutDue: `SELECT i.id, i.code, i.name, i.name_en, coalesce(h.at, ''), coalesce(h.place, '')
		FROM material_points p JOIN material_items i ON i.id = p.item_id
		LEFT JOIN material_handouts h ON h.item_id = i.id AND h.attendee_id = ?2
		WHERE p.checkpoint = ?1 AND i.id IN (SELECT item_id FROM material_due WHERE attendee_id = ?2)
		ORDER BY i.sort, i.id`,
	stSaveHandout: `INSERT INTO material_handouts (attendee_id, item_id, at, checkpoint, place, device, actor, manual, reason, scan_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
	stFaceRefModel:  sqlFaceRefModel,
	stSaveFaceCheck: sqlFaceCheckInsert,
}

// ScanStatements are the check-in engine's statements, prepared once on the
// write connection for the engine's lifetime: a batch's transaction reuses
// them instead of preparing its SQL again.
type ScanStatements struct {
	db    *DB
	stmts [scanStmts]*sql.Stmt
}

// PrepareScanStatements prepares the engine's statements; Close them when
// the engine stops.
func (db *DB) PrepareScanStatements(ctx context.Context) (*ScanStatements, error) {
	s := &ScanStatements{db: db}
	var errs []error
	for k, q := range scanSQL {
		st, err := db.w.PrepareContext(ctx, q)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", scanWhat[k], err))
			continue
		}
		s.stmts[k] = st
	}
	if err := errors.Join(errs...); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: prepare the scan statements: %w", err)
	}
	return s, nil
}

// Close releases the statements.
func (s *ScanStatements) Close() error {
	var errs []error
	for _, st := range s.stmts {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// ScanTx is one batch of scans being decided: a write transaction that
// stores everything the batch decides, or (rolled back) none of it.
// A ScanTx belongs to one goroutine, the engine's writer.
type ScanTx struct {
	ctx context.Context
	tx  *sql.Tx
	st  *ScanStatements
	// bound are the statements bound to this transaction, each bound on
	// its first use: a batch asks the same few questions of many scans.
	bound [scanStmts]*sql.Stmt
}

// BeginScans opens a batch's transaction over the prepared statements st.
// Its methods run under ctx; the caller defers Rollback and ends with
// Commit.
func (db *DB) BeginScans(ctx context.Context, st *ScanStatements) (*ScanTx, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: begin a scan batch: %w", err)
	}
	return &ScanTx{ctx: ctx, tx: tx, st: st}, nil
}

// Commit stores the batch.
func (t *ScanTx) Commit() error {
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("store: commit a scan batch: %w", err)
	}
	return nil
}

// CommitAnnounce stores the batch and announces its change c, as Announce
// does (without waiting for the followers). On PostgreSQL c goes into the
// feed between servers with the batch, one row for the whole batch
// (feed_pg.go), and is announced after the other servers' changes
// committed before it.
func (t *ScanTx) CommitAnnounce(c Change) error {
	if _, err := t.st.db.commit(t.ctx, t.tx, c); err != nil {
		return fmt.Errorf("store: commit a scan batch: %w", err)
	}
	return nil
}

// Rollback drops the batch, if it was not committed; after Commit it does
// nothing.
func (t *ScanTx) Rollback() {
	t.tx.Rollback()
}

// stmt is statement k in this transaction.
func (t *ScanTx) stmt(k scanStmt) *sql.Stmt {
	if b := t.bound[k]; b != nil {
		return b
	}
	b := t.tx.StmtContext(t.ctx, t.st.stmts[k])
	t.bound[k] = b
	return b
}

// row runs query k for one row; no row is ErrNotFound.
func (t *ScanTx) row(k scanStmt, args []any, dest ...any) error {
	err := t.stmt(k).QueryRowContext(t.ctx, args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	} else if err != nil {
		return fmt.Errorf("store: scan batch, %s: %w", scanWhat[k], err)
	}
	return nil
}

// exec runs statement k.
func (t *ScanTx) exec(k scanStmt, args ...any) (sql.Result, error) {
	res, err := t.stmt(k).ExecContext(t.ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("store: scan batch, %s: %w", scanWhat[k], err)
	}
	return res, nil
}
