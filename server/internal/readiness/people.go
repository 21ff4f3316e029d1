package readiness

import (
	"context"
	"fmt"
	"strconv"
)

// attending is the join of a session's expected attendees (应到) who are
// active and not excused: the people who should be in the room.
const attending = `session_attendees sa
	JOIN sessions s ON s.id = sa.session_id
	JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active'
	LEFT JOIN leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id AND l.revoked_at IS NULL`

// badgesIssued: everyone expected somewhere holds a live credential.
func (k *checker) badgesIssued(ctx context.Context) (Check, error) {
	c := Check{ID: "badge_issued", Title: "证件已制发", TitleEn: "Every attendee has a badge credential"}
	err := k.each(ctx, `SELECT a.id, a.name, a.organization,
		NOT EXISTS (SELECT 1 FROM credentials c WHERE c.attendee_id = a.id AND c.revoked_at IS NULL)
		FROM attendees a WHERE a.status = 'active' AND EXISTS (SELECT 1 FROM session_attendees sa WHERE sa.attendee_id = a.id)
		ORDER BY a.rank, a.id`, nil, func(scan func(...any) error) error {
		var id int64
		var name, org string
		var missing bool
		if err := scan(&id, &name, &org, &missing); err != nil {
			return err
		}
		c.Checked++
		if missing {
			c.fail(Item{Subject: strconv.FormatInt(id, 10), Name: person(name, org),
				Detail: "尚未制发证件", DetailEn: "no badge credential issued"})
		}
		return nil
	})
	return c, err
}

// badgesPrinted: the badge carrying each live credential has come out of
// the printer (the badge area's print log, badge_prints). A reissued badge
// counts as unprinted until the new serial is printed.
func (k *checker) badgesPrinted(ctx context.Context) (Check, error) {
	c := Check{ID: "badge_printed", Title: "证件已打印", TitleEn: "Every badge is printed"}
	err := k.each(ctx, `SELECT a.id, a.name, a.organization, c.serial IS NOT NULL,
		EXISTS (SELECT 1 FROM badge_prints p WHERE p.attendee_id = a.id AND p.kind = 'badge' AND p.serial = c.serial)
		FROM attendees a LEFT JOIN credentials c ON c.attendee_id = a.id AND c.revoked_at IS NULL
		WHERE a.status = 'active' AND EXISTS (SELECT 1 FROM session_attendees sa WHERE sa.attendee_id = a.id)
		ORDER BY a.rank, a.id`, nil, func(scan func(...any) error) error {
		var id int64
		var name, org string
		var issued, printed bool
		if err := scan(&id, &name, &org, &issued, &printed); err != nil {
			return err
		}
		c.Checked++
		switch {
		case !issued:
			c.fail(Item{Subject: strconv.FormatInt(id, 10), Name: person(name, org),
				Detail: "证件尚未制发，也未打印", DetailEn: "no credential yet, so no badge printed"})
		case !printed:
			c.fail(Item{Subject: strconv.FormatInt(id, 10), Name: person(name, org),
				Detail: "当前证件尚未打印", DetailEn: "the current badge is not printed"})
		}
		return nil
	})
	return c, err
}

// seats: in every session held in a hall with a seat map, everyone who
// should attend has a seat.
func (k *checker) seats(ctx context.Context) (Check, error) {
	c := Check{ID: "seats", Title: "座位已安排", TitleEn: "Everyone attending has a seat"}
	err := k.missingPerSession(ctx, &c, `SELECT s.id, s.name, a.id, a.name, a.organization,
		NOT EXISTS (SELECT 1 FROM seat_assignments x WHERE x.session_id = s.id AND x.attendee_id = a.id)
		FROM `+attending+`
		WHERE l.id IS NULL AND EXISTS (SELECT 1 FROM seats st WHERE st.venue_id = s.venue_id)
		ORDER BY s.starts_at, s.sort, a.rank, a.id`, "：没有座位", ": no seat")
	return c, err
}

// missingPerSession runs a query whose rows are (session id, session name,
// attendee id, name, organisation, missing) and fails c for each missing
// row, with the session named before detail.
func (k *checker) missingPerSession(ctx context.Context, c *Check, query, detail, detailEn string) error {
	return k.each(ctx, query, nil, func(scan func(...any) error) error {
		var sid, sname, name, org string
		var id int64
		var missing bool
		if err := scan(&sid, &sname, &id, &name, &org, &missing); err != nil {
			return err
		}
		c.Checked++
		if missing {
			c.fail(Item{Subject: strconv.FormatInt(id, 10), Name: person(name, org),
				Detail: sname + detail, DetailEn: sid + detailEn})
		}
		return nil
	})
}

// presidium: a presidium member (someone seated on the 主席台 at any
// session) has a 主席台 seat, and so a name card, at every session they
// attend whose hall has one.
func (k *checker) presidium(ctx context.Context) (Check, error) {
	c := Check{ID: "presidium_cards", Title: "主席台人员有桌签", TitleEn: "Every presidium member has a name card"}
	err := k.missingPerSession(ctx, &c, `
		WITH members AS MATERIALIZED (SELECT DISTINCT x.attendee_id FROM seat_assignments x
			JOIN seats st ON st.id = x.seat_id AND st.kind = 'presidium')
		SELECT s.id, s.name, a.id, a.name, a.organization,
			NOT EXISTS (SELECT 1 FROM seat_assignments x JOIN seats st ON st.id = x.seat_id AND st.kind = 'presidium'
				WHERE x.session_id = s.id AND x.attendee_id = a.id)
		FROM `+attending+`
		JOIN members m ON m.attendee_id = a.id
		WHERE l.id IS NULL AND EXISTS (SELECT 1 FROM seats st WHERE st.venue_id = s.venue_id AND st.kind = 'presidium')
		ORDER BY s.starts_at, s.sort, a.rank, a.id`, "：主席台上没有其座位和桌签", ": no presidium seat, so no name card")
	return c, err
}

// seatConflicts: no seat holds two people, nobody sits in a blocked seat or
// in another venue's seat, and no seat goes to someone not expected.
func (k *checker) seatConflicts(ctx context.Context) (Check, error) {
	c := Check{ID: "seat_conflicts", Title: "座位无冲突", TitleEn: "No seat is shared or wrongly given"}
	n, err := k.count(ctx, `SELECT count(*) FROM seat_assignments`)
	if err != nil {
		return c, err
	}
	c.Checked = n
	// The schema's key (session, seat) already forbids two people on one
	// seat within a session; the query still asks, so that the check stays
	// true if seats ever move to another table.
	err = k.each(ctx, `
		SELECT x.session_id, s.name, st.label, a.name, a.organization,
			CASE
			WHEN (SELECT count(*) FROM seat_assignments y WHERE y.session_id = x.session_id AND y.seat_id = x.seat_id) > 1 THEN 'shared'
			WHEN st.venue_id != s.venue_id THEN 'venue'
			WHEN st.kind = 'blocked' THEN 'blocked'
			WHEN a.status != 'active' THEN 'cancelled'
			WHEN NOT EXISTS (SELECT 1 FROM session_attendees sa WHERE sa.session_id = x.session_id AND sa.attendee_id = x.attendee_id) THEN 'unexpected'
			ELSE '' END AS problem
		FROM seat_assignments x
		JOIN sessions s ON s.id = x.session_id
		JOIN seats st ON st.id = x.seat_id
		JOIN attendees a ON a.id = x.attendee_id
		WHERE problem != ''
		ORDER BY s.starts_at, s.sort, st.label`, nil, func(scan func(...any) error) error {
		var sid, sname, label, name, org, problem string
		if err := scan(&sid, &sname, &label, &name, &org, &problem); err != nil {
			return err
		}
		words := problems[problem]
		c.fail(Item{Subject: sid + "/" + label, Name: person(name, org),
			Detail: fmt.Sprintf("%s %s：%s", sname, label, words[0]), DetailEn: fmt.Sprintf("%s %s: %s", sid, label, words[1])})
		return nil
	})
	return c, err
}

// problems words each seat problem in Chinese and English.
var problems = map[string][2]string{
	"shared":     {"座位被多人占用", "seat held by more than one person"},
	"venue":      {"座位不在本场次会场", "seat is in another venue"},
	"blocked":    {"座位已封闭不可用", "seat is blocked"},
	"cancelled":  {"已取消参会的人员仍占座位", "cancelled attendee still holds the seat"},
	"unexpected": {"不在应到名单却有座位", "seated but not expected at this session"},
}
