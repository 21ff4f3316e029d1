package checkin

import (
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
	model, err := d.tx.FaceRefModel(s.attendee)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	f.Holder.FaceModel = model
	return nil
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
	id, err := d.tx.SaveFaceCheck(store.FaceCheckRecord{Key: s.req.source() + "/" + s.req.ScanID, Attendee: s.attendee,
		Checkpoint: s.cp.ID, Device: s.req.Device, Result: fc.Result, Distance: fc.Distance, Refused: fc.Refused, At: s.at})
	if err != nil {
		return err
	}
	if fc.Result == rules.FacePass && !fc.Refused {
		return nil
	}
	d.change.FaceAlerts = append(d.change.FaceAlerts, id)
	return nil
}
