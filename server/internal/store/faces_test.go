package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/faces"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// faceRef is a reference as face.js sends it, for a direction drawn from
// seed.
func faceRef(seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	v := make([]float64, faces.RefLen)
	var n float64
	for i := range v {
		v[i] = r.NormFloat64()
		n += v[i] * v[i]
	}
	out := make([]byte, faces.RefLen)
	for i := range v {
		out[i] = byte(int8(math.Round(127 * v[i] / math.Sqrt(n))))
	}
	return out
}

// withPhoto stores a photo for attendee and answers its time.
func withPhoto(t *testing.T, db *store.DB, attendee int64, mark string) time.Time {
	t.Helper()
	ctx := context.Background()
	if err := db.PutPhotos(ctx, []store.PhotoPut{{Attendee: attendee, JPEG: []byte("\xff\xd8" + mark + "\xff\xd9"), Width: 600, Height: 800}}, "desk", "test"); err != nil {
		t.Fatal(err)
	}
	p, err := db.Photo(ctx, attendee)
	if err != nil {
		t.Fatal(err)
	}
	return p.At
}

func pendingIDs(t *testing.T, db *store.DB) []int64 {
	t.Helper()
	ps, err := db.FacesPending(context.Background(), faces.Model)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids
}

// TestFaceReferenceLife (issue 15.6): a reference is stored only for a
// person who consented, from the photo the desk computed it from; it
// goes the moment the consent is withdrawn or the photo replaced or
// deleted, and on the person's request with the photo.
func TestFaceReferenceLife(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, importNow)
	ctx := context.Background()
	db := env.DB
	a, b := env.AttendeeID(t, env.Event.Attendees[0].Key), env.AttendeeID(t, env.Event.Attendees[1].Key)
	ref := faceRef(1)

	st, err := db.FaceState(ctx, a, faces.Model)
	if err != nil || st.Photo || st.Consent != nil || st.Ref {
		t.Fatalf("before anything: %+v %v", st, err)
	}
	photoAt := withPhoto(t, db, a, "a1")
	withPhoto(t, db, b, "b1")
	if got := pendingIDs(t, db); len(got) != 0 {
		t.Fatalf("pending without consent: %v", got)
	}
	if err := db.PutFaceRef(ctx, a, faces.Model, ref, photoAt, "desk"); !errors.Is(err, store.ErrFaceNoConsent) {
		t.Fatalf("a reference without consent: %v", err)
	}
	c, err := db.SetFaceConsent(ctx, a, true, "张工")
	if err != nil || !c.Consent || c.Actor != "张工" || c.Source != "desk" || c.At.IsZero() {
		t.Fatalf("consent %+v %v", c, err)
	}
	if _, err := db.SetFaceConsent(ctx, b, false, "张工"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetFaceConsent(ctx, 999999, true, "张工"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("consent of nobody: %v", err)
	}
	if got := pendingIDs(t, db); !slices.Equal(got, []int64{a}) {
		t.Fatalf("pending %v, want only %d (consented, with a photo)", got, a)
	}
	if err := db.PutFaceRef(ctx, a, faces.Model, ref, photoAt.Add(-time.Second), "desk"); !errors.Is(err, store.ErrFacePhotoChanged) {
		t.Fatalf("a reference from an older photo: %v", err)
	}
	if err := db.PutFaceRef(ctx, b, faces.Model, ref, photoAt, "desk"); !errors.Is(err, store.ErrFaceNoConsent) {
		t.Fatalf("a reference of someone who refused: %v", err)
	}
	if err := db.PutFaceRef(ctx, a, faces.Model, ref, photoAt, "desk"); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.FaceState(ctx, a, faces.Model); !st.Photo || st.Consent == nil || !st.Consent.Consent || !st.Ref {
		t.Fatalf("after the reference: %+v", st)
	}
	if st, _ := db.FaceState(ctx, a, "another-model"); st.Ref {
		t.Error("a reference of one model counts for another")
	}
	if got := pendingIDs(t, db); len(got) != 0 {
		t.Fatalf("still pending: %v", got)
	}
	refs, err := db.FaceRefs(ctx, faces.Model)
	if err != nil || len(refs) != 1 || !bytes.Equal(refs[a], ref) {
		t.Fatalf("refs %d %v", len(refs), err)
	}
	if refs, _ := db.FaceRefs(ctx, "another-model"); len(refs) != 0 {
		t.Error("refs of another model")
	}

	hasRef := func() bool {
		st, err := db.FaceState(ctx, a, faces.Model)
		if err != nil {
			t.Fatal(err)
		}
		return st.Ref
	}
	// Withdrawn: the reference goes with it.
	if _, err := db.SetFaceConsent(ctx, a, false, "张工"); err != nil || hasRef() {
		t.Fatalf("consent withdrawn, reference kept (%v)", err)
	}
	db.SetFaceConsent(ctx, a, true, "张工")
	if err := db.PutFaceRef(ctx, a, faces.Model, ref, photoAt, "desk"); err != nil {
		t.Fatal(err)
	}
	// A new photo: the reference of the old one goes.
	newAt := withPhoto(t, db, a, "a2")
	if hasRef() {
		t.Fatal("photo replaced, reference kept")
	}
	if err := db.PutFaceRef(ctx, a, faces.Model, ref, photoAt, "desk"); !errors.Is(err, store.ErrFacePhotoChanged) {
		t.Fatalf("a reference from the replaced photo: %v", err)
	}
	if err := db.PutFaceRef(ctx, a, faces.Model, ref, newAt, "desk"); err != nil || !hasRef() {
		t.Fatal(err)
	}
	if err := db.DeleteFaceRef(ctx, a, "张工"); err != nil || hasRef() {
		t.Fatalf("delete the reference: %v", err)
	}
	if err := db.DeleteFaceRef(ctx, a, "张工"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if st, _ := db.FaceState(ctx, a, faces.Model); !st.Photo {
		t.Error("deleting the reference took the photo")
	}
	// On request: photo and reference.
	if err := db.PutFaceRef(ctx, a, faces.Model, ref, newAt, "desk"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteBiometrics(ctx, a, "张工"); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.FaceState(ctx, a, faces.Model); st.Photo || st.Ref || st.Consent == nil {
		t.Fatalf("after deletion on request: %+v (the consent record stays)", st)
	}
	if err := db.DeleteBiometrics(ctx, 999999, "张工"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("biometrics of nobody: %v", err)
	}
	var audited []string
	rows, _ := db.ForTest().R.Query(`SELECT action || ' ' || subject || ' ' || detail FROM audit WHERE action LIKE 'face.%' ORDER BY id`)
	for rows.Next() {
		var s string
		rows.Scan(&s)
		audited = append(audited, s)
	}
	rows.Close()
	joined := strings.Join(audited, "\n")
	for _, want := range []string{fmt.Sprintf("face.consent %d yes", a), fmt.Sprintf("face.consent %d no", b),
		fmt.Sprintf("face.ref.delete %d", a), fmt.Sprintf("face.biometrics.delete %d deleted on request", a)} {
		if !strings.Contains(joined, want) {
			t.Errorf("audit lacks %q:\n%s", want, joined)
		}
	}
}

// TestFaceCountsAndPurge: the counts the status and the archive give,
// and the purge after the meeting: no photo, reference or consent is
// left; the kiosks' checks stay, with their results and distances only.
func TestFaceCountsAndPurge(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, importNow)
	ctx := context.Background()
	db := env.DB
	ids := make([]int64, 4)
	for i := range ids {
		ids[i] = env.AttendeeID(t, env.Event.Attendees[i].Key)
	}
	at := withPhoto(t, db, ids[0], "0")
	withPhoto(t, db, ids[1], "1")
	withPhoto(t, db, ids[2], "2")
	db.SetFaceConsent(ctx, ids[0], true, "desk")
	db.SetFaceConsent(ctx, ids[1], true, "desk")
	db.SetFaceConsent(ctx, ids[3], false, "desk")
	if err := db.PutFaceRef(ctx, ids[0], faces.Model, faceRef(1), at, "desk"); err != nil {
		t.Fatal(err)
	}
	for i, r := range []string{"pass", "pass", "fail", "noface"} {
		if _, err := db.ForTest().W.Exec(`INSERT INTO face_checks (scan_id, attendee_id, checkpoint_id, result, distance, at) VALUES (?, ?, 'door', ?, 0.2, ?)`,
			fmt.Sprint("s", i), ids[0], r, store.FormatTime(time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	c, err := db.FaceCounts(ctx, faces.Model)
	if err != nil {
		t.Fatal(err)
	}
	want := store.FaceCounts{Consented: 2, Refused: 1, Photos: 3, Refs: 1, Pending: 1,
		Checks: map[string]int{"pass": 2, "fail": 1, "noface": 1}}
	want.Unasked = c.Consented + c.Refused + c.Unasked - 3
	if fmt.Sprint(c) != fmt.Sprint(want) || c.Unasked < 100 {
		t.Fatalf("counts %+v, want %+v", c, want)
	}
	if _, err := db.PurgeFaces(ctx, "admin"); err != nil {
		t.Fatal(err)
	}
	c, _ = db.FaceCounts(ctx, faces.Model)
	if c.Consented+c.Refused+c.Photos+c.Refs+c.Pending != 0 || c.Checks["pass"] != 2 || c.Checks["fail"] != 1 {
		t.Fatalf("after the purge %+v", c)
	}
	var n int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM face_checks WHERE distance IS NOT NULL`).Scan(&n)
	if n != 4 {
		t.Errorf("%d checks left with their distance, want 4", n)
	}
	db.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'face.purge' AND detail LIKE '%photos 3%'`).Scan(&n)
	if n != 1 {
		t.Error("the purge was not audited with what it deleted")
	}
}

// TestImportConsent (issue 15.6): the list's 人脸核验同意 column records
// consent as 'import' by the importing user; an empty cell leaves what
// was recorded; a list never overrides what a person said at the desk;
// importing the same list again changes nothing.
func TestImportConsent(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, importNow)
	ctx := context.Background()
	db := env.DB
	yes, no := true, false
	rows := make([]store.ImportRow, 4)
	for i := range rows {
		rows[i] = store.ImportRow{Line: i + 2, Attendee: env.Event.Attendees[i]}
	}
	rows[0].Attendee.FaceConsent = &yes
	rows[1].Attendee.FaceConsent = &no
	rows[2].Attendee.FaceConsent = &yes // said no at the desk
	ids := make([]int64, 4)
	for i := range ids {
		ids[i] = env.AttendeeID(t, rows[i].Attendee.Key)
	}
	db.SetFaceConsent(ctx, ids[2], false, "报到处")
	db.SetFaceConsent(ctx, ids[3], true, "报到处") // the list's cell is empty
	sum, err := db.ImportAttendees(ctx, rows, nil, true, "名单导入员")
	if err != nil || !slices.Equal(sum.ConsentKept, []int{4}) {
		t.Fatalf("dry run: %+v %v, want row 4's consent kept", sum, err)
	}
	if st, _ := db.FaceState(ctx, ids[0], faces.Model); st.Consent != nil {
		t.Fatal("a dry run recorded a consent")
	}
	sum, err = db.ImportAttendees(ctx, rows, nil, false, "名单导入员")
	if err != nil || !slices.Equal(sum.ConsentKept, []int{4}) {
		t.Fatalf("import: %+v %v", sum, err)
	}
	want := []struct {
		consent       bool
		source, actor string
	}{{true, "import", "名单导入员"}, {false, "import", "名单导入员"}, {false, "desk", "报到处"}, {true, "desk", "报到处"}}
	ats := make([]time.Time, 4)
	for i, w := range want {
		st, err := db.FaceState(ctx, ids[i], faces.Model)
		if err != nil || st.Consent == nil || st.Consent.Consent != w.consent || st.Consent.Source != w.source || st.Consent.Actor != w.actor {
			t.Errorf("row %d: %+v %v, want %+v", i+2, st.Consent, err, w)
			continue
		}
		ats[i] = st.Consent.At
	}
	if _, err := db.ImportAttendees(ctx, rows, nil, false, "另一人"); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if st, _ := db.FaceState(ctx, ids[i], faces.Model); st.Consent == nil || !st.Consent.At.Equal(ats[i]) || st.Consent.Actor == "另一人" {
			t.Errorf("row %d changed on the same list again: %+v", i+2, st.Consent)
		}
	}
	// A later list changes what an earlier list said.
	rows[0].Attendee.FaceConsent = &no
	if _, err := db.ImportAttendees(ctx, rows[:1], nil, false, "另一人"); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.FaceState(ctx, ids[0], faces.Model); st.Consent == nil || st.Consent.Consent || st.Consent.Actor != "另一人" {
		t.Errorf("a later list's 否: %+v", st.Consent)
	}
}

// TestImportConsentUndone: an import that fails midway takes back the
// consents it recorded, new people's and known people's alike.
func TestImportConsentUndone(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, importNow)
	defer store.SetImportChunkRows(env.DB, 40)()
	ctx := context.Background()
	// Known people first, so that theirs are stored before it fails.
	rows := lateList(env.Event, 60)
	slices.SortStableFunc(rows, func(a, b store.ImportRow) int {
		return strings.Compare(a.Attendee.Key[:min(5, len(a.Attendee.Key))], b.Attendee.Key[:min(5, len(b.Attendee.Key))])
	})
	yes := true
	for i := range rows {
		rows[i].Line = i + 2
		rows[i].Attendee.FaceConsent = &yes
	}
	if strings.HasPrefix(rows[0].Attendee.Key, "late-") || rows[0].Attendee.Key != env.Event.Attendees[0].Key {
		t.Fatalf("the list starts with %s", rows[0].Attendee.Key)
	}
	known := env.AttendeeID(t, env.Event.Attendees[0].Key)
	if _, err := env.DB.SetFaceConsent(ctx, known, false, "import-before"); err != nil {
		t.Fatal(err)
	}
	// Made an import's record, so that a list may change it.
	if _, err := env.DB.ForTest().W.Exec(`UPDATE face_consents SET source = 'import' WHERE attendee_id = ?`, known); err != nil {
		t.Fatal(err)
	}
	consents := func() string {
		var s string
		env.DB.ForTest().R.QueryRow(`SELECT coalesce(string_agg(attendee_id || ':' || consent || source || actor || at, ',' ORDER BY attendee_id), '') FROM face_consents`).Scan(&s)
		return s
	}
	before := consents()
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	err := midway(t, cctx, env.DB, rows, func(int) {
		var n int
		env.DB.ForTest().R.QueryRow(`SELECT count(*) FROM face_consents`).Scan(&n)
		if n < 2 {
			t.Errorf("midway, %d consents stored", n)
		}
		cancel()
	})
	if err == nil {
		t.Skip("the import finished before it could be stopped")
	}
	if after := consents(); after != before {
		t.Errorf("after a failed import the consents are\n%s\nwere\n%s", after, before)
	}
}

// TestFaceTablesOnlyHere: consents and references are read and written
// only by faces.go (and made by schema_faces.go), so that no answer,
// export, feed or kiosk cache carries them by a join someone adds later.
func TestFaceTablesOnlyHere(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "faces.go" || f == "schema_faces.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"face_consents", "face_refs"} {
			if strings.Contains(string(b), table) {
				t.Errorf("%s uses %s", f, table)
			}
		}
	}
}

// BenchmarkFaceSearch3000 is the desk's 1:N search as the server runs it:
// read 3,000 references, rank them.
func BenchmarkFaceSearch3000(b *testing.B) {
	ctx := context.Background()
	db := testkit.New(b, importNow).DB
	if _, err := db.ForTest().W.Exec(`UPDATE attendees SET status = 'cancelled'`); err != nil {
		b.Fatal(err)
	}
	rows := make([]store.ImportRow, 3000)
	yes := true
	for i := range rows {
		rows[i] = store.ImportRow{Line: i + 2, Attendee: domain.Attendee{Key: fmt.Sprint("k", i), Name: fmt.Sprint("代表", i),
			Category: domain.CategoryDeputy, FaceConsent: &yes}}
	}
	if _, err := db.ImportAttendees(ctx, rows, nil, false, "bench"); err != nil {
		b.Fatal(err)
	}
	people, _ := db.PhotoPeople(ctx) // the 3,000, active
	puts := make([]store.PhotoPut, len(people))
	for i, p := range people {
		puts[i] = store.PhotoPut{Attendee: p.ID, JPEG: []byte{0xff, 0xd8, 0xff, 0xd9}, Width: 600, Height: 800}
	}
	if err := db.PutPhotos(ctx, puts, "bench", "bench"); err != nil {
		b.Fatal(err)
	}
	for i, p := range people {
		ph, _ := db.Photo(ctx, p.ID)
		if err := db.PutFaceRef(ctx, p.ID, faces.Model, faceRef(uint64(i)), ph.At, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	q := faceRef(1234)
	b.ResetTimer()
	for b.Loop() {
		refs, err := db.FaceRefs(ctx, faces.Model)
		if err != nil || len(refs) != 3000 {
			b.Fatal(len(refs), err)
		}
		if m := faces.Nearest(refs, q, 5); m[0].ID != people[1234].ID {
			b.Fatal(m)
		}
	}
}
