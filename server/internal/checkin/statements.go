package checkin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"huiwu/server/internal/store"
)

// statements are prepared once on the single write connection; inside a
// transaction tx.StmtContext reuses them without preparing again.
type statements struct {
	replay, credential, person, expected, seat, leave, auditLeave       *sql.Stmt
	presence, presenceInsert, presenceUpdate                            *sql.Stmt
	ticket, redemption, redeem, lodging, hotelCheckin, hotelCheckinSave *sql.Stmt
	insertScan                                                          *sql.Stmt
	handoutDue, handoutSave                                             *sql.Stmt // handout.go
	faceRef, faceCheckSave                                              *sql.Stmt // face.go
}

func prepare(ctx context.Context, db *store.DB) (*statements, error) {
	s := &statements{}
	var errs []error
	p := func(q string) *sql.Stmt {
		st, err := db.W.PrepareContext(ctx, q)
		errs = append(errs, err)
		return st
	}
	s.replay = p(`SELECT response, request_key FROM scans WHERE source = ? AND scan_id = ?`)
	s.credential = p(`SELECT attendee_id, revoked_at IS NOT NULL FROM credentials WHERE serial = ?`)
	s.person = p(`SELECT a.name, a.category, a.status, coalesce(d.name, ''), a.diet
		FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id WHERE a.id = ?`)
	s.expected = p(`SELECT count(*) FROM session_attendees WHERE session_id = ? AND attendee_id = ?`)
	s.seat = p(`SELECT s.label, s.section, s.row, s.number, s.door FROM seat_assignments sa
		JOIN seats s ON s.id = sa.seat_id WHERE sa.session_id = ? AND sa.attendee_id = ?`)
	s.leave = p(`SELECT count(*) FROM leaves WHERE session_id = ? AND attendee_id = ? AND revoked_at IS NULL`)
	s.auditLeave = p(`INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, 'leave.withdrawn', ?, ?)`)
	s.presence = p(`SELECT first_in_at, first_door, inside FROM presence WHERE session_id = ? AND attendee_id = ?`)
	s.presenceInsert = p(`INSERT INTO presence (session_id, attendee_id, first_in_at, first_door, inside, last_at)
		VALUES (?, ?, ?, ?, 1, ?)`)
	s.presenceUpdate = p(`UPDATE presence SET inside = ?, last_at = ?, first_in_at = min(first_in_at, ?)
		WHERE session_id = ? AND attendee_id = ?`)
	s.ticket = p(`SELECT venue_id, table_no FROM meal_tickets WHERE meal_id = ? AND attendee_id = ?`)
	s.redemption = p(`SELECT redeemed_at FROM meal_redemptions WHERE meal_id = ? AND attendee_id = ?`)
	s.redeem = p(`INSERT INTO meal_redemptions (meal_id, attendee_id, redeemed_at, venue_id) VALUES (?, ?, ?, ?)`)
	s.lodging = p(`SELECT venue_id, room FROM lodging WHERE attendee_id = ?`)
	s.hotelCheckin = p(`SELECT checked_in_at FROM hotel_checkins WHERE attendee_id = ?`)
	// The room handed over is the one the person holds at this moment.
	s.hotelCheckinSave = p(`INSERT INTO hotel_checkins (attendee_id, checked_in_at, venue_id, room)
		SELECT ?1, ?2, venue_id, room FROM lodging WHERE attendee_id = ?1`)
	s.insertScan = p(`INSERT INTO scans (scan_id, source, request_key, device_id, actor, checkpoint_id, attendee_id, serial, session_id, meal_id,
		status, late, offline, manual, flags, reason, scanned_at, client_time, received_at, response)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	s.handoutDue, s.handoutSave = handoutStatements(p)
	s.faceRef, s.faceCheckSave = faceStatements(p)
	if err := errors.Join(errs...); err != nil {
		s.close()
		return nil, fmt.Errorf("checkin: prepare: %w", err)
	}
	return s, nil
}

func (s *statements) close() {
	for _, st := range []*sql.Stmt{s.replay, s.credential, s.person, s.expected, s.seat, s.leave, s.auditLeave, s.presence,
		s.presenceInsert, s.presenceUpdate, s.ticket, s.redemption, s.redeem, s.lodging,
		s.hotelCheckin, s.hotelCheckinSave, s.insertScan, s.handoutDue, s.handoutSave, s.faceRef, s.faceCheckSave} {
		if st != nil {
			st.Close()
		}
	}
}
