package checkin

import "huiwu/kiosk/rules"

// The answer's types are the rules' (kiosk/rules): the kiosk builds the
// same answer offline.
type (
	// Status is the outcome of a scan, as API.md lists them.
	Status = rules.Status
	// Message is a sentence for people, Chinese first.
	Message = rules.Message
	// Result is the answer to one scan, the JSON a kiosk shows.
	Result = rules.Result
	// Person is what a kiosk may show about the attendee in front of it.
	Person = rules.Person
	// Guidance tells the attendee where to go.
	Guidance = rules.Guidance
	// Window is an opening window in the event's time zone.
	Window = rules.Window
)

// The scan statuses. Every decided scan gets exactly one.
const (
	StatusOK            = rules.StatusOK
	StatusAlready       = rules.StatusAlready
	StatusReentry       = rules.StatusReentry
	StatusExit          = rules.StatusExit
	StatusMealUsed      = rules.StatusMealUsed
	StatusNotEntitled   = rules.StatusNotEntitled
	StatusOutsideWindow = rules.StatusOutsideWindow
	StatusRevoked       = rules.StatusRevoked
	StatusInvalid       = rules.StatusInvalid
	StatusCancelled     = rules.StatusCancelled
)
