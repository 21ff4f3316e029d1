package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// noticeEnv is the demo with a delegation that has not replied, and its
// people.
func noticeEnv(t *testing.T) (*testkit.Env, store.Unit, []store.ReplyMember) {
	t.Helper()
	env := testkit.New(t, time.Now())
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
		if u.Kind == store.UnitDelegation && states[u.ID].Replies == 0 {
			ms, err := env.DB.UnitMembers(ctx, u.ID, env.Catalog.Location)
			if err != nil {
				t.Fatal(err)
			}
			return env, u, ms
		}
	}
	t.Fatal("no delegation without a reply")
	return nil, store.Unit{}, nil
}

func count(t *testing.T, env *testkit.Env, q string, args ...any) int {
	t.Helper()
	var n int
	if err := env.DB.ForTest().R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestApplyItemIsAllOrNothing: a 代会 that fails at its last step (the
// substitute's arrival cannot be stored) leaves nothing behind — no new
// attendee, the original still on the list, the item pending, nothing
// audited — and the same item, its arrival mended, then applies whole.
func TestApplyItemIsAllOrNothing(t *testing.T) {
	t.Parallel()
	env, unit, ms := noticeEnv(t)
	ctx := context.Background()
	orig := ms[0]
	after := store.ItemAfter{Substitute: &store.ReplyPerson{Name: "钱代表", Title: "副主任"},
		Arrival: &store.ReplyTrip{Mode: "train", Number: "G101", Station: "江阳南站", Date: "2026-13-45", Time: "09:30"}}
	b, _ := json.Marshal(after)
	r, err := env.DB.SubmitReply(ctx, store.Submission{Unit: unit.ID, Channel: "web", By: "test",
		Answers: []store.ReplyAnswer{{Attendee: orig.ID, Status: store.AnswerSubstitute, Substitute: after.Substitute}},
		Items:   []store.ReplyItem{{AttendeeID: orig.ID, Kind: store.ItemSubstitute, After: string(b), Base: orig.Stamp}}})
	if err != nil {
		t.Fatal(err)
	}
	items, err := env.DB.ReplyItems(ctx, unit.ID)
	if err != nil || len(items) != 1 || items[0].ReplyID != r.ID {
		t.Fatalf("items %+v %v", items, err)
	}
	if _, err := env.Creds.Current(ctx, orig.ID); err != nil {
		t.Fatal(err)
	}
	people := count(t, env, `SELECT count(*) FROM attendees`)
	audited := count(t, env, `SELECT count(*) FROM audit`)
	if _, err := env.DB.ApplyItem(ctx, items[0].ID, env.Catalog.Location, "test"); err == nil {
		t.Fatal("a substitute with a date that is not one was applied")
	}
	a, _ := env.DB.Attendee(ctx, orig.ID)
	it, _ := env.DB.ReplyItem(ctx, items[0].ID)
	if n := count(t, env, `SELECT count(*) FROM attendees`); n != people || a.Status != "active" || it.State != store.ItemPending ||
		count(t, env, `SELECT count(*) FROM audit`) != audited {
		t.Fatalf("a failed application left %d people (was %d), original %s, item %s", n, people, a.Status, it.State)
	}
	// Mended (as the unit would by replying again), it applies whole.
	after.Arrival.Date = env.Catalog.Event.StartsOn
	b, _ = json.Marshal(after)
	if _, err := env.DB.ForTest().W.Exec(`UPDATE reply_items SET after = ? WHERE id = ?`, string(b), it.ID); err != nil {
		t.Fatal(err)
	}
	it, err = env.DB.ApplyItem(ctx, it.ID, env.Catalog.Location, "test")
	if err != nil || it.State != store.ItemApplied || it.Made == 0 {
		t.Fatalf("apply: %+v %v", it, err)
	}
	a, _ = env.DB.Attendee(ctx, orig.ID)
	sub, _ := env.DB.Attendee(ctx, it.Made)
	if a.Status != "cancelled" || sub.Status != "active" || sub.Category != a.Category || sub.Delegation != a.Delegation ||
		count(t, env, `SELECT count(*) FROM attendees`) != people+1 {
		t.Errorf("after: original %s, substitute %+v", a.Status, sub)
	}
	if count(t, env, `SELECT count(*) FROM credentials WHERE attendee_id = ? AND revoked_at IS NULL`, orig.ID) != 0 {
		t.Error("the one replaced still has a live badge")
	}
	if count(t, env, `SELECT count(*) FROM session_attendees WHERE attendee_id = ?`, orig.ID) != 0 ||
		count(t, env, `SELECT count(*) FROM session_attendees WHERE attendee_id = ?`, sub.ID) == 0 {
		t.Error("the substitute does not take the original's place at the sessions")
	}
	if _, err := env.DB.ApplyItem(ctx, it.ID, env.Catalog.Location, "test"); !errors.Is(err, store.ErrItemDecided) {
		t.Errorf("applying twice: %v", err)
	}
	// The unit's newest answer for the substitute is a confirmation.
	answers, err := env.DB.LatestAnswers(ctx, unit.ID)
	if err != nil || answers[sub.ID].Status != store.AnswerConfirm {
		t.Errorf("the substitute's answer: %+v %v", answers[sub.ID], err)
	}
	_, un, err := env.DB.UnconfirmedPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range un {
		if p.AttendeeID == sub.ID || p.AttendeeID == orig.ID {
			t.Errorf("%s counts as unconfirmed: %+v", p.Name, p)
		}
	}
}

// TestReplyLinks: a link is found by its hash while live, and refused
// once revoked or expired, each with its own error.
func TestReplyLinks(t *testing.T) {
	t.Parallel()
	env, unit, _ := noticeEnv(t)
	ctx := context.Background()
	now := time.Now()
	if _, err := env.DB.IssueLink(ctx, unit.ID, "h1", now.Add(time.Hour), "test"); err != nil {
		t.Fatal(err)
	}
	if l, err := env.DB.LinkByHash(ctx, "h1", now); err != nil || l.UnitID != unit.ID || l.State != store.LinkLive {
		t.Fatalf("live: %+v %v", l, err)
	}
	if _, err := env.DB.LinkByHash(ctx, "h1", now.Add(2*time.Hour)); !errors.Is(err, store.ErrLinkExpired) {
		t.Errorf("expired: %v", err)
	}
	if _, err := env.DB.IssueLink(ctx, unit.ID, "h2", now.Add(time.Hour), "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.LinkByHash(ctx, "h1", now); !errors.Is(err, store.ErrLinkRevoked) {
		t.Errorf("reissued: %v", err)
	}
	if _, err := env.DB.LinkByHash(ctx, "nope", now); !errors.Is(err, store.ErrLinkUnknown) {
		t.Errorf("unknown: %v", err)
	}
	if err := env.DB.RevokeLinks(ctx, unit.ID, "test"); err != nil {
		t.Fatal(err)
	}
	if err := env.DB.RevokeLinks(ctx, unit.ID, "test"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoking twice: %v", err)
	}
}
