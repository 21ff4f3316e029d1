package notices

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"huiwu/server/internal/store"
)

// Diff answers the changes answers ask of the list as members stand now:
// a 不参会 or a 代会 for the person, and, for one who comes, each of diet,
// room need, arrival and departure the unit gave and the list does not
// already say. Each item carries the stamp of what it changes, so that an
// item whose person changed since is refused when applied. A confirmation
// that changes nothing asks nothing.
func Diff(members []store.ReplyMember, answers []store.ReplyAnswer) ([]store.ReplyItem, error) {
	byID := make(map[int64]store.ReplyMember, len(members))
	for _, m := range members {
		byID[m.ID] = m
	}
	var items []store.ReplyItem
	add := func(m store.ReplyMember, kind, before, base string, after store.ItemAfter) error {
		b, err := json.Marshal(after)
		if err != nil {
			return err
		}
		items = append(items, store.ReplyItem{AttendeeID: m.ID, Name: m.Name, Kind: kind, Before: before, After: string(b), Base: base})
		return nil
	}
	for _, a := range answers {
		m, ok := byID[a.Attendee]
		if !ok {
			return nil, fmt.Errorf("%w: %d", store.ErrNotMember, a.Attendee)
		}
		var err error
		switch a.Status {
		case store.AnswerDecline:
			err = add(m, store.ItemDecline, "参加", m.Stamp, store.ItemAfter{Reason: a.Reason})
		case store.AnswerSubstitute:
			err = add(m, store.ItemSubstitute, strings.TrimSpace(m.Name+" "+m.Title), m.Stamp, store.ItemAfter{
				Substitute: a.Substitute, Diet: a.Diet, Room: a.Room, Arrival: a.Arrival, Departure: a.Departure})
		case store.AnswerConfirm:
			if a.Diet != "" && a.Diet != m.Diet {
				if err = add(m, store.ItemDiet, m.Diet, m.Diet, store.ItemAfter{Diet: a.Diet}); err != nil {
					return nil, err
				}
			}
			if a.Room != "" && a.Room != m.Room {
				if err = add(m, store.ItemRoom, m.Room, m.Room, store.ItemAfter{Room: a.Room}); err != nil {
					return nil, err
				}
			}
			if a.Arrival != nil && !SameTrip(a.Arrival, m.Arrival) {
				if err = add(m, store.ItemArrival, DescribeTrip(m.Arrival), m.ArrivalStamp, store.ItemAfter{Trip: a.Arrival}); err != nil {
					return nil, err
				}
			}
			if a.Departure != nil && !SameTrip(a.Departure, m.Departure) {
				err = add(m, store.ItemDeparture, DescribeTrip(m.Departure), m.DepartureStamp, store.ItemAfter{Trip: a.Departure})
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return items, nil
}

// SameTrip reports whether a unit's journey says what the list says.
func SameTrip(a, b *store.ReplyTrip) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Mode == b.Mode && strings.EqualFold(a.Number, b.Number) && a.Station == b.Station && a.Date == b.Date &&
		a.Time == b.Time && a.Companions == b.Companions
}

// ModeWords are the modes in Chinese, as the form and the pages say them.
var ModeWords = map[string]string{"flight": "飞机", "train": "火车", "car": "汽车", "other": "其他"}

// DescribeTrip says a journey in Chinese: 3月5日 08:30 飞机 CA1234 云州机场 随行1人.
func DescribeTrip(t *store.ReplyTrip) string {
	if t == nil {
		return ""
	}
	var parts []string
	if d, err := time.Parse(time.DateOnly, t.Date); err == nil {
		parts = append(parts, fmt.Sprintf("%d月%d日", d.Month(), d.Day()))
	}
	for _, s := range []string{t.Time, ModeWords[t.Mode], t.Number, t.Station} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if t.Companions > 0 {
		parts = append(parts, fmt.Sprintf("随行%d人", t.Companions))
	}
	return strings.Join(parts, " ")
}

// Submit stores answers as the unit's reply, with the changes they ask of
// the list as it is now (Diff); answers carried over from the unit's last
// reply ask nothing again.
func Submit(ctx context.Context, db *store.DB, loc *time.Location, sub store.Submission) (store.Reply, int, error) {
	members, err := db.UnitMembers(ctx, sub.Unit, loc)
	if err != nil {
		return store.Reply{}, 0, err
	}
	fresh := make([]store.ReplyAnswer, 0, len(sub.Answers))
	for _, a := range sub.Answers {
		if !sub.Carried[a.Attendee] {
			fresh = append(fresh, a)
		}
	}
	sub.Items, err = Diff(members, fresh)
	if err != nil {
		return store.Reply{}, 0, err
	}
	r, err := db.SubmitReply(ctx, sub)
	return r, len(sub.Items), err
}
