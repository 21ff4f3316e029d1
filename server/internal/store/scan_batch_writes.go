package store

import (
	"fmt"
	"strings"
	"time"
)

// The writes a scan's decision makes, in its batch's transaction: stored
// with the batch's other scans or not at all.

// Enter records attendee's first entry to session, through door at at.
func (t *ScanTx) Enter(session string, attendee int64, door string, at time.Time) error {
	_, err := t.exec(stEnter, session, attendee, FormatTime(at), door)
	return err
}

// SetInside records that attendee came back in to session (inside) or went
// out, at at. A scan at an earlier time than the first entry (an offline
// kiosk's) becomes the first entry.
func (t *ScanTx) SetInside(session string, attendee int64, inside bool, at time.Time) error {
	_, err := t.exec(stSetInside, session, attendee, flag(inside), FormatTime(at))
	return err
}

// LeaveWithdrawn puts on attendee's record (the audit log) that their
// leave was withdrawn by coming in: by actor, at at, with detail naming the
// session and checkpoint. The leave itself stays as it is.
func (t *ScanTx) LeaveWithdrawn(at time.Time, actor string, attendee int64, detail string) error {
	if err := audit(t.ctx, t.tx, at, actor, "leave.withdrawn", fmt.Sprint(attendee), detail); err != nil {
		return fmt.Errorf("store: scan batch, leave withdrawn: %w", err)
	}
	return nil
}

// Redeem uses attendee's ticket to meal at at, in the dining hall venueID.
func (t *ScanTx) Redeem(meal string, attendee int64, at time.Time, venueID int64) error {
	_, err := t.exec(stRedeem, meal, attendee, FormatTime(at), venueID)
	return err
}

// CheckInHotel records attendee's hotel check-in at at, with the room they
// hold at this moment.
func (t *ScanTx) CheckInHotel(attendee int64, at time.Time) error {
	_, err := t.exec(stCheckInHotel, attendee, FormatTime(at))
	return err
}

// ScanRecord is one decided scan as the append-only scan log keeps it,
// with the answer it got (replayed to a resend of its scan id).
type ScanRecord struct {
	ScanID, Source string
	Key            string // what the scan id was used for
	Device, Actor  string
	Checkpoint     string
	Attendee       int64  // 0: nobody known
	Serial         int64  // the badge's; 0 for a manual check-in
	Session, Meal  string // what it counted for, if anything
	Status         string
	Late           bool
	Offline        bool
	Manual         bool
	Flags          []string
	Reason         string
	At             time.Time // the time the decision used
	ClientTime     time.Time // the kiosk's, if it sent one
	ReceivedAt     time.Time
	Response       []byte // the answer, JSON
}

// SaveScan appends r to the scan log.
func (t *ScanTx) SaveScan(r ScanRecord) error {
	var clientTime string
	if !r.ClientTime.IsZero() {
		clientTime = FormatTime(r.ClientTime)
	}
	_, err := t.exec(stSaveScan, r.ScanID, r.Source, r.Key, r.Device, r.Actor, r.Checkpoint,
		nullID(r.Attendee), nullID(r.Serial), nullStr(r.Session), nullStr(r.Meal),
		r.Status, flag(r.Late), flag(r.Offline), flag(r.Manual), strings.Join(r.Flags, ","),
		r.Reason, FormatTime(r.At), clientTime, FormatTime(r.ReceivedAt), string(r.Response))
	return err
}

// HandoutRecord is one item handed over at a scan (资料发放).
type HandoutRecord struct {
	Attendee, Item    int64
	At                time.Time
	Checkpoint, Place string // the checkpoint's id and name
	Device, Actor     string
	Manual            bool // the desk's 补签, not a badge
	Reason            string
	ScanID            string
}

// SaveHandout records h, unless the item was handed to the person before.
func (t *ScanTx) SaveHandout(h HandoutRecord) error {
	_, err := t.exec(stSaveHandout, h.Attendee, h.Item, FormatTime(h.At), h.Checkpoint, h.Place, h.Device, h.Actor,
		flag(h.Manual), h.Reason, h.ScanID)
	return err
}

// FaceCheckRecord is a kiosk's face check of the person it scanned.
type FaceCheckRecord struct {
	Key        string // the scan's source and scan id
	Attendee   int64
	Checkpoint string
	Device     string // empty for the desk
	Result     string
	Distance   *float64 // nil when no face was compared
	Refused    bool
	At         time.Time
}

// SaveFaceCheck stores c and returns its id, which an alert to the ushers
// names (Change.FaceAlerts).
func (t *ScanTx) SaveFaceCheck(c FaceCheckRecord) (int64, error) {
	var distance any
	if c.Distance != nil {
		distance = *c.Distance
	}
	var id int64
	err := t.row(stSaveFaceCheck, []any{c.Key, c.Attendee, c.Checkpoint, nullStr(c.Device), c.Result,
		distance, flag(c.Refused), FormatTime(c.At)}, &id)
	return id, err
}
