package checkin

import (
	"database/sql"
	"errors"

	"huiwu/kiosk/rules"
	"huiwu/server/internal/store"
)

// faceRef notes whether the person has a reference embedding they
// consented to (its model, in the holder's facts), when the scan carries
// a face check at a checkpoint that checks faces: the rules count a face
// check only for such a person, as the kiosk's sealed cache does offline.
// The vector itself is not read: the kiosk compared it.
func (d *decider) faceRef(s *scan, f *rules.Facts) error {
	if f.Face == nil || f.Checkpoint.Face == "" || s.attendee == 0 || f.Settled() {
		return nil
	}
	err := d.stmt(d.st.faceRef).QueryRow(s.attendee).Scan(&f.Holder.FaceModel)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// faceCheck stores the scan's face check, in the scan's transaction, and
// notes a mismatch or a refusal for the ushers' alert (store.Change). The
// check's key is the scan's source and id: a scan_id is unique per device,
// and a resend never reaches here (it is answered from the log).
func (d *decider) faceCheck(s *scan) error {
	fc := s.res.Face
	if fc == nil {
		return nil
	}
	var distance any
	if fc.Distance != nil {
		distance = *fc.Distance
	}
	var device any
	if s.req.Device != "" {
		device = s.req.Device
	}
	res, err := d.stmt(d.st.faceCheckSave).Exec(s.req.source()+"/"+s.req.ScanID, s.attendee, s.cp.ID, device, fc.Result,
		distance, fc.Refused, store.FormatTime(s.at))
	if err != nil {
		return err
	}
	if fc.Result == rules.FacePass && !fc.Refused {
		return nil
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	d.change.FaceAlerts = append(d.change.FaceAlerts, id)
	return nil
}

// faceStatements are the face check's prepared statements; their SQL is
// the store's, which owns the tables.
func faceStatements(p func(string) *sql.Stmt) (ref, save *sql.Stmt) {
	return p(store.SQLFaceRefModel), p(store.SQLFaceCheckInsert)
}
