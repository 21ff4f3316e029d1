package plan

import (
	"net/http"

	"huiwu/server/internal/apierr"
)

// The API answers these as they say.
var (
	_ apierr.Error    = (*Error)(nil)
	_ apierr.Detailed = (*ErrSeatsInUse)(nil)
)

// Error is a refusal the desk can act on, with a stable code. It is an
// apierr.Error: the API answers it as it is.
type Error struct {
	Code   string
	Zh, En string
}

func (e *Error) Error() string { return e.Code + ": " + e.En }

// HTTPStatus implements apierr.Error: a seat someone holds is a conflict,
// a person or hall the session lacks cannot be processed, a seat, an
// assignment or a table that is not there is not found, and the rest
// (bad rules, a bad venue or grid, the same seat twice) are bad requests.
func (e *Error) HTTPStatus() int {
	switch e.Code {
	case "seat_taken", "seat_blocked":
		return http.StatusConflict
	case "not_expected", "no_hall":
		return http.StatusUnprocessableEntity
	case "unknown_seat", "seat_empty", "no_tables":
		return http.StatusNotFound
	}
	return http.StatusBadRequest
}

// ErrorCode implements apierr.Error.
func (e *Error) ErrorCode() string { return e.Code }

// Text implements apierr.Error.
func (e *Error) Text() (zh, en string) { return e.Zh, e.En }

// The refusals.
var (
	ErrSeatTaken    = &Error{"seat_taken", "该座位已有人员，请用对调", "the seat is taken; swap instead"}
	ErrSeatBlocked  = &Error{"seat_blocked", "该座位已停用", "the seat is blocked"}
	ErrNotExpected  = &Error{"not_expected", "该人员不在本场次应到名单中", "the attendee is not expected at this session"}
	ErrUnknownSeat  = &Error{"unknown_seat", "本会场没有该座位", "no such seat in this session's hall"}
	ErrNotSeated    = &Error{"no_hall", "本场次的会场没有座位图", "this session's venue has no seat map"}
	ErrSameSeat     = &Error{"same_seat", "两个座位相同", "the two seats are the same"}
	ErrNothingThere = &Error{"seat_empty", "该座位没有安排人员", "nobody is assigned to that seat"}
)

// HTTPStatus implements apierr.Error: the import is refused while people
// sit on seats it would remove.
func (e *ErrSeatsInUse) HTTPStatus() int { return http.StatusConflict }

// ErrorCode implements apierr.Error.
func (e *ErrSeatsInUse) ErrorCode() string { return "seats_in_use" }

// Text implements apierr.Error.
func (e *ErrSeatsInUse) Text() (zh, en string) {
	return "仍有人员安排在将被删除的座位上，未做任何修改", "people are still assigned to seats the import would remove; nothing was changed"
}

// ErrorDetails implements apierr.Detailed: the seats in use, by label.
func (e *ErrSeatsInUse) ErrorDetails() any { return map[string]any{"seats": e.Labels} }
