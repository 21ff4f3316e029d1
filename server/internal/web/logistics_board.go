package web

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/logistics/board"
	"huiwu/server/internal/store"
)

// boardRoutes mount the pickup phone's calls (/pickup, issue 12.3) and the
// logistics board's (/logistics, 12.4). Travel is personal: the desk and
// logistics roles only (admin passes), and no answer here carries a phone
// or an ID number. Changes reach the pages over the live topic
// "logistics", which says only that something changed.
func (s *Server) boardRoutes(api fiber.Router) {
	r := require(auth.RoleDesk, auth.RoleLogistics)
	api.Get("/pickup/stations", r, s.handlePickupStations)
	api.Get("/pickup/arrivals", r, s.handlePickupArrivals)
	api.Patch("/pickup/legs/:id", r, s.handleLegState)
	api.Post("/pickup/legs/:id/rebook", r, s.handleLegRebook)
	api.Get("/logistics/board", r, s.handleBoard)
}

var (
	errBadDate    = badRequest("bad_date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
	errBadStation = badRequest("bad_station", "请指定站点（station=编号）", "give the station (station=ID)")
	errBadTime    = apiError(fiber.StatusUnprocessableEntity, "bad_time", "时间格式应为 时:分（如 09:30）", "time must be HH:MM (e.g. 09:30)")
	errBadNumber  = apiError(fiber.StatusUnprocessableEntity, "bad_number", "航班/车次过长", "the flight or train number is too long")
	errLongNotes  = apiError(fiber.StatusUnprocessableEntity, "notes_too_long", "备注过长（最多 200 字）", "notes are too long (at most 200 characters)")
)

// day is the date asked for (?date=), or today on the event's clocks.
func (s *Server) day(c *fiber.Ctx, now time.Time) (string, error) {
	d := c.Query("date")
	if d == "" {
		return now.In(s.catalog().Location).Format(time.DateOnly), nil
	}
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return "", errBadDate
	}
	return d, nil
}

// pickupStation is a station in the pickup phone's list, with its day.
type pickupStation struct {
	store.Station
	Arrivals int `json:"arrivals"`
	Waiting  int `json:"waiting"` // waiting or late
	PickedUp int `json:"picked_up"`
}

// handlePickupStations lists the stations with the day's arrivals at each,
// for the phone's "which station are you at".
func (s *Server) handlePickupStations(c *fiber.Ctx) error {
	now := time.Now()
	d, err := s.day(c, now)
	if err != nil {
		return err
	}
	stations, err := s.DB.Stations(c.UserContext())
	if err != nil {
		return err
	}
	legs, err := s.DB.TravelRows(c.UserContext(), store.LegFilter{Direction: store.Arrival, OnDate: d})
	if err != nil {
		return err
	}
	out := make([]pickupStation, len(stations))
	at := map[int64]*pickupStation{}
	for i, st := range stations {
		out[i] = pickupStation{Station: st}
		at[st.ID] = &out[i]
	}
	for _, r := range board.Rows(legs, now) {
		p := at[r.StationID]
		if p == nil {
			continue
		}
		p.Arrivals++
		switch r.Status {
		case board.Waiting, board.Late:
			p.Waiting++
		case board.PickedUp:
			p.PickedUp++
		}
	}
	return c.JSON(out)
}

// handlePickupArrivals lists the day's arrivals at ?station=ID in time
// order, each with its status now.
func (s *Server) handlePickupArrivals(c *fiber.Ctx) error {
	now := time.Now()
	d, err := s.day(c, now)
	if err != nil {
		return err
	}
	id := int64(c.QueryInt("station"))
	if id <= 0 {
		return errBadStation
	}
	stations, err := s.DB.Stations(c.UserContext())
	if err != nil {
		return err
	}
	i := slices.IndexFunc(stations, func(st store.Station) bool { return st.ID == id })
	if i < 0 {
		return errNotFound
	}
	legs, err := s.DB.TravelRows(c.UserContext(), store.LegFilter{Direction: store.Arrival, OnDate: d, StationID: id})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"date": d, "now": now, "station": stations[i], "rows": board.Rows(legs, now)})
}

// The states a pickup phone or the board may record, by direction.
var markStates = map[string][]string{
	store.Arrival:   {"expected", "picked_up", "missed", "changed"},
	store.Departure: {"expected", "departed", "missed", "changed"},
}

// legChanged refuses a change to a leg that was rebooked or cancelled
// meanwhile, naming the attendee's live leg in that direction, if any.
func (s *Server) legChanged(c *fiber.Ctx, old store.Leg) error {
	e := apiError(fiber.StatusConflict, "leg_changed", "此行程已改签或取消，请看更新后的列表", "this trip was rebooked or cancelled; see the list as it is now")
	legs, err := s.DB.Legs(c.UserContext(), store.LegFilter{Attendee: old.AttendeeID, Direction: old.Direction})
	if err != nil {
		return err
	}
	if len(legs) > 0 {
		e.Details = fiber.Map{"current": legs[0].ID}
	}
	return e
}

// liveLeg reads the leg :id, refusing one rebooked or cancelled.
func (s *Server) liveLeg(c *fiber.Ctx) (store.Leg, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return store.Leg{}, errNotFound
	}
	l, err := s.DB.Leg(c.UserContext(), int64(id))
	if err != nil {
		return l, err
	}
	if l.Cancelled != nil {
		return l, s.legChanged(c, l)
	}
	return l, nil
}

// row answers leg id as the pages show it.
func (s *Server) row(c *fiber.Ctx, id int64) error {
	r, err := s.DB.TravelRow(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(board.Rows([]store.TravelRow{r}, time.Now())[0])
}

// handleLegState records what happened to a leg: {"state":
// "picked_up"|"missed"|"changed"|"expected"|"departed", "notes"?}. Marking
// the same state again is harmless (a phone retrying a mark whose answer
// it lost).
func (s *Server) handleLegState(c *fiber.Ctx) error {
	var in struct {
		State string `json:"state"`
		Notes string `json:"notes"`
	}
	if err := readJSON(c, &in); err != nil {
		return err
	}
	l, err := s.liveLeg(c)
	if err != nil {
		return err
	}
	if !slices.Contains(markStates[l.Direction], in.State) {
		return apiError(fiber.StatusUnprocessableEntity, "bad_state",
			fmt.Sprintf("状态“%s”不适用于此行程，可用：%s", in.State, strings.Join(markStates[l.Direction], "、")),
			fmt.Sprintf("state %q does not apply to this trip; use one of %s", in.State, strings.Join(markStates[l.Direction], ", ")))
	}
	if utf8.RuneCountInString(in.Notes) > 200 {
		return errLongNotes
	}
	if _, err := s.DB.SetLegState(c.UserContext(), l.ID, in.State, strings.TrimSpace(in.Notes), principal(c).Name); errors.Is(err, store.ErrNotFound) {
		return s.legChanged(c, l) // rebooked since it was read
	} else if err != nil {
		return err
	}
	return s.row(c, l.ID)
}

// handleLegRebook is 改签 with a new time: {"time": "HH:MM", "on_date"?:
// "YYYY-MM-DD" (else the leg's day), "number"? (else the same), "reason"?}.
// The old leg stays on record, cancelled, and leaves its vehicle; the
// new one is expected at the new time (store.Rebook). A change whose new
// time is not known yet is a state instead: PATCH {"state": "changed"}.
func (s *Server) handleLegRebook(c *fiber.Ctx) error {
	var in struct {
		OnDate string `json:"on_date"`
		Time   string `json:"time"`
		Number string `json:"number"`
		Reason string `json:"reason"`
	}
	if err := readJSON(c, &in); err != nil {
		return err
	}
	old, err := s.liveLeg(c)
	if err != nil {
		return err
	}
	hm, err := time.Parse("15:04", strings.TrimSpace(in.Time))
	if err != nil {
		return errBadTime
	}
	day := in.OnDate
	if day == "" {
		day = old.OnDate
	}
	if day == "" {
		day = time.Now().In(s.catalog().Location).Format(time.DateOnly)
	}
	d, err := time.ParseInLocation(time.DateOnly, day, s.catalog().Location)
	if err != nil {
		return errBadDate
	}
	at := time.Date(d.Year(), d.Month(), d.Day(), hm.Hour(), hm.Minute(), 0, 0, s.catalog().Location)
	number := strings.ToUpper(strings.TrimSpace(in.Number))
	if number == "" {
		number = old.Number
	}
	if utf8.RuneCountInString(number) > 20 {
		return errBadNumber
	}
	reason := strings.TrimSpace(in.Reason)
	if utf8.RuneCountInString(reason) > 200 {
		return errLongNotes
	}
	was := old.Number
	if old.At != nil {
		was = strings.TrimSpace(was + " " + old.At.In(s.catalog().Location).Format("01-02 15:04"))
	}
	next := old
	next.ID, next.Number, next.OnDate, next.At, next.Source, next.State = 0, number, day, &at, "pickup", "expected"
	next.Notes = strings.TrimSpace("改签，原 " + was + "。" + reason)
	l, err := s.DB.Rebook(c.UserContext(), old.ID, next, reason, principal(c).Name)
	if errors.Is(err, store.ErrNotFound) {
		return s.legChanged(c, old)
	} else if err != nil {
		return err
	}
	return s.row(c, l.ID)
}

// handleBoard answers the logistics board: today's arrivals by station
// for the next ?hours= (default 4, 1–24), the vehicles out, the hotels,
// and today's departures.
func (s *Server) handleBoard(c *fiber.Ctx) error {
	now := time.Now()
	d, err := s.day(c, now)
	if err != nil {
		return err
	}
	hours := min(max(c.QueryInt("hours", 4), 1), 24)
	ctx := c.UserContext()
	var in board.Input
	if in.Stations, err = s.DB.Stations(ctx); err != nil {
		return err
	}
	if in.Arrivals, err = s.DB.TravelRows(ctx, store.LegFilter{Direction: store.Arrival, OnDate: d}); err != nil {
		return err
	}
	if in.Departures, err = s.DB.TravelRows(ctx, store.LegFilter{Direction: store.Departure, OnDate: d}); err != nil {
		return err
	}
	if in.Runs, err = s.DB.RunsOut(ctx); err != nil {
		return err
	}
	if in.Hotels, err = s.DB.HotelsNow(ctx, boardGuests); err != nil {
		return err
	}
	return c.JSON(struct {
		Date string `json:"date"`
		board.Board
	}{d, board.Build(in, now, hours)})
}

// boardGuests is how many of the latest hotel check-ins the board lists
// per hotel (the room board lists everyone).
const boardGuests = 30
