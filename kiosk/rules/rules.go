// Package rules decides scans: given the facts of one scan — the
// checkpoint, the sessions or meals it serves, what the badge's holder is
// entitled to, what is known of their earlier passes, the time — it answers
// the status, code, late flag, window, guidance and the sentence the kiosk
// shows, and says what the scan changes.
//
// The rules are written once, here, and run in three places: the server's
// check-in engine (server/internal/checkin) gathers the facts with SQL
// inside its transaction; the kiosk cache builder (server/internal/kioskcache)
// stores each badge's facts, sealed; and the kiosk's WebAssembly core
// (kiosk/wasm, through Kiosk) decides offline from those facts and the
// kiosk's own record of recent passes. So a kiosk that has lost the server
// answers as the server would have, word for word, as far as it knows.
//
// Pure computation: no database, no OS calls, so it builds for js/wasm.
package rules

import "time"

// Kind says what a checkpoint does with a scan.
type Kind string

// The checkpoint kinds (domain.CheckpointKind's values).
const (
	Entrance Kind = "entrance"
	Exit     Kind = "exit"
	Meal     Kind = "meal"
	Lodging  Kind = "lodging"
)

// Checkpoint is the place a scan is made, as far as the rules care.
type Checkpoint struct {
	ID    string `json:"id"`
	Kind  Kind   `json:"kind"`
	Venue string `json:"venue"` // venue code: hall, dining hall or hotel
	Door  string `json:"door,omitempty"`
	// Face is the checkpoint's face check (FaceAdvise, FaceEnforce; empty
	// or FaceOff: none), off unless the event enables face verification.
	Face string `json:"face,omitempty"`
}

// Opening is a session (at an entrance or exit) or a meal (at a dining
// hall) that a checkpoint serves, with its window. A checkpoint pinned to
// one session or meal serves only that one.
type Opening struct {
	ID     string    `json:"id"`
	Name   string    `json:"name"`
	Opens  time.Time `json:"opens_at"`
	Starts time.Time `json:"starts_at"` // a meal starts when it opens
	Closes time.Time `json:"closes_at"`
	// Where a session is held, for guidance; Group marks a group
	// discussion, whose venue is the group's room.
	Venue   string `json:"venue,omitempty"`
	VenueEn string `json:"venue_en,omitempty"`
	Hall    string `json:"hall,omitempty"` // the venue's code
	Group   bool   `json:"group,omitempty"`
}

// holds reports whether the window is open at t: a session's door until
// its close, inclusive; a meal until its close, exclusive.
func (o *Opening) holds(kind Kind, t time.Time) bool {
	if t.Before(o.Opens) {
		return false
	}
	if kind == Meal {
		return t.Before(o.Closes)
	}
	return !t.After(o.Closes)
}

// OpenAt returns the openings whose window holds t, in order. The engine
// looks up entitlements for these only.
func OpenAt(kind Kind, openings []Opening, t time.Time) []Opening {
	var out []Opening
	for i := range openings {
		if openings[i].holds(kind, t) {
			out = append(out, openings[i])
		}
	}
	return out
}

// Facts are everything one decision depends on.
type Facts struct {
	Checkpoint Checkpoint
	// Openings are the sessions or meals the checkpoint serves, in
	// schedule order; none at a hotel desk.
	Openings []Opening
	// Elsewhere are, at an entrance, the sessions it does not serve (in
	// schedule order): a person expected at one of them that is open is
	// sent there rather than told they are not on the list.
	Elsewhere []Opening
	// Location is the event's time zone: answers and their sentences
	// read in it.
	Location *time.Location
	At       time.Time // the scan's logical time
	Offline  bool      // made by a kiosk without the server
	Badge    Badge
	Holder   Holder
	// Face is what the kiosk's face check found, if it made one.
	Face *FaceCheck
	// Unsynced marks an offline kiosk that holds no facts for its
	// checkpoint (never synced, or the desk moved it since): it knows the
	// badge is genuine and nothing more, and lets the holder through.
	Unsynced bool
}

// Badge is what the scanned text itself settles.
type Badge struct {
	// Invalid is why the text is no usable badge of this event, as a scan
	// code (bad_signature, other_event, unknown_serial, unknown_attendee…);
	// "" for a genuine one.
	Invalid Code
	Revoked bool // replaced or cancelled badge
}

// Holder is what is known of the person a badge names: who they are, what
// they are entitled to at this checkpoint and what they have done there.
// The kiosk cache stores one per badge, sealed; the engine reads it for
// each scan.
type Holder struct {
	Attendee  Person `json:"attendee"`
	Cancelled bool   `json:"cancelled,omitempty"`
	// Sessions are the sessions the person is expected at, with the seat
	// (zero when unseated).
	Sessions map[string]Seat `json:"sessions,omitempty"`
	// Leaves are those of Sessions the person is on leave (请假) from: an
	// entry withdraws the leave, and the answer says so.
	Leaves []string `json:"leaves,omitempty"`
	// Elsewhere are the sessions of Facts.Elsewhere the person is
	// expected at.
	Elsewhere []string `json:"elsewhere,omitempty"`
	// Meals are meal tickets by meal id.
	Meals   map[string]Ticket `json:"meals,omitempty"`
	Lodging *Room             `json:"lodging,omitempty"`
	Diet    string            `json:"diet,omitempty"` // shown at dining halls
	Known   Known             `json:"known"`
	// Face is the holder's reference embedding (the wire format of
	// kiosk/web/common/face.js: base64 of 1024 signed bytes) and FaceModel
	// the model that made it. The kiosk cache carries them only where the
	// checkpoint checks faces and the person consented; the engine sets
	// FaceModel alone, to say the person has a reference.
	Face      string `json:"face,omitempty"`
	FaceModel string `json:"face_model,omitempty"`
	// Unknown marks a genuine badge that an offline kiosk holds no record
	// for (issued after its last sync): it is given the benefit of the
	// doubt — any window open here admits it — without guidance.
	Unknown bool `json:"-"`
}

// Seat is a seat in a session's hall.
type Seat struct {
	Label   string `json:"seat,omitempty"`
	Section string `json:"section,omitempty"`
	Row     int    `json:"row,omitempty"`
	Number  int    `json:"number,omitempty"`
	Door    string `json:"door,omitempty"` // the door nearest the seat
}

// Ticket is a meal ticket: the dining hall and table.
type Ticket struct {
	Hall   string `json:"hall"` // venue code
	Name   string `json:"name"`
	NameEn string `json:"name_en,omitempty"`
	Table  int    `json:"table,omitempty"`
}

// Room is a person's hotel room. Room is empty away from that hotel's desk.
type Room struct {
	Hotel  string `json:"hotel"` // venue code
	Name   string `json:"name"`
	NameEn string `json:"name_en,omitempty"`
	Room   string `json:"room,omitempty"`
}

// Known is what is known of a person's earlier passes.
type Known struct {
	Sessions map[string]Presence  `json:"sessions,omitempty"`
	Meals    map[string]time.Time `json:"meals,omitempty"` // meal id → redeemed at
	Hotel    time.Time            `json:"hotel,omitzero"`  // checked in at
}

// Presence is a person at one session: when they first came in (zero:
// never) and whether they are inside now.
type Presence struct {
	FirstIn time.Time `json:"first_in"`
	Inside  bool      `json:"inside"`
}

// Change is what a decision changes in what is known of the person; the
// engine stores it, a kiosk remembers it as a Pass.
type Change int

// The changes.
const (
	NoChange Change = iota
	// Enter is a first entry to the session.
	Enter
	// Inside is an entry after an exit, or an offline scan of someone
	// already inside (whose first entry may move earlier).
	Inside
	// Leave is an exit by someone inside.
	Leave
	// Redeem uses the meal.
	Redeem
	// CheckIn checks the person in at the hotel.
	CheckIn
)

// Settled reports whether the badge alone decides the scan (invalid,
// revoked or cancelled), so entitlements need no looking up.
func (f *Facts) Settled() bool {
	return f.Badge.Invalid != "" || f.Badge.Revoked || f.Holder.Cancelled
}
