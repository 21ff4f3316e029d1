package attendance_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/attendance"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/testkit"
)

// TestOneDefinition follows the opening meeting through its life — before
// the start, during, after the close — with arrivals, exits, a re-entry, a
// leave-holder who comes anyway and people of a category that does not
// count, and checks that every figure any view shows (the counts, the
// chair's curve and absentee list, the usher's list) is the one
// docs/counts.md defines, from the tracker and the SQL reference alike.
func TestOneDefinition(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	ctx := context.Background()
	tr, err := attendance.NewTracker(ctx, env.DB, env.Engine.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	tr.SetClock(env.Now)
	s := env.Session(t, "opening")
	deputies := ids(t, env, `SELECT sa.attendee_id FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id
		WHERE sa.session_id = 'opening' AND a.category = 'deputy'
		  AND sa.attendee_id NOT IN (SELECT attendee_id FROM leaves) ORDER BY a.id LIMIT 60`)
	observers := ids(t, env, `SELECT sa.attendee_id FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id
		WHERE sa.session_id = 'opening' AND a.category = 'observer' LIMIT 5`)
	onLeave := ids(t, env, `SELECT attendee_id FROM leaves WHERE session_id = 'opening' AND revoked_at IS NULL ORDER BY attendee_id`)
	if len(onLeave) != 4 {
		t.Fatalf("the demo has %d leaves for the opening, want 4", len(onLeave))
	}
	n := 0
	scan := func(id int64, cp, want string) {
		t.Helper()
		n++
		r, err := env.Engine.Scan(ctx, checkin.Request{Token: env.Token(t, id), Checkpoint: cp, ScanID: fmt.Sprint("one-", n)})
		if err != nil {
			t.Fatal(err)
		}
		if string(r.Status) != want {
			t.Fatalf("scan %d at %s: %s, want %s", id, cp, r.Status, want)
		}
	}
	// Before the start, doors open: 40 deputies come in, 5 go out again
	// and one of those comes back; one of the four on leave comes anyway;
	// five observers (列席, not counted) come in.
	for _, id := range deputies[:40] {
		scan(id, "hall-east", "ok")
	}
	for _, id := range deputies[:5] {
		scan(id, "hall-exit", "exit")
	}
	scan(deputies[0], "hall-west", "reentry")
	scan(onLeave[0], "hall-east", "ok")
	for _, id := range observers {
		scan(id, "hall-east", "ok")
	}

	type want struct {
		phase                   attendance.Phase
		present, left, withdraw int
		notYet, absent, late    int
	}
	moments := []struct {
		name string
		at   time.Time
		then func()
		want want
	}{
		{"before the start", env.Now(), nil,
			want{attendance.PhaseOpen, 37, 4, 1, 430 - 37 - 4 - 3, 0, 0}},
		{"during", s.StartsAt.Add(10 * time.Minute), func() {
			for _, id := range deputies[40:50] {
				scan(id, "hall-east", "ok") // late
			}
			scan(deputies[10], "hall-exit", "exit")
		}, want{attendance.PhaseInProgress, 46, 5, 1, 0, 430 - 46 - 5 - 3, 10}},
		{"after the close", s.ClosesAt.Add(time.Minute), nil,
			want{attendance.PhaseClosed, 46, 5, 1, 0, 430 - 46 - 5 - 3, 10}},
	}
	for _, m := range moments {
		env.SetNow(m.at)
		if m.then != nil {
			m.then()
		}
		c := trackedCounts(t, tr, env, "opening", m.name)
		w := m.want
		got := want{c.Phase, c.Present, c.Left, c.LeaveWithdrawn, c.NotYet, c.Absent, c.Late}
		if got != w {
			t.Errorf("%s: %+v, want %+v", m.name, got, w)
		}
		if c.Expected != 430 || c.OnLeave != 3 || c.Entered != c.Present+c.Left {
			t.Errorf("%s: expected %d, on leave %d, entered %d", m.name, c.Expected, c.OnLeave, c.Entered)
		}
		if sum := c.Present + c.Left + c.OnLeave + c.NotYet + c.Absent; sum != c.Expected {
			t.Errorf("%s: the parts sum to %d, not 应到 %d", m.name, sum, c.Expected)
		}
		if c.Started != (c.Phase != attendance.PhaseOpen) || c.AbsentCounted != c.Started || c.AbsentFrom != "start" {
			t.Errorf("%s: started %v, 缺席 counted %v (from %q) in phase %s", m.name, c.Started, c.AbsentCounted, c.AbsentFrom, c.Phase)
		}
		// Observers are expected and came, but only the all-category
		// figures count them.
		if c.All.Present != c.Present+5 || c.All.Expected <= c.Expected {
			t.Errorf("%s: all categories %+v", m.name, c.All)
		}
		if c.Basis.Zh == "" || c.Basis.En == "" {
			t.Errorf("%s: no basis label: %+v", m.name, c.Basis)
		}
		// The quorum and the chair's sentence count those inside now.
		if c.Quorum.Met != (c.Present >= c.Quorum.Required) || c.Quorum.Required != 216 {
			t.Errorf("%s: quorum %+v with %d present", m.name, c.Quorum, c.Present)
		}
		if want := fmt.Sprintf("实到%d人", c.Present); !strings.Contains(c.Statement, want) {
			t.Errorf("%s: statement %q lacks %q", m.name, c.Statement, want)
		}

		// The chair's view: one snapshot of counts, curve and list.
		d, err := tr.Detail(ctx, "opening", true)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(d.Counts.Figures) != fmt.Sprint(c.Figures) {
			t.Errorf("%s: chair counts %+v, counts %+v", m.name, d.Counts.Figures, c.Figures)
		}
		if d.Arrivals.Total != c.Entered {
			t.Errorf("%s: curve total %d, entered %d", m.name, d.Arrivals.Total, c.Entered)
		}
		if len(d.Absentees) != c.Absent {
			t.Errorf("%s: %d absentees listed, %d absent", m.name, len(d.Absentees), c.Absent)
		}
		for _, a := range d.Absentees {
			if a.Name == "" {
				t.Errorf("%s: absentee %d without a name", m.name, a.AttendeeID)
				break
			}
		}

		// The usher's list: every expected person once, the counted ones
		// tallying to the figures, everyone to the all-category figures.
		r, err := tr.Roster(ctx, "opening")
		if err != nil {
			t.Fatal(err)
		}
		tally := func(counted bool) attendance.Figures {
			var f attendance.Figures
			for _, p := range r.People {
				if counted && !p.Counted {
					continue
				}
				f.Expected++
				switch p.State {
				case attendance.StatePresent:
					f.Present++
				case attendance.StateLeft:
					f.Left++
				case attendance.StateOnLeave:
					f.OnLeave++
				case attendance.StateNotYet:
					f.NotYet++
				case attendance.StateAbsent:
					f.Absent++
				}
				if p.Leave && (p.State == attendance.StatePresent || p.State == attendance.StateLeft) {
					f.LeaveWithdrawn++
				}
			}
			f.Entered = f.Present + f.Left
			return f
		}
		if got := tally(true); got != c.Figures {
			t.Errorf("%s: usher list tallies %+v, counts %+v", m.name, got, c.Figures)
		}
		if got := tally(false); got != c.All {
			t.Errorf("%s: usher list (all) tallies %+v, counts %+v", m.name, got, c.All)
		}
	}

	// A group session that has not opened: everyone not on leave is 未到.
	g, err := tr.Counts("group-2")
	if err != nil {
		t.Fatal(err)
	}
	if g.Phase != attendance.PhaseUpcoming || g.Absent != 0 || g.NotYet != g.Expected-g.OnLeave || g.Expected == 0 {
		t.Errorf("group-2 in phase %s: %+v", g.Phase, g.Figures)
	}
}

// trackedCounts are the tracker's counts of a session at env's now, which
// must be those the SQL reference computes.
func trackedCounts(t *testing.T, tr *attendance.Tracker, env *testkit.Env, session, moment string) attendance.Counts {
	t.Helper()
	c, err := tr.Counts(session)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := attendance.OfAt(context.Background(), env.DB, env.Catalog, session, env.Now())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(c) != fmt.Sprint(ref) {
		t.Errorf("%s: tracker and SQL reference differ:\ntracker %+v\nSQL     %+v", moment, c, ref)
	}
	return c
}

// TestAbsentFromTheClose (issue 11.13): a session whose rule says 缺席 only
// from the close keeps those not in as 未到 (neutral) through the session
// and turns them into 缺席 when check-in closes — in the counts, the
// chair's absentee list and the usher's list alike.
func TestAbsentFromTheClose(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	ctx := context.Background()
	s := env.Session(t, "opening")
	s.AbsentFrom = domain.AbsentFromClose // as the catalog carries it from the definition
	tr, err := attendance.NewTracker(ctx, env.DB, env.Engine.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	tr.SetClock(env.Now)
	for i, id := range ids(t, env, `SELECT sa.attendee_id FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id
		WHERE sa.session_id = 'opening' AND a.category = 'deputy' ORDER BY a.id LIMIT 20`) {
		if _, err := env.Engine.Scan(ctx, checkin.Request{Token: env.Token(t, id), Checkpoint: "hall-east", ScanID: fmt.Sprint("close-", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []struct {
		name    string
		at      time.Time
		phase   attendance.Phase
		started bool
		absent  bool
	}{
		{"doors open", env.Now(), attendance.PhaseOpen, false, false},
		{"in progress", s.StartsAt.Add(time.Minute), attendance.PhaseInProgress, true, false},
		{"ended", s.EndsAt, attendance.PhaseEnded, true, false},
		{"closed", s.ClosesAt, attendance.PhaseClosed, true, true},
	} {
		env.SetNow(m.at)
		c := trackedCounts(t, tr, env, "opening", m.name)
		rest := c.Expected - c.Present - c.Left - c.OnLeave
		if c.Phase != m.phase || c.Started != m.started || c.AbsentFrom != "close" || c.AbsentCounted != m.absent || rest == 0 {
			t.Errorf("%s: phase %s, started %v, absent from %q, counted %v", m.name, c.Phase, c.Started, c.AbsentFrom, c.AbsentCounted)
		}
		wantNotYet, wantAbsent := rest, 0
		if m.absent {
			wantNotYet, wantAbsent = 0, rest
		}
		if c.NotYet != wantNotYet || c.Absent != wantAbsent {
			t.Errorf("%s: 未到 %d, 缺席 %d; want %d, %d", m.name, c.NotYet, c.Absent, wantNotYet, wantAbsent)
		}
		d, err := tr.Detail(ctx, "opening", true)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Absentees) != wantAbsent {
			t.Errorf("%s: %d absentees listed, want %d", m.name, len(d.Absentees), wantAbsent)
		}
		r, err := tr.Roster(ctx, "opening")
		if err != nil {
			t.Fatal(err)
		}
		states := map[attendance.State]int{}
		for _, p := range r.People {
			if p.Counted {
				states[p.State]++
			}
		}
		if states[attendance.StateNotYet] != wantNotYet || states[attendance.StateAbsent] != wantAbsent {
			t.Errorf("%s: the usher's list has %d 未到 and %d 缺席", m.name, states[attendance.StateNotYet], states[attendance.StateAbsent])
		}
	}
	// Another session keeps the default: 缺席 from its start.
	if c, _ := tr.Counts("group-1"); c.AbsentFrom != "start" {
		t.Errorf("group-1 absent from %q", c.AbsentFrom)
	}
}
