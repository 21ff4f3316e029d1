package readiness

import (
	"context"
	"fmt"
	"strconv"

	"huiwu/server/internal/store"
)

// capacity: every session's venue seats at least its expected count — a
// hall by its usable seats (blocked ones do not count), any other venue by
// its stated capacity.
func (k *checker) capacity(ctx context.Context) (Check, error) {
	c := Check{ID: "capacity", Title: "会场容量足够", TitleEn: "Every venue seats its expected count"}
	err := k.each(ctx, `SELECT s.id, s.name, v.name, v.capacity,
		(SELECT count(*) FROM seats st WHERE st.venue_id = s.venue_id),
		(SELECT count(*) FROM seats st WHERE st.venue_id = s.venue_id AND st.kind != 'blocked'),
		(SELECT count(*) FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active'
			WHERE sa.session_id = s.id)
		FROM sessions s JOIN venues v ON v.id = s.venue_id ORDER BY s.starts_at, s.sort`, nil,
		func(scan func(...any) error) error {
			var sid, sname, vname string
			var capacity, seats, usable, expected int
			if err := scan(&sid, &sname, &vname, &capacity, &seats, &usable, &expected); err != nil {
				return err
			}
			c.Checked++
			room, what, whatEn := capacity, "容量", "capacity"
			if seats > 0 {
				room, what, whatEn = usable, "可用座位", "usable seats"
			}
			if room < expected {
				c.fail(Item{Subject: sid, Name: sname + "（" + vname + "）",
					Detail:   fmt.Sprintf("应到 %d 人，%s只有 %d 个", expected, what, room),
					DetailEn: fmt.Sprintf("%d expected, only %d %s", expected, room, whatEn)})
			}
			return nil
		})
	return c, err
}

// meals: everyone expected somewhere has meal tickets, each at a table
// the dining hall has, and no table is given more people than it seats.
func (k *checker) meals(ctx context.Context) (Check, error) {
	c := Check{ID: "meals", Title: "用餐已安排", TitleEn: "Meals and tables are assigned"}
	// One pass over the tickets grouped by attendee: meal_tickets is keyed
	// by meal first, so a per-attendee subquery would scan it each time.
	err := k.each(ctx, `WITH t AS (
			SELECT t.attendee_id, count(*) AS n, sum(d.number IS NULL) AS bad
			FROM meal_tickets t LEFT JOIN dining_tables d ON d.venue_id = t.venue_id AND d.number = t.table_no
			GROUP BY t.attendee_id)
		SELECT a.id, a.name, a.organization, coalesce(t.n, 0), coalesce(t.bad, 0)
		FROM attendees a LEFT JOIN t ON t.attendee_id = a.id
		WHERE a.status = 'active' AND EXISTS (SELECT 1 FROM session_attendees sa WHERE sa.attendee_id = a.id)
		ORDER BY a.rank, a.id`, nil, func(scan func(...any) error) error {
		var id int64
		var name, org string
		var tickets, noTable int
		if err := scan(&id, &name, &org, &tickets, &noTable); err != nil {
			return err
		}
		c.Checked++
		switch {
		case tickets == 0:
			c.fail(Item{Subject: strconv.FormatInt(id, 10), Name: person(name, org),
				Detail: "没有任何用餐安排", DetailEn: "no meals assigned"})
		case noTable > 0:
			c.fail(Item{Subject: strconv.FormatInt(id, 10), Name: person(name, org),
				Detail: fmt.Sprintf("%d 餐没有有效桌号", noTable), DetailEn: fmt.Sprintf("%d meals without a valid table", noTable)})
		}
		return nil
	})
	if err != nil {
		return c, err
	}
	err = k.each(ctx, `SELECT t.meal_id, m.name, v.name, t.table_no, d.seats, count(*)
		FROM meal_tickets t JOIN attendees a ON a.id = t.attendee_id AND a.status = 'active'
		JOIN meals m ON m.id = t.meal_id JOIN venues v ON v.id = t.venue_id
		JOIN dining_tables d ON d.venue_id = t.venue_id AND d.number = t.table_no
		GROUP BY t.meal_id, t.venue_id, t.table_no HAVING count(*) > d.seats
		ORDER BY m.opens_at, v.name, t.table_no`, nil, func(scan func(...any) error) error {
		var mid, mname, vname string
		var table, seats, n int
		if err := scan(&mid, &mname, &vname, &table, &seats, &n); err != nil {
			return err
		}
		c.fail(Item{Subject: fmt.Sprintf("%s/%d", mid, table), Name: fmt.Sprintf("%s %s %d 号桌", mname, vname, table),
			Detail: fmt.Sprintf("%d 人，桌位只有 %d 个", n, seats), DetailEn: fmt.Sprintf("%d people at a table for %d", n, seats)})
		return nil
	})
	return c, err
}

// rooms: every room given is one its hotel has. Whether a room holds more
// people than beds is a question of nights and companions:
// rooms_double_booked answers it.
func (k *checker) rooms(ctx context.Context) (Check, error) {
	c := Check{ID: "rooms", Title: "住宿房间存在", TitleEn: "Every room given is one the hotel has"}
	err := k.each(ctx, `SELECT v.name, l.room, h.beds IS NOT NULL, count(*), group_concat(a.name, '、')
		FROM lodging l JOIN attendees a ON a.id = l.attendee_id AND a.status = 'active'
		JOIN venues v ON v.id = l.venue_id
		LEFT JOIN hotel_rooms h ON h.venue_id = l.venue_id AND h.number = l.room
		GROUP BY l.venue_id, l.room ORDER BY v.name, l.room`, nil, func(scan func(...any) error) error {
		var hotel, room, names string
		var exists bool
		var n int
		if err := scan(&hotel, &room, &exists, &n, &names); err != nil {
			return err
		}
		c.Checked += n
		if !exists {
			c.fail(Item{Subject: room, Name: names, Detail: fmt.Sprintf("%s 没有 %q 号房间", hotel, room),
				DetailEn: fmt.Sprintf("%s has no room %q", hotel, room)})
		}
		return nil
	})
	return c, err
}

// kiosks: every kiosk is paired, placed at a checkpoint and seen lately
// (a scan or the status report its page sends with each heartbeat); every
// entrance and dining checkpoint has one.
func (k *checker) kiosks(ctx context.Context) (Check, error) {
	c := Check{ID: "kiosks", Title: "签到机已配对在线", TitleEn: "Kiosks are paired and online"}
	since := store.FormatTime(k.opts.Now.Add(-k.opts.SeenWithin))
	err := k.each(ctx, `SELECT d.id, d.name, coalesce(d.checkpoint_id, ''), d.paired_at IS NOT NULL,
		max(coalesce(d.last_seen_at, ''), coalesce((SELECT max(s.received_at) FROM scans s WHERE s.device_id = d.id), ''),
		    coalesce((SELECT ks.reported_at FROM kiosk_status ks WHERE ks.device_id = d.id), ''))
		FROM devices d WHERE d.kind = 'kiosk' AND d.revoked_at IS NULL ORDER BY d.name, d.id`, nil,
		func(scan func(...any) error) error {
			var id, name, point, seen string
			var paired bool
			if err := scan(&id, &name, &point, &paired, &seen); err != nil {
				return err
			}
			c.Checked++
			it := Item{Subject: id, Name: name}
			switch {
			case !paired:
				it.Detail, it.DetailEn = "尚未配对", "not paired"
			case point == "":
				it.Detail, it.DetailEn = "未指定签到点", "no checkpoint set"
			case seen == "":
				it.Detail, it.DetailEn = "配对后从未上线", "never seen since pairing"
			case seen < since:
				at := store.ReadTime(seen).In(k.cat.Location).Format("01-02 15:04")
				it.Detail, it.DetailEn = "离线，最后在线 "+at, "offline, last seen "+at
			default:
				return nil
			}
			c.fail(it)
			return nil
		})
	if err != nil {
		return c, err
	}
	err = k.each(ctx, `SELECT p.id, p.name FROM checkpoints p WHERE p.kind IN ('entrance', 'meal')
		AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.checkpoint_id = p.id AND d.kind = 'kiosk'
			AND d.revoked_at IS NULL AND d.paired_at IS NOT NULL)
		ORDER BY p.id`, nil, func(scan func(...any) error) error {
		var id, name string
		if err := scan(&id, &name); err != nil {
			return err
		}
		c.Checked++
		c.fail(Item{Subject: id, Name: name, Detail: "签到点没有已配对的签到机", DetailEn: "no paired kiosk at this checkpoint"})
		return nil
	})
	return c, err
}
