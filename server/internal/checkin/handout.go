package checkin

import (
	"database/sql"
	"errors"

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
	rows, err := d.stmt(d.st.handoutDue).Query(s.cp.ID, s.attendee)
	if err != nil {
		return err
	}
	var give []int64
	h := &rules.Handout{Give: []rules.HandoutItem{}, Already: []rules.HandoutItem{}}
	for rows.Next() {
		var id int64
		var it rules.HandoutItem
		var at string
		if err := rows.Scan(&id, &it.Code, &it.Name, &it.NameEn, &at, &it.Place); err != nil {
			rows.Close()
			return err
		}
		if at != "" {
			t := store.ReadTime(at).In(d.cat.Location)
			it.At = &t
			h.Already = append(h.Already, it)
			continue
		}
		give = append(give, id)
		h.Give = append(h.Give, it)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	if len(give) == 0 && len(h.Already) == 0 {
		return nil // nothing is handed out here, or not to this person
	}
	at, reason := store.FormatTime(s.at), s.req.Reason
	if s.req.Offline {
		// The kiosk named the items without knowing who had them: the desk
		// can tell these from handouts a kiosk showed to the staff.
		reason = "离线扫码，联网后登记 · offline scan, recorded on upload"
	}
	for _, id := range give {
		if _, err := d.stmt(d.st.handoutSave).Exec(s.attendee, id, at, s.cp.ID, s.cp.Name, s.req.Device, s.req.Actor,
			s.req.Token == "", reason, s.req.ScanID); err != nil {
			return err
		}
	}
	s.res.Handout = h
	return nil
}

// handoutStatements are the handout's prepared statements.
func handoutStatements(p func(string) *sql.Stmt) (due, save *sql.Stmt) {
	due = p(`SELECT i.id, i.code, i.name, i.name_en, coalesce(h.at, ''), coalesce(h.place, '')
		FROM material_points p JOIN material_items i ON i.id = p.item_id
		LEFT JOIN material_handouts h ON h.item_id = i.id AND h.attendee_id = ?2
		WHERE p.checkpoint = ?1 AND i.id IN (SELECT item_id FROM material_due WHERE attendee_id = ?2)
		ORDER BY i.sort, i.id`)
	save = p(`INSERT INTO material_handouts (attendee_id, item_id, at, checkpoint, place, device, actor, manual, reason, scan_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	return due, save
}
