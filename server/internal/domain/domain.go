// Package domain holds the plain types of a Huiwu event: who comes, where
// they sit, what they may eat and where they sleep. It has no dependencies
// and no behaviour beyond checks of its own values, so that the store, the
// importer, the demo generator, the seating engine and the check-in engine
// can share it without importing one another. Each thing has one type here
// (a seat, a venue, a seat kind); other packages embed it where their view
// adds something, such as a seat's row id or its holder.
package domain

import "time"

// Category codes used by the demo and by imports that name a category in
// Chinese. The set is configurable per event; these are the usual ones.
const (
	CategoryDeputy   = "deputy"   // 代表
	CategoryObserver = "observer" // 列席
	CategoryGuest    = "guest"    // 嘉宾
	CategoryStaff    = "staff"    // 工作人员
	CategoryPress    = "press"    // 记者
)

// Event is the meeting itself. A data directory holds exactly one event.
type Event struct {
	ID       string // short, stable, carried in every credential
	Name     string
	NameEn   string
	Timezone string // IANA name, e.g. Asia/Shanghai
	StartsOn string // YYYY-MM-DD, the first day
	// FaceVerification lets checkpoints check faces (刷脸), for people
	// who consented.
	FaceVerification bool
	// FaceRetentionDays: photos, face references and consents are deleted
	// this many days after the meeting's last day (eventdef's
	// Event.FaceRetentionDays; store.Catalog.FacesDeletedAt).
	FaceRetentionDays int
	// BadgeLayout is the badge size the desk prints on (eventdef's
	// Event.BadgeLayout): cr80 unless the definition names another.
	BadgeLayout string
}

// Category is a kind of attendee with the word and colour printed on badges.
type Category struct {
	Code   string
	Name   string // 代表
	NameEn string // Deputy
	Color  string // #RRGGBB, the badge band
	// Voting categories count towards 应到/实到 and the quorum unless a
	// session names its own set. 列席 and staff never do.
	Voting bool
	Sort   int
}

// Delegation is a 代表团 (or any group that sits and is counted together).
type Delegation struct {
	Name string
	Sort int
}

// Group is a discussion group (分组讨论) meeting in a room of its own.
type Group struct {
	Name  string
	Venue string // venue code
}

// VenueKind says what a venue is for.
type VenueKind string

// The venue kinds.
const (
	VenueHall   VenueKind = "hall"   // seated hall with a seat map
	VenueRoom   VenueKind = "room"   // meeting room, free seating
	VenueDining VenueKind = "dining" // restaurant with numbered tables
	VenueHotel  VenueKind = "hotel"
)

// Valid reports whether k is one of the venue kinds, for a check of a
// venue the desk sends before the store's CHECK refuses it.
func (k VenueKind) Valid() bool {
	switch k {
	case VenueHall, VenueRoom, VenueDining, VenueHotel:
		return true
	}
	return false
}

// Venue is a place: hall, room, dining hall or hotel, with what it holds.
type Venue struct {
	Code     string
	Name     string
	NameEn   string
	Kind     VenueKind
	Capacity int
	Doors    []string // door names shown in guidance, e.g. 东门
	Seats    []Seat   // halls only
	Tables   []DiningTable
	Rooms    []HotelRoom
}

// SeatKind marks seats that the arrangement treats differently. The store's
// seats table holds the same words (and its CHECK allows only these).
type SeatKind string

// The seat kinds.
const (
	SeatNormal     SeatKind = "normal"
	SeatPresidium  SeatKind = "presidium"
	SeatReserved   SeatKind = "reserved"
	SeatBlocked    SeatKind = "blocked"
	SeatWheelchair SeatKind = "wheelchair"
)

// SeatKinds lists the valid seat kinds in the order refusals name them.
// It is a fresh slice each time, so no caller can change another's list.
func SeatKinds() []SeatKind {
	return []SeatKind{SeatNormal, SeatPresidium, SeatReserved, SeatBlocked, SeatWheelchair}
}

// Valid reports whether k is one of SeatKinds.
func (k SeatKind) Valid() bool {
	switch k {
	case SeatNormal, SeatPresidium, SeatReserved, SeatBlocked, SeatWheelchair:
		return true
	}
	return false
}

// Seat is one seat in a hall: the one seat type. Label is stable and
// unique in the venue, e.g. "A-5-12" (section-row-number); presidium seats
// use section "presidium" and are numbered left to right as the audience
// sees them. X and Y are metres, X to the audience's right and Y away from
// the stage. Packages that need more (the arrangement's row id, a chart's
// name, the usher's holder and state) embed it; the JSON is the one the
// event definition, the venue export and the live seat map all use.
type Seat struct {
	Label   string   `json:"seat"`
	Section string   `json:"section"`
	Row     int      `json:"row"`
	Number  int      `json:"number"`
	Kind    SeatKind `json:"kind,omitempty"` // "" in a definition means normal
	Door    string   `json:"door,omitempty"` // the nearest door, for guidance
	X       float64  `json:"x"`
	Y       float64  `json:"y"`
}

// DiningTable is a numbered table in a dining hall.
type DiningTable struct {
	Number int `json:"number"`
	Seats  int `json:"seats"`
}

// HotelRoom is a room in a hotel venue.
type HotelRoom struct {
	Number string `json:"number"`
	Beds   int    `json:"beds"`
}

// SessionKind says what a session is.
type SessionKind string

// The session kinds.
const (
	SessionPlenary SessionKind = "plenary"
	SessionGroup   SessionKind = "group"
	SessionBanquet SessionKind = "banquet"
)

// Quorum is a session's rule for 法定人数.
type Quorum struct {
	// Base "members" counts every voting member of the event; "expected"
	// counts this session's 应到.
	Base string
	// Num/Den is the ratio; Strict means "more than" (过半数), otherwise
	// "at least" (三分之二以上).
	Num, Den int
	Strict   bool
	// Categories that count; empty means the voting categories.
	Categories []string
}

// Session is one sitting (场次) in one venue with a check-in window.
type Session struct {
	ID       string
	Name     string
	NameEn   string
	Kind     SessionKind
	Venue    string // venue code
	Group    string // for group sessions held per discussion group, else ""
	OpensAt  time.Time
	StartsAt time.Time
	EndsAt   time.Time
	ClosesAt time.Time
	Quorum   Quorum
	// Presidium rule, e.g. "odd", "even-a", "even-b", with Honour "left"
	// (以左为尊) or "right" (以右为尊). Used by seating.
	PresidiumRule string
	Honour        string
	Sort          int
	// AbsentFrom is when those expected who have not come count as 缺席
	// rather than 未到: AbsentFromStart (the default) or AbsentFromClose.
	AbsentFrom string
}

// When a session's 未到 become 缺席 (Session.AbsentFrom).
const (
	AbsentFromStart = "start"
	AbsentFromClose = "close"
)

// AbsentAt is the moment from which those expected who have not come
// count as 缺席: the start, or the close for a session whose rule says so.
func (s *Session) AbsentAt() time.Time {
	if s.AbsentFrom == AbsentFromClose {
		return s.ClosesAt
	}
	return s.StartsAt
}

// MealSlot is 早/午/晚.
type MealSlot string

// The meal slots.
const (
	Breakfast MealSlot = "breakfast"
	Lunch     MealSlot = "lunch"
	Dinner    MealSlot = "dinner"
)

// Meal is one meal served in one or more dining halls.
type Meal struct {
	ID       string // e.g. "d1-lunch"
	Date     string // YYYY-MM-DD
	Slot     MealSlot
	Name     string // 第一天午餐
	OpensAt  time.Time
	ClosesAt time.Time
}

// CheckpointKind says what a checkpoint does with a scan.
type CheckpointKind string

// The checkpoint kinds.
const (
	CheckpointEntrance CheckpointKind = "entrance"
	CheckpointExit     CheckpointKind = "exit"
	CheckpointMeal     CheckpointKind = "meal"
	CheckpointLodging  CheckpointKind = "lodging"
)

// Checkpoint is a place where scans happen. An entrance or exit names a
// venue and optionally pins one session (otherwise the session in that venue
// whose window holds the scan time applies); a meal checkpoint names a dining
// hall and optionally pins one meal; a lodging checkpoint names a hotel.
type Checkpoint struct {
	ID      string
	Name    string
	NameEn  string
	Kind    CheckpointKind
	Venue   string
	Session string
	Meal    string
	Door    string
	// PhotoCheck shows the holder's photo at this checkpoint (the glance
	// check); Face is its face check: off, advise or enforce.
	PhotoCheck bool
	Face       string
}

// SessionSeat is an attendee's seat in a session. Pinned seats survive
// re-arrangement.
type SessionSeat struct {
	Session string
	Seat    string // seat label in the session's venue
	Pinned  bool
}

// MealTicket is an attendee's entitlement to one meal.
type MealTicket struct {
	Meal  string
	Venue string // dining hall code
	Table int
}

// Lodging is an attendee's hotel room.
type Lodging struct {
	Venue    string // hotel code
	Room     string
	CheckIn  string // YYYY-MM-DD
	CheckOut string
}

// Attendee is a person on the list (参会人员) with everything the desk
// imports. ID numbers and phones are stored as given and masked on output.
type Attendee struct {
	Key          string // stable import key; see importer
	Name         string
	Gender       string // 男/女 or ""
	Ethnicity    string // 民族
	Organization string
	Title        string
	Rank         int // published list order, 1 first
	Category     string
	Delegation   string
	Group        string
	Phone        string
	IDNumber     string
	Diet         string // 清真/素食/过敏: … free text
	Access       string // the access need (无障碍) as written, e.g. 轮椅; column and JSON "access"
	Notes        string
	Arrival      string
	Departure    string
	// ArrivalTrip and DepartureTrip are the arrival and departure as
	// structured data (issue 12), nil when none is known; Arrival and
	// Departure keep the text as written.
	ArrivalTrip   *Trip
	DepartureTrip *Trip
	// FaceConsent is the list's answer to face verification (issue 15.6):
	// nil when the list does not say.
	FaceConsent *bool

	// Entitlements. Sessions lists session IDs the attendee is expected at.
	Sessions []string
	Seats    []SessionSeat
	Meals    []MealTicket
	Lodging  *Lodging
}

// Trip is an arrival or a departure as a list, the desk or the demo gives
// it (issue 12). The store keeps it as a travel leg at a station.
type Trip struct {
	Mode        string // flight, train, car, other; "" not known
	Number      string // CA1234, G123
	Station     string // as written: 首都机场, 江阳南站, PEK
	StationKind string // airport, rail, road, other: what Station looks like
	Date        string // YYYY-MM-DD in the event's zone
	Time        string // HH:MM, "" when only the date is known
	Companions  int    // 随行人员, who need seats and beds too
	Ticket      string // departures: needed (需代订), booked (已订), self (自行安排)
	TicketNo    string
	Notes       string // what the text said beyond the above
}

// Leave is 请假 for one attendee and session.
type Leave struct {
	AttendeeKey string
	Session     string
	Reason      string
}

// EventData is a whole event as one value: what the demo generator produces
// and what the store loads into an empty database.
type EventData struct {
	Event       Event
	Categories  []Category
	Delegations []Delegation
	Groups      []Group
	Venues      []Venue
	Sessions    []Session
	Meals       []Meal
	Checkpoints []Checkpoint
	Attendees   []Attendee
	Leaves      []Leave
}
