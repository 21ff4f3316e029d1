// Package eventdef is the event definition as one value: the meeting, its
// categories, venues, sessions, meals and checkpoints, in the JSON shape of
// API.md ("The event definition"). PUT /api/v1/event, the desk's set-up
// pages, the 会议筹备表 workbook and the demo generator all produce a
// Definition; Validate checks it with a path per error, Diff says what a
// change would do, and the store applies it. The package is SQL-free.
package eventdef

import (
	"slices"

	"huiwu/server/internal/domain"
)

// Definition is a whole event's set-up, without people or scans.
type Definition struct {
	Event       Event        `json:"event"`
	Categories  []Category   `json:"categories"`
	Venues      []Venue      `json:"venues"`
	Sessions    []Session    `json:"sessions"`
	Meals       []Meal       `json:"meals"`
	Checkpoints []Checkpoint `json:"checkpoints"`
}

// Event is the meeting itself. ID is carried in every badge credential, so
// it cannot change once the event exists.
type Event struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	NameEn   string `json:"name_en,omitempty"`
	Timezone string `json:"timezone"`
	StartsOn string `json:"starts_on"` // YYYY-MM-DD
	// FaceVerification lets checkpoints check faces (刷脸, issue 15): off
	// until the event turns it on, and then only for people who consented.
	FaceVerification bool `json:"face_verification"`
	// FaceRetentionDays is how long photos, face references and consents
	// outlive the meeting (PIPL: no longer than the purpose needs): the
	// server deletes them at 00:00 on the meeting's last day plus this many
	// days, 1 being the day after it. 0 (left out) is
	// DefaultFaceRetentionDays; at most MaxFaceRetentionDays.
	FaceRetentionDays int `json:"face_retention_days"`
	// BadgeLayout is the badge size the desk prints on unless one print
	// asks for another: a layout of the embedded templates (BadgeLayouts),
	// DefaultBadgeLayout when empty. A -photo layout prints the photo, and
	// the readiness board then counts who has none.
	BadgeLayout string `json:"badge_layout"`
}

// Category is a kind of attendee (代表, 列席 …) with its badge colour.
type Category struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en,omitempty"`
	Color  string `json:"color,omitempty"` // #RRGGBB
	Voting bool   `json:"voting"`
}

// Venue kinds.
const (
	KindHall   = "hall"
	KindRoom   = "room"
	KindDining = "dining"
	KindHotel  = "hotel"
)

// Venue is a hall, meeting room, dining hall or hotel. A hall's seats are
// the seats its Presidium rows and Sections make (see Layout), with Seats
// adding seats or overriding the generated ones by label.
type Venue struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	NameEn   string   `json:"name_en,omitempty"`
	Kind     string   `json:"kind"`
	Capacity int      `json:"capacity,omitempty"`
	Doors    []string `json:"doors,omitempty"`
	// Presidium gives the seats in each presidium (主席台) row, front row
	// first.
	Presidium []int `json:"presidium,omitempty"`
	// Sections are the floor's blocks of rows × seats, left to right as
	// the audience sees them.
	Sections []Section `json:"sections,omitempty"`
	Seats    []Seat    `json:"seats,omitempty"`
	Tables   []Table   `json:"tables,omitempty"`
	Rooms    []Room    `json:"rooms,omitempty"`
}

// Seat numbering schemes for a section.
const (
	// NumberCentre is the usual Chinese scheme: across the row from its
	// centre, odd numbers to the audience's right and even to the left;
	// every centre-numbered section of the row shares one series.
	NumberCentre = "centre"
	// NumberLeftRight numbers each row of the section 1… left to right as
	// the audience sees it.
	NumberLeftRight = "ltr"
)

// Section is a block of floor seats: Rows rows of Seats seats.
type Section struct {
	Code      string `json:"code"`                // A, B, 中区 …: the first part of a seat label
	Rows      int    `json:"rows"`                // rows 1…Rows, row 1 nearest the stage
	Seats     int    `json:"seats"`               // seats per row
	Numbering string `json:"numbering"`           // centre or ltr
	Door      string `json:"door,omitempty"`      // the door nearest the section, for guidance
	FirstRow  int    `json:"first_row,omitempty"` // default 1
}

// Seat is one seat, as GET /venues/{code} gives it: the one seat type,
// named here so the definition reads as a whole. A kind left out is
// normal (domain.SeatKinds lists the others).
type Seat = domain.Seat

// Table is a numbered dining table: the domain's, named here too.
type Table = domain.DiningTable

// Room is a hotel room: the domain's, named here too.
type Room = domain.HotelRoom

// Session kinds.
const (
	SessionPlenary = "plenary"
	SessionGroup   = "group"
	SessionBanquet = "banquet"
)

// Session is one sitting with its check-in window. Times are RFC 3339 with
// an offset, kept as text so that validation can say which one lacks it.
type Session struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	NameEn    string     `json:"name_en,omitempty"`
	Kind      string     `json:"kind"`
	Venue     string     `json:"venue"`
	Group     string     `json:"group,omitempty"`
	OpensAt   string     `json:"opens_at"`
	StartsAt  string     `json:"starts_at"`
	EndsAt    string     `json:"ends_at"`
	ClosesAt  string     `json:"closes_at"`
	Expected  *Rule      `json:"expected,omitempty"`
	Quorum    *Quorum    `json:"quorum,omitempty"`
	Presidium *Presidium `json:"presidium,omitempty"`
	// AbsentFrom says when those expected who have not come turn from
	// 未到 (not yet) to 缺席 (absent): at the start (AbsentFromStart, the
	// default) or only once check-in closes (AbsentFromClose).
	AbsentFrom string `json:"absent_from,omitempty"`
}

// When a session's 未到 become 缺席 (Session.AbsentFrom).
const (
	AbsentFromStart = "start"
	AbsentFromClose = "close"
)

// Rule picks attendees: one matches when every list given holds the
// attendee's category, delegation or group. A nil or empty rule matches
// everybody.
type Rule struct {
	Categories  []string `json:"categories,omitempty"`
	Delegations []string `json:"delegations,omitempty"`
	Groups      []string `json:"groups,omitempty"`
}

// Empty reports whether the rule names nothing (and so matches everyone).
func (r *Rule) Empty() bool {
	return r == nil || len(r.Categories)+len(r.Delegations)+len(r.Groups) == 0
}

// Quorum is a session's 法定人数 rule.
type Quorum struct {
	Base       string   `json:"base"`  // members or expected
	Ratio      string   `json:"ratio"` // "1/2", "2/3"
	Strict     bool     `json:"strict"`
	Categories []string `json:"categories,omitempty"` // that count; default the voting ones
}

// Presidium is a session's presidium ordering rule.
type Presidium struct {
	Rule   string `json:"rule"`   // odd, even-a, even-b
	Honour string `json:"honour"` // left (以左为尊) or right (以右为尊)
}

// Meal slots.
const (
	Breakfast = "breakfast"
	Lunch     = "lunch"
	Dinner    = "dinner"
)

// Meal is one meal and the halls that serve it, tried in order.
type Meal struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Date     string     `json:"date"`
	Slot     string     `json:"slot"`
	OpensAt  string     `json:"opens_at"`
	ClosesAt string     `json:"closes_at"`
	Halls    []MealHall `json:"halls"`
}

// MealHall is a dining hall and whom it serves for a meal (no lists:
// everybody not served by an earlier hall).
type MealHall struct {
	Venue string `json:"venue"`
	Rule
}

// Checkpoint kinds.
const (
	CheckpointEntrance = "entrance"
	CheckpointExit     = "exit"
	CheckpointMeal     = "meal"
	CheckpointLodging  = "lodging"
)

// Checkpoint is a place where kiosks scan.
type Checkpoint struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	NameEn  string `json:"name_en,omitempty"`
	Kind    string `json:"kind"`
	Venue   string `json:"venue"`
	Door    string `json:"door,omitempty"`
	Session string `json:"session,omitempty"`
	Meal    string `json:"meal,omitempty"`
	// PhotoCheck shows the holder's photo on the kiosk's answer and the
	// usher's tablet, for a person at the door to compare (off by default:
	// a kiosk facing a queue shows it to the queue).
	PhotoCheck bool `json:"photo_check"`
	// Face is the kiosk's 1:1 face check here: FaceOff, FaceAdvise (a
	// mismatch calls the usher) or FaceEnforce (a mismatch is refused).
	Face string `json:"face"`
}

// A checkpoint's face check (Checkpoint.Face).
const (
	FaceOff     = "off"
	FaceAdvise  = "advise"
	FaceEnforce = "enforce"
)

// Matches reports whether an attendee of this category, delegation and
// discussion group is one the rule picks.
func (r Rule) Matches(category, delegation, group string) bool {
	return (len(r.Categories) == 0 || slices.Contains(r.Categories, category)) &&
		(len(r.Delegations) == 0 || slices.Contains(r.Delegations, delegation)) &&
		(len(r.Groups) == 0 || slices.Contains(r.Groups, group))
}
