package readiness

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// capacity: every session's venue seats at least its expected count — a
// hall by its usable seats (blocked ones do not count), any other venue by
// its stated capacity.
func (k *checker) capacity(ctx context.Context) (Check, error) {
	c := Check{ID: "capacity", Title: "会场容量足够", TitleEn: "Every venue seats its expected count"}
	caps, err := k.db.SessionCapacities(ctx)
	if err != nil {
		return c, err
	}
	for _, s := range caps {
		c.Checked++
		room, what, whatEn := s.Capacity, "容量", "capacity"
		if s.Seats > 0 {
			room, what, whatEn = s.Usable, "可用座位", "usable seats"
		}
		if room < s.Expected {
			c.fail(Item{Subject: s.SessionID, Name: s.SessionName + "（" + s.VenueName + "）",
				Detail:   fmt.Sprintf("应到 %d 人，%s只有 %d 个", s.Expected, what, room),
				DetailEn: fmt.Sprintf("%d expected, only %d %s", s.Expected, room, whatEn)})
		}
	}
	return c, nil
}

// meals: everyone expected somewhere has meal tickets, each at a table
// the dining hall has, and no table is given more people than it seats.
func (k *checker) meals(ctx context.Context) (Check, error) {
	c := Check{ID: "meals", Title: "用餐已安排", TitleEn: "Meals and tables are assigned"}
	covers, err := k.db.MealCovers(ctx)
	if err != nil {
		return c, err
	}
	for _, m := range covers {
		c.Checked++
		switch {
		case m.Tickets == 0:
			c.fail(Item{Subject: strconv.FormatInt(m.ID, 10), Name: person(m.Name, m.Organization),
				Detail: "没有任何用餐安排", DetailEn: "no meals assigned"})
		case m.NoTable > 0:
			c.fail(Item{Subject: strconv.FormatInt(m.ID, 10), Name: person(m.Name, m.Organization),
				Detail: fmt.Sprintf("%d 餐没有有效桌号", m.NoTable), DetailEn: fmt.Sprintf("%d meals without a valid table", m.NoTable)})
		}
	}
	crowded, err := k.db.CrowdedTables(ctx)
	if err != nil {
		return c, err
	}
	for _, t := range crowded {
		c.fail(Item{Subject: fmt.Sprintf("%s/%d", t.MealID, t.Table), Name: fmt.Sprintf("%s %s %d 号桌", t.MealName, t.Hall, t.Table),
			Detail: fmt.Sprintf("%d 人，桌位只有 %d 个", t.People, t.Seats), DetailEn: fmt.Sprintf("%d people at a table for %d", t.People, t.Seats)})
	}
	return c, nil
}

// rooms: every room given is one its hotel has. Whether a room holds more
// people than beds is a question of nights and companions:
// rooms_double_booked answers it.
func (k *checker) rooms(ctx context.Context) (Check, error) {
	c := Check{ID: "rooms", Title: "住宿房间存在", TitleEn: "Every room given is one the hotel has"}
	given, err := k.db.RoomsGiven(ctx)
	if err != nil {
		return c, err
	}
	for _, g := range given {
		c.Checked += g.People
		if !g.Exists {
			c.fail(Item{Subject: g.Room, Name: g.Names, Detail: fmt.Sprintf("%s 没有 %q 号房间", g.Hotel, g.Room),
				DetailEn: fmt.Sprintf("%s has no room %q", g.Hotel, g.Room)})
		}
	}
	return c, nil
}

// kiosks: every kiosk is paired, placed at a checkpoint and seen lately
// (a scan or the status report its page sends with each heartbeat); every
// entrance and dining checkpoint has one.
func (k *checker) kiosks(ctx context.Context) (Check, error) {
	c := Check{ID: "kiosks", Title: "签到机已配对在线", TitleEn: "Kiosks are paired and online"}
	// Stored times keep microseconds: compare at that precision, as the
	// stored text compares.
	since := k.opts.Now.Add(-k.opts.SeenWithin).Truncate(time.Microsecond)
	kiosks, err := k.db.KioskSightings(ctx)
	if err != nil {
		return c, err
	}
	for _, d := range kiosks {
		c.Checked++
		it := Item{Subject: d.ID, Name: d.Name}
		switch {
		case !d.Paired:
			it.Detail, it.DetailEn = "尚未配对", "not paired"
		case d.Checkpoint == "":
			it.Detail, it.DetailEn = "未指定签到点", "no checkpoint set"
		case d.LastSeen.IsZero():
			it.Detail, it.DetailEn = "配对后从未上线", "never seen since pairing"
		case d.LastSeen.Before(since):
			at := d.LastSeen.In(k.cat.Location).Format("01-02 15:04")
			it.Detail, it.DetailEn = "离线，最后在线 "+at, "offline, last seen "+at
		default:
			continue
		}
		c.fail(it)
	}
	points, err := k.db.UnwatchedCheckpoints(ctx)
	if err != nil {
		return c, err
	}
	for _, p := range points {
		c.Checked++
		c.fail(Item{Subject: p.ID, Name: p.Name, Detail: "签到点没有已配对的签到机", DetailEn: "no paired kiosk at this checkpoint"})
	}
	return c, nil
}
