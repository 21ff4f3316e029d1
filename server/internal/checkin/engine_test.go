package checkin_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"huiwu/badge/credential"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

var start = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// scanner sends scans with fresh ids.
type scanner struct {
	t   *testing.T
	env *testkit.Env
	n   int
}

func (s *scanner) scan(r checkin.Request) checkin.Result {
	s.t.Helper()
	if r.ScanID == "" {
		s.n++
		r.ScanID = fmt.Sprintf("%s-%d", s.t.Name(), s.n)
	}
	res, err := s.env.Engine.Scan(context.Background(), r)
	if err != nil {
		s.t.Fatalf("scan %+v: %v", r, err)
	}
	return res
}

func (s *scanner) expect(r checkin.Request, want checkin.Status) checkin.Result {
	s.t.Helper()
	res := s.scan(r)
	if res.Status != want {
		s.t.Fatalf("scan at %s: status %s (%s), want %s", r.Checkpoint, res.Status, res.Code, want)
	}
	return res
}

// pick returns an attendee id matching an SQL condition on attendees a.
func pick(t *testing.T, env *testkit.Env, cond string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.ForTest().R.QueryRow(`SELECT a.id FROM attendees a WHERE ` + cond + ` ORDER BY a.id LIMIT 1`).Scan(&id); err != nil {
		t.Fatalf("no attendee where %s: %v", cond, err)
	}
	return id
}

func count(t *testing.T, env *testkit.Env, q string, args ...any) int {
	t.Helper()
	var n int
	if err := env.DB.ForTest().R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

const onOpeningList = `a.id IN (SELECT attendee_id FROM session_attendees WHERE session_id = 'opening')
	AND a.id IN (SELECT attendee_id FROM seat_assignments WHERE session_id = 'opening')
	AND a.id NOT IN (SELECT attendee_id FROM leaves)`

func TestEntranceExitReentry(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	id := pick(t, env, onOpeningList)
	tok := env.Token(t, id)

	first := s.expect(checkin.Request{Token: tok, Checkpoint: "hall-east", ScanID: "one"}, checkin.StatusOK)
	if first.Late || first.Guidance == nil || first.Guidance.Seat == "" || first.Attendee.ID != id {
		t.Fatalf("first scan: %+v", first)
	}
	again := s.expect(checkin.Request{Token: tok, Checkpoint: "hall-west"}, checkin.StatusAlready)
	if again.FirstAt == nil || !again.FirstAt.Equal(*first.FirstAt) {
		t.Errorf("already: first_at %v, want %v", again.FirstAt, first.FirstAt)
	}
	// The same scan id answers the same and records nothing new.
	before := count(t, env, `SELECT count(*) FROM scans`)
	replay := s.expect(checkin.Request{Token: tok, Checkpoint: "hall-east", ScanID: "one"}, checkin.StatusOK)
	if replay.ScanID != "one" || count(t, env, `SELECT count(*) FROM scans`) != before {
		t.Errorf("replay recorded a scan or answered differently: %+v", replay)
	}
	s.expect(checkin.Request{Token: tok, Checkpoint: "hall-exit"}, checkin.StatusExit)
	s.expect(checkin.Request{Token: tok, Checkpoint: "hall-east"}, checkin.StatusReentry)
	if n := count(t, env, `SELECT count(*) FROM presence WHERE session_id = 'opening' AND attendee_id = ?`, id); n != 1 {
		t.Errorf("presence rows %d, want 1 (counts are of people)", n)
	}
}

func TestLateAndWindows(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	opening := env.Session(t, "opening")
	a := pick(t, env, onOpeningList)
	b := pick(t, env, onOpeningList+` AND a.id > `+fmt.Sprint(a))

	env.SetNow(opening.StartsAt.Add(10 * time.Minute))
	if res := s.expect(checkin.Request{Token: env.Token(t, a), Checkpoint: "hall-east"}, checkin.StatusOK); !res.Late {
		t.Error("a scan after the start is not marked late")
	}
	// Between the opening's close and the next session's doors the hall
	// is shut: outside_window, naming the next window.
	env.SetNow(opening.ClosesAt.Add(time.Minute))
	res := s.expect(checkin.Request{Token: env.Token(t, b), Checkpoint: "hall-east"}, checkin.StatusOutsideWindow)
	if res.Window == nil || !res.Window.Opens.After(opening.ClosesAt) {
		t.Errorf("outside_window without the next window: %+v", res.Window)
	}
}

func TestNotEntitledAndCancelled(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	press := pick(t, env, `a.id NOT IN (SELECT attendee_id FROM session_attendees WHERE session_id = 'opening')`)
	s.expect(checkin.Request{Token: env.Token(t, press), Checkpoint: "hall-east"}, checkin.StatusNotEntitled)

	gone := pick(t, env, onOpeningList)
	tok := env.Token(t, gone)
	if _, err := env.DB.ForTest().W.Exec(`UPDATE attendees SET status = 'cancelled' WHERE id = ?`, gone); err != nil {
		t.Fatal(err)
	}
	s.expect(checkin.Request{Token: tok, Checkpoint: "hall-east"}, checkin.StatusCancelled)
}

func TestRevokedAndInvalid(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	id := pick(t, env, onOpeningList)
	old := env.Token(t, id)
	if _, err := env.Creds.Reissue(context.Background(), id, "lost", "test"); err != nil {
		t.Fatal(err)
	}
	s.expect(checkin.Request{Token: old, Checkpoint: "hall-east"}, checkin.StatusRevoked)
	s.expect(checkin.Request{Token: env.Token(t, id), Checkpoint: "hall-east"}, checkin.StatusOK)

	for name, tok := range map[string]string{
		"flipped":   old[:30] + string(old[30]^1) + old[31:],
		"truncated": old[:len(old)-5],
		"garbage":   "hello",
		"oversized": "HW1:" + string(make([]byte, 300)),
		"other key": otherKeyToken(t, env.Catalog.Event.ID, id),
	} {
		res := s.scan(checkin.Request{Token: tok, Checkpoint: "hall-east"})
		if res.Status != checkin.StatusInvalid || res.Attendee != nil {
			t.Errorf("%s token: %s (%s), attendee %v; want invalid and nobody", name, res.Status, res.Code, res.Attendee)
		}
	}
}

func otherKeyToken(t *testing.T, event string, id int64) string {
	signer, err := credential.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := signer.Sign(credential.Claims{Event: event, Attendee: id, Serial: 1})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestMeals(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	var meal, hall string
	var id int64
	err := env.DB.ForTest().R.QueryRow(`SELECT m.id, v.code, t.attendee_id FROM meals m
		JOIN meal_tickets t ON t.meal_id = m.id JOIN venues v ON v.id = t.venue_id
		WHERE m.opens_at <= ?1 AND m.closes_at > ?1 ORDER BY t.attendee_id LIMIT 1`,
		start.UTC().Format("2006-01-02T15:04:05.000000Z")).Scan(&meal, &hall, &id)
	if err != nil {
		t.Fatalf("no meal open at the demo's start: %v", err)
	}
	tok := env.Token(t, id)
	other := map[string]string{"dining1": "dining2", "dining2": "dining1"}[hall]
	wrong := s.expect(checkin.Request{Token: tok, Checkpoint: other}, checkin.StatusNotEntitled)
	if wrong.Code != "wrong_hall" {
		t.Errorf("wrong hall code %s", wrong.Code)
	}
	ok := s.expect(checkin.Request{Token: tok, Checkpoint: hall}, checkin.StatusOK)
	if ok.Meal != meal || ok.Guidance == nil || ok.Guidance.MealTable == 0 {
		t.Errorf("meal ok without meal or table: %+v", ok)
	}
	s.expect(checkin.Request{Token: tok, Checkpoint: hall}, checkin.StatusMealUsed)
	if ok.Guidance.Room != "" || ok.Guidance.Seat != "" {
		t.Error("a dining hall shows a room or seat")
	}
}

func TestLodging(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	guest := pick(t, env, `a.id IN (SELECT attendee_id FROM lodging)`)
	local := pick(t, env, `a.id NOT IN (SELECT attendee_id FROM lodging)`)
	res := s.expect(checkin.Request{Token: env.Token(t, guest), Checkpoint: "hotel-desk"}, checkin.StatusOK)
	if res.Guidance == nil || res.Guidance.Room == "" {
		t.Errorf("hotel desk shows no room: %+v", res.Guidance)
	}
	s.expect(checkin.Request{Token: env.Token(t, guest), Checkpoint: "hotel-desk"}, checkin.StatusAlready)
	s.expect(checkin.Request{Token: env.Token(t, local), Checkpoint: "hotel-desk"}, checkin.StatusNotEntitled)
	// The room number is shown only at the hotel desk.
	res = s.expect(checkin.Request{Token: env.Token(t, guest), Checkpoint: "hall-east"}, checkin.StatusOK)
	if res.Guidance.Room != "" {
		t.Error("a hall door shows the room number")
	}
}

func TestManualCheckin(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	id := pick(t, env, onOpeningList)
	res := s.expect(checkin.Request{AttendeeID: id, Checkpoint: "hall-east", Reason: "证件遗失，身份已核实"}, checkin.StatusOK)
	if !slices.Contains(res.Flags, "manual") {
		t.Errorf("manual check-in not flagged: %v", res.Flags)
	}
	if n := count(t, env, `SELECT count(*) FROM scans WHERE manual = 1 AND attendee_id = ? AND reason <> ''`, id); n != 1 {
		t.Errorf("manual scans logged with reason: %d", n)
	}
}

func TestOfflineScansKeepTheirTimeAndAreFlagged(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	id := pick(t, env, onOpeningList)
	tok := env.Token(t, id)
	earlier := start.Add(-5 * time.Minute)
	res := s.expect(checkin.Request{Token: tok, Checkpoint: "hall-east", Offline: true, ScannedAt: earlier}, checkin.StatusOK)
	if !res.ScannedAt.Equal(earlier) || !slices.Contains(res.Flags, "offline") {
		t.Errorf("offline scan: scanned_at %v flags %v", res.ScannedAt, res.Flags)
	}
	// A second kiosk, offline too, let the same badge in: recorded, flagged.
	dup := s.expect(checkin.Request{Token: tok, Checkpoint: "hall-west", Offline: true, ScannedAt: earlier.Add(time.Minute)}, checkin.StatusAlready)
	if !slices.Contains(dup.Flags, "offline_duplicate") {
		t.Errorf("offline duplicate not flagged: %v", dup.Flags)
	}
	// A kiosk clock far ahead is not trusted.
	ahead := s.scan(checkin.Request{Token: tok, Checkpoint: "hall-east", Offline: true, ScannedAt: start.Add(time.Hour)})
	if !slices.Contains(ahead.Flags, "clock_ahead") || !ahead.ScannedAt.Equal(start) {
		t.Errorf("clock ahead: %v at %v", ahead.Flags, ahead.ScannedAt)
	}
	var stored, received string
	env.DB.ForTest().R.QueryRow(`SELECT scanned_at, received_at FROM scans WHERE attendee_id = ? ORDER BY id LIMIT 1`, id).Scan(&stored, &received)
	if stored >= received {
		t.Errorf("offline scan stored at %s, received %s: original time lost", stored, received)
	}
}

// TestConcurrentScansOfOneBadge: two kiosks at once, exactly one ok.
func TestConcurrentScansOfOneBadge(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	ids := make([]int64, 0, 20)
	rows, err := env.DB.ForTest().R.Query(`SELECT a.id FROM attendees a WHERE ` + onOpeningList + ` ORDER BY a.id LIMIT 20`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	const kiosks = 8
	var wg sync.WaitGroup
	results := make([][]checkin.Status, kiosks)
	for k := range kiosks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, id := range ids {
				res, err := env.Engine.Scan(context.Background(), checkin.Request{Token: env.Token(t, id),
					Checkpoint: []string{"hall-east", "hall-west"}[k%2], ScanID: fmt.Sprintf("k%d-%d", k, id)})
				if err != nil {
					t.Error(err)
					return
				}
				results[k] = append(results[k], res.Status)
			}
		}()
	}
	wg.Wait()
	for i := range ids {
		oks := 0
		for k := range kiosks {
			if results[k][i] == checkin.StatusOK {
				oks++
			} else if results[k][i] != checkin.StatusAlready {
				t.Errorf("attendee %d kiosk %d: %s", ids[i], k, results[k][i])
			}
		}
		if oks != 1 {
			t.Errorf("attendee %d: %d ok answers from %d simultaneous kiosks, want exactly 1", ids[i], oks, kiosks)
		}
	}
	if n := count(t, env, `SELECT count(*) FROM scans`); n != kiosks*len(ids) {
		t.Errorf("scan log holds %d rows, want %d", n, kiosks*len(ids))
	}
}

func TestRequestErrors(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	for _, r := range []checkin.Request{
		{Token: "x", Checkpoint: "hall-east"},            // no scan id
		{Token: "x", Checkpoint: "nowhere", ScanID: "a"}, // unknown checkpoint
		{Checkpoint: "hall-east", ScanID: "b"},           // neither token nor attendee
	} {
		if _, err := env.Engine.Scan(context.Background(), r); err == nil {
			t.Errorf("%+v: no error", r)
		}
	}
	if n := count(t, env, `SELECT count(*) FROM scans`); n != 0 {
		t.Errorf("undecidable requests were logged: %d", n)
	}
}

func TestScanLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	s.scan(checkin.Request{Token: "junk", Checkpoint: "hall-east"})
	if _, err := env.DB.ForTest().W.Exec(`UPDATE scans SET status = 'ok'`); err == nil {
		t.Error("a scan row could be updated")
	}
	if _, err := env.DB.ForTest().W.Exec(`DELETE FROM scans`); err == nil {
		t.Error("a scan row could be deleted")
	}
}

// TestBatchThatCannotBeDecidedFailsWhole (issue 10.12): a storage error
// while deciding an offline kiosk's batch fails the whole batch and stores
// none of it, so that the kiosk keeps its queue and sends it again.
func TestBatchThatCannotBeDecidedFailsWhole(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	// A trigger fails the one scan; PostgreSQL has no temporary triggers,
	// and the test's database is its own.
	boom := `CREATE TEMP TRIGGER boom BEFORE INSERT ON scans WHEN NEW.scan_id = 'boom'
		BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`
	if env.DB.Dialect() == store.Postgres {
		boom = `CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.scan_id = 'boom' THEN RAISE EXCEPTION 'disk trouble'; END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER boom BEFORE INSERT ON scans FOR EACH ROW EXECUTE FUNCTION boom()`
	}
	if _, err := env.DB.ForTest().W.Exec(boom); err != nil {
		t.Fatal(err)
	}
	var reqs []checkin.Request
	for i, id := range []string{"b1", "boom", "b3"} {
		a := pick(t, env, fmt.Sprintf(`%s AND a.id > %d`, onOpeningList, 100+i))
		reqs = append(reqs, checkin.Request{Token: env.Token(t, a), Checkpoint: "hall-east", ScanID: id, Offline: true, ScannedAt: start})
	}
	out, err := env.Engine.ScanBatch(context.Background(), reqs)
	if err == nil {
		t.Fatalf("a batch that could not be stored answered %+v", out)
	}
	if n := count(t, env, `SELECT count(*) FROM scans WHERE scan_id IN ('b1','boom','b3')`); n != 0 {
		t.Fatalf("%d scans of the failed batch were stored", n)
	}
	// The same scans alone, without the broken one, go through.
	if _, err := env.Engine.ScanBatch(context.Background(), []checkin.Request{reqs[0], reqs[2]}); err != nil {
		t.Fatal(err)
	}
}
