package checkin_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"huiwu/kiosk/rules"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/testkit"
)

// TestLeaveWithdrawnByEntry (issue 11.10): a person on leave (请假) who
// scans in is let in and told the leave is withdrawn; the scan carries the
// leave_withdrawn flag, the desk's record of the person says who withdrew
// it and when, and the leave stays on record (not deleted, not revoked as
// the desk revokes one: it shows as withdrawn because the person came).
// The second scan says nothing more.
func TestLeaveWithdrawnByEntry(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	id := pick(t, env, `a.id IN (SELECT attendee_id FROM leaves WHERE session_id = 'opening' AND revoked_at IS NULL)
		AND a.status <> 'cancelled'`)
	tok := env.Token(t, id)
	env.SetNow(env.Catalog.Sessions["opening"].OpensAt.Add(10 * 60e9))

	res := s.expect(checkin.Request{Token: tok, Checkpoint: "hall-east", Device: "k1", Actor: "东门1号机"}, checkin.StatusOK)
	if !slices.Contains(res.Flags, rules.FlagLeaveWithdrawn) || !strings.Contains(res.Message.Zh, "请假已撤销") {
		t.Fatalf("first entry: flags %v message %q", res.Flags, res.Message)
	}
	if n := count(t, env, `SELECT count(*) FROM scans WHERE attendee_id = ? AND flags LIKE '%leave_withdrawn%'`, id); n != 1 {
		t.Fatalf("%d scans flagged leave_withdrawn, want 1", n)
	}
	if n := count(t, env, `SELECT count(*) FROM leaves WHERE session_id = 'opening' AND attendee_id = ? AND revoked_at IS NULL`, id); n != 1 {
		t.Fatalf("the leave is gone from the record (%d active)", n)
	}
	var actor, detail, at string
	if err := env.DB.ForTest().R.QueryRow(`SELECT actor, detail, at FROM audit WHERE action = 'leave.withdrawn' AND subject = ?`,
		fmt.Sprint(id)).Scan(&actor, &detail, &at); err != nil {
		t.Fatalf("no audit of the withdrawal: %v", err)
	}
	if actor != "东门1号机" || !strings.Contains(detail, "opening") || at == "" {
		t.Fatalf("audit: actor %q detail %q at %q", actor, detail, at)
	}

	again := s.expect(checkin.Request{Token: tok, Checkpoint: "hall-west", Device: "k2", Actor: "西门"}, checkin.StatusAlready)
	if slices.Contains(again.Flags, rules.FlagLeaveWithdrawn) {
		t.Fatalf("second scan flagged too: %v", again.Flags)
	}
	if n := count(t, env, `SELECT count(*) FROM audit WHERE action = 'leave.withdrawn' AND subject = ?`, fmt.Sprint(id)); n != 1 {
		t.Fatalf("%d withdrawals audited, want 1", n)
	}
}

// TestSentToTheirRoom (issue 11.7): a group member at another group's door
// while both meet is sent to their room, not told they are not on the list.
func TestSentToTheirRoom(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	id := pick(t, env, `a.id IN (SELECT attendee_id FROM session_attendees WHERE session_id = 'group-2')
		AND a.id NOT IN (SELECT attendee_id FROM session_attendees WHERE session_id = 'group-1')`)
	env.SetNow(env.Catalog.Sessions["group-1"].OpensAt.Add(5 * 60e9))
	res := s.expect(checkin.Request{Token: env.Token(t, id), Checkpoint: "room1-door"}, checkin.StatusNotEntitled)
	room := env.Catalog.Venues[env.Catalog.Sessions["group-2"].Venue]
	if res.Code != "wrong_venue" || res.Guidance == nil || res.Guidance.Venue != room.Name || res.Message.Zh != "请到"+room.Name {
		t.Fatalf("group 2 member at room 1: %s %q guidance %+v", res.Code, res.Message, res.Guidance)
	}
}
