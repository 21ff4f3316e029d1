package rules

import "time"

// Status is the outcome of a scan, as API.md lists them.
type Status string

// The scan statuses. Every decided scan gets exactly one.
const (
	StatusOK            Status = "ok"
	StatusAlready       Status = "already"
	StatusReentry       Status = "reentry"
	StatusExit          Status = "exit"
	StatusMealUsed      Status = "meal_used"
	StatusNotEntitled   Status = "not_entitled"
	StatusOutsideWindow Status = "outside_window"
	StatusRevoked       Status = "revoked"
	StatusInvalid       Status = "invalid"
	StatusCancelled     Status = "cancelled"
)

// FlagLeaveWithdrawn marks the entry of a person on leave (请假) from the
// session: they count as present, their leave shows as withdrawn, and the
// desk sees the flag on the scan.
const FlagLeaveWithdrawn = "leave_withdrawn"

// Accepted reports whether the person may pass.
func (s Status) Accepted() bool {
	switch s {
	case StatusOK, StatusAlready, StatusReentry, StatusExit:
		return true
	}
	return false
}

// Message is a sentence for people, Chinese first.
type Message struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// Result is the answer to one scan, the JSON a kiosk shows: the server's
// answer to POST /checkins and the kiosk's own answer when it decides
// offline have this one shape.
type Result struct {
	Status   Status     `json:"status"`
	Late     bool       `json:"late"`
	FirstAt  *time.Time `json:"first_at,omitempty"`
	Message  Message    `json:"message"`
	Attendee *Person    `json:"attendee,omitempty"`
	Guidance *Guidance  `json:"guidance,omitempty"`
	// Window is the check-in or meal window, for outside_window; for
	// wrong_venue and wrong_door, the session the person is sent to.
	Window     *Window   `json:"window,omitempty"`
	Checkpoint string    `json:"checkpoint,omitempty"`
	Session    string    `json:"session_id,omitempty"`
	Meal       string    `json:"meal_id,omitempty"`
	ScanID     string    `json:"scan_id"`
	ScannedAt  time.Time `json:"scanned_at"`
	Offline    bool      `json:"offline,omitempty"`
	// Flags note what the desk should know: offline, offline_duplicate,
	// clock_ahead, manual, leave_withdrawn. A replayed scan_id is answered
	// with its first answer as it was, with no flag of its own.
	Flags []string `json:"flags,omitempty"`
	// Handout is the materials this scan handed over (handout.go).
	Handout *Handout `json:"handout,omitempty"`
	// Face is the kiosk's face check of the holder (face.go).
	Face *FaceOutcome `json:"face,omitempty"`
	// Code is a stable machine code for the status and its reason, e.g.
	// invalid_signature, wrong_hall.
	Code Code `json:"code"`
}

// Person is what a kiosk may show about the attendee in front of it.
type Person struct {
	ID            int64  `json:"id"`
	DisplayName   string `json:"display_name"`
	Category      string `json:"category"`
	CategoryName  string `json:"category_name"`
	CategoryColor string `json:"category_color"`
	Delegation    string `json:"delegation,omitempty"`
}

// Guidance tells the attendee where to go. Only the fields the checkpoint
// calls for are filled: the room number only at the hotel desk, the dietary
// note only at a dining hall.
type Guidance struct {
	Venue   string `json:"venue,omitempty"`
	VenueEn string `json:"venue_en,omitempty"`
	// Door is the door of the checkpoint the person stands at; SeatDoor
	// the door nearest their seat when that is another one, and Route
	// how to reach the seat from here.
	Door      string   `json:"door,omitempty"`
	SeatDoor  string   `json:"seat_door,omitempty"`
	Route     *Message `json:"route,omitempty"`
	Seat      string   `json:"seat,omitempty"`
	Section   string   `json:"section,omitempty"`
	Row       int      `json:"row,omitempty"`
	Number    int      `json:"number,omitempty"`
	GroupRoom string   `json:"group_room,omitempty"`
	MealTable int      `json:"meal_table,omitempty"`
	Diet      string   `json:"diet,omitempty"`
	Hotel     string   `json:"hotel,omitempty"`
	HotelEn   string   `json:"hotel_en,omitempty"`
	Room      string   `json:"room,omitempty"`
}

// Window is an opening window in the event's time zone.
type Window struct {
	Opens  time.Time `json:"opens_at"`
	Closes time.Time `json:"closes_at"`
	Name   string    `json:"name,omitempty"`
}
