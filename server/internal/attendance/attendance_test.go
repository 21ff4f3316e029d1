package attendance_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"huiwu/server/internal/attendance"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/testkit"
)

var start = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func counts(t *testing.T, env *testkit.Env, session string) attendance.Counts {
	t.Helper()
	c, err := attendance.OfAt(context.Background(), env.DB, env.Catalog, session, env.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ids(t *testing.T, env *testkit.Env, q string) []int64 {
	t.Helper()
	rows, err := env.DB.ForTest().R.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		out = append(out, id)
	}
	return out
}

func TestCountsAreOfDistinctPeople(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	before := counts(t, env, "opening")
	if before.Expected != 430 || before.OnLeave != 4 || before.Present != 0 || before.NotYet != 426 || before.Absent != 0 {
		t.Fatalf("demo opening before any scan: %+v", before)
	}
	if before.Quorum.Base != "members" || before.Quorum.Required != 216 || before.Quorum.Met {
		t.Fatalf("quorum: %+v", before.Quorum)
	}
	deputies := ids(t, env, `SELECT sa.attendee_id FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id
		WHERE sa.session_id = 'opening' AND a.category = 'deputy'
		  AND sa.attendee_id NOT IN (SELECT attendee_id FROM leaves) ORDER BY a.id LIMIT 220`)
	observers := ids(t, env, `SELECT sa.attendee_id FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id
		WHERE sa.session_id = 'opening' AND a.category = 'observer' LIMIT 5`)
	onLeave := ids(t, env, `SELECT attendee_id FROM leaves WHERE session_id = 'opening' LIMIT 1`)
	n := 0
	scan := func(id int64, cp string) {
		n++
		if _, err := env.Engine.Scan(context.Background(), checkin.Request{Token: env.Token(t, id), Checkpoint: cp, ScanID: fmt.Sprint(n)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range deputies {
		scan(id, "hall-east")
		scan(id, "hall-west") // a second scan is not a second person
	}
	for _, id := range observers {
		scan(id, "hall-east")
	}
	scan(deputies[0], "hall-exit")
	scan(onLeave[0], "hall-east") // came despite leave: present, not on leave

	c := counts(t, env, "opening")
	// Before the start: those not accounted for are 未到, not 缺席; the
	// one who went out is 离场, not 实到.
	want := attendance.Figures{Expected: 430, Present: 220, OnLeave: 3, NotYet: 206, Left: 1, Entered: 221, LeaveWithdrawn: 1}
	if c.Figures != want {
		t.Errorf("deputies: %+v, want %+v", c.Figures, want)
	}
	if c.All.Present != 225 {
		t.Errorf("all categories present %d, want 225 (observers count there only)", c.All.Present)
	}
	if !c.Quorum.Met || c.Statement != "本次会议应到430人，因事因病请假3人，实到220人，符合法定人数。" {
		t.Errorf("quorum %+v, statement %q", c.Quorum, c.Statement)
	}
}

func TestTwoThirdsOfMembers(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	c := counts(t, env, "closing")
	if c.Quorum.Required != 287 || c.Quorum.Ratio != "三分之二以上" { // ceil(430*2/3)
		t.Errorf("closing quorum %+v", c.Quorum)
	}
	g := counts(t, env, "group-2")
	if g.Quorum.Base != "expected" || g.Quorum.BaseCount != g.Expected || g.OnLeave != 1 {
		t.Errorf("group quorum %+v, on leave %d", g.Quorum, g.OnLeave)
	}
}
