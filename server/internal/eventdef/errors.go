package eventdef

import (
	"fmt"
	"net/http"

	"huiwu/server/internal/apierr"
)

// Text is a sentence for people, in Chinese and English.
type Text struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// Error is one problem with a definition: where (a path such as
// "sessions[2].venue"), a stable code for programs and a sentence for
// people.
type Error struct {
	Path    string `json:"path"`
	Code    string `json:"code"`
	Message Text   `json:"message"`
}

func (e Error) Error() string { return e.Path + ": " + e.Code + ": " + e.Message.En }

// Errors is a list of problems; a definition with any is not stored.
type Errors []Error

func (es Errors) Error() string {
	if len(es) == 0 {
		return "no errors"
	}
	if len(es) == 1 {
		return es[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", es[0].Error(), len(es)-1)
}

// A definition's errors are an apierr.Listed: the API answers 422 with
// every error and its path in "errors" (API.md's shape) and the usual
// error object beside it for clients that read only that.
var _ apierr.Listed = Errors(nil)

// HTTPStatus implements apierr.Error.
func (es Errors) HTTPStatus() int { return http.StatusUnprocessableEntity }

// ErrorCode implements apierr.Error.
func (es Errors) ErrorCode() string { return "invalid_definition" }

// Text implements apierr.Error: how many errors, and that nothing changed.
func (es Errors) Text() (zh, en string) {
	return fmt.Sprintf("会议设置有 %d 处错误，未做任何修改", len(es)),
		fmt.Sprintf("the definition has %d errors; nothing was changed", len(es))
}

// ErrorList implements apierr.Listed.
func (es Errors) ErrorList() any { return es }

// The stable error codes.
const (
	CodeSyntax          = "bad_json"
	CodeUnknownField    = "unknown_field"
	CodeRequired        = "required"
	CodeBadValue        = "bad_value"
	CodeBadCode         = "bad_code"
	CodeDuplicate       = "duplicate_code"
	CodeUnknownVenue    = "unknown_venue"
	CodeUnknownCategory = "unknown_category"
	CodeUnknownSession  = "unknown_session"
	CodeUnknownMeal     = "unknown_meal"
	CodeUnknownDoor     = "unknown_door"
	CodeWindowOrder     = "window_order"
	CodeNotDiningHall   = "not_dining_hall"
	CodeWrongVenueKind  = "wrong_venue_kind"
	CodeWrongVenue      = "wrong_venue"
	CodeNoSeats         = "no_seats"
	CodeNoOffset        = "time_no_offset"
	CodeBadTime         = "bad_time"
	CodeBadDate         = "bad_date"
	CodeBadTimezone     = "unknown_timezone"
	CodeTooMany         = "too_many"
	CodeEventIDChanged  = "event_id_changed"
	CodeNoEvent         = "no_event"
)

// collector gathers errors with their paths.
type collector struct{ errs Errors }

func (c *collector) add(path, code, zh, en string) {
	c.errs = append(c.errs, Error{Path: path, Code: code, Message: Text{Zh: zh, En: en}})
}

func (c *collector) required(path, zhWhat, enWhat string) {
	c.add(path, CodeRequired, "缺少"+zhWhat, enWhat+" is required")
}

func (c *collector) badValue(path, got string, allowed string) {
	c.add(path, CodeBadValue, fmt.Sprintf("“%s”不是有效值，应为 %s", got, allowed), fmt.Sprintf("%q is not valid; expected %s", got, allowed))
}
