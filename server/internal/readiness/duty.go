package readiness

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"huiwu/server/internal/store"
)

// The duty room's lines of the board (issue 13.4): someone is on duty at
// the secretariat's main place through every session (from its doors
// opening to their closing), and nothing in the duty log has waited for a
// follow-up longer than DutyStaleAfter.

// DutyStaleAfter is how long a log item may stay open (待办) before the
// board names it.
const DutyStaleAfter = 4 * time.Hour

// dutyCoverage: every moment of every session's window is in a shift at
// the main duty place.
func (k *checker) dutyCoverage(ctx context.Context) (Check, error) {
	c := Check{ID: "duty_coverage", Title: "会议期间主值班室有人值班", TitleEn: "The main duty room is staffed through every session"}
	windows := k.sessionWindows()
	if len(windows) == 0 {
		return c, nil
	}
	places, err := k.db.DutyPlaces(ctx)
	if err != nil {
		return c, err
	}
	var main *store.DutyPlace
	for i := range places {
		if places[i].Main {
			main = &places[i]
		}
	}
	for _, w := range windows {
		c.Checked += int(w[1].Sub(w[0]).Hours() + 0.999)
	}
	if main == nil {
		c.fail(Item{Subject: "duty_place", Name: "主值班室", Detail: "尚未设定会务组主值班室及其值班表", DetailEn: "no main duty room and roster are set"})
		return c, nil
	}
	shifts, err := k.db.DutyShifts(ctx, windows[0][0], windows[len(windows)-1][1])
	if err != nil {
		return c, err
	}
	loc := k.cat.Location
	for _, w := range windows {
		for _, g := range store.DutyGaps(shifts, main.ID, w[0], w[1]) {
			from, until := g[0].In(loc), g[1].In(loc)
			c.fail(Item{Subject: main.Name + "/" + from.Format("2006-01-02T15:04"), Name: main.Name,
				Detail:   fmt.Sprintf("%d月%d日 %s–%s 无人值班", from.Month(), from.Day(), from.Format("15:04"), until.Format("15:04")),
				DetailEn: fmt.Sprintf("nobody is on duty %s–%s", from.Format("Jan 2 15:04"), until.Format("15:04"))})
		}
	}
	return c, nil
}

// sessionWindows are the sessions' windows, opening to closing, merged
// where they touch, in time order.
func (k *checker) sessionWindows() [][2]time.Time {
	var out [][2]time.Time
	for _, s := range k.cat.SessionList { // in schedule order
		w := [2]time.Time{s.OpensAt, s.ClosesAt}
		if !w[1].After(w[0]) {
			continue
		}
		if n := len(out); n > 0 && !w[0].After(out[n-1][1]) {
			if w[1].After(out[n-1][1]) {
				out[n-1][1] = w[1]
			}
			continue
		}
		out = append(out, w)
	}
	return out
}

// dutyFollowUp: no log item has stayed open longer than DutyStaleAfter
// since it happened.
func (k *checker) dutyFollowUp(ctx context.Context) (Check, error) {
	c := Check{ID: "duty_follow_up", Title: "值班待办事项及时办理", TitleEn: fmt.Sprintf("No duty log item open over %d hours", int(DutyStaleAfter.Hours()))}
	open, err := k.db.DutyEntries(ctx, store.DutyFilter{State: store.DutyOpen})
	if err != nil {
		return c, err
	}
	loc := k.cat.Location
	for _, e := range open {
		c.Checked++
		age := k.opts.Now.Sub(e.At)
		if age <= DutyStaleAfter {
			continue
		}
		name := store.DutyKindNames[e.Kind]
		if from := e.FromUnit + e.FromName; from != "" {
			name += " " + person(e.FromName, e.FromUnit)
		}
		at := e.At.In(loc)
		summary := []rune(e.Content)
		if len(summary) > 30 {
			summary = append(summary[:30], '…')
		}
		c.fail(Item{Subject: strconv.FormatInt(e.ID, 10), Name: name,
			Detail:   fmt.Sprintf("%d月%d日 %s 起待办已 %d 小时（%s）：%s", at.Month(), at.Day(), at.Format("15:04"), int(age.Hours()), e.Place, string(summary)),
			DetailEn: fmt.Sprintf("open since %s, %d hours", at.Format("Jan 2 15:04"), int(age.Hours()))})
	}
	return c, nil
}
