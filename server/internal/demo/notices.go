package demo

import (
	"context"
	"fmt"
	"time"

	"huiwu/server/internal/notices"
	"huiwu/server/internal/store"
)

// The demo's notices and replies (issue 13.1), so that a newcomer sees
// the 回执 page alive: every delegation has a contact, the first three
// delegations and a few organisations have replied (one of the
// delegations with a room need the desk has applied already), the fourth
// delegation has replied with changes waiting for the desk — one does not
// come, one sends a substitute, one gives a diet and an arrival — and the
// rest have not replied. The deadline was the day before the meeting.

// demoContacts are the units' contact people (联络员), by delegation.
var demoContacts = []string{"刘晓燕", "陈建国", "赵敏", "孙立新", "周婷", "吴海涛", "郑丽", "冯志强"}

func loadNotices(ctx context.Context, db *store.DB) error {
	cat, err := db.Catalog(ctx)
	if err != nil {
		return err
	}
	loc := cat.Location
	start, err := time.ParseInLocation(time.DateOnly, cat.Event.StartsOn, loc)
	if err != nil {
		return err
	}
	if err := db.SetNoticeSettings(ctx, store.NoticeSettings{AskTravel: true, AskDiet: true, AskRoom: true,
		Deadline: start.AddDate(0, 0, -1).Format(time.DateOnly)}, "demo"); err != nil {
		return fmt.Errorf("demo: notice settings: %w", err)
	}
	units, err := db.Units(ctx)
	if err != nil {
		return err
	}
	var delegations, orgs []store.Unit
	for _, u := range units {
		if u.Kind == store.UnitDelegation {
			delegations = append(delegations, u)
		} else {
			orgs = append(orgs, u)
		}
	}
	for i, u := range delegations {
		name := demoContacts[i%len(demoContacts)]
		if _, err := db.SetUnitContact(ctx, u.ID, name, fmt.Sprintf("1390871%04d", 1001+i), "demo"); err != nil {
			return fmt.Errorf("demo: contact of %s: %w", u.Name, err)
		}
	}
	reply := func(u store.Unit, channel string, special func(m store.ReplyMember, i int) (store.ReplyAnswer, bool)) (store.Reply, error) {
		ms, err := db.UnitMembers(ctx, u.ID, loc)
		if err != nil {
			return store.Reply{}, err
		}
		answers := make([]store.ReplyAnswer, len(ms))
		for i, m := range ms {
			answers[i] = store.ReplyAnswer{Attendee: m.ID, Status: store.AnswerConfirm}
			if special != nil {
				if a, ok := special(m, i); ok {
					answers[i] = a
				}
			}
		}
		sub := store.Submission{Unit: u.ID, Channel: channel, By: "demo", Answers: answers}
		if channel == "web" {
			_, hash := notices.NewToken()
			l, err := db.IssueLink(ctx, u.ID, hash, start.AddDate(0, 0, 7), "demo")
			if err != nil {
				return store.Reply{}, err
			}
			sub.LinkID, sub.By = l.ID, fmt.Sprintf("回执链接 unit:%d", u.ID)
		}
		r, _, err := notices.Submit(ctx, db, loc, sub)
		return r, err
	}
	if len(delegations) < 4 {
		return nil
	}
	for i, u := range delegations[:3] {
		var special func(store.ReplyMember, int) (store.ReplyAnswer, bool)
		if i == 0 {
			special = func(m store.ReplyMember, j int) (store.ReplyAnswer, bool) {
				return store.ReplyAnswer{Attendee: m.ID, Status: store.AnswerConfirm, Room: "单间"}, j == 0
			}
		}
		if _, err := reply(u, "web", special); err != nil {
			return fmt.Errorf("demo: reply of %s: %w", u.Name, err)
		}
	}
	// The first delegation's room need was applied at the desk.
	items, err := db.ReplyItems(ctx, delegations[0].ID)
	if err != nil {
		return err
	}
	for _, it := range items {
		if _, err := db.ApplyItem(ctx, it.ID, loc, "王芳 (wangf)"); err != nil {
			return fmt.Errorf("demo: apply: %w", err)
		}
	}
	day1 := start.Format(time.DateOnly)
	if _, err := reply(delegations[3], "web", func(m store.ReplyMember, i int) (store.ReplyAnswer, bool) {
		switch i {
		case 0:
			return store.ReplyAnswer{Attendee: m.ID, Status: store.AnswerDecline, Reason: "赴京参加培训"}, true
		case 1:
			return store.ReplyAnswer{Attendee: m.ID, Status: store.AnswerSubstitute,
				Substitute: &store.ReplyPerson{Name: "唐志远", Gender: "男", Title: "副秘书长", Phone: "13908712233"}}, true
		case 2:
			return store.ReplyAnswer{Attendee: m.ID, Status: store.AnswerConfirm, Diet: "清真",
				Arrival: &store.ReplyTrip{Mode: "train", Number: "G1377", Station: "江阳南站", Date: day1, Time: "07:42"}}, true
		}
		return store.ReplyAnswer{}, false
	}); err != nil {
		return fmt.Errorf("demo: reply of %s: %w", delegations[3].Name, err)
	}
	for i, u := range orgs {
		if i%4 != 0 {
			continue
		}
		if _, err := reply(u, "xlsx", nil); err != nil {
			return fmt.Errorf("demo: reply of %s: %w", u.Name, err)
		}
	}
	return nil
}
