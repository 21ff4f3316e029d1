package rules

import (
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"huiwu/badge/credential"
	"huiwu/kiosk/guidecache"
)

// TestCacheExpiresWhenEventEnds (issue 10.15): the sealed facts a kiosk
// holds serve until the event ends and not after: a scan after expires_at
// is decided as by a kiosk that never synced (the holder unknown, no seat),
// and Verify stops opening records.
func TestCacheExpiresWhenEventEnds(t *testing.T) {
	signer, err := credential.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	token, err := signer.Sign(credential.Claims{Event: "ev", Attendee: 7, Serial: 1})
	if err != nil {
		t.Fatal(err)
	}
	holder := door(Entrance, at(8, 30)).Holder
	plain, _ := json.Marshal(holder)
	idx, blob, err := guidecache.Seal(rand.Reader, "ev", token, plain)
	if err != nil {
		t.Fatal(err)
	}
	ends := at(12, 0)
	f := door(Entrance, at(8, 30))
	cache, _ := json.Marshal(Cache{Version: guidecache.Version, Event: "ev", Checkpoint: "east", Kind: string(Entrance),
		Venue: "hall", Door: "东门", Timezone: "Asia/Shanghai", Generated: at(8, 0), Expires: ends,
		Windows: f.Openings, Entries: map[string]string{idx: blob}})
	keys, _ := json.Marshal(map[string]any{"event": "ev",
		"keys": []map[string]any{{"key_id": signer.KeyID(), "public_key": []byte(signer.Public())}}})

	k := NewKiosk()
	if err := k.SetKeys(keys); err != nil {
		t.Fatal(err)
	}
	if err := k.SetCache(cache); err != nil {
		t.Fatal(err)
	}
	here := Checkpoint{ID: "east", Kind: Entrance, Venue: "hall", Door: "东门"}
	res, _ := k.Decide(Scan{Token: token, Checkpoint: "east", ScanID: "a", ScannedAt: at(8, 30)}, here, nil)
	if res.Status != StatusOK || res.Guidance == nil || res.Guidance.Seat != "A-1-2" {
		t.Fatalf("before the end: %+v, want ok with seat A-1-2", res)
	}
	res, _ = k.Decide(Scan{Token: token, Checkpoint: "east", ScanID: "b", ScannedAt: ends.Add(time.Minute)}, here, nil)
	if res.Attendee != nil || (res.Guidance != nil && res.Guidance.Seat != "") {
		t.Fatalf("after the end the cache still answers: %+v", res)
	}
	if !k.Expired(ends) || k.Expired(ends.Add(-time.Second)) {
		t.Fatal("Expired: wrong at the boundary")
	}
	k.now = func() time.Time { return ends.Add(time.Hour) }
	if v := k.Verify(token); !v.OK || v.Record != nil {
		t.Fatalf("Verify after the end: %+v, want ok without the record", v)
	}
}
