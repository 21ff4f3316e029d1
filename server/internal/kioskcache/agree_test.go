package kioskcache_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"huiwu/kiosk/rules"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/faces"
	"huiwu/server/internal/kioskcache"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

var start = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// step is one scan: where and when.
type step struct {
	cp string
	at time.Time
}

// scenario is one way a scan can go. Steps in before are decided by the
// server while the kiosk is still online (the kiosk's cache is built after
// them, so it knows them as facts); steps in here are made at the kiosk
// itself, and so is the final scan, which is what the scenario is about.
type scenario struct {
	name string
	who  string // SQL condition on attendees a
	// setup changes the person before anything is scanned and returns the
	// text to scan instead of their badge, if any.
	setup    func(t *testing.T, env *testkit.Env, id int64) string
	before   []step
	here     []step
	final    step
	uploaded bool // the online path gets here and final as an offline kiosk's upload
	// face is the kiosk's face check sent with the final scan (刷脸).
	face      *rules.FaceCheck
	wantFace  string // the answer's face result, "" for none
	want      rules.Status
	wantCode  rules.Code
	wantFlags []string
}

// TestOnlineAndOfflineAgree (issue 10.13): every kind of scan, decided by
// the server's engine on a real database and by an offline kiosk — the
// cache builder's sealed facts for the badge, the kiosk's own passes, and
// the rules, through the function the kiosk's WebAssembly exports — gets
// the same status, code, sentence, late flag, window, first time and
// guidance.
func TestOnlineAndOfflineAgree(t *testing.T) {
	env := testkit.New(t, start)
	ctx := context.Background()
	cat := env.Catalog
	// A door with no session behind it: the hotel lobby. The demo's east
	// door checks faces in advise mode; the west door here enforces.
	if _, err := env.DB.ForTest().W.Exec(`INSERT INTO checkpoints (id, name, kind, venue_id, door)
		SELECT 'lobby', '酒店大堂', 'entrance', id, '大堂' FROM venues WHERE code = 'hotel'`); err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.ForTest().W.Exec(`UPDATE checkpoints SET face = 'enforce' WHERE id = 'hall-west'`); err != nil {
		t.Fatal(err)
	}
	cat, err := env.DB.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	env.Engine.SetCatalog(cat)

	opening, group := cat.Sessions["opening"], cat.Sessions["group-1"]
	breakfast := cat.Meals["d1-breakfast"]
	doors := opening.OpensAt.Add(5 * time.Minute)
	eat := breakfast.OpensAt.Add(30 * time.Minute)
	plus := func(t time.Time, n int) time.Time { return t.Add(time.Duration(n) * time.Minute) }

	const (
		onOpening = `a.id IN (SELECT attendee_id FROM session_attendees WHERE session_id = 'opening')
			AND a.id IN (SELECT attendee_id FROM seat_assignments WHERE session_id = 'opening')`
		notOnOpening = `a.id NOT IN (SELECT attendee_id FROM session_attendees WHERE session_id = 'opening')`
		inGroup1     = `a.id IN (SELECT attendee_id FROM session_attendees WHERE session_id = 'group-1')`
		onlyGroup2   = `a.id IN (SELECT attendee_id FROM session_attendees WHERE session_id = 'group-2')
			AND a.id NOT IN (SELECT attendee_id FROM session_attendees WHERE session_id = 'group-1')`
		guest = `a.id IN (SELECT l.attendee_id FROM lodging l JOIN venues v ON v.id = l.venue_id WHERE v.code = 'hotel')`
		local = `a.id NOT IN (SELECT attendee_id FROM lodging)`
	)
	eatsIn := func(hall string) string {
		return fmt.Sprintf(`a.id IN (SELECT t.attendee_id FROM meal_tickets t JOIN venues v ON v.id = t.venue_id
			WHERE t.meal_id = 'd1-breakfast' AND v.code = '%s')`, hall)
	}
	exec := func(q string) func(*testing.T, *testkit.Env, int64) string {
		return func(t *testing.T, env *testkit.Env, id int64) string {
			if _, err := env.DB.ForTest().W.Exec(q, id); err != nil {
				t.Fatal(err)
			}
			return ""
		}
	}

	// consents gives the person a recorded consent and a reference.
	consents := func(t *testing.T, env *testkit.Env, id int64) string {
		if _, err := env.DB.ForTest().W.Exec(`INSERT INTO face_consents (attendee_id, consent, source, actor, at) VALUES (?, 1, 'desk', 'test', '2026-01-01T00:00:00Z')`, id); err != nil {
			t.Fatal(err)
		}
		if _, err := env.DB.ForTest().W.Exec(`INSERT INTO face_refs (attendee_id, model, vector, photo_at, actor, at) VALUES (?, ?, ?, '2026-01-01T00:00:00Z', 'test', '2026-01-01T00:00:00Z')`,
			id, faces.Model, make([]byte, faces.RefLen)); err != nil {
			t.Fatal(err)
		}
		return ""
	}
	far, near := 0.61, 0.12
	mismatch, match, noFace := &rules.FaceCheck{Result: rules.FaceFail, Distance: &far}, &rules.FaceCheck{Result: rules.FacePass, Distance: &near},
		&rules.FaceCheck{Result: rules.FaceNoFace}

	scenarios := []scenario{
		{name: "ok", who: onOpening, final: step{"hall-east", doors}, want: rules.StatusOK, wantCode: "ok"},
		{name: "late", who: onOpening, final: step{"hall-east", plus(opening.StartsAt, 10)}, want: rules.StatusOK, wantCode: "ok"},
		{name: "group room", who: inGroup1, final: step{"room1-door", plus(group.OpensAt, 5)}, want: rules.StatusOK, wantCode: "ok"},
		{name: "already, here", who: onOpening, here: []step{{"hall-east", doors}}, final: step{"hall-east", plus(doors, 2)},
			want: rules.StatusAlready, wantCode: "already"},
		{name: "already, at another door", who: onOpening, before: []step{{"hall-west", doors}}, final: step{"hall-east", plus(doors, 2)},
			want: rules.StatusAlready, wantCode: "already"},
		{name: "reentry", who: onOpening, before: []step{{"hall-east", doors}, {"hall-exit", plus(doors, 10)}},
			final: step{"hall-east", plus(doors, 20)}, want: rules.StatusReentry, wantCode: "reentry"},
		{name: "exit", who: onOpening, before: []step{{"hall-east", doors}}, final: step{"hall-exit", plus(doors, 10)},
			want: rules.StatusExit, wantCode: "exit"},
		{name: "exit without entry", who: onOpening, final: step{"hall-exit", doors}, want: rules.StatusExit, wantCode: "exit_without_entry"},
		{name: "exit again", who: onOpening, before: []step{{"hall-east", doors}}, here: []step{{"hall-exit", plus(doors, 10)}},
			final: step{"hall-exit", plus(doors, 12)}, want: rules.StatusExit, wantCode: "exit_again"},
		{name: "meal ok", who: eatsIn("dining1"), final: step{"dining1", eat}, want: rules.StatusOK, wantCode: "meal_ok"},
		{name: "meal used, here", who: eatsIn("dining1"), here: []step{{"dining1", eat}}, final: step{"dining1", plus(eat, 5)},
			want: rules.StatusMealUsed, wantCode: "meal_used"},
		{name: "meal used, before", who: eatsIn("dining1"), before: []step{{"dining1", eat}}, final: step{"dining1", plus(eat, 5)},
			want: rules.StatusMealUsed, wantCode: "meal_used"},
		{name: "wrong hall", who: eatsIn("dining2"), final: step{"dining1", eat}, want: rules.StatusNotEntitled, wantCode: "wrong_hall"},
		{name: "no meal ticket", who: eatsIn("dining1"), setup: exec(`DELETE FROM meal_tickets WHERE meal_id = 'd1-breakfast' AND attendee_id = ?`),
			final: step{"dining1", eat}, want: rules.StatusNotEntitled, wantCode: "no_meal_ticket"},
		{name: "not entitled", who: notOnOpening, final: step{"hall-east", doors}, want: rules.StatusNotEntitled, wantCode: "not_on_list"},
		{name: "outside window, before", who: onOpening, final: step{"hall-east", plus(opening.OpensAt, -10)},
			want: rules.StatusOutsideWindow, wantCode: "session_closed"},
		{name: "outside window, after", who: onOpening, final: step{"hall-east", plus(opening.ClosesAt, 1)},
			want: rules.StatusOutsideWindow, wantCode: "session_closed"},
		{name: "no meal now", who: eatsIn("dining1"), final: step{"dining1", plus(breakfast.ClosesAt, 10)},
			want: rules.StatusOutsideWindow, wantCode: "no_meal_now"},
		{name: "no session", who: notOnOpening, final: step{"lobby", doors}, want: rules.StatusOutsideWindow, wantCode: "no_session"},
		{name: "sent from the lobby to the hall", who: onOpening, final: step{"lobby", doors}, want: rules.StatusNotEntitled, wantCode: "wrong_venue"},
		{name: "revoked", who: onOpening, setup: func(t *testing.T, env *testkit.Env, id int64) string {
			old := env.Token(t, id)
			if _, err := env.Creds.Reissue(ctx, id, "lost", "test"); err != nil {
				t.Fatal(err)
			}
			return old
		}, final: step{"hall-east", doors}, want: rules.StatusRevoked, wantCode: "revoked"},
		{name: "altered", who: onOpening, setup: func(t *testing.T, env *testkit.Env, id int64) string {
			// A character well inside the signature: still canonical base32.
			tok := env.Token(t, id)
			i := len(tok) - 20
			return tok[:i] + map[bool]string{true: "B", false: "A"}[tok[i] == 'A'] + tok[i+1:]
		}, final: step{"hall-east", doors}, want: rules.StatusInvalid, wantCode: "bad_signature"},
		{name: "cancelled", who: onOpening, setup: exec(`UPDATE attendees SET status = 'cancelled' WHERE id = ?`),
			final: step{"hall-east", doors}, want: rules.StatusCancelled, wantCode: "cancelled"},
		{name: "lodging ok", who: guest, final: step{"hotel-desk", doors}, want: rules.StatusOK, wantCode: "hotel_ok"},
		{name: "lodging already", who: guest, here: []step{{"hotel-desk", doors}}, final: step{"hotel-desk", plus(doors, 30)},
			want: rules.StatusAlready, wantCode: "already_checked_in"},
		{name: "lodging, no room", who: local, final: step{"hotel-desk", doors}, want: rules.StatusNotEntitled, wantCode: "no_lodging"},
		// Issue 11: a person on leave comes all the same; a group member
		// at the other group's room is sent to theirs.
		{name: "leave withdrawn", who: onOpening, setup: exec(`INSERT INTO leaves (session_id, attendee_id, reason, created_by, created_at)
			VALUES ('opening', ?, '因公', 'test', '2026-01-01T00:00:00Z')`),
			final: step{"hall-east", doors}, want: rules.StatusOK, wantCode: "ok", wantFlags: []string{rules.FlagLeaveWithdrawn}},
		{name: "wrong room", who: onlyGroup2, final: step{"room1-door", plus(group.OpensAt, 5)}, want: rules.StatusNotEntitled, wantCode: "wrong_venue"},
		{name: "offline duplicate", who: onOpening, here: []step{{"hall-east", doors}}, final: step{"hall-east", plus(doors, 3)},
			uploaded: true, want: rules.StatusAlready, wantCode: "already", wantFlags: []string{"offline", "offline_duplicate"}},
		// Issue 15.4: the face check, advise at the east door, enforce at
		// the west; a person without a reference is not face-checked.
		{name: "face match, enforce", who: onOpening, setup: consents, final: step{"hall-west", doors}, face: match,
			want: rules.StatusOK, wantCode: "ok", wantFace: rules.FacePass},
		{name: "face mismatch, advise", who: onOpening, setup: consents, final: step{"hall-east", doors}, face: mismatch,
			want: rules.StatusOK, wantCode: "ok", wantFace: rules.FaceFail},
		{name: "face mismatch, enforce", who: onOpening, setup: consents, final: step{"hall-west", doors}, face: mismatch,
			want: rules.StatusNotEntitled, wantCode: rules.CodeFaceMismatch, wantFace: rules.FaceFail},
		{name: "no face, enforce", who: onOpening, setup: consents, final: step{"hall-west", doors}, face: noFace,
			want: rules.StatusNotEntitled, wantCode: rules.CodeFaceNotSeen, wantFace: rules.FaceNoFace},
		{name: "face mismatch, enforce, uploaded", who: onOpening, setup: consents, final: step{"hall-west", doors}, face: mismatch,
			uploaded: true, want: rules.StatusNotEntitled, wantCode: rules.CodeFaceMismatch, wantFace: rules.FaceFail},
		{name: "face mismatch, no consent", who: onOpening, final: step{"hall-west", doors}, face: mismatch,
			want: rules.StatusOK, wantCode: "ok"},
		{name: "offline duplicate meal", who: eatsIn("dining1"), here: []step{{"dining1", eat}}, final: step{"dining1", plus(eat, 3)},
			uploaded: true, want: rules.StatusMealUsed, wantCode: "meal_used", wantFlags: []string{"offline", "offline_duplicate"}},
	}

	n := 0
	online := func(t *testing.T, tok string, s step, uploaded bool, face *rules.FaceCheck) rules.Result {
		t.Helper()
		n++
		r := checkin.Request{Token: tok, Checkpoint: s.cp, ScanID: fmt.Sprintf("agree-%d", n), Device: "kiosk-" + s.cp, Face: face}
		env.SetNow(s.at)
		if uploaded {
			r.Offline, r.ScannedAt = true, s.at
			env.SetNow(plus(s.at, 1))
		}
		res, err := env.Engine.Scan(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	// First everything the server decides while the kiosks are online,
	// for everyone; then each kiosk syncs (a cache per checkpoint: building
	// one is the slow part under -race), a minute before its first scan.
	type person struct {
		id  int64
		tok string
	}
	people := make([]person, len(scenarios))
	var used []int64
	synced := map[string]time.Time{}
	for i, sc := range scenarios {
		id := pick(t, env, sc.who, used)
		used = append(used, id)
		people[i] = person{id, env.Token(t, id)}
		if sc.setup != nil {
			if other := sc.setup(t, env, id); other != "" {
				people[i].tok = other
			}
		}
		for _, s := range sc.before {
			online(t, people[i].tok, s, false, nil)
		}
		first := sc.final.at
		if len(sc.here) > 0 {
			first = sc.here[0].at
		}
		if at, ok := synced[sc.final.cp]; !ok || first.Before(plus(at, 1)) {
			synced[sc.final.cp] = plus(first, -1)
		}
	}
	keys := keysDoc(t, env)
	kiosks := map[string]*rules.Kiosk{}
	for cp, at := range synced {
		kiosks[cp] = syncedKiosk(t, env, cat, cp, at, keys)
	}

	for i, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			tok, kiosk := people[i].tok, kiosks[sc.final.cp]
			var passes []rules.Pass
			var on, off rules.Result
			steps := append(slices.Clone(sc.here), sc.final)
			for i, s := range steps {
				var face *rules.FaceCheck
				if i == len(steps)-1 {
					face = sc.face
				}
				on = online(t, tok, s, sc.uploaded, face)
				var pass *rules.Pass
				off, pass = kiosk.Decide(rules.Scan{Token: tok, Checkpoint: s.cp, ScanID: on.ScanID, ScannedAt: s.at, Face: face},
					checkin.Place(cat.Checkpoints[s.cp]), passes)
				if pass != nil {
					passes = append(passes, *pass)
				}
				agree(t, fmt.Sprintf("scan %d at %s", i+1, s.cp), on, off)
			}
			// The scenario is what it says it is.
			if on.Status != sc.want || on.Code != sc.wantCode || (sc.wantFlags != nil && !slices.Equal(on.Flags, sc.wantFlags)) {
				t.Errorf("server answered %s/%s %v, want %s/%s %v", on.Status, on.Code, on.Flags, sc.want, sc.wantCode, sc.wantFlags)
			}
			if got := faceResult(on); got != sc.wantFace {
				t.Errorf("server's face check %q, want %q", got, sc.wantFace)
			}
			t.Logf("%s/%s %s · %s", off.Status, off.Code, off.Message.Zh, off.Message.En)
		})
	}
}

// agree fails unless the server's answer and the offline kiosk's say the
// same to the person at the door.
func agree(t *testing.T, what string, on, off rules.Result) {
	t.Helper()
	if on.Status != off.Status || on.Code != off.Code || on.Late != off.Late || on.Message != off.Message {
		t.Errorf("%s: server %s/%s late=%v %q; kiosk %s/%s late=%v %q", what, on.Status, on.Code, on.Late, on.Message,
			off.Status, off.Code, off.Late, off.Message)
	}
	if !reflect.DeepEqual(on.Guidance, off.Guidance) {
		t.Errorf("%s: guidance: server %+v, kiosk %+v", what, on.Guidance, off.Guidance)
	}
	if !sameTime(on.FirstAt, off.FirstAt) {
		t.Errorf("%s: first_at: server %v, kiosk %v", what, on.FirstAt, off.FirstAt)
	}
	if (on.Window == nil) != (off.Window == nil) || on.Window != nil &&
		(on.Window.Name != off.Window.Name || !on.Window.Opens.Equal(off.Window.Opens) || !on.Window.Closes.Equal(off.Window.Closes)) {
		t.Errorf("%s: window: server %+v, kiosk %+v", what, on.Window, off.Window)
	}
	if on.Session != off.Session || on.Meal != off.Meal {
		t.Errorf("%s: server for %q%q, kiosk for %q%q", what, on.Session, on.Meal, off.Session, off.Meal)
	}
	// The kiosk's scans are all offline; the server's only when uploaded.
	if dup := slices.Contains(on.Flags, "offline_duplicate"); on.Offline && dup != slices.Contains(off.Flags, "offline_duplicate") {
		t.Errorf("%s: flags: server %v, kiosk %v", what, on.Flags, off.Flags)
	}
	if w := slices.Contains(on.Flags, rules.FlagLeaveWithdrawn); w != slices.Contains(off.Flags, rules.FlagLeaveWithdrawn) {
		t.Errorf("%s: flags: server %v, kiosk %v", what, on.Flags, off.Flags)
	}
	if !reflect.DeepEqual(on.Face, off.Face) {
		t.Errorf("%s: face: server %+v, kiosk %+v", what, on.Face, off.Face)
	}
	if off.Attendee != nil && (on.Attendee == nil || *on.Attendee != *off.Attendee) {
		t.Errorf("%s: attendee: server %+v, kiosk %+v", what, on.Attendee, off.Attendee)
	}
}

func faceResult(r rules.Result) string {
	if r.Face == nil {
		return ""
	}
	return r.Face.Result
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// syncedKiosk is a kiosk at checkpoint cp that synced its keys and cache
// at the given moment, over JSON as it does over the wire.
func syncedKiosk(t *testing.T, env *testkit.Env, cat *store.Catalog, cp string, at time.Time, keys []byte) *rules.Kiosk {
	t.Helper()
	doc, err := kioskcache.Build(context.Background(), env.DB, cat, env.Creds, cp, at)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	k := rules.NewKiosk()
	if err := k.SetKeys(keys); err != nil {
		t.Fatal(err)
	}
	if err := k.SetCache(cache); err != nil {
		t.Fatal(err)
	}
	return k
}

// keysDoc is GET /api/v1/keys: the signing keys and the revoked serials.
func keysDoc(t *testing.T, env *testkit.Env) []byte {
	t.Helper()
	type key struct {
		ID     string `json:"key_id"`
		Public []byte `json:"public_key"`
	}
	var keys []key
	rows, err := env.DB.ForTest().R.Query(`SELECT key_id, public_key FROM signing_keys WHERE retired_at IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.ID, &k.Public); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	revoked := []int64{}
	rows, err = env.DB.ForTest().R.Query(`SELECT serial FROM credentials WHERE revoked_at IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		revoked = append(revoked, s)
	}
	rows.Close()
	b, err := json.Marshal(map[string]any{"event": env.Catalog.Event.ID, "keys": keys, "revoked_serials": revoked})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pick returns an attendee matching cond on attendees a, none of used.
func pick(t *testing.T, env *testkit.Env, cond string, used []int64) int64 {
	t.Helper()
	q := `SELECT a.id FROM attendees a WHERE ` + cond + ` AND a.id NOT IN (SELECT attendee_id FROM leaves)`
	for _, id := range used {
		q += fmt.Sprintf(" AND a.id <> %d", id)
	}
	var id int64
	if err := env.DB.ForTest().R.QueryRow(q + ` ORDER BY a.id LIMIT 1`).Scan(&id); err != nil {
		t.Fatalf("no attendee where %s: %v", cond, err)
	}
	return id
}
