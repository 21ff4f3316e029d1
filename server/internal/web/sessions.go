package web

import (
	"cmp"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/attendance"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/seatmap"
	"huiwu/server/internal/store"
)

type sessionJSON struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	NameEn   string    `json:"name_en"`
	Kind     string    `json:"kind"`
	Venue    string    `json:"venue"`
	VenueID  string    `json:"venue_id"`
	Group    string    `json:"group,omitempty"`
	OpensAt  time.Time `json:"opens_at"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	ClosesAt time.Time `json:"closes_at"`
	// AbsentFrom is when those not come count as 缺席: "start" or "close".
	AbsentFrom string `json:"absent_from"`
}

func (s *Server) handleSessions(c *fiber.Ctx) error {
	cat := s.catalog()
	out := make([]sessionJSON, 0, len(cat.SessionList))
	for _, ss := range cat.SessionList {
		loc := cat.Location
		out = append(out, sessionJSON{ID: ss.ID, Name: ss.Name, NameEn: ss.NameEn, Kind: string(ss.Kind),
			Venue: cat.Venues[ss.Venue].Name, VenueID: ss.Venue, Group: ss.Group,
			OpensAt: ss.OpensAt.In(loc), StartsAt: ss.StartsAt.In(loc), EndsAt: ss.EndsAt.In(loc), ClosesAt: ss.ClosesAt.In(loc),
			AbsentFrom: cmp.Or(ss.AbsentFrom, domain.AbsentFromStart)})
	}
	return c.JSON(out)
}

type checkpointJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	NameEn    string `json:"name_en"`
	Kind      string `json:"kind"`
	Venue     string `json:"venue"`
	VenueID   string `json:"venue_id"`
	Door      string `json:"door,omitempty"`
	SessionID string `json:"session_id,omitempty"`
	MealID    string `json:"meal_id,omitempty"`
	// PhotoCheck and Face are the glance check and the face check here
	// (issue 15.3–15.4); Face is "off" unless the event enables face
	// verification.
	PhotoCheck bool   `json:"photo_check"`
	Face       string `json:"face"`
}

func (s *Server) handleCheckpoints(c *fiber.Ctx) error {
	cat := s.catalog()
	out := make([]checkpointJSON, 0, len(cat.CheckpointList))
	for _, p := range cat.CheckpointList {
		out = append(out, checkpointJSON{ID: p.ID, Name: p.Name, NameEn: p.NameEn, Kind: string(p.Kind),
			Venue: cat.Venues[p.Venue].Name, VenueID: p.Venue, Door: p.Door, SessionID: p.Session, MealID: p.Meal,
			PhotoCheck: p.PhotoCheck, Face: cmp.Or(checkin.FaceMode(cat, p), eventdef.FaceOff)})
	}
	return c.JSON(out)
}

func (s *Server) handleSeats(c *fiber.Ctx) error {
	id := c.Params("id")
	if _, ok := s.catalog().Sessions[id]; !ok {
		return errNotFound
	}
	seats, err := seatmap.Of(c.UserContext(), s.DB, id, nil)
	if err != nil {
		return err
	}
	if seats == nil {
		seats = []seatmap.Seat{}
	}
	return c.JSON(seats)
}

type leaveJSON struct {
	AttendeeID int64     `json:"attendee_id"`
	Name       string    `json:"name"`
	Reason     string    `json:"reason"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

func (s *Server) handleLeaves(c *fiber.Ctx) error {
	id := c.Params("id")
	if _, ok := s.catalog().Sessions[id]; !ok {
		return errNotFound
	}
	desk := principal(c).Can(auth.RoleDesk)
	leaves, err := s.DB.SessionLeaves(c.UserContext(), id)
	if err != nil {
		return err
	}
	loc := s.catalog().Location
	out := make([]leaveJSON, len(leaves))
	for i, l := range leaves {
		out[i] = leaveJSON{AttendeeID: l.AttendeeID, Name: l.Name, Reason: l.Reason, CreatedBy: l.CreatedBy,
			CreatedAt: l.CreatedAt.In(loc)}
		if !desk {
			out[i].Reason = "" // 请假 is for the usher to see; why (因病) is not
		}
	}
	return c.JSON(out)
}

// handleLeaveCreate records 请假 for one attendee and session.
func (s *Server) handleLeaveCreate(c *fiber.Ctx) error {
	id := c.Params("id")
	if _, ok := s.catalog().Sessions[id]; !ok {
		return errNotFound
	}
	var body struct {
		AttendeeID int64  `json:"attendee_id"`
		Reason     string `json:"reason"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if err := attendance.CreateLeave(c.UserContext(), s.DB, id, body.AttendeeID, body.Reason, principal(c).Name); err != nil {
		return leaveError(err)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"session_id": id, "attendee_id": body.AttendeeID, "reason": body.Reason})
}

// handleLeaveRevoke withdraws 请假; the attendee counts as 缺席 again until
// they check in.
func (s *Server) handleLeaveRevoke(c *fiber.Ctx) error {
	id := c.Params("id")
	attendee, err := c.ParamsInt("attendee")
	if err != nil {
		return errNotFound
	}
	if err := attendance.WithdrawLeave(c.UserContext(), s.DB, id, int64(attendee), principal(c).Name); err != nil {
		return leaveError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// leaveError words the sentinel refusals of a leave's write.
func leaveError(err error) error {
	return errWords{
		{attendance.ErrLeaveAttendee, fiber.StatusBadRequest, "bad_leave", "请求需要 attendee_id", "attendee_id is required"},
		{attendance.ErrReasonTooLong, fiber.StatusBadRequest, "reason_too_long", "请假事由过长（最多500字节）", "reason longer than 500 bytes"},
		{store.ErrNotExpected, fiber.StatusUnprocessableEntity, "not_expected", "该人员不在本场次应到名单中", "the attendee is not expected at this session"},
		{store.ErrLeaveExists, fiber.StatusConflict, "leave_exists", "已登记请假", "leave already recorded"},
		{store.ErrNotFound, fiber.StatusNotFound, "no_leave", "没有该人员的请假记录", "no leave recorded for this attendee"},
	}.word(err)
}
