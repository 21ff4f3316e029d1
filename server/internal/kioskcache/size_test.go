package kioskcache_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"huiwu/kiosk/guidecache"
	"huiwu/kiosk/rules"
	"huiwu/server/internal/faces"
	"huiwu/server/internal/kioskcache"
	"huiwu/server/internal/testkit"
)

// localStorageChars is what a browser's localStorage holds per origin:
// 5 Mi characters (Chromium's 10 MiB counted in UTF-16, Firefox's 5 Mi
// characters). The kiosk keeps its keys and its cache there.
const localStorageChars = 5 << 20

// TestCacheSizeWithFaces (issue 15.4) measures the sealed cache a kiosk at
// a face-checking door downloads when everyone consented and has a
// reference, extrapolated to a meeting of 3,000, against what the kiosk
// stores it in; and that the references travel only to that door. A reference is 1,024 bytes; base64 in the record, sealed, and
// base64 again, it costs about 1.8 KB a person.
func TestCacheSizeWithFaces(t *testing.T) {
	// The demo's people; the figure for 3,000 is extrapolated per person
	// (a record's size does not depend on how many there are), which
	// spares CI building a meeting of 3,000 under -race.
	env := testkit.New(t, start)
	ctx := context.Background()
	ids := []int64{}
	r, err := env.DB.ForTest().R.Query(`SELECT id FROM attendees`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var id int64
		r.Scan(&id)
		ids = append(ids, id)
	}
	r.Close()
	tx, err := env.DB.ForTest().W.Begin()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, id := range ids {
		ref := make([]byte, faces.RefLen)
		for i := range ref {
			ref[i] = byte(rng.IntN(256))
		}
		tx.Exec(`INSERT OR REPLACE INTO face_consents (attendee_id, consent, source, actor, at) VALUES (?, 1, 'desk', 't', 'x')`, id)
		if _, err := tx.Exec(`INSERT OR REPLACE INTO face_refs (attendee_id, model, vector, photo_at, actor, at) VALUES (?, ?, ?, 'x', 't', 'x')`,
			id, faces.Model, ref); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if _, err := env.Creds.Current(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	cat, _ := env.DB.Catalog(ctx)
	size := func(cp string) (int, int) {
		doc, err := kioskcache.Build(ctx, env.DB, cat, env.Creds, cp, start)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(doc)
		withRef := 0
		for _, id := range ids[:1] {
			rec, err := guidecache.Open(doc.Entries, doc.Event, env.Token(t, id))
			var h rules.Holder
			if err != nil || json.Unmarshal(rec, &h) != nil {
				t.Fatalf("record of %d: %v", id, err)
			}
			if h.Face != "" {
				withRef++
			}
		}
		if len(doc.Entries) != len(ids) {
			t.Fatalf("%s: %d records for %d people", cp, len(doc.Entries), len(ids))
		}
		return len(b), withRef
	}
	face, withRef := size("hall-east")  // advise: the references travel
	plain, without := size("hall-west") // no face check: they do not
	if withRef != 1 || without != 0 {
		t.Fatalf("references in the records: %d at the face door, %d at the other", withRef, without)
	}
	per := float64(face) / float64(len(ids))
	t.Logf("kiosk cache for %d people: %d bytes with references (%.0f a person; %.0f for 3,000), %d without; localStorage holds %d characters",
		len(ids), face, per, per*3000, plain, localStorageChars)
	if per*3000 > localStorageChars {
		t.Logf("the cache with references does not fit localStorage: the kiosk keeps it in IndexedDB")
	}
}
