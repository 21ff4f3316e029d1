package web

import (
	"cmp"
	"database/sql"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

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
	rows, err := s.DB.R.QueryContext(c.UserContext(), `SELECT l.attendee_id, a.name, l.reason, l.created_by, l.created_at
		FROM leaves l JOIN attendees a ON a.id = l.attendee_id
		WHERE l.session_id = ? AND l.revoked_at IS NULL ORDER BY a.rank, a.id`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	out := []leaveJSON{}
	for rows.Next() {
		var l leaveJSON
		var at string
		if err := rows.Scan(&l.AttendeeID, &l.Name, &l.Reason, &l.CreatedBy, &at); err != nil {
			return err
		}
		l.CreatedAt = store.ReadTime(at).In(s.catalog().Location)
		if !desk {
			l.Reason = "" // 请假 is for the usher to see; why (因病) is not
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return err
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
	if body.AttendeeID <= 0 {
		return badRequest("bad_leave", "请求需要 attendee_id", "attendee_id is required")
	}
	if len(body.Reason) > 500 {
		return badRequest("reason_too_long", "请假事由过长（最多500字节）", "reason longer than 500 bytes")
	}
	actor := principal(c).Name
	err := s.DB.Write(c.UserContext(), func(tx *sql.Tx) (store.Change, error) {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM session_attendees WHERE session_id = ? AND attendee_id = ?`,
			id, body.AttendeeID).Scan(&n); err != nil {
			return store.Change{}, err
		}
		if n == 0 {
			return store.Change{}, apiError(fiber.StatusUnprocessableEntity, "not_expected",
				"该人员不在本场次应到名单中", "the attendee is not expected at this session")
		}
		now := store.FormatTime(time.Now())
		res, err := tx.Exec(`INSERT INTO leaves (session_id, attendee_id, reason, created_by, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, id, body.AttendeeID, body.Reason, actor, now)
		if err != nil {
			return store.Change{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.Change{}, apiError(fiber.StatusConflict, "leave_exists", "已登记请假", "leave already recorded")
		}
		_, err = tx.Exec(`INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, 'leave.create', ?, ?)`,
			now, actor, id, body.Reason)
		return store.Change{Sessions: []string{id}, Seated: map[string][]int64{id: {body.AttendeeID}}}, err
	})
	if err != nil {
		return err
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
	actor := principal(c).Name
	err = s.DB.Write(c.UserContext(), func(tx *sql.Tx) (store.Change, error) {
		now := store.FormatTime(time.Now())
		res, err := tx.Exec(`UPDATE leaves SET revoked_at = ?, revoked_by = ? WHERE session_id = ? AND attendee_id = ? AND revoked_at IS NULL`,
			now, actor, id, attendee)
		if err != nil {
			return store.Change{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.Change{}, store.ErrNotFound
		}
		_, err = tx.Exec(`INSERT INTO audit (at, actor, action, subject) VALUES (?, ?, 'leave.revoke', ?)`, now, actor, id)
		return store.Change{Sessions: []string{id}, Seated: map[string][]int64{id: {int64(attendee)}}}, err
	})
	if errors.Is(err, store.ErrNotFound) {
		return apiError(fiber.StatusNotFound, "no_leave", "没有该人员的请假记录", "no leave recorded for this attendee")
	}
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
