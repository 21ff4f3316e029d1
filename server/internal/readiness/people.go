package readiness

import (
	"context"
	"fmt"
	"strconv"

	"huiwu/server/internal/store"
)

// badgesIssued: everyone expected somewhere holds a live credential.
func (k *checker) badgesIssued(ctx context.Context) (Check, error) {
	c := Check{ID: "badge_issued", Title: "证件已制发", TitleEn: "Every attendee has a badge credential"}
	states, err := k.db.BadgeStates(ctx)
	if err != nil {
		return c, err
	}
	for _, b := range states {
		c.Checked++
		if !b.Issued {
			c.fail(Item{Subject: strconv.FormatInt(b.ID, 10), Name: person(b.Name, b.Organization),
				Detail: "尚未制发证件", DetailEn: "no badge credential issued"})
		}
	}
	return c, nil
}

// badgesPrinted: the badge carrying each live credential has come out of
// the printer (the badge area's print log, badge_prints). A reissued badge
// counts as unprinted until the new serial is printed.
func (k *checker) badgesPrinted(ctx context.Context) (Check, error) {
	c := Check{ID: "badge_printed", Title: "证件已打印", TitleEn: "Every badge is printed"}
	states, err := k.db.BadgeStates(ctx)
	if err != nil {
		return c, err
	}
	for _, b := range states {
		c.Checked++
		switch {
		case !b.Issued:
			c.fail(Item{Subject: strconv.FormatInt(b.ID, 10), Name: person(b.Name, b.Organization),
				Detail: "证件尚未制发，也未打印", DetailEn: "no credential yet, so no badge printed"})
		case !b.Printed:
			c.fail(Item{Subject: strconv.FormatInt(b.ID, 10), Name: person(b.Name, b.Organization),
				Detail: "当前证件尚未打印", DetailEn: "the current badge is not printed"})
		}
	}
	return c, nil
}

// seats: in every session held in a hall with a seat map, everyone who
// should attend has a seat.
func (k *checker) seats(ctx context.Context) (Check, error) {
	c := Check{ID: "seats", Title: "座位已安排", TitleEn: "Everyone attending has a seat"}
	rows, err := k.db.SeatCoverage(ctx)
	if err != nil {
		return c, err
	}
	missingPerSession(&c, rows, "：没有座位", ": no seat")
	return c, nil
}

// missingPerSession fails c for each row missing what c asks for, with
// the session named before detail.
func missingPerSession(c *Check, rows []store.SessionCoverage, detail, detailEn string) {
	for _, r := range rows {
		c.Checked++
		if r.Missing {
			c.fail(Item{Subject: strconv.FormatInt(r.ID, 10), Name: person(r.Name, r.Organization),
				Detail: r.SessionName + detail, DetailEn: r.SessionID + detailEn})
		}
	}
}

// presidium: a presidium member (someone seated on the 主席台 at any
// session) has a 主席台 seat, and so a name card, at every session they
// attend whose hall has one.
func (k *checker) presidium(ctx context.Context) (Check, error) {
	c := Check{ID: "presidium_cards", Title: "主席台人员有桌签", TitleEn: "Every presidium member has a name card"}
	rows, err := k.db.PresidiumCoverage(ctx)
	if err != nil {
		return c, err
	}
	missingPerSession(&c, rows, "：主席台上没有其座位和桌签", ": no presidium seat, so no name card")
	return c, nil
}

// seatConflicts: no seat holds two people, nobody sits in a blocked seat or
// in another venue's seat, and no seat goes to someone not expected.
func (k *checker) seatConflicts(ctx context.Context) (Check, error) {
	c := Check{ID: "seat_conflicts", Title: "座位无冲突", TitleEn: "No seat is shared or wrongly given"}
	n, err := k.db.SeatAssignmentCount(ctx)
	if err != nil {
		return c, err
	}
	c.Checked = n
	bad, err := k.db.SeatProblems(ctx)
	if err != nil {
		return c, err
	}
	for _, p := range bad {
		words := problems[p.Problem]
		c.fail(Item{Subject: p.SessionID + "/" + p.Label, Name: person(p.Name, p.Organization),
			Detail:   fmt.Sprintf("%s %s：%s", p.SessionName, p.Label, words[0]),
			DetailEn: fmt.Sprintf("%s %s: %s", p.SessionID, p.Label, words[1])})
	}
	return c, nil
}

// problems words each seat problem in Chinese and English.
var problems = map[string][2]string{
	store.SeatShared:     {"座位被多人占用", "seat held by more than one person"},
	store.SeatElsewhere:  {"座位不在本场次会场", "seat is in another venue"},
	store.SeatBlocked:    {"座位已封闭不可用", "seat is blocked"},
	store.SeatCancelled:  {"已取消参会的人员仍占座位", "cancelled attendee still holds the seat"},
	store.SeatUnexpected: {"不在应到名单却有座位", "seated but not expected at this session"},
}
