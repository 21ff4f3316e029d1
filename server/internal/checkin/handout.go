package checkin

import (
	"huiwu/kiosk/rules"
	"huiwu/server/internal/store"
)

// handout hands over, on a scan that lets the person through at a
// checkpoint that hands out materials (资料发放, store/materials.go), the
// items due to them there and not collected yet, in the scan's own
// transaction: acknowledged means recorded. Items collected before are
// answered with when and where (已领). The handout table's key is
// (attendee, item), and the engine decides scans one after another, so
// two kiosks scanning one badge at once hand an item over once.
func (d *decider) handout(s *scan) error {
	if s.attendee == 0 || !s.res.Status.Accepted() {
		return nil
	}
	due, err := d.tx.HandoutDue(s.cp.ID, s.attendee)
	if err != nil {
		return err
	}
	var give []int64
	h := &rules.Handout{Give: []rules.HandoutItem{}, Already: []rules.HandoutItem{}}
	for _, item := range due {
		it := rules.HandoutItem{Code: item.Code, Name: item.Name, NameEn: item.NameEn, Place: item.Place}
		if !item.At.IsZero() {
			t := item.At.In(d.cat.Location)
			it.At = &t
			h.Already = append(h.Already, it)
			continue
		}
		give = append(give, item.ID)
		h.Give = append(h.Give, it)
	}
	if len(give) == 0 && len(h.Already) == 0 {
		return nil // nothing is handed out here, or not to this person
	}
	reason := s.req.Reason
	if s.req.Offline {
		// The kiosk named the items without knowing who had them: the desk
		// can tell these from handouts a kiosk showed to the staff.
		reason = "离线扫码，联网后登记 · offline scan, recorded on upload"
	}
	for _, id := range give {
		if err := d.tx.SaveHandout(store.HandoutRecord{Attendee: s.attendee, Item: id, At: s.at, Checkpoint: s.cp.ID,
			Place: s.cp.Name, Device: s.req.Device, Actor: s.req.Actor, Manual: s.req.Token == "", Reason: reason,
			ScanID: s.req.ScanID}); err != nil {
			return err
		}
	}
	s.res.Handout = h
	return nil
}
