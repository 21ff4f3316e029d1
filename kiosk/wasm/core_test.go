package main

import (
	"crypto/rand"
	"encoding/json"
	"image"
	"image/draw"
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
	forged := good[:len(good)-2] + "AA"
	if forged == good {
		forged = good[:len(good)-2] + "BB"
	}
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
		if v.OK != (tc.status == "") || v.Status != tc.status || v.Code != tc.code {
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
