package main

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"image"
	"sync"
	"time"

	"huiwu/badge/credential"
	"huiwu/kiosk/guidecache"
	"huiwu/kiosk/scanner"
)

// maxFramePixels bounds what a frame may claim, so a bad message from the
// page cannot make the core allocate without limit. 1920×1080 fits.
const maxFramePixels = 1920 * 1080

// core is the state the worker's calls share: the grey frame buffer, reused
// between frames to spare the garbage collector, and the keys and
// revocations last synced from the server.
type core struct {
	frame *image.Gray

	mu      sync.Mutex
	ring    *credential.Keyring
	event   string
	revoked map[int64]bool
	// guides is the sealed guidance cache (guidecache index → blob) and
	// the event it was sealed for.
	guides     map[string]string
	guideEvent string
}

func newCore() *core {
	return &core{ring: &credential.Keyring{}, revoked: map[int64]bool{}}
}

// decodeGrey reads the QR code in a w×h grey plane.
func (c *core) decodeGrey(pix []byte, w, h int) (string, error) {
	if w <= 0 || h <= 0 || w*h > maxFramePixels || len(pix) < w*h {
		return "", fmt.Errorf("bad frame %dx%d with %d bytes", w, h, len(pix))
	}
	if c.frame == nil || c.frame.Rect.Dx() != w || c.frame.Rect.Dy() != h {
		c.frame = image.NewGray(image.Rect(0, 0, w, h))
	}
	copy(c.frame.Pix, pix[:w*h])
	return scanner.Decode(c.frame)
}

// keysDoc is GET /api/v1/keys.
type keysDoc struct {
	Event string `json:"event"`
	Keys  []struct {
		ID     string `json:"key_id"`
		Public []byte `json:"public_key"`
	} `json:"keys"`
	Revoked []int64 `json:"revoked_serials"`
}

// setKeys replaces the keyring and revocation list with a fresh sync. A
// whole new keyring, not additions, so a retired key stops counting.
func (c *core) setKeys(doc []byte) error {
	var d keysDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	ring := &credential.Keyring{}
	for _, k := range d.Keys {
		if err := ring.Add(ed25519.PublicKey(k.Public)); err != nil {
			return fmt.Errorf("key %s: %w", k.ID, err)
		}
	}
	rev := make(map[int64]bool, len(d.Revoked))
	for _, s := range d.Revoked {
		rev[s] = true
	}
	c.mu.Lock()
	c.ring, c.event, c.revoked = ring, d.Event, rev
	c.mu.Unlock()
	return nil
}

// setCache replaces the sealed guidance cache (GET /api/v1/kiosk/cache).
func (c *core) setCache(doc []byte) error {
	var d struct {
		Version string            `json:"version"`
		Event   string            `json:"event"`
		Entries map[string]string `json:"entries"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	if d.Version != guidecache.Version {
		return fmt.Errorf("cache: version %q, this kiosk reads %q", d.Version, guidecache.Version)
	}
	c.mu.Lock()
	c.guides, c.guideEvent = d.Entries, d.Event
	c.mu.Unlock()
	return nil
}

// Verdict is what the kiosk decides offline about a scanned text. Code uses
// the server's scan codes (bad_signature, other_event, revoked…), so the
// page shows the same words online and offline.
type Verdict struct {
	OK       bool   `json:"ok"`
	Status   string `json:"status"` // "" when ok, else invalid or revoked
	Code     string `json:"code,omitempty"`
	Event    string `json:"event,omitempty"`
	Attendee int64  `json:"attendee,omitempty"`
	Serial   int64  `json:"serial,omitempty"`
	KeyID    string `json:"key_id,omitempty"`
	// Record is the badge's guidance record, opened with the token, when
	// the cache holds one.
	Record json.RawMessage `json:"record,omitempty"`
}

// verify checks a token's signature, event and revocation.
func (c *core) verify(text string) Verdict {
	c.mu.Lock()
	ring, event, revoked, guides, guideEvent := c.ring, c.event, c.revoked, c.guides, c.guideEvent
	c.mu.Unlock()
	claims, keyID, err := ring.Verify(text)
	if err != nil {
		return Verdict{Status: "invalid", Code: credential.ScanCode(err), KeyID: keyID}
	}
	v := Verdict{Event: claims.Event, Attendee: claims.Attendee, Serial: claims.Serial, KeyID: keyID}
	switch {
	case event != "" && claims.Event != event:
		v.Status, v.Code = "invalid", "other_event"
	case revoked[claims.Serial]:
		v.Status, v.Code = "revoked", "revoked"
	default:
		v.OK = true
		if rec, err := guidecache.Open(guides, guideEvent, text); err == nil && json.Valid(rec) {
			v.Record = rec
		}
	}
	return v
}

// since is milliseconds since t, for the worker's timing figures.
func since(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }
