package main

import (
	"crypto/rand"
	"encoding/json"
	"image"
	"image/draw"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"huiwu/badge/credential"
	"huiwu/kiosk/guidecache"
)

// keysJSON is GET /api/v1/keys for signer, with revoked serials.
func keysJSON(t *testing.T, s *credential.Signer, event string, revoked ...int64) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"event": event, "revoked_serials": revoked,
		"keys": []map[string]any{{"key_id": s.KeyID(), "public_key": []byte(s.Public())}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyOffline(t *testing.T) {
	s, err := credential.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(event string, serial int64) string {
		tok, err := s.Sign(credential.Claims{Event: event, Attendee: 7, Serial: serial})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	c := newCore()
	if v := c.verify(sign("ev", 1)); v.OK || v.Code != "unknown_key" {
		t.Fatalf("before keys: %+v, want unknown_key", v)
	}
	if err := c.setKeys(keysJSON(t, s, "ev", 2)); err != nil {
		t.Fatal(err)
	}
	good := sign("ev", 1)
	// A character well inside the signature, so the text stays canonical
	// base32 (the last one carries padding bits: changing it could make the
	// token malformed rather than forged).
	i := len(good) - 20
	forged := good[:i] + map[bool]string{true: "B", false: "A"}[good[i] == 'A'] + good[i+1:]
	for _, tc := range []struct {
		name, text, status, code string
	}{
		{"live badge", good, "", ""},
		{"revoked serial", sign("ev", 2), "revoked", "revoked"},
		{"another event", sign("old", 1), "invalid", "other_event"},
		{"altered", forged, "invalid", "bad_signature"},
		{"a web address", "https://example.com/", "invalid", "malformed_token"},
	} {
		v := c.verify(tc.text)
		if v.OK != (tc.status == "") || v.Status != tc.status || string(v.Code) != tc.code {
			t.Errorf("%s: %+v, want status %q code %q", tc.name, v, tc.status, tc.code)
		}
	}
	if v := c.verify(good); v.Attendee != 7 || v.Serial != 1 || v.Record != nil {
		t.Fatalf("claims %+v", v)
	}

	// With the guidance cache, the badge opens its own record and no other.
	idx, blob, err := guidecache.Seal(rand.Reader, "ev", good, []byte(`{"seat":"A-1-2"}`))
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(map[string]any{"version": guidecache.Version, "event": "ev", "entries": map[string]string{idx: blob}})
	if err := c.setCache(doc); err != nil {
		t.Fatal(err)
	}
	if v := c.verify(good); string(v.Record) != `{"seat":"A-1-2"}` {
		t.Fatalf("record %s", v.Record)
	}
	if v := c.verify(sign("ev", 3)); v.Record != nil {
		t.Fatalf("another badge opened %s", v.Record)
	}
	if err := c.setCache([]byte(`{"version":"v0"}`)); err == nil {
		t.Fatal("a cache of another version was taken")
	}
}

func TestDecodeGrey(t *testing.T) {
	q, err := qrcode.New("HW1:TESTTOKEN", qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	img := q.Image(300)
	g := image.NewGray(image.Rect(0, 0, 640, 480))
	draw.Draw(g, g.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(g, img.Bounds().Add(image.Pt(170, 90)), img, image.Point{}, draw.Src)
	c := newCore()
	if text, err := c.decodeGrey(g.Pix, 640, 480); err != nil || text != "HW1:TESTTOKEN" {
		t.Fatalf("decode = %q, %v", text, err)
	}
	if _, err := c.decodeGrey(g.Pix, 640, 481); err == nil {
		t.Fatal("a frame larger than its pixels was read")
	}
}

// TestDecodeGreyChoosesBadge (issue 18): with another code in view beside
// the badge, the kiosk acts on the badge whichever code the scanner reads
// first: a poster's web address loses to a Huiwu token, and a token the
// keyring does not admit (another key's) to one it does.
func TestDecodeGreyChoosesBadge(t *testing.T) {
	ours, err := credential.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := credential.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	good, err := ours.Sign(credential.Claims{Event: "ev", Attendee: 7, Serial: 1})
	if err != nil {
		t.Fatal(err)
	}
	other, err := theirs.Sign(credential.Claims{Event: "ev", Attendee: 8, Serial: 2})
	if err != nil {
		t.Fatal(err)
	}
	const poster = "https://expo.example.cn/floor-plan?hall=2&from=poster-17"
	// frame draws a and b side by side in a 640×480 frame.
	frame := func(a, b string) []byte {
		g := image.NewGray(image.Rect(0, 0, 640, 480))
		draw.Draw(g, g.Rect, image.White, image.Point{}, draw.Src)
		for i, text := range []string{a, b} {
			q, err := qrcode.New(text, qrcode.Medium)
			if err != nil {
				t.Fatal(err)
			}
			img := q.Image(300)
			draw.Draw(g, img.Bounds().Add(image.Pt(15+i*310, 90)), img, image.Point{}, draw.Src)
		}
		return g.Pix
	}
	c := newCore()
	decode := func(a, b string) string {
		t.Helper()
		text, err := c.decodeGrey(frame(a, b), 640, 480)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		return text
	}
	for _, pair := range [][2]string{{poster, good}, {good, poster}} {
		if got := decode(pair[0], pair[1]); got != good {
			t.Errorf("before keys, %.12q beside %.12q: chose %.20q, want the token", pair[0], pair[1], got)
		}
	}
	if err := c.setKeys(keysJSON(t, ours, "ev")); err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{other, good}, {good, other}, {poster, good}} {
		if got := decode(pair[0], pair[1]); got != good {
			t.Errorf("%.12q beside %.12q: chose %.20q, want the admitted badge", pair[0], pair[1], got)
		}
	}
	if got := decode(poster, other); got != other {
		t.Errorf("a poster beside another key's badge: chose %.20q, want the badge (its holder is told why)", got)
	}
}

// TestDecideOffline: the JSON the worker passes in and out of decide and
// passOf — a scan as queued, the passes kept in IndexedDB — and the pass
// decide hands back makes the next scan of the same badge already.
func TestDecideOffline(t *testing.T) {
	s, err := credential.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Sign(credential.Claims{Event: "ev", Attendee: 7, Serial: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := newCore()
	if err := c.setKeys(keysJSON(t, s, "ev")); err != nil {
		t.Fatal(err)
	}
	rec := `{"attendee":{"id":7,"display_name":"张三"},"sessions":{"s1":{"seat":"A-1-2"}},"known":{}}`
	idx, blob, err := guidecache.Seal(rand.Reader, "ev", tok, []byte(rec))
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(map[string]any{"version": guidecache.Version, "event": "ev", "checkpoint": "east", "kind": "entrance",
		"venue": "hall", "door": "东门", "timezone": "Asia/Shanghai", "generated_at": "2026-11-26T08:00:00+08:00",
		"windows": []map[string]any{{"id": "s1", "name": "开幕", "opens_at": "2026-11-26T08:00:00+08:00",
			"starts_at": "2026-11-26T09:00:00+08:00", "closes_at": "2026-11-26T12:00:00+08:00", "venue": "大会堂"}},
		"entries": map[string]string{idx: blob}})
	if err := c.setCache(doc); err != nil {
		t.Fatal(err)
	}
	here := []byte(`{"id":"east","kind":"entrance","venue":"hall","door":"东门"}`)
	scan := func(id, at string, passes []byte) Decision {
		t.Helper()
		d, err := c.decide([]byte(`{"token":"`+tok+`","checkpoint":"east","scan_id":"`+id+`","scanned_at":"`+at+`"}`), here, passes)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	first := scan("a", "2026-11-26T00:30:00.000Z", []byte(`[]`))
	if r := first.Result; r.Status != "ok" || r.Guidance == nil || r.Guidance.Seat != "A-1-2" || r.ScanID != "a" || !r.Offline || first.Pass == nil {
		t.Fatalf("first scan: %+v, pass %+v", r, first.Pass)
	}
	kept, _ := json.Marshal([]any{first.Pass})
	again := scan("b", "2026-11-26T00:32:00.000Z", kept)
	if r := again.Result; r.Status != "already" || r.Message.Zh != "已签到（08:30）" {
		t.Fatalf("second scan: %+v", r)
	}
	// Passes kept at another event (a kiosk used again) do not count.
	old := *first.Pass
	old.Event = "last-year"
	stale, _ := json.Marshal([]any{old})
	if r := scan("d", "2026-11-26T00:33:00.000Z", stale).Result; r.Status != "ok" {
		t.Fatalf("a pass from another event counted: %+v", r)
	}
	// Moved by the desk to a dining hall, before its cache followed: the
	// badge is genuine, and that is all the kiosk knows.
	here = []byte(`{"id":"dining1","kind":"meal","venue":"dining1"}`)
	if r := scan("c", "2026-11-26T00:40:00.000Z", kept).Result; r.Status != "ok" || r.Code != "meal_ok" || r.Guidance != nil {
		t.Fatalf("scan at a checkpoint the cache is not for: %+v", r)
	}
	// The server's answer while online is kept the same way.
	p, err := c.passOf([]byte(`{"status":"ok","code":"ok","session_id":"s1","first_at":"2026-11-26T08:30:00+08:00",
		"scanned_at":"2026-11-26T08:30:00+08:00","attendee":{"id":7}}`))
	if err != nil || p == nil || p.Attendee != 7 || p.Window != "s1" || !p.Inside {
		t.Fatalf("passOf: %+v, %v", p, err)
	}
	if p, _ := c.passOf([]byte(`{"status":"invalid","code":"bad_signature"}`)); p != nil {
		t.Fatalf("a refusal kept a pass: %+v", p)
	}
}

// TestFaceOffline (issue 15.4): at a checkpoint that enforces the face
// check, verify answers the holder's reference for the page to compare
// with, and a queued scan carrying a face that does not match is refused
// offline as the server would, in the JSON the worker passes.
func TestFaceOffline(t *testing.T) {
	s, err := credential.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := s.Sign(credential.Claims{Event: "ev", Attendee: 7, Serial: 1})
	c := newCore()
	if err := c.setKeys(keysJSON(t, s, "ev")); err != nil {
		t.Fatal(err)
	}
	rec := `{"attendee":{"id":7,"display_name":"张三"},"sessions":{"s1":{"seat":"A-1-2"}},"known":{},"face":"AQID","face_model":"human-3.3.6/faceres"}`
	idx, blob, err := guidecache.Seal(rand.Reader, "ev", tok, []byte(rec))
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(map[string]any{"version": guidecache.Version, "event": "ev", "checkpoint": "east", "kind": "entrance",
		"venue": "hall", "face": "enforce", "timezone": "Asia/Shanghai", "generated_at": "2026-11-26T08:00:00+08:00",
		"windows": []map[string]any{{"id": "s1", "name": "开幕", "opens_at": "2026-11-26T08:00:00+08:00",
			"starts_at": "2026-11-26T09:00:00+08:00", "closes_at": "2026-11-26T12:00:00+08:00"}},
		"entries": map[string]string{idx: blob}})
	if err := c.setCache(doc); err != nil {
		t.Fatal(err)
	}
	v, _ := json.Marshal(c.verify(tok))
	if !strings.Contains(string(v), `"face":"AQID"`) || !strings.Contains(string(v), `"face_model":"human-3.3.6/faceres"`) {
		t.Fatalf("verify: %s", v)
	}
	here := []byte(`{"id":"east","kind":"entrance","venue":"hall"}`)
	for face, want := range map[string]string{`{"result":"fail","distance":0.6}`: "face_mismatch", `{"result":"pass","distance":0.1}`: "ok"} {
		d, err := c.decide([]byte(`{"token":"`+tok+`","checkpoint":"east","scan_id":"f","scanned_at":"2026-11-26T00:30:00.000Z","face":`+face+`}`), here, nil)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(d)
		if string(d.Result.Code) != want || !strings.Contains(string(out), `"face":{"result"`) {
			t.Errorf("face %s: %s", face, out)
		}
	}
}
