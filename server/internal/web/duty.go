package web

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/store"
)

// dutyTopic is the live topic of the duty room: a bare "something
// changed" that wakes every /duty page open, which reads again over REST.
const dutyTopic = "duty"

// dutyRoutes are the secretariat's duty room (值班, issue 13.4): places,
// the roster, the log with its corrections and follow-ups, handovers, and
// the printed 值班表 and 值班记录. The log holds callers' names, units and
// phones, written for the secretariat to call back: the desk role only
// (admin passes); logistics staff do not read it.
func (s *Server) dutyRoutes(api fiber.Router) {
	s.Hub.Provide(dutyTopic, func(context.Context, string) (any, error) {
		return fiber.Map{"at": time.Now()}, nil
	})
	d := api.Group("/duty", require(auth.RoleDesk))
	d.Get("/", s.handleDutyBoard)
	d.Get("/places", s.handleDutyPlaces)
	d.Post("/places", s.handleDutyPlaceSave)
	d.Put("/places/:id", s.handleDutyPlaceSave)
	d.Get("/shifts", s.handleDutyShifts)
	d.Post("/shifts", s.handleDutyShiftAdd)
	d.Post("/shifts/:id/cancel", s.handleDutyShiftCancel)
	d.Get("/entries", s.handleDutyEntries)
	d.Post("/entries", s.handleDutyEntryAdd)
	d.Get("/entries/:id", s.handleDutyEntry)
	d.Post("/entries/:id/correct", s.handleDutyEntryCorrect)
	d.Post("/entries/:id/close", s.handleDutyEntryClose)
	d.Get("/handovers", s.handleDutyHandovers)
	d.Post("/handovers", s.handleDutyHandoverOffer)
	d.Post("/handovers/:id/accept", s.handleDutyHandoverAccept)
	d.Get("/roster.pdf", s.handleDutyRosterPDF)
	d.Get("/log.pdf", s.handleDutyLogPDF)
	d.Get("/log.xlsx", s.handleDutyLogXLSX)
}

// dutyError turns the duty room's refusals into API errors.
func dutyError(err error) error {
	var over *store.DutyOverlapError
	if errors.As(err, &over) {
		w := over.With
		e := apiError(fiber.StatusConflict, "shift_overlap",
			"与"+w.Place+"已有的班次（"+w.StartsAt.Format("01-02 15:04")+"起）时间重叠。如确需两班重叠，请写明原因",
			"this overlaps a shift already at "+w.Place+"; to keep both, give a reason")
		e.Details = over
		return e
	}
	return errWords{
		{store.ErrDutyBadShift, fiber.StatusUnprocessableEntity, "bad_shift", "班次须有地点、起止时间（不超过24小时）和至少一名值班人员",
			"a shift needs a place, a start before its end (at most 24 hours) and someone on duty"},
		{store.ErrDutyBadPlace, fiber.StatusUnprocessableEntity, "bad_place", "值班地点须有名称，且不与其他地点重名", "a duty place needs a name no other place has"},
		{store.ErrDutyNoPlace, fiber.StatusNotFound, "no_duty_place", "没有这个值班地点（或尚未设定主值班室）", "no such duty place (or no main duty room is set)"},
		{store.ErrDutyBadEntry, fiber.StatusUnprocessableEntity, "bad_entry", "请选择类别、填写内容；时间不能晚于现在",
			"choose a kind and write what it was about; the time cannot be in the future"},
		{store.ErrDutyUnchanged, fiber.StatusUnprocessableEntity, "correction_unchanged", "更正须有改动并写明原因", "a correction must change something and say why"},
		{store.ErrDutyDone, fiber.StatusConflict, "already_done", "此事项已办结", "this item is done already"},
		{store.ErrDutyOutcome, fiber.StatusUnprocessableEntity, "outcome_required", "请写明办理结果", "say what was done"},
		{store.ErrDutySamePerson, fiber.StatusConflict, "same_person", "接班须由接班人用本人账号登录确认，不能由交班人代签",
			"the incoming person confirms with their own account, not the outgoing one's"},
		{store.ErrDutyAccepted, fiber.StatusConflict, "already_taken_over", "此次交班已有人接班", "this handover was taken over already"},
	}.word(err)
}

// dutyWriter is the signed-in account: who writes, closes and takes over.
func dutyWriter(c *fiber.Ctx) store.DutyWriter {
	p := principal(c)
	return store.DutyWriter{Name: p.Name, User: p.User}
}

// dutyChanged wakes the /duty pages, after the change is committed.
func (s *Server) dutyChanged(what string, id int64) {
	s.Hub.Publish(dutyTopic, fiber.Map{"what": what, "id": id})
}

// dutyTime reads a time the page sends: RFC 3339, or a wall clock
// (2026-03-05T14:30 or 2026-03-05 14:30) in the event's zone.
func (s *Server) dutyTime(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02T15:04", strings.Replace(v, " ", "T", 1), s.catalog().Location)
}

// dutyDay is a day (YYYY-MM-DD) in the event's zone as from–until.
func (s *Server) dutyDay(day string) (time.Time, time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, day, s.catalog().Location)
	if err != nil {
		return time.Time{}, time.Time{}, badRequest("bad_day", "日期格式应为 2026-03-05", "the day is YYYY-MM-DD")
	}
	return t, t.AddDate(0, 0, 1), nil
}

// meetingDays are the days of the meeting's sessions in the event's zone,
// from the first to the last; today alone when there are none.
func meetingDays(cat *store.Catalog, now time.Time) (first, last time.Time) {
	day := func(t time.Time) time.Time {
		y, m, d := t.In(cat.Location).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, cat.Location)
	}
	if len(cat.SessionList) == 0 {
		return day(now), day(now)
	}
	first, last = day(cat.SessionList[0].OpensAt), day(cat.SessionList[0].ClosesAt)
	for _, x := range cat.SessionList {
		if d := day(x.OpensAt); d.Before(first) {
			first = d
		}
		if d := day(x.ClosesAt); d.After(last) {
			last = d
		}
	}
	return first, last
}

// dutyBoard is what /duty shows at a glance.
type dutyBoard struct {
	Now       time.Time            `json:"now"`
	Today     string               `json:"today"`
	Days      []string             `json:"days"` // the meeting's days
	Places    []store.DutyPlace    `json:"places"`
	On        []store.DutyShift    `json:"on"`   // the shifts on now
	Next      []store.DutyShift    `json:"next"` // starting within a day
	Open      []store.DutyEntry    `json:"open"`
	Pending   []store.DutyHandover `json:"pending"` // offered, not yet taken over
	Handovers []store.DutyHandover `json:"handovers"`
	Staff     []dutyStaff          `json:"staff"`
	Me        string               `json:"me"`
}

type dutyStaff struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func (s *Server) handleDutyBoard(c *fiber.Ctx) error {
	ctx, cat := c.UserContext(), s.catalog()
	now := time.Now()
	b := dutyBoard{Now: now, Today: now.In(cat.Location).Format(time.DateOnly), Me: principal(c).Name,
		On: []store.DutyShift{}, Next: []store.DutyShift{}, Pending: []store.DutyHandover{}, Handovers: []store.DutyHandover{}, Staff: []dutyStaff{}}
	first, last := meetingDays(cat, now)
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		b.Days = append(b.Days, d.Format(time.DateOnly))
	}
	var err error
	if b.Places, err = s.DB.DutyPlaces(ctx); err != nil {
		return err
	}
	shifts, err := s.DB.DutyShifts(ctx, now, now.Add(24*time.Hour))
	if err != nil {
		return err
	}
	for _, x := range shifts {
		if x.On(now) {
			b.On = append(b.On, x)
		} else {
			b.Next = append(b.Next, x)
		}
	}
	if b.Open, err = s.DB.DutyEntries(ctx, store.DutyFilter{State: store.DutyOpen}); err != nil {
		return err
	}
	hs, err := s.DB.DutyHandovers(ctx, 0, 10)
	if err != nil {
		return err
	}
	for _, h := range hs {
		if h.AcceptedAt.IsZero() {
			b.Pending = append(b.Pending, h)
		} else {
			b.Handovers = append(b.Handovers, h)
		}
	}
	users, err := s.DB.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.RevokedAt.IsZero() && slices.Contains([]string{"admin", "desk", "logistics"}, u.Role) {
			b.Staff = append(b.Staff, dutyStaff{u.ID, u.Name})
		}
	}
	return c.JSON(b)
}

func (s *Server) handleDutyPlaces(c *fiber.Ctx) error {
	list, err := s.DB.DutyPlaces(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *Server) handleDutyPlaceSave(c *fiber.Ctx) error {
	var p store.DutyPlace
	if err := readJSON(c, &p); err != nil {
		return err
	}
	if id, err := c.ParamsInt("id"); err == nil {
		p.ID = int64(id)
	} else if c.Method() == fiber.MethodPost {
		p.ID = 0
	}
	saved, err := s.DB.SaveDutyPlace(c.UserContext(), p, principal(c).Name)
	if err != nil {
		return dutyError(err)
	}
	s.dutyChanged("place", saved.ID)
	return c.JSON(saved)
}

// dutyRange reads ?day= or ?from=&until= (days, until inclusive); the
// meeting's days without either.
func (s *Server) dutyRange(c *fiber.Ctx) (time.Time, time.Time, error) {
	if day := c.Query("day"); day != "" {
		return s.dutyDay(day)
	}
	cat := s.catalog()
	first, last := meetingDays(cat, time.Now())
	if v := c.Query("from"); v != "" {
		f, _, err := s.dutyDay(v)
		if err != nil {
			return f, f, err
		}
		first = f
	}
	if v := c.Query("until"); v != "" {
		u, _, err := s.dutyDay(v)
		if err != nil {
			return u, u, err
		}
		last = u
	}
	return first, last.AddDate(0, 0, 1), nil
}

// handleDutyShifts is the roster of the days asked (the meeting's by
// default) with the hours nobody is on at each place.
func (s *Server) handleDutyShifts(c *fiber.Ctx) error {
	from, until, err := s.dutyRange(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	shifts, err := s.DB.DutyShifts(ctx, from, until)
	if err != nil {
		return err
	}
	around, err := s.dutyAround(ctx, from, until)
	if err != nil {
		return err
	}
	places, err := s.DB.DutyPlaces(ctx)
	if err != nil {
		return err
	}
	gaps := []dutyGap{}
	for _, p := range places {
		for _, g := range dutyHoles(around, p.ID, from, until) {
			gaps = append(gaps, dutyGap{PlaceID: p.ID, Place: p.Name, From: g[0], Until: g[1]})
		}
	}
	return c.JSON(fiber.Map{"from": from, "until": until, "shifts": shifts, "gaps": gaps})
}

// dutyAround are the shifts of from–until and of a day either side: enough
// to tell whether a place's roster goes on past the window's edge.
func (s *Server) dutyAround(ctx context.Context, from, until time.Time) ([]store.DutyShift, error) {
	return s.DB.DutyShifts(ctx, from.Add(-24*time.Hour), until.Add(24*time.Hour))
}

type dutyGap struct {
	PlaceID int64     `json:"place_id"`
	Place   string    `json:"place"`
	From    time.Time `json:"from"`
	Until   time.Time `json:"until"`
}

type dutyShiftBody struct {
	PlaceID       int64              `json:"place_id"`
	StartsAt      string             `json:"starts_at"`
	EndsAt        string             `json:"ends_at"`
	People        []store.DutyPerson `json:"people"`
	Notes         string             `json:"notes"`
	OverlapReason string             `json:"overlap_reason"`
}

func (s *Server) handleDutyShiftAdd(c *fiber.Ctx) error {
	var b dutyShiftBody
	if err := readJSON(c, &b); err != nil {
		return err
	}
	start, err1 := s.dutyTime(b.StartsAt)
	end, err2 := s.dutyTime(b.EndsAt)
	if err1 != nil || err2 != nil {
		return dutyError(store.ErrDutyBadShift)
	}
	shift, err := s.DB.AddDutyShift(c.UserContext(), store.DutyShift{PlaceID: b.PlaceID, StartsAt: start, EndsAt: end,
		People: b.People, Notes: b.Notes, OverlapReason: b.OverlapReason}, principal(c).Name)
	if err != nil {
		return dutyError(err)
	}
	s.dutyChanged("shift", shift.ID)
	return c.Status(fiber.StatusCreated).JSON(shift)
}

type dutyReasonBody struct {
	Reason string `json:"reason"`
}

func (s *Server) handleDutyShiftCancel(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var b dutyReasonBody
	if len(c.Body()) > 0 {
		if err := readJSON(c, &b); err != nil {
			return err
		}
	}
	if err := s.DB.CancelDutyShift(c.UserContext(), int64(id), b.Reason, principal(c).Name); err != nil {
		return dutyError(err)
	}
	s.dutyChanged("shift", int64(id))
	return c.SendStatus(fiber.StatusNoContent)
}

// dutyHoles are the hours nobody is on at place within from–until, between
// the place's first shift and its last among shifts: the holes in its
// roster, not the nights before and after it (the readiness board says
// which hours must be covered). shifts reach past the window (see
// dutyAround), so that a cancelled evening shift is a hole on today's page
// when the roster goes on after midnight.
func dutyHoles(shifts []store.DutyShift, place int64, from, until time.Time) [][2]time.Time {
	var first, last time.Time
	for _, x := range shifts {
		if x.PlaceID != place {
			continue
		}
		if first.IsZero() || x.StartsAt.Before(first) {
			first = x.StartsAt
		}
		if x.EndsAt.After(last) {
			last = x.EndsAt
		}
	}
	if first.IsZero() || !first.Before(until) || !last.After(from) {
		return nil
	}
	return store.DutyGaps(shifts, place, dutyLater(first, from), dutyEarlier(last, until))
}
