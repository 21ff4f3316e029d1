package readiness_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"huiwu/server/internal/readiness"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

var demoNow = time.Date(2026, 3, 5, 7, 50, 0, 0, time.UTC)

func run(t *testing.T, env *testkit.Env, opts readiness.Options) map[string]readiness.Check {
	t.Helper()
	opts.Now = env.Now()
	rep, err := readiness.Run(context.Background(), env.DB, env.Catalog, opts)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]readiness.Check{}
	for _, c := range rep.Checks {
		out[c.ID] = c
	}
	return out
}

func exec(t *testing.T, env *testkit.Env, q string, args ...any) {
	t.Helper()
	if _, err := env.DB.ForTest().W.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func one(t *testing.T, env *testkit.Env, q string, args ...any) string {
	t.Helper()
	var s string
	if err := env.DB.ForTest().R.QueryRow(q, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

// breakFix is one check of the board broken and mended on the demo: it
// passes once prepared, fails naming the subject breaks returns (with a
// name and details in both languages), and passes again after fix.
type breakFix struct {
	check   string
	name    string                               // subtest name when a check has several cases
	prepare func(t *testing.T, env *testkit.Env) // make the check pass first
	breaks  func(t *testing.T, env *testkit.Env) (subject string)
	fix     func(t *testing.T, env *testkit.Env)
}

func (tc breakFix) run(t *testing.T) {
	t.Run(tc.check+tc.name, func(t *testing.T) {
		env := testkit.New(t, demoNow)
		run := func(t *testing.T, env *testkit.Env, opts readiness.Options) map[string]readiness.Check {
			opts.Only = []string{tc.check} // the one check: the board's others cost seconds under -race
			return run(t, env, opts)
		}
		if tc.prepare != nil {
			tc.prepare(t, env)
		}
		if c := run(t, env, readiness.Options{Only: []string{tc.check}})[tc.check]; c.Status != readiness.Pass {
			t.Fatalf("before: %s %d failed: %v", c.Status, c.Failed, c.Items[:min(3, len(c.Items))])
		}
		subject := tc.breaks(t, env)
		c := run(t, env, readiness.Options{Only: []string{tc.check}})[tc.check]
		if c.Status != readiness.Fail || !slices.ContainsFunc(c.Items, func(it readiness.Item) bool {
			return it.Subject == subject && it.Detail != "" && it.DetailEn != "" && it.Name != ""
		}) {
			t.Fatalf("broken: %s, want %q among %v", c.Status, subject, c.Items)
		}
		tc.fix(t, env)
		if c := run(t, env, readiness.Options{Only: []string{tc.check}})[tc.check]; c.Status != readiness.Pass {
			t.Fatalf("after the fix: %s %v", c.Status, c.Items)
		}
	})
}

// TestChecks breaks each check on crafted data, sees it fail naming the
// culprit, repairs the data and sees it pass.
func TestChecks(t *testing.T) {
	issueAll := func(t *testing.T, env *testkit.Env) {
		exec(t, env, `INSERT INTO credentials (attendee_id, key_id, issued_at)
			SELECT id, (SELECT key_id FROM signing_keys LIMIT 1), ? FROM attendees`, store.FormatTime(demoNow))
	}
	// A presidium member and their seat at the closing meeting, and a free
	// floor seat in the same hall.
	presidium := func(t *testing.T, env *testkit.Env) (attendee, seat, free string) {
		attendee = one(t, env, `SELECT x.attendee_id FROM seat_assignments x JOIN seats st ON st.id = x.seat_id
			WHERE x.session_id = 'closing' AND st.kind = 'presidium' ORDER BY st.label LIMIT 1`)
		seat = one(t, env, `SELECT seat_id FROM seat_assignments WHERE session_id = 'closing' AND attendee_id = ?`, attendee)
		free = one(t, env, `SELECT st.id FROM seats st WHERE st.kind = 'normal' AND st.venue_id = (SELECT venue_id FROM sessions WHERE id = 'closing')
			AND NOT EXISTS (SELECT 1 FROM seat_assignments x WHERE x.session_id = 'closing' AND x.seat_id = st.id) LIMIT 1`)
		return
	}
	// Everyone with a room who has not said how they come (the demo has a
	// few) arrives by car on the first day.
	arriveAll := func(t *testing.T, env *testkit.Env) {
		exec(t, env, `INSERT INTO travel_legs (attendee_id, direction, mode, on_date, source, created_at, updated_at)
			SELECT g.attendee_id, 'arrival', 'car', ?1, 'desk', ?2, ?2 FROM lodging g WHERE NOT EXISTS
			(SELECT 1 FROM travel_legs l WHERE l.attendee_id = g.attendee_id AND l.direction = 'arrival')`,
			env.Catalog.Event.StartsOn, store.FormatTime(demoNow))
	}
	for _, tc := range []breakFix{
		{check: "badge_issued", prepare: issueAll,
			breaks: func(t *testing.T, env *testkit.Env) string {
				id := one(t, env, `SELECT attendee_id FROM session_attendees ORDER BY attendee_id LIMIT 1`)
				exec(t, env, `UPDATE credentials SET revoked_at = ? WHERE attendee_id = ?`, store.FormatTime(demoNow), id)
				return id
			},
			fix: func(t *testing.T, env *testkit.Env) {
				id := one(t, env, `SELECT attendee_id FROM session_attendees ORDER BY attendee_id LIMIT 1`)
				if _, err := env.Creds.Current(context.Background(), mustInt(id)); err != nil {
					t.Fatal(err)
				}
			}},
		{check: "seats",
			breaks: func(t *testing.T, env *testkit.Env) string {
				id := one(t, env, `SELECT attendee_id FROM seat_assignments WHERE session_id = 'opening' ORDER BY seat_id DESC LIMIT 1`)
				exec(t, env, `CREATE TEMP TABLE kept AS SELECT * FROM seat_assignments WHERE session_id = 'opening' AND attendee_id = ?`, id)
				exec(t, env, `DELETE FROM seat_assignments WHERE session_id = 'opening' AND attendee_id = ?`, id)
				return id
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `INSERT INTO seat_assignments SELECT * FROM temp.kept`)
			}},
		{check: "presidium_cards",
			breaks: func(t *testing.T, env *testkit.Env) string {
				id, _, free := presidium(t, env)
				exec(t, env, `UPDATE seat_assignments SET seat_id = ? WHERE session_id = 'closing' AND attendee_id = ?`, free, id)
				return id
			},
			fix: func(t *testing.T, env *testkit.Env) {
				// The seat row moved; put the member back on the free presidium seat.
				seat := one(t, env, `SELECT st.id FROM seats st WHERE st.kind = 'presidium' AND st.venue_id = (SELECT venue_id FROM sessions WHERE id = 'closing')
					AND NOT EXISTS (SELECT 1 FROM seat_assignments x WHERE x.session_id = 'closing' AND x.seat_id = st.id) LIMIT 1`)
				exec(t, env, `UPDATE seat_assignments SET seat_id = ? WHERE session_id = 'closing' AND seat_id IN
					(SELECT st.id FROM seats st WHERE st.kind = 'normal') AND attendee_id IN
					(SELECT x.attendee_id FROM seat_assignments x JOIN seats st ON st.id = x.seat_id WHERE st.kind = 'presidium')`, seat)
			}},
		{check: "seat_conflicts",
			breaks: func(t *testing.T, env *testkit.Env) string {
				seat := one(t, env, `SELECT seat_id FROM seat_assignments WHERE session_id = 'opening' ORDER BY seat_id DESC LIMIT 1`)
				exec(t, env, `UPDATE seats SET kind = 'blocked' WHERE id = ?`, seat)
				return "opening/" + one(t, env, `SELECT label FROM seats WHERE id = ?`, seat)
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE seats SET kind = 'normal' WHERE kind = 'blocked'`)
			}},
		{check: "capacity",
			breaks: func(t *testing.T, env *testkit.Env) string {
				// Block every seat of the hall but five.
				exec(t, env, `CREATE TEMP TABLE kinds AS SELECT id, kind FROM seats`)
				exec(t, env, `UPDATE seats SET kind = 'blocked' WHERE venue_id = (SELECT venue_id FROM sessions WHERE id = 'plenary-2')
					AND id NOT IN (SELECT id FROM seats ORDER BY id LIMIT 5)`)
				return "plenary-2"
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE seats SET kind = (SELECT kind FROM temp.kinds k WHERE k.id = seats.id)`)
			}},
		{check: "meals",
			breaks: func(t *testing.T, env *testkit.Env) string {
				id := one(t, env, `SELECT attendee_id FROM session_attendees ORDER BY attendee_id DESC LIMIT 1`)
				exec(t, env, `CREATE TEMP TABLE kept AS SELECT * FROM meal_tickets WHERE attendee_id = ?`, id)
				exec(t, env, `DELETE FROM meal_tickets WHERE attendee_id = ?`, id)
				return id
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `INSERT INTO meal_tickets SELECT * FROM temp.kept`)
			}},
		{check: "rooms",
			// Someone is put in a room number the hotel does not have.
			breaks: func(t *testing.T, env *testkit.Env) string {
				exec(t, env, `CREATE TEMP TABLE kept AS SELECT * FROM lodging ORDER BY attendee_id LIMIT 1`)
				exec(t, env, `UPDATE lodging SET room = '9999' WHERE attendee_id = (SELECT attendee_id FROM temp.kept)`)
				return "9999"
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE lodging SET room = (SELECT room FROM temp.kept) WHERE attendee_id = (SELECT attendee_id FROM temp.kept)`)
			}},
		{check: "kiosks",
			prepare: func(t *testing.T, env *testkit.Env) {
				now := store.FormatTime(demoNow)
				exec(t, env, `INSERT INTO devices (id, name, kind, checkpoint_id, created_at, paired_at, last_seen_at)
					SELECT 'k-' || id, name || '签到机', 'kiosk', id, ?1, ?1, ?1 FROM checkpoints WHERE kind IN ('entrance', 'meal')`, now)
			},
			breaks: func(t *testing.T, env *testkit.Env) string {
				exec(t, env, `UPDATE devices SET last_seen_at = ? WHERE id = 'k-hall-east'`, store.FormatTime(demoNow.Add(-time.Hour)))
				return "k-hall-east"
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE devices SET last_seen_at = ? WHERE id = 'k-hall-east'`, store.FormatTime(demoNow))
			}},
		{check: "kiosks", name: "-status-report",
			prepare: func(t *testing.T, env *testkit.Env) {
				now := store.FormatTime(demoNow)
				exec(t, env, `INSERT INTO devices (id, name, kind, checkpoint_id, created_at, paired_at, last_seen_at)
					SELECT 'k-' || id, name || '签到机', 'kiosk', id, ?1, ?1, ?1 FROM checkpoints WHERE kind IN ('entrance', 'meal')`, now)
			},
			breaks: func(t *testing.T, env *testkit.Env) string {
				exec(t, env, `UPDATE devices SET last_seen_at = ? WHERE id = 'k-hall-west'`, store.FormatTime(demoNow.Add(-time.Hour)))
				return "k-hall-west"
			},
			// A kiosk that reports its status counts as seen, scans or not.
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `INSERT INTO kiosk_status (device_id, reported_at) VALUES ('k-hall-west', ?)`, store.FormatTime(demoNow))
			}},

		// Issue 12.8, the logistics lines.
		{check: "arrivals_known", prepare: arriveAll,
			breaks: func(t *testing.T, env *testkit.Env) string {
				id := one(t, env, `SELECT attendee_id FROM travel_legs WHERE direction = 'arrival' ORDER BY attendee_id LIMIT 1 OFFSET 40`)
				exec(t, env, `UPDATE travel_legs SET cancelled_at = ? WHERE attendee_id = ? AND direction = 'arrival'`, store.FormatTime(demoNow), id)
				return id
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE travel_legs SET cancelled_at = NULL`)
			}},
		{check: "arrivals_known", name: "-no-date", prepare: arriveAll,
			breaks: func(t *testing.T, env *testkit.Env) string {
				id := one(t, env, `SELECT attendee_id FROM travel_legs WHERE direction = 'arrival' ORDER BY attendee_id LIMIT 1 OFFSET 7`)
				exec(t, env, `UPDATE travel_legs SET on_date = '', at = '' WHERE attendee_id = ? AND direction = 'arrival'`, id)
				return id
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE travel_legs SET on_date = ? WHERE on_date = ''`, env.Catalog.Event.StartsOn)
			}},
		{check: "arrivals_vehicle",
			// A coach at each station meets everyone who lands or pulls in.
			prepare: func(t *testing.T, env *testkit.Env) {
				now := store.FormatTime(demoNow)
				exec(t, env, `INSERT INTO vehicles (code, kind, seats) VALUES ('测试大巴', 'bus', 100)`)
				exec(t, env, `INSERT INTO vehicle_runs (vehicle_id, direction, station_id, at, created_at, updated_at)
					SELECT (SELECT id FROM vehicles WHERE code = '测试大巴'), 'arrival', id, ?1, ?1, ?1 FROM stations`, now)
				exec(t, env, `INSERT INTO run_passengers (run_id, leg_id) SELECT r.id, l.id FROM travel_legs l
					JOIN vehicle_runs r ON r.station_id = l.station_id WHERE l.direction = 'arrival' AND l.mode IN ('flight', 'train')
					AND NOT EXISTS (SELECT 1 FROM run_passengers p WHERE p.leg_id = l.id)`)
			},
			breaks: func(t *testing.T, env *testkit.Env) string {
				id := one(t, env, `SELECT l.attendee_id FROM run_passengers p JOIN travel_legs l ON l.id = p.leg_id ORDER BY l.id LIMIT 1 OFFSET 3`)
				exec(t, env, `CREATE TEMP TABLE kept AS SELECT p.* FROM run_passengers p JOIN travel_legs l ON l.id = p.leg_id
					WHERE l.attendee_id = ? AND l.direction = 'arrival'`, id)
				exec(t, env, `DELETE FROM run_passengers WHERE leg_id IN (SELECT leg_id FROM temp.kept)`)
				return id
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `INSERT INTO run_passengers SELECT * FROM temp.kept`)
			}},
		{check: "vehicle_capacity",
			// A car for four meets two people travelling alone.
			prepare: func(t *testing.T, env *testkit.Env) {
				now := store.FormatTime(demoNow)
				exec(t, env, `INSERT INTO vehicles (code, kind, seats, plate) VALUES ('测试轿车', 'car', 4, '云A·12345')`)
				exec(t, env, `INSERT INTO vehicle_runs (vehicle_id, direction, station_id, at, created_at, updated_at)
					VALUES ((SELECT id FROM vehicles WHERE code = '测试轿车'), 'arrival', (SELECT min(id) FROM stations), ?1, ?1, ?1)`, now)
				exec(t, env, `INSERT INTO run_passengers (run_id, leg_id) SELECT (SELECT max(id) FROM vehicle_runs), id FROM travel_legs
					WHERE direction = 'arrival' AND companions = 0 AND station_id = (SELECT min(id) FROM stations) ORDER BY id LIMIT 2`)
			},
			breaks: func(t *testing.T, env *testkit.Env) string {
				exec(t, env, `UPDATE travel_legs SET companions = 2 WHERE id IN (SELECT leg_id FROM run_passengers)`)
				return one(t, env, `SELECT max(id) FROM vehicle_runs`) // 2 people and 4 companions in a car for 4
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE vehicles SET kind = 'van', seats = 7 WHERE code = '测试轿车'`)
			}},
		{check: "rooms_double_booked",
			breaks: func(t *testing.T, env *testkit.Env) string {
				room := one(t, env, `SELECT l.room FROM lodging l JOIN hotel_rooms h ON h.number = l.room AND h.beds = 1 ORDER BY l.room LIMIT 1 OFFSET 5`)
				exec(t, env, `CREATE TEMP TABLE kept AS SELECT * FROM lodging WHERE room != ? ORDER BY attendee_id LIMIT 1`, room)
				exec(t, env, `UPDATE lodging SET room = ? WHERE attendee_id = (SELECT attendee_id FROM temp.kept)`, room)
				return room
			},
			// The one who moved in stays the night after the other leaves.
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE lodging SET check_in = check_out, check_out = date(check_out, '+1 day')
					WHERE attendee_id = (SELECT attendee_id FROM temp.kept)`)
			}},
		{check: "rooms_double_booked", name: "-checked-out",
			breaks: func(t *testing.T, env *testkit.Env) string {
				room := one(t, env, `SELECT l.room FROM lodging l JOIN hotel_rooms h ON h.number = l.room AND h.beds = 1 ORDER BY l.room LIMIT 1 OFFSET 6`)
				exec(t, env, `CREATE TEMP TABLE kept AS SELECT * FROM lodging WHERE room = ?`, room)
				exec(t, env, `UPDATE lodging SET check_in = ?, check_out = date(?, '+1 day')
					WHERE attendee_id = (SELECT attendee_id FROM temp.kept)`, env.Catalog.Event.StartsOn, env.Catalog.Event.StartsOn)
				exec(t, env, `UPDATE lodging SET room = ?, check_in = date(?, '-1 day'), check_out = date(?, '+1 day')
					WHERE attendee_id = (SELECT attendee_id FROM lodging WHERE room != ? ORDER BY attendee_id LIMIT 1)`,
					room, env.Catalog.Event.StartsOn, env.Catalog.Event.StartsOn, room)
				return room
			},
			// The one who came the night before checks out (退房) that morning.
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE lodging SET checked_out_at = ? WHERE room = (SELECT room FROM temp.kept)
					AND attendee_id != (SELECT attendee_id FROM temp.kept)`, store.FormatTime(demoNow.Add(-3*time.Hour)))
			}},
		{check: "rooms_double_booked", name: "-companions",
			// Two share a twin room; then one says a companion comes too (随行人员 sleep in the room).
			breaks: func(t *testing.T, env *testkit.Env) string {
				room := one(t, env, `SELECT l.room FROM lodging l JOIN hotel_rooms h ON h.number = l.room AND h.beds = 2
					GROUP BY l.room HAVING count(*) = 2 ORDER BY l.room LIMIT 1`)
				exec(t, env, `UPDATE travel_legs SET companions = 1 WHERE direction = 'arrival'
					AND attendee_id = (SELECT min(attendee_id) FROM lodging WHERE room = ?)`, room)
				return room
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE travel_legs SET companions = 0 WHERE attendee_id IN
					(SELECT l.attendee_id FROM lodging l JOIN hotel_rooms h ON h.number = l.room AND h.beds = 2)`)
			}},
		{check: "departure_tickets",
			// The secretariat has booked every ticket it is to book.
			prepare: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE travel_legs SET ticket = 'booked', ticket_no = 'E' || (100000000 + id) WHERE ticket = 'needed'`)
			},
			breaks: func(t *testing.T, env *testkit.Env) string {
				id := one(t, env, `SELECT attendee_id FROM travel_legs WHERE direction = 'departure' AND ticket = 'booked' ORDER BY id LIMIT 1 OFFSET 9`)
				exec(t, env, `UPDATE travel_legs SET ticket = 'needed', ticket_no = '' WHERE attendee_id = ? AND direction = 'departure'`, id)
				return id
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE travel_legs SET ticket = 'booked', ticket_no = 'E123456789' WHERE ticket = 'needed'`)
			}},
	} {
		tc.run(t)
	}
}

// TestPrinted: printed means a badge_prints row for the live serial; a
// reissue makes the badge unprinted again.
func TestPrinted(t *testing.T) {
	env := testkit.New(t, demoNow)
	now := store.FormatTime(demoNow)
	exec(t, env, `INSERT INTO credentials (attendee_id, key_id, issued_at)
		SELECT id, (SELECT key_id FROM signing_keys LIMIT 1), ? FROM attendees`, now)
	if c := run(t, env, readiness.Options{Only: []string{"badge_printed"}})["badge_printed"]; c.Status != readiness.Fail || c.Failed != c.Checked {
		t.Errorf("nothing printed: %s %d of %d", c.Status, c.Failed, c.Checked)
	}
	exec(t, env, `INSERT INTO badge_prints (attendee_id, serial, kind, actor, printed_at)
		SELECT attendee_id, serial, 'badge', 'test', ? FROM credentials`, now)
	if c := run(t, env, readiness.Options{Only: []string{"badge_printed"}})["badge_printed"]; c.Status != readiness.Pass {
		t.Errorf("all printed: %s %v", c.Status, c.Items)
	}
	id := one(t, env, `SELECT attendee_id FROM session_attendees ORDER BY attendee_id LIMIT 1`)
	if _, err := env.Creds.Reissue(context.Background(), mustInt(id), "lost", "test"); err != nil {
		t.Fatal(err)
	}
	if c := run(t, env, readiness.Options{Only: []string{"badge_printed"}})["badge_printed"]; c.Status != readiness.Fail || c.Failed != 1 || c.Items[0].Subject != id {
		t.Errorf("after a reissue: %s %v", c.Status, c.Items)
	}
}

func mustInt(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

// TestOnlyRunsThoseChecks: Options.Only runs the named checks alone, in
// the board's order; the whole board names every check as listed.
func TestOnlyRunsThoseChecks(t *testing.T) {
	env := testkit.New(t, demoNow)
	rep, err := readiness.Run(context.Background(), env.DB, env.Catalog, readiness.Options{Now: env.Now(), Only: []string{"kiosks", "rooms"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Checks) != 2 || rep.Checks[0].ID != "rooms" || rep.Checks[1].ID != "kiosks" {
		t.Fatalf("Only rooms and kiosks: %+v", rep.Checks)
	}
	if all := run(t, env, readiness.Options{}); len(all) < 22 {
		t.Errorf("the whole board has %d checks", len(all))
	}
}
