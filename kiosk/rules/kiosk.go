package rules

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"huiwu/badge/credential"
	"huiwu/kiosk/guidecache"
)

// Cache is GET /api/v1/kiosk/cache: for one checkpoint, the facts the rules
// need that are no secret (the checkpoint, its sessions or meals and their
// windows — they are on the printed agenda), and per live badge its
// Holder, sealed with kiosk/guidecache under a key derived from the badge's
// token and filed under a hash of it.
type Cache struct {
	Version    string `json:"version"` // guidecache.Version: the records' shape
	Event      string `json:"event"`
	Checkpoint string `json:"checkpoint"`
	Kind       string `json:"kind"`
	Venue      string `json:"venue"`
	Door       string `json:"door,omitempty"`
	// Face is the checkpoint's face check (off unless the event enables
	// face verification); PhotoCheck whether it shows the holder's photo.
	Face       string    `json:"face,omitempty"`
	PhotoCheck bool      `json:"photo_check,omitempty"`
	Timezone   string    `json:"timezone"`
	Generated  time.Time `json:"generated_at"`
	// Expires is when the event ends (its last window closes): after it
	// the kiosk neither decides with the cache nor keeps it, so a kiosk
	// forgotten in a cupboard holds nobody's facts.
	Expires time.Time `json:"expires_at"`
	Windows []Opening `json:"windows"`
	// Elsewhere are, at an entrance, the sessions it does not serve (the
	// records say who is expected at which): a person due at one of them
	// is sent there.
	Elsewhere []Opening `json:"elsewhere,omitempty"`
	// Entries maps guidecache.Index(token) to the sealed Holder.
	Entries map[string]string `json:"entries"`
	// Handout are the items a scan here hands out (资料发放), in the
	// clear: an offline kiosk cannot tell who is due or has them, so it
	// names them for the staff to check on the printed sign sheet.
	Handout []HandoutItem `json:"handout,omitempty"`
}

// Place is the cache's checkpoint as the rules take it.
func (c *Cache) Place() Checkpoint {
	return Checkpoint{ID: c.Checkpoint, Kind: Kind(c.Kind), Venue: c.Venue, Door: c.Door, Face: c.Face}
}

// Location is the event's zone as the kiosk reads times in it: the
// offset it had when the cache was made. A browser's WebAssembly has no
// zone database; the cache is made afresh every few minutes while the
// server answers, and Chinese events keep one offset all year.
func (c *Cache) Location() *time.Location {
	name, offset := c.Generated.Zone()
	if c.Timezone != "" {
		name = c.Timezone
	}
	return time.FixedZone(name, offset)
}

// Kiosk decides scans as a kiosk without the server does: signatures and
// revocations checked with the keys last synced, each badge's facts opened
// from the cache with the badge itself, and the kiosk's own passes added.
// The kiosk's WebAssembly core runs one; so do tests, natively.
type Kiosk struct {
	mu      sync.Mutex
	ring    *credential.Keyring
	event   string
	revoked map[int64]bool
	cache   *Cache
	now     func() time.Time // the kiosk's clock, for Verify
}

// NewKiosk makes a kiosk that knows no keys yet.
func NewKiosk() *Kiosk {
	return &Kiosk{ring: &credential.Keyring{}, revoked: map[int64]bool{}, now: time.Now}
}

// live is the cache if it still serves at t: not past the event's end.
func (c *Cache) live(t time.Time) *Cache {
	if c == nil || !c.Expires.IsZero() && !t.Before(c.Expires) {
		return nil
	}
	return c
}

// Expired reports whether the cache held has expired at t (the kiosk then
// deletes its stored copy); false when it holds none.
func (k *Kiosk) Expired(t time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.cache != nil && k.cache.live(t) == nil
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

// SetKeys replaces the keyring and revocation list with a fresh sync
// (GET /api/v1/keys). A whole new keyring, not additions, so a retired key
// stops counting.
func (k *Kiosk) SetKeys(doc []byte) error {
	var d keysDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	ring := &credential.Keyring{}
	for _, key := range d.Keys {
		if err := ring.Add(ed25519.PublicKey(key.Public)); err != nil {
			return fmt.Errorf("key %s: %w", key.ID, err)
		}
	}
	rev := make(map[int64]bool, len(d.Revoked))
	for _, s := range d.Revoked {
		rev[s] = true
	}
	k.mu.Lock()
	k.ring, k.event, k.revoked = ring, d.Event, rev
	k.mu.Unlock()
	return nil
}

// SetCache replaces the cache (GET /api/v1/kiosk/cache); an empty doc
// drops it.
func (k *Kiosk) SetCache(doc []byte) error {
	if len(doc) == 0 {
		k.mu.Lock()
		k.cache = nil
		k.mu.Unlock()
		return nil
	}
	var c Cache
	if err := json.Unmarshal(doc, &c); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	if c.Version != guidecache.Version {
		return fmt.Errorf("cache: version %q, this kiosk reads %q", c.Version, guidecache.Version)
	}
	k.mu.Lock()
	k.cache = &c
	k.mu.Unlock()
	return nil
}

// Verdict is what a kiosk tells offline from a scanned text alone. Code
// uses the server's scan codes (bad_signature, other_event, revoked…).
type Verdict struct {
	OK       bool   `json:"ok"`
	Status   string `json:"status"` // "" when ok, else invalid or revoked
	Code     Code   `json:"code,omitempty"`
	Event    string `json:"event,omitempty"`
	Attendee int64  `json:"attendee,omitempty"`
	Serial   int64  `json:"serial,omitempty"`
	KeyID    string `json:"key_id,omitempty"`
	// Record is the badge's sealed facts (a Holder), opened with the
	// token, when the cache holds them.
	Record json.RawMessage `json:"record,omitempty"`
	// Face and FaceModel are the holder's reference embedding and its
	// model, from the record, when the cached checkpoint checks faces and
	// the person has one: the page compares the camera's face with it.
	Face      string `json:"face,omitempty"`
	FaceModel string `json:"face_model,omitempty"`
}

// Verify checks a token's signature, event and revocation, and opens its
// record in the cache if the event has not ended.
func (k *Kiosk) Verify(text string) Verdict {
	return k.verify(text, k.now())
}

func (k *Kiosk) verify(text string, at time.Time) Verdict {
	k.mu.Lock()
	ring, event, revoked, cache := k.ring, k.event, k.revoked, k.cache.live(at)
	k.mu.Unlock()
	claims, keyID, err := ring.Verify(text)
	if err != nil {
		return Verdict{Status: "invalid", Code: Code(credential.ScanCode(err)), KeyID: keyID}
	}
	v := Verdict{Event: claims.Event, Attendee: claims.Attendee, Serial: claims.Serial, KeyID: keyID}
	switch {
	case event != "" && claims.Event != event:
		v.Status, v.Code = "invalid", CodeOtherEvent
	case revoked[claims.Serial]:
		v.Status, v.Code = "revoked", CodeRevoked
	default:
		v.OK = true
		if cache != nil {
			if rec, err := guidecache.Open(cache.Entries, cache.Event, text); err == nil && json.Valid(rec) {
				v.Record = rec
				if checksFaces(cache.Face) {
					var ref struct {
						Face      string `json:"face"`
						FaceModel string `json:"face_model"`
					}
					if json.Unmarshal(rec, &ref) == nil && ref.Face != "" {
						v.Face, v.FaceModel = ref.Face, ref.FaceModel
					}
				}
			}
		}
	}
	return v
}

// Scan is a kiosk's scan as it queues it for POST /checkins/batch.
type Scan struct {
	Token      string    `json:"token"`
	Checkpoint string    `json:"checkpoint"`
	ScanID     string    `json:"scan_id"`
	ScannedAt  time.Time `json:"scanned_at"`
	// Face is the kiosk's face check of the person, if it made one.
	Face *FaceCheck `json:"face,omitempty"`
}

// Decide answers a scan offline at checkpoint here (where the desk last
// put the kiosk): the rules over the badge's cached facts and the kiosk's
// own passes of its holder, and the Pass the kiosk should keep of it (nil
// when the answer tells nothing).
func (k *Kiosk) Decide(s Scan, here Checkpoint, own []Pass) (Result, *Pass) {
	v := k.verify(s.Token, s.ScannedAt)
	k.mu.Lock()
	c, event := k.cache.live(s.ScannedAt), k.event
	k.mu.Unlock()
	f := Facts{At: s.ScannedAt, Offline: true, Location: time.UTC, Face: s.Face}
	var asOf time.Time
	switch {
	case c != nil && (here.ID == "" || c.Checkpoint == here.ID):
		f.Checkpoint, f.Openings, f.Elsewhere, f.Location, asOf = c.Place(), c.Windows, c.Elsewhere, c.Location(), c.Generated
	case c != nil:
		f.Checkpoint, f.Location, f.Unsynced = here, c.Location(), true
	default:
		f.Checkpoint, f.Unsynced = here, true
	}
	switch {
	case v.Status == "invalid":
		f.Badge.Invalid = v.Code
	case v.Status == "revoked":
		f.Badge.Revoked = true
		f.Holder.Unknown = true
	case f.Unsynced || v.Record == nil || json.Unmarshal(v.Record, &f.Holder) != nil:
		f.Holder = Holder{Unknown: true}
	}
	if v.Attendee != 0 {
		mine := make([]Pass, 0, len(own))
		for _, p := range own {
			if p.Attendee == v.Attendee && p.Event == event {
				mine = append(mine, p)
			}
		}
		f.Holder.Known.Merge(mine, asOf)
	}
	res, _ := Decide(&f)
	res.ScanID, res.Checkpoint, res.Offline = s.ScanID, f.Checkpoint.ID, true
	res.ScannedAt = s.ScannedAt.In(f.Location)
	res.Flags = append([]string{"offline"}, res.Flags...)
	p, ok := PassOf(&res)
	if !ok || v.Attendee == 0 {
		return res, nil
	}
	p.Attendee, p.Event = v.Attendee, event
	return res, &p
}

// PassOf is the pass the kiosk keeps of the server's answer r, if any.
func (k *Kiosk) PassOf(r *Result) *Pass {
	p, ok := PassOf(r)
	if !ok || p.Attendee == 0 {
		return nil
	}
	k.mu.Lock()
	p.Event = k.event
	k.mu.Unlock()
	return &p
}
