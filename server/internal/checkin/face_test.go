package checkin_test

import (
	"context"
	"sync"
	"testing"

	"huiwu/kiosk/rules"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/faces"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestFaceCheckRecorded (issue 15.4): a scan's face check is a face_checks
// row written with the scan; under enforce a mismatch is refused and not
// counted; a mismatch or a refusal is announced for the ushers; sending
// the same scan again answers the first answer and stores nothing more; a
// check of a person without a reference is not stored at all.
func TestFaceCheckRecorded(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	ctx := context.Background()
	if _, err := env.DB.ForTest().W.Exec(`UPDATE checkpoints SET face = 'enforce' WHERE id = 'hall-west'`); err != nil {
		t.Fatal(err)
	}
	cat, err := env.DB.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	env.Engine.SetCatalog(cat)
	env.SetNow(cat.Sessions["opening"].OpensAt.Add(5 * 60e9))
	var mu sync.Mutex
	var alerts []int64
	env.DB.OnChange(func(c store.Change) {
		mu.Lock()
		alerts = append(alerts, c.FaceAlerts...)
		mu.Unlock()
	})

	const onOpening = `a.id IN (SELECT attendee_id FROM session_attendees WHERE session_id = 'opening') AND a.status = 'active'`
	var ids []int64
	rows, err := env.DB.ForTest().R.Query(`SELECT a.id FROM attendees a WHERE ` + onOpening + ` ORDER BY a.id LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	withRef, other, third := ids[0], ids[1], ids[2]
	for _, id := range []int64{withRef, third} {
		env.DB.ForTest().W.Exec(`INSERT INTO face_consents (attendee_id, consent, source, actor, at) VALUES (?, 1, 'desk', 't', '2026-01-01T00:00:00Z')`, id)
		if _, err := env.DB.ForTest().W.Exec(`INSERT INTO face_refs (attendee_id, model, vector, photo_at, actor, at) VALUES (?, ?, ?, 'x', 't', 'x')`,
			id, faces.Model, make([]byte, faces.RefLen)); err != nil {
			t.Fatal(err)
		}
	}
	far := 0.7
	mismatch := &rules.FaceCheck{Result: rules.FaceFail, Distance: &far}
	s := &scanner{t: t, env: env}

	req := checkin.Request{Token: env.Token(t, withRef), Checkpoint: "hall-west", ScanID: "face-1", Device: "k1", Actor: "device:k1", Face: mismatch}
	res := s.expect(req, checkin.StatusNotEntitled)
	if res.Code != rules.CodeFaceMismatch || res.Face == nil || !res.Face.Refused {
		t.Fatalf("enforce, mismatch: %+v", res)
	}
	if n := count(t, env, `SELECT count(*) FROM presence WHERE attendee_id = ?`, withRef); n != 0 {
		t.Errorf("a refused face counted as present")
	}
	var result, cp, device string
	var refused bool
	var distance float64
	if err := env.DB.ForTest().R.QueryRow(`SELECT result, checkpoint_id, device_id, refused, distance FROM face_checks WHERE attendee_id = ?`, withRef).
		Scan(&result, &cp, &device, &refused, &distance); err != nil {
		t.Fatalf("no face check stored: %v", err)
	}
	if result != rules.FaceFail || cp != "hall-west" || device != "k1" || !refused || distance != far {
		t.Errorf("stored %s %s %s refused=%v %v", result, cp, device, refused, distance)
	}
	// The same scan again: the first answer, nothing more stored.
	again := s.scan(req)
	if again.Code != res.Code || count(t, env, `SELECT count(*) FROM face_checks`) != 1 {
		t.Errorf("resend: %s, %d face checks", again.Code, count(t, env, `SELECT count(*) FROM face_checks`))
	}
	// Another device may use the same scan id.
	req2 := req
	req2.Device, req2.Token, req2.Face = "k2", env.Token(t, third), &rules.FaceCheck{Result: rules.FacePass}
	s.expect(req2, checkin.StatusOK)
	if n := count(t, env, `SELECT count(*) FROM face_checks`); n != 2 {
		t.Errorf("the second device's check: %d face checks", n)
	}
	// No reference, no consent: the kiosk's check is neither applied nor kept.
	s.expect(checkin.Request{Token: env.Token(t, other), Checkpoint: "hall-west", Device: "k1", Face: mismatch}, checkin.StatusOK)
	if n := count(t, env, `SELECT count(*) FROM face_checks WHERE attendee_id = ?`, other); n != 0 {
		t.Errorf("a check of a person without consent was stored")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(alerts) != 1 {
		t.Errorf("alerts announced: %v, want the one mismatch", alerts)
	}
}
