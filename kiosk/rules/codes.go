package rules

// Code is the stable machine code of a scan's outcome: its status and
// the reason for it (wrong_hall, exit_again, bad_signature…). Kiosks,
// the desk and the reports switch on it; it is the "code" of a Result.
type Code string

// The codes of decided scans, by status.
const (
	// ok, already, reentry and exit at a session.
	CodeOK               Code = "ok"
	CodeAlready          Code = "already"
	CodeReentry          Code = "reentry"
	CodeExit             Code = "exit"
	CodeExitWithoutEntry Code = "exit_without_entry" // an exit with no entry on record
	CodeExitAgain        Code = "exit_again"         // an exit after an exit

	// Meals.
	CodeMealOK       Code = "meal_ok"
	CodeMealUsed     Code = "meal_used"
	CodeNoMealNow    Code = "no_meal_now"    // no meal is served at the hall now
	CodeNoMealTicket Code = "no_meal_ticket" // the person has no ticket for the meal
	CodeWrongHall    Code = "wrong_hall"     // the ticket is for another dining hall

	// The hotel desk.
	CodeHotelOK          Code = "hotel_ok"
	CodeAlreadyCheckedIn Code = "already_checked_in"
	CodeWrongHotel       Code = "wrong_hotel"
	CodeNoLodging        Code = "no_lodging"

	// Refusals at a session's door.
	CodeNoSession     Code = "no_session"     // no session is open here now
	CodeSessionClosed Code = "session_closed" // the session's check-in has closed
	CodeNotOnList     Code = "not_on_list"    // not expected at the session
	CodeWrongVenue    Code = "wrong_venue"    // expected at a session elsewhere
	CodeWrongDoor     Code = "wrong_door"     // expected here, at another door

	// The badge.
	CodeRevoked   Code = "revoked"   // a replaced badge
	CodeCancelled Code = "cancelled" // the holder's registration is cancelled
)

// The codes of a text that is no usable badge of this event
// (Badge.Invalid) beyond credential.ScanCode's (bad_signature,
// unknown_key, token_version, token_too_long, malformed_token).
const (
	CodeOtherEvent      Code = "other_event"      // a genuine badge of another meeting
	CodeUnknownSerial   Code = "unknown_serial"   // a serial the server never issued, or not to that person
	CodeUnknownAttendee Code = "unknown_attendee" // nobody on the list has that id
)
