package readiness_test

import (
	"context"
	"strconv"
	"testing"

	"huiwu/server/internal/readiness"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// allReplied has every unit reply that everyone comes, and the desk apply
// whatever the demo's replies still ask.
func allReplied(t *testing.T, env *testkit.Env) {
	t.Helper()
	ctx := context.Background()
	units, err := env.DB.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	states, err := env.DB.UnitReplyStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if states[u.ID].Replies == 0 {
			replyFor(t, env, u.ID, nil)
		}
		items, err := env.DB.ReplyItems(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.State == store.ItemPending {
				if _, err := env.DB.ApplyItem(ctx, it.ID, env.Catalog.Location, "test"); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// replyFor sends unit's reply: everyone comes but those in other.
func replyFor(t *testing.T, env *testkit.Env, unit int64, other map[int64]store.ReplyAnswer) {
	t.Helper()
	ctx := context.Background()
	ms, err := env.DB.UnitMembers(ctx, unit, env.Catalog.Location)
	if err != nil {
		t.Fatal(err)
	}
	var answers []store.ReplyAnswer
	var items []store.ReplyItem
	for _, m := range ms {
		a, ok := other[m.ID]
		if !ok {
			a = store.ReplyAnswer{Attendee: m.ID, Status: store.AnswerConfirm}
		} else if a.Status == store.AnswerDecline {
			items = append(items, store.ReplyItem{AttendeeID: m.ID, Kind: store.ItemDecline, After: `{"reason":"test"}`, Base: m.Stamp})
		}
		answers = append(answers, a)
	}
	if _, err := env.DB.SubmitReply(ctx, store.Submission{Unit: unit, Channel: "web", By: "test", Answers: answers, Items: items}); err != nil {
		t.Fatal(err)
	}
}

// TestNoticeChecks breaks and fixes the two notice lines of the board, as
// TestChecks does the others.
func TestNoticeChecks(t *testing.T) {
	firstUnit := func(t *testing.T, env *testkit.Env) store.Unit {
		units, err := env.DB.Units(context.Background())
		if err != nil || len(units) == 0 {
			t.Fatal(err)
		}
		return units[0]
	}
	for _, tc := range []breakFix{
		{check: "units_replied", prepare: allReplied,
			// A unit's replies are lost (as if it never replied).
			breaks: func(t *testing.T, env *testkit.Env) string {
				u := firstUnit(t, env)
				exec(t, env, `CREATE TEMP TABLE kept_replies AS SELECT * FROM replies WHERE unit_id = ?`, u.ID)
				exec(t, env, `CREATE TEMP TABLE kept_answers AS SELECT * FROM reply_answers WHERE reply_id IN (SELECT id FROM temp.kept_replies)`)
				exec(t, env, `CREATE TEMP TABLE kept_items AS SELECT * FROM reply_items WHERE reply_id IN (SELECT id FROM temp.kept_replies)`)
				exec(t, env, `DELETE FROM reply_items WHERE reply_id IN (SELECT id FROM temp.kept_replies)`)
				exec(t, env, `DELETE FROM reply_answers WHERE reply_id IN (SELECT id FROM temp.kept_replies)`)
				exec(t, env, `DELETE FROM replies WHERE unit_id = ?`, u.ID)
				return "unit:" + strconv.FormatInt(u.ID, 10)
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `INSERT INTO replies SELECT * FROM temp.kept_replies`)
				exec(t, env, `INSERT INTO reply_answers SELECT * FROM temp.kept_answers`)
				exec(t, env, `INSERT INTO reply_items SELECT * FROM temp.kept_items`)
			}},
		{check: "attendees_confirmed", prepare: allReplied,
			// The unit replies again: one of its people does not come; the
			// desk applies it (请假 at every session).
			breaks: func(t *testing.T, env *testkit.Env) string {
				u := firstUnit(t, env)
				ms, err := env.DB.UnitMembers(context.Background(), u.ID, env.Catalog.Location)
				if err != nil {
					t.Fatal(err)
				}
				id := ms[len(ms)-1].ID
				replyFor(t, env, u.ID, map[int64]store.ReplyAnswer{id: {Attendee: id, Status: store.AnswerDecline, Reason: "test"}})
				return strconv.FormatInt(id, 10)
			},
			fix: func(t *testing.T, env *testkit.Env) {
				items, err := env.DB.ReplyItems(context.Background(), firstUnit(t, env).ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range items {
					if it.State == store.ItemPending {
						if _, err := env.DB.ApplyItem(context.Background(), it.ID, env.Catalog.Location, "test"); err != nil {
							t.Fatal(err)
						}
					}
				}
			}},
	} {
		tc.run(t)
	}
}

// TestNoticeChecksOnTheDemo: the demo has units that have not replied and
// replies waiting for the desk: both notice lines fail on it.
func TestNoticeChecksOnTheDemo(t *testing.T) {
	env := testkit.New(t, demoNow)
	checks := run(t, env, readiness.Options{})
	for _, id := range []string{"units_replied", "attendees_confirmed"} {
		if c := checks[id]; c.Status != readiness.Fail || c.Failed == 0 {
			t.Errorf("%s on the demo: %s, %d failed", id, c.Status, c.Failed)
		}
	}
}
