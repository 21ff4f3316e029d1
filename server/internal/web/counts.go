package web

import (
	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
)

// The count endpoints. Every figure they answer comes from the attendance
// tracker (docs/counts.md): the lobby screen, the desk's card, the chair's
// view and the usher's list read the same computation.

// countRoutes mounts the views of a session's attendance beyond the core
// GET /sessions/{id}/attendance.
func (s *Server) countRoutes(api fiber.Router) {
	api.Get("/sessions/:id/chair", require(), s.handleChairView)
	api.Get("/sessions/:id/roster", require(auth.RoleDesk, auth.RoleUsher, auth.RoleChair), s.handleRoster)
}

// handleAttendance answers the session's counts (API.md).
func (s *Server) handleAttendance(c *fiber.Ctx) error {
	counts, err := s.Attendance.Counts(c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(counts)
}

// handleChairView answers the chair's page in one snapshot: the counts,
// the arrival curve and the absentees, so that its figures never disagree
// while check-ins stream in. The absentees' names are for the desk and the
// chair only; others get "absentees": null.
func (s *Server) handleChairView(c *fiber.Ctx) error {
	d, err := s.Attendance.Detail(c.UserContext(), c.Params("id"), principal(c).Can(auth.RoleDesk, auth.RoleChair))
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// handleRoster answers everyone expected at the session with their state
// (实到, 离场, 请假, 未到 or 缺席) and the counts, in one snapshot: the
// usher's view of a room without a seat map.
func (s *Server) handleRoster(c *fiber.Ctx) error {
	r, err := s.Attendance.Roster(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// handleAbsentees lists who is 缺席 — counted, expected, neither come nor
// on leave, from the session's start (nobody before it) — names only, for
// the secretariat.
func (s *Server) handleAbsentees(c *fiber.Ctx) error {
	d, err := s.Attendance.Detail(c.UserContext(), c.Params("id"), true)
	if err != nil {
		return err
	}
	return c.JSON(d.Absentees)
}

// handleArrivals is the arrival curve: first entries per minute of the
// counted attendees (re-entries do not count twice). Counts only, no names.
func (s *Server) handleArrivals(c *fiber.Ctx) error {
	d, err := s.Attendance.Detail(c.UserContext(), c.Params("id"), false)
	if err != nil {
		return err
	}
	return c.JSON(d.Arrivals)
}
