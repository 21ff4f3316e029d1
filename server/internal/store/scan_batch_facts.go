package store

import (
	"errors"
	"fmt"
	"time"

	"huiwu/server/internal/domain"
)

// The facts a scan's decision reads, inside its batch's transaction so
// that each scan sees what the scans before it in the batch stored. Each
// question the engine may get no answer to says so with ErrNotFound.

// Replay is the answer logged for a scan id its source already used, and
// the fingerprint of what it was used for (empty for scans logged before
// fingerprints existed); ErrNotFound for a new scan id.
func (t *ScanTx) Replay(source, scanID string) (response, key string, err error) {
	err = t.row(stReplay, []any{source, scanID}, &response, &key)
	return response, key, err
}

// Credential is the holder of the badge with serial and whether the badge
// was revoked; ErrNotFound for a serial never issued.
func (t *ScanTx) Credential(serial int64) (attendee int64, revoked bool, err error) {
	err = t.row(stCredential, []any{serial}, &attendee, &revoked)
	return attendee, revoked, err
}

// ScanPerson is what a scan shows of the person scanned.
type ScanPerson struct {
	Name       string
	Category   string // category code
	Delegation string // its name, or empty
	Diet       string
	Cancelled  bool // no longer coming
}

// Person is the attendee as a scan shows them; ErrNotFound if there is
// no such attendee.
func (t *ScanTx) Person(attendee int64) (ScanPerson, error) {
	var p ScanPerson
	err := t.row(stPerson, []any{attendee}, &p.Name, &p.Category, &p.Cancelled, &p.Delegation, &p.Diet)
	return p, err
}

// Expected reports whether attendee is on session's list.
func (t *ScanTx) Expected(session string, attendee int64) (bool, error) {
	var n int
	err := t.row(stExpected, []any{session, attendee}, &n)
	return n > 0, err
}

// Seat is attendee's seat at session as a scan's guidance names it: the
// label, section, row, number and nearest door (kind and position are not
// read); ErrNotFound if they have none.
func (t *ScanTx) Seat(session string, attendee int64) (domain.Seat, error) {
	var s domain.Seat
	err := t.row(stSeat, []any{session, attendee}, &s.Label, &s.Section, &s.Row, &s.Number, &s.Door)
	return s, err
}

// OnLeave reports whether attendee has a leave from session that was not
// withdrawn.
func (t *ScanTx) OnLeave(session string, attendee int64) (bool, error) {
	var n int
	err := t.row(stOnLeave, []any{session, attendee}, &n)
	return n > 0, err
}

// Presence is attendee's first entry to session and whether they are
// inside now; ErrNotFound if they have not come in.
func (t *ScanTx) Presence(session string, attendee int64) (firstIn time.Time, inside bool, err error) {
	var at string
	if err := t.row(stPresence, []any{session, attendee}, &at, &inside); err != nil {
		return time.Time{}, false, err
	}
	return ReadTime(at), inside, nil
}

// Ticket is attendee's ticket to meal: the dining hall (its venue row id)
// and the table; ErrNotFound if they have none.
func (t *ScanTx) Ticket(meal string, attendee int64) (venueID int64, table int, err error) {
	err = t.row(stTicket, []any{meal, attendee}, &venueID, &table)
	return venueID, table, err
}

// Redemption is when attendee's ticket to meal was used; ErrNotFound if
// it was not.
func (t *ScanTx) Redemption(meal string, attendee int64) (time.Time, error) {
	var at string
	if err := t.row(stRedemption, []any{meal, attendee}, &at); err != nil {
		return time.Time{}, err
	}
	return ReadTime(at), nil
}

// Lodging is attendee's hotel (its venue row id) and room; ErrNotFound if
// they are not lodged.
func (t *ScanTx) Lodging(attendee int64) (venueID int64, room string, err error) {
	err = t.row(stLodging, []any{attendee}, &venueID, &room)
	return venueID, room, err
}

// HotelCheckin is when attendee checked in at their hotel; ErrNotFound
// if they have not.
func (t *ScanTx) HotelCheckin(attendee int64) (time.Time, error) {
	var at string
	if err := t.row(stHotelCheckin, []any{attendee}, &at); err != nil {
		return time.Time{}, err
	}
	return ReadTime(at), nil
}

// DueItem is a material item due to a person at a checkpoint that hands
// it out (资料发放, materials.go).
type DueItem struct {
	ID                 int64
	Code, Name, NameEn string
	// At and Place say when and where it was collected; At is zero while
	// it is still to be handed over.
	At    time.Time
	Place string
}

// HandoutDue are the items due to attendee that checkpoint hands out,
// collected or not, in the items' order.
func (t *ScanTx) HandoutDue(checkpoint string, attendee int64) ([]DueItem, error) {
	rows, err := t.stmt(stHandoutDue).QueryContext(t.ctx, checkpoint, attendee)
	if err != nil {
		return nil, fmt.Errorf("store: scan batch, %s: %w", scanWhat[stHandoutDue], err)
	}
	var out []DueItem
	for rows.Next() {
		var it DueItem
		var at string
		if err := rows.Scan(&it.ID, &it.Code, &it.Name, &it.NameEn, &at, &it.Place); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: scan batch, %s: %w", scanWhat[stHandoutDue], err)
		}
		if at != "" {
			it.At = ReadTime(at)
		}
		out = append(out, it)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("store: scan batch, %s: %w", scanWhat[stHandoutDue], err)
	}
	return out, nil
}

// FaceRefModel is the model of attendee's face reference, if they consented
// and have one (the vector itself is the kiosk's to compare); ErrNotFound
// otherwise.
func (t *ScanTx) FaceRefModel(attendee int64) (string, error) {
	var model string
	err := t.row(stFaceRefModel, []any{attendee}, &model)
	return model, err
}
