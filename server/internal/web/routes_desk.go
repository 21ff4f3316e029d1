package web

import (
	"bytes"
	"fmt"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/desk"
	"huiwu/server/internal/exports"
	"huiwu/server/internal/readiness"
)

// deskRoutes mounts the registration desk's routes: editing and
// registering attendees, the attendee card, the exports and the readiness
// board (会前检查). The page itself is served at /desk with the others.
func (s *Server) deskRoutes(app *fiber.App, api fiber.Router) {
	d := require(auth.RoleDesk)
	api.Post("/attendees", d, s.handleWalkIn)
	api.Patch("/attendees/:id", d, s.handleAttendeeEdit)
	api.Get("/attendees/:id/card", d, s.handleCard)
	api.Get("/delegations", d, s.handleDelegations)
	api.Get("/readiness", d, s.handleReadiness)
	api.Get("/exports/sessions/:id/signin.xlsx", d, s.handleSigninXLSX)
	api.Get("/exports/meals.xlsx", d, s.handleMealsXLSX)
	// The 住宿名单 is the logistics staff's list as much as the desk's.
	api.Get("/exports/rooms.xlsx", require(auth.RoleDesk, auth.RoleLogistics), s.handleRoomsXLSX)
	api.Get("/exports/absentees.xlsx", d, s.handleAbsenteesXLSX)
	api.Get("/exports/archive.zip", d, s.handleArchive)
	api.Get("/exports/summary.pdf", d, s.handleSummaryPDF)
}

// deskError words desk.ErrConflict, a lost update; the desk's invalid
// fields and duplicate walk-ins answer for themselves (apierr).
func deskError(err error) error {
	return errWords{
		{desk.ErrConflict, fiber.StatusConflict, "edited_meanwhile", "该人员信息刚被他人修改，请重新打开后再改", "someone else changed this attendee; reopen and edit again"},
	}.word(err)
}

// handleAttendeeEdit applies a partial update (PATCH semantics: the JSON
// fields present are set) and answers the attendee as the edit form sees it.
func (s *Server) handleAttendeeEdit(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	changed, err := desk.Edit(c.UserContext(), s.DB, s.catalog(), int64(id), c.Body(), principal(c).Name)
	if err != nil {
		return deskError(err)
	}
	a, err := s.DB.Attendee(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	if changed == nil {
		changed = []string{}
	}
	return c.JSON(fiber.Map{"attendee": s.view(a, principal(c), true), "changed": changed})
}

// handleWalkIn registers a walk-in and answers 201 with the new attendee.
func (s *Server) handleWalkIn(c *fiber.Ctx) error {
	var f desk.Form
	if err := readJSON(c, &f); err != nil {
		return err
	}
	id, err := desk.Register(c.UserContext(), s.DB, s.catalog(), f, principal(c).Name)
	if err != nil {
		return deskError(err)
	}
	a, err := s.DB.Attendee(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.view(a, principal(c), false))
}

// handleCard answers the attendee with everything the desk may see: the
// record (ID number masked), badge, sessions, meals, room and history, the
// print log (newest first) and the server's clock, which the card measures
// the sessions' check-in windows against.
func (s *Server) handleCard(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	a, err := s.DB.Attendee(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	cat := s.catalog()
	card, err := desk.CardOf(c.UserContext(), s.DB, cat, int64(id))
	if err != nil {
		return err
	}
	prints, err := s.badgeService().Prints(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	photo, face, err := s.faceCard(c, int64(id)) // faces.go: whether stored, never the data
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"attendee": s.view(a, principal(c), false), "card": card, "prints": prints,
		"now": time.Now().In(cat.Location).Format(time.RFC3339), "photo": photo, "face": face})
}

// delegationJSON is one delegation as the desk's suggestions list it.
type delegationJSON struct {
	Name  string `json:"name"`
	Count int    `json:"count"` // active attendees
}

// handleDelegations lists the delegations in the list's order with how
// many active attendees each has: the desk suggests them wherever a
// delegation is typed (batch print, walk-in, edit).
func (s *Server) handleDelegations(c *fiber.Ctx) error {
	list, err := s.DB.DelegationCounts(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]delegationJSON, len(list))
	for i, d := range list {
		out[i] = delegationJSON{Name: d.Name, Count: d.Count}
	}
	return c.JSON(out)
}

func (s *Server) handleReadiness(c *fiber.Ctx) error {
	rep, err := readiness.Run(c.UserContext(), s.DB, s.catalog(), readiness.Options{})
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

// sendFile answers a download; the name is given both plainly (ASCII
// fallback) and as RFC 5987 UTF-8 so that browsers keep the Chinese.
func sendFile(c *fiber.Ctx, name, fallback, mime string, body []byte) error {
	c.Set(fiber.HeaderContentType, mime)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`,
		fallback, url.PathEscape(name)))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) handleSigninXLSX(c *fiber.Ctx) error {
	id := c.Params("id")
	sheet, err := exports.LoadSignin(c.UserContext(), s.DB, s.catalog(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := exports.WriteSigninXLSX(&buf, sheet); err != nil {
		return err
	}
	return sendFile(c, sheet.Session.Name+"签到表.xlsx", "signin-"+id+".xlsx", xlsxType, buf.Bytes())
}

func (s *Server) handleMealsXLSX(c *fiber.Ctx) error {
	counts, err := exports.LoadMeals(c.UserContext(), s.DB, s.catalog())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := exports.WriteMealsXLSX(&buf, counts); err != nil {
		return err
	}
	return sendFile(c, "用餐统计.xlsx", "meals.xlsx", xlsxType, buf.Bytes())
}

func (s *Server) handleRoomsXLSX(c *fiber.Ctx) error {
	lines, err := exports.LoadRooms(c.UserContext(), s.DB, s.catalog())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := exports.WriteRoomsXLSX(&buf, lines); err != nil {
		return err
	}
	return sendFile(c, "住宿名单.xlsx", "rooms.xlsx", xlsxType, buf.Bytes())
}

// handleAbsenteesXLSX lists the absentees of ?session=ID, or of the
// session a desk means (the one on now, else the next, else the last;
// the sheet's title says which).
func (s *Server) handleAbsenteesXLSX(c *fiber.Ctx) error {
	sheet, err := exports.LoadAbsentees(c.UserContext(), s.DB, s.catalog(), c.Query("session"), time.Now())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := exports.WriteAbsenteesXLSX(&buf, []*exports.Signin{sheet}); err != nil {
		return err
	}
	return sendFile(c, sheet.Session.Name+"缺席名单.xlsx", "absentees.xlsx", xlsxType, buf.Bytes())
}

// handleArchive answers the 立卷归档 bundle.
func (s *Server) handleArchive(c *fiber.Ctx) error {
	a, err := exports.LoadArchive(c.UserContext(), s.DB, s.catalog(), time.Now(), principal(c).Name)
	if err != nil {
		return err
	}
	a.Extra = append(a.Extra, s.summaryFile(c.UserContext(), a))
	var buf bytes.Buffer
	if err := a.WriteZIP(&buf); err != nil {
		return err
	}
	name := a.Made.Format("20060102-1504")
	return sendFile(c, "会务归档-"+name+".zip", "archive-"+name+".zip", "application/zip", buf.Bytes())
}
