package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/demo"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
	"huiwu/server/internal/store"
)

var defNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func apply(t *testing.T, db *store.DB, d eventdef.Definition, given eventdef.Given, dry bool) eventdef.Report {
	t.Helper()
	rep, err := db.ApplyDefinition(context.Background(), d, given, store.ApplyOptions{DryRun: dry, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// small sets up the small meeting with five people: three deputies (one in
// each of two delegations, one without), an observer and a staff member.
func small(t *testing.T) (*store.DB, map[string]int64) {
	t.Helper()
	db := open(t, t.TempDir())
	apply(t, db, example.Small(defNow), eventdef.All(), false)
	people := []domain.Attendee{
		{Key: "d1", Name: "张伟", Category: "deputy", Delegation: "东区", Rank: 1},
		{Key: "d2", Name: "李娜", Category: "deputy", Delegation: "西区", Rank: 2},
		{Key: "d3", Name: "王芳", Category: "deputy", Rank: 3},
		{Key: "o1", Name: "刘洋", Category: "observer", Rank: 4},
		{Key: "s1", Name: "陈静", Category: "staff", Rank: 5, Lodging: &domain.Lodging{Room: "302"}},
	}
	rows := make([]store.ImportRow, len(people))
	for i, p := range people {
		rows[i] = store.ImportRow{Line: i + 2, Attendee: p}
	}
	if _, err := db.ImportAttendees(context.Background(), rows, nil, false, "test"); err != nil {
		t.Fatal(err)
	}
	ids, err := db.AttendeeIDsByKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return db, ids
}

func expected(t *testing.T, db *store.DB, session string) []string {
	t.Helper()
	rows, err := db.ForTest().R.Query(`SELECT a.key FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id WHERE sa.session_id = ? ORDER BY a.key`, session)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		rows.Scan(&k)
		out = append(out, k)
	}
	return out
}

func TestDefinitionRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	want := example.Small(defNow)
	want.Sessions[1].AbsentFrom = eventdef.AbsentFromClose
	rep := apply(t, db, want, eventdef.All(), true)
	if rep.Unchanged || rep.Created["sessions"] != 2 || rep.Created["venues"] != 4 || rep.Created["checkpoints"] != 3 {
		t.Fatalf("dry run report %+v", rep)
	}
	if has, _ := db.HasEvent(ctx); has {
		t.Fatal("a dry run stored the event")
	}
	apply(t, db, want, eventdef.All(), false)
	got, err := db.Definition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eventdef.Normalize(&want)
	if !reflect.DeepEqual(got, want) {
		a, _ := json.MarshalIndent(got, "", " ")
		b, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("read back differs:\n%s\nwant\n%s", a, b)
	}
	// Putting back what was read changes nothing, through JSON as a
	// client would.
	body, _ := json.Marshal(got)
	d, given, err := eventdef.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if rep := apply(t, db, d, given, false); !rep.Unchanged {
		t.Errorf("PUT of GET changed %+v", rep.Changes)
	}
	cat, err := db.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cat.Venues["hall"].Doors); n != 2 || len(cat.SessionList) != 2 {
		t.Errorf("catalog: %d doors, %d sessions", n, len(cat.SessionList))
	}
	// The 缺席 rule reaches the catalog the counts read: the default for
	// the first session, "close" as given for the second.
	for i, s := range want.Sessions {
		if got := cat.Sessions[s.ID].AbsentFrom; got != s.AbsentFrom {
			t.Errorf("catalog session %d absent from %q, want %q", i, got, s.AbsentFrom)
		}
	}
	var seats int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM seats`).Scan(&seats)
	if seats != 5+30 {
		t.Errorf("%d seats, want 35", seats)
	}
}

func TestDemoDefinitionPutBackIsUnchanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	if _, err := demo.Load(ctx, db, defNow); err != nil {
		t.Fatal(err)
	}
	d, err := db.Definition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep := apply(t, db, d, eventdef.All(), false); !rep.Unchanged {
		t.Errorf("demo PUT back changed %+v", rep.Changes)
	}
}

func TestPartialPutKeepsOtherParts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := small(t)
	d := example.Small(defNow)
	moved, _ := time.Parse(time.RFC3339, d.Sessions[0].StartsAt)
	d.Sessions[0].StartsAt = moved.Add(30 * time.Minute).Format(time.RFC3339)
	rep := apply(t, db, eventdef.Definition{Sessions: d.Sessions}, eventdef.Given{"sessions": true}, false)
	if rep.Updated["sessions"] != 1 || len(rep.Changes) != 1 || rep.Changes[0].Fields[0] != "starts_at" {
		t.Fatalf("report %+v", rep)
	}
	if w := rep.Changes[0].Words.Zh; !strings.Contains(w, "开幕大会") || !strings.Contains(w, "开始") || !strings.Contains(w, "→") {
		t.Errorf("words %q", w)
	}
	got, _ := db.Definition(ctx)
	if len(got.Checkpoints) != 3 || len(got.Venues) != 4 {
		t.Errorf("other parts changed: %d checkpoints, %d venues", len(got.Checkpoints), len(got.Venues))
	}
	changes, err := db.DefinitionChanges(ctx, 10)
	if err != nil || len(changes) != 2 || changes[0].Actor != "test" || changes[0].Changes[0].Code != "plenary" {
		t.Errorf("audit %+v %v", changes, err)
	}
}

func TestBadDefinitionStoresNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	d := example.Small(defNow)
	d.Sessions[1].Venue = "nowhere"
	d.Checkpoints[0].Door = "北门"
	_, err := db.ApplyDefinition(ctx, d, eventdef.All(), store.ApplyOptions{})
	var errs eventdef.Errors
	if !errors.As(err, &errs) || len(errs) != 2 || errs[0].Path != "sessions[1].venue" || errs[1].Path != "checkpoints[0].door" {
		t.Fatalf("errors %v", err)
	}
	if has, _ := db.HasEvent(ctx); has {
		t.Fatal("a bad definition stored the event")
	}
	// Without an event, a PUT must bring one.
	_, err = db.ApplyDefinition(ctx, eventdef.Definition{}, eventdef.Given{"sessions": true}, store.ApplyOptions{})
	if !errors.As(err, &errs) || errs[0].Code != eventdef.CodeNoEvent {
		t.Fatalf("sessions without an event: %v", err)
	}
	apply(t, db, example.Small(defNow), eventdef.All(), false)
	d = example.Small(defNow)
	d.Event.ID = "another"
	if _, err := db.ApplyDefinition(ctx, d, eventdef.All(), store.ApplyOptions{}); !errors.As(err, &errs) || errs[0].Code != eventdef.CodeEventIDChanged {
		t.Fatalf("changing the event id: %v", err)
	}
}

// TestRemovingWhatIsInUseIsRefused: a session with scans, a seat with an
// occupant, a checkpoint with scans. Each refusal names the thing and
// stores nothing.
func TestRemovingWhatIsInUseIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, ids := small(t)
	now := store.FormatTime(time.Now())
	if _, err := db.ForTest().W.Exec(`INSERT INTO scans (scan_id, source, device_id, checkpoint_id, attendee_id, session_id, status, scanned_at, received_at, response)
		VALUES ('s1', 'k1', 'k1', 'hall-east', ?, 'plenary', 'ok', ?, ?, '{}')`, ids["d1"], now, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ForTest().W.Exec(`INSERT INTO seat_assignments (session_id, seat_id, attendee_id)
		SELECT 'plenary', id, ? FROM seats WHERE label = 'A-3-1'`, ids["d2"]); err != nil {
		t.Fatal(err)
	}
	d := example.Small(defNow)
	d.Sessions = d.Sessions[1:]       // the plenary has a scan
	d.Checkpoints = d.Checkpoints[1:] // so has its door
	d.Venues[0].Sections[0].Rows = 2  // row 3 has someone in A-3-1
	_, err := db.ApplyDefinition(ctx, d, eventdef.All(), store.ApplyOptions{})
	var c *store.Conflict
	if !errors.As(err, &c) || len(c.Items) != 3 {
		t.Fatalf("want 3 conflicts, got %v", err)
	}
	names := c.Error()
	for _, want := range []string{"plenary", "hall-east", "A-3-1"} {
		if !strings.Contains(names, want) {
			t.Errorf("the refusal does not name %s: %s", want, names)
		}
	}
	got, _ := db.Definition(ctx)
	if len(got.Sessions) != 2 || len(got.Checkpoints) != 3 || got.Venues[0].Sections[0].Rows != 3 {
		t.Error("a refused change stored something")
	}
	// Moving the plenary to another hall is refused too; a later seat row
	// without anyone in it can go.
	d = example.Small(defNow)
	d.Venues = append(d.Venues, eventdef.Venue{Code: "hall2", Name: "小礼堂", Kind: "hall", Presidium: []int{3}})
	d.Sessions[0].Venue = "hall2"
	if _, err := db.ApplyDefinition(ctx, d, eventdef.All(), store.ApplyOptions{}); !errors.As(err, &c) || c.Items[0].Code != "plenary" {
		t.Fatalf("moving a session with scans: %v", err)
	}
	// A meal with a redemption, and a category people are in.
	if _, err := db.ForTest().W.Exec(`INSERT INTO scans (scan_id, source, device_id, checkpoint_id, attendee_id, meal_id, status, scanned_at, received_at, response)
		VALUES ('s2', 'k2', 'k2', 'canteen', ?, 'lunch', 'ok', ?, ?, '{}')`, ids["d1"], now, now); err != nil {
		t.Fatal(err)
	}
	d = example.Small(defNow)
	d.Meals, d.Checkpoints[1].Meal = nil, ""
	d.Categories = d.Categories[:2] // the staff member is in the third
	if _, err := db.ApplyDefinition(ctx, d, eventdef.All(), store.ApplyOptions{}); !errors.As(err, &c) || len(c.Items) != 2 ||
		c.Items[0].Code != "lunch" || c.Items[1].Code != "staff" {
		t.Fatalf("removing a meal with scans and a category in use: %v", err)
	}
	d = example.Small(defNow)
	d.Venues[0].Sections[0].Seats = 9 // drops each row's seat 10, which nobody holds
	if rep := apply(t, db, d, eventdef.All(), false); rep.Updated["venues"] != 1 {
		t.Errorf("report %+v", rep)
	}
}

func TestEntitlementsFollowTheRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, ids := small(t)
	if got := strings.Join(expected(t, db, "plenary"), " "); got != "d1 d2 d3 o1" {
		t.Fatalf("plenary expects %s", got)
	}
	if got := strings.Join(expected(t, db, "group"), " "); got != "d1 d2 d3" {
		t.Fatalf("group expects %s", got)
	}
	// Per-person exceptions: the observer joins the group, one deputy
	// leaves it; they hold when the rule changes.
	if err := db.SetExceptions(ctx, []store.Exception{
		{Attendee: ids["o1"], Kind: "session", Ref: "group", Mode: "include", Reason: "特邀"},
		{Attendee: ids["d3"], Kind: "session", Ref: "group", Mode: "exclude"},
	}, "desk"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(expected(t, db, "group"), " "); got != "d1 d2 o1" {
		t.Fatalf("with exceptions the group expects %s", got)
	}
	d := example.Small(defNow)
	d.Sessions[1].Expected = &eventdef.Rule{Categories: []string{"deputy"}, Delegations: []string{"东区", "西区"}}
	// d1 and d2 match the new rule, d3 stays out and the observer in by
	// exception: the group's 应到 (deputies) stays 2.
	if rep := apply(t, db, d, eventdef.All(), true); len(rep.Effects) != 0 || rep.Updated["sessions"] != 1 {
		t.Errorf("dry run: %+v", rep)
	}
	apply(t, db, d, eventdef.All(), false)
	if got := strings.Join(expected(t, db, "group"), " "); got != "d1 d2 o1" {
		t.Fatalf("after the rule changed the group expects %s", got)
	}
	d.Sessions[1].Expected = &eventdef.Rule{Delegations: []string{"东区"}}
	rep := apply(t, db, d, eventdef.All(), false)
	if got := strings.Join(expected(t, db, "group"), " "); got != "d1 o1" {
		t.Fatalf("after the rule narrowed the group expects %s", got)
	}
	if len(rep.Effects) != 1 || rep.Effects[0].Zh != "分组讨论 应到 2 → 1" {
		t.Errorf("effects %+v (应到 counts voting categories: the observer does not count)", rep.Effects)
	}
	if err := db.ClearException(ctx, ids["o1"], "session", "group", "desk"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(expected(t, db, "group"), " "); got != "d1" {
		t.Fatalf("after clearing the exception the group expects %s", got)
	}
}

func TestMealHallsByRuleAndException(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, ids := small(t)
	hall := func(key string) (string, int) {
		var v string
		var table int
		err := db.ForTest().R.QueryRow(`SELECT v.code, t.table_no FROM meal_tickets t JOIN venues v ON v.id = t.venue_id WHERE t.meal_id = 'lunch' AND t.attendee_id = ?`, ids[key]).Scan(&v, &table)
		if err != nil {
			return "", 0
		}
		return v, table
	}
	for _, k := range []string{"d1", "d2", "d3", "o1", "s1"} {
		if v, table := hall(k); v != "canteen" || table != 1 {
			t.Errorf("%s eats in %s at table %d", k, v, table)
		}
	}
	// A second hall for the staff, tried first.
	d := example.Small(defNow)
	d.Venues = append(d.Venues, eventdef.Venue{Code: "staff-canteen", Name: "员工餐厅", Kind: "dining", Tables: []eventdef.Table{{Number: 1, Seats: 4}}})
	d.Meals[0].Halls = append([]eventdef.MealHall{{Venue: "staff-canteen", Rule: eventdef.Rule{Categories: []string{"staff"}}}}, d.Meals[0].Halls...)
	apply(t, db, d, eventdef.All(), false)
	if v, _ := hall("s1"); v != "staff-canteen" {
		t.Errorf("staff eat in %s", v)
	}
	if v, table := hall("d1"); v != "canteen" || table != 1 {
		t.Errorf("a deputy moved to %s %d", v, table)
	}
	// One deputy sent to the staff canteen for every meal; one excluded.
	if err := db.SetExceptions(ctx, []store.Exception{
		{Attendee: ids["d2"], Kind: "meal", Ref: "*", Mode: "hall", Venue: "staff-canteen"},
		{Attendee: ids["d3"], Kind: "meal", Ref: "lunch", Mode: "exclude"},
	}, "desk"); err != nil {
		t.Fatal(err)
	}
	if v, _ := hall("d2"); v != "staff-canteen" {
		t.Errorf("the exception left d2 in %s", v)
	}
	if v, _ := hall("d3"); v != "" {
		t.Errorf("the excluded deputy still eats in %s", v)
	}
	if err := db.SetExceptions(ctx, []store.Exception{{Attendee: ids["d2"], Kind: "meal", Ref: "*", Mode: "hall", Venue: "hall"}}, "desk"); !errors.Is(err, store.ErrBadException) {
		t.Errorf("sending someone to eat in the auditorium: %v", err)
	}
}
