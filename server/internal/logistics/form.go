package logistics

import (
	"fmt"
	"unicode/utf8"

	"huiwu/server/internal/domain"
)

// TripForm is an arrival or a departure as the desk card edits it: each
// field as typed (the date from a date picker or 3月4日, the time 14:05 or
// 下午2点05).
type TripForm struct {
	Mode       string `json:"mode"`
	Number     string `json:"number"`
	Station    string `json:"station"`
	Date       string `json:"date"`
	Time       string `json:"time"`
	Companions int    `json:"companions"`
	Ticket     string `json:"ticket"`    // departures only
	TicketNo   string `json:"ticket_no"` // departures only
	Notes      string `json:"notes"`
}

// FieldProblem is what is wrong with one field of a form: Field names it
// as the form's JSON does, e.g. "date".
type FieldProblem struct {
	Field     string `json:"field"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// Codes of the form's own checks.
const (
	CodeTimeWithoutDate = "travel_time_without_date" // a time, but no day to put it on
	CodeTicketArrival   = "travel_ticket_on_arrival" // a ticket is booked for departures only
	CodeTooLong         = "travel_too_long"          // a field longer than it may be
)

// Empty reports whether the form says nothing: the desk clears the trip.
func (f TripForm) Empty() bool { return f == TripForm{} }

// Trip checks the form and answers the trip it says, or every field's
// problem. A form is held to more than a list: what a list may leave
// unclear with a warning (2点), the desk is asked to say.
func (f TripForm) Trip(year int, departure bool) (domain.Trip, []FieldProblem) {
	var t domain.Trip
	var out []FieldProblem
	bad := func(field string, p *Problem) {
		if p != nil {
			out = append(out, FieldProblem{Field: field, Code: p.Code, Message: p.Message, MessageEn: p.MessageEn})
		}
	}
	long := func(field, v string, n int) bool {
		if utf8.RuneCountInString(v) > n {
			bad(field, problem(CodeTooLong, fmt.Sprintf("最多 %d 个字", n), fmt.Sprintf("at most %d characters", n)))
			return true
		}
		return false
	}
	var p *Problem
	t.Mode, p = ParseMode(f.Mode)
	bad("mode", p)
	if f.Number != "" {
		var mode string
		mode, t.Number, p = ParseNumber(f.Number)
		bad("number", p)
		if p == nil && t.Mode != "" && t.Mode != mode {
			bad("number", problem(CodeModeConflict,
				fmt.Sprintf("%s 是%s号，与所选的“%s”不符", t.Number, modeZh[mode], modeZh[t.Mode]),
				fmt.Sprintf("%s is a %s number, not a %s", t.Number, mode, t.Mode)))
		}
		if t.Mode == "" {
			t.Mode = mode
		}
	}
	if s := normalize(f.Station); s != "" && !long("station", s, 100) {
		t.Station, t.StationKind = s, StationKind(s)
	}
	t.Date, p = ParseDate(f.Date, year)
	bad("date", p)
	t.Time, p = ParseClock(f.Time)
	bad("time", p) // a warning here too: the desk says which
	if t.Time != "" && t.Date == "" && normalize(f.Date) == "" {
		bad("time", problem(CodeTimeWithoutDate, "写了时间，请同时填写日期", "a time needs a date"))
	}
	if f.Companions < 0 || f.Companions > MaxCompanions {
		bad("companions", problem(CodeBadCompanions, fmt.Sprintf("随行人数应为 0 到 %d", MaxCompanions),
			fmt.Sprintf("companions must be 0 to %d", MaxCompanions)))
	} else {
		t.Companions = f.Companions
	}
	if !departure && (f.Ticket != "" || f.TicketNo != "") {
		bad("ticket", problem(CodeTicketArrival, "只有返程需要订票", "tickets are booked for departures only"))
	} else {
		t.Ticket, p = ParseTicket(f.Ticket)
		bad("ticket", p)
		t.TicketNo, p = ParseTicketNo(f.TicketNo)
		bad("ticket_no", p)
		switch {
		case t.TicketNo != "" && t.Ticket == "":
			t.Ticket = TicketBooked
		case t.TicketNo != "" && t.Ticket != TicketBooked:
			bad("ticket", problem(CodeTicketConflict, "有票号的应选“已订”", "a ticket with a number is booked"))
		}
	}
	if n := normalize(f.Notes); !long("notes", n, 200) {
		t.Notes = n
	}
	return t, out
}
