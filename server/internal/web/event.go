package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/store"
)

// errNoEvent answers a server that has no meeting set up yet.
var errNoEvent = apiError(fiber.StatusNotFound, eventdef.CodeNoEvent,
	"尚未建立会议：请在报到处的“会议设置”中建立", "no meeting is set up yet: the registration desk sets one up under 会议设置 (/desk)")

// eventRoutes mount the event definition (API.md, "The event definition"):
// read it, put it (all of it or some parts, with a dry run first), its
// change log, the set-up workbook, and per-person entitlement exceptions.
func (s *Server) eventRoutes(api fiber.Router) {
	desk := require(auth.RoleDesk)
	api.Put("/event", desk, s.handleEventPut)
	api.Get("/event/definition", desk, s.handleDefinition)
	api.Get("/event/changes", desk, s.handleEventChanges)
	api.Post("/event/layout", desk, s.handleLayoutPreview)
	api.Get("/event/workbook.xlsx", desk, s.handleWorkbookExport)
	api.Get("/event/template.xlsx", desk, s.handleWorkbookTemplate)
	api.Get("/event/example.xlsx", desk, s.handleWorkbookExample)
	api.Post("/event/workbook", desk, s.handleWorkbookImport)
	api.Get("/attendees/:id/exceptions", desk, s.handleExceptions)
	api.Put("/attendees/:id/exceptions", desk, s.handleExceptionSet)
	api.Delete("/attendees/:id/exceptions/:kind/:ref", desk, s.handleExceptionClear)
}

func (s *Server) handleEvent(c *fiber.Ctx) error {
	cat := s.catalog()
	e := cat.Event
	if e.ID == "" {
		return errNoEvent
	}
	version, err := s.DB.DefinitionVersion(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": e.ID, "name": e.Name, "name_en": e.NameEn, "timezone": e.Timezone,
		"starts_on": e.StartsOn, "categories": cat.Categories, "version": version,
		"badge_layout": s.badgeLayout()}) // the desk prints on it unless told otherwise
}

// handleEventPut creates or changes the event from a definition; with
// ?dry_run=1 it answers what would change and stores nothing.
func (s *Server) handleEventPut(c *fiber.Ctx) error {
	def, given, err := eventdef.Parse(c.Body())
	if err != nil {
		return definitionError(err)
	}
	return s.applyDefinition(c, def, given)
}

func (s *Server) applyDefinition(c *fiber.Ctx, def eventdef.Definition, given eventdef.Given) error {
	rep, err := s.DB.ApplyDefinition(c.UserContext(), def, given, store.ApplyOptions{DryRun: c.QueryBool("dry_run"), Actor: principal(c).Name})
	if err != nil {
		return definitionError(err)
	}
	return c.JSON(rep)
}

// definitionError answers a refusal with what is in use (409). A bad
// definition's eventdef.Errors answer for themselves: 422 with every error
// and its path (API.md's shape).
func definitionError(err error) error {
	var conflict *store.Conflict
	if errors.As(err, &conflict) {
		e := apiError(fiber.StatusConflict, "in_use", "以下项目已在使用，不能删除或移动，未做任何修改："+conflictNames(conflict, true),
			"these are in use and cannot be removed or moved; nothing was changed: "+conflictNames(conflict, false))
		e.Details = fiber.Map{"items": conflict.Items}
		return e
	}
	return err
}

func conflictNames(c *store.Conflict, zh bool) string {
	out := ""
	for i, it := range c.Items {
		if i > 0 {
			out += "；"
		}
		if zh {
			out += "“" + it.Name + "”" + it.Reason.Zh
		} else {
			out += it.Name + ": " + it.Reason.En
		}
	}
	return out
}

func (s *Server) handleDefinition(c *fiber.Ctx) error {
	d, err := s.DB.Definition(c.UserContext())
	if errors.Is(err, store.ErrNotFound) {
		return errNoEvent
	}
	if err != nil {
		return err
	}
	if c.QueryBool("download") {
		// The set-up without people or scans, to start next year's meeting.
		c.Attachment("huiwu-" + d.Event.ID + "-setup.json")
	}
	return c.JSON(d)
}

func (s *Server) handleEventChanges(c *fiber.Ctx) error {
	list, err := s.DB.DefinitionChanges(c.UserContext(), c.QueryInt("limit", 100))
	if err != nil {
		return err
	}
	loc := s.catalog().Location
	for i := range list {
		list[i].At = list[i].At.In(loc)
	}
	return c.JSON(list)
}

func (s *Server) attendeeID(c *fiber.Ctx) (int64, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return int64(id), nil
}

func (s *Server) handleExceptions(c *fiber.Ctx) error {
	id, err := s.attendeeID(c)
	if err != nil {
		return err
	}
	list, err := s.DB.Exceptions(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

// handleExceptionSet makes one per-person exception: {"kind":"session",
// "ref":SESSION,"mode":"include"|"exclude"} or {"kind":"meal","ref":MEAL or
// "*","mode":"hall","venue":HALL} / {"mode":"exclude"}, with a reason.
func (s *Server) handleExceptionSet(c *fiber.Ctx) error {
	id, err := s.attendeeID(c)
	if err != nil {
		return err
	}
	var e store.Exception
	if err := readJSON(c, &e); err != nil {
		return err
	}
	if len(e.Reason) > 500 {
		return badRequest("reason_too_long", "事由过长（最多500字节）", "reason longer than 500 bytes")
	}
	e.Attendee = id
	if err := s.DB.SetExceptions(c.UserContext(), []store.Exception{e}, principal(c).Name); err != nil {
		return exceptionError(err)
	}
	return s.handleExceptions(c)
}

func (s *Server) handleExceptionClear(c *fiber.Ctx) error {
	id, err := s.attendeeID(c)
	if err != nil {
		return err
	}
	if err := s.DB.ClearException(c.UserContext(), id, c.Params("kind"), c.Params("ref"), principal(c).Name); err != nil {
		return exceptionError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func exceptionError(err error) error {
	if errors.Is(err, store.ErrBadException) {
		return apiError(fiber.StatusUnprocessableEntity, "bad_exception", "例外设置无效："+err.Error(), "invalid exception: "+err.Error())
	}
	return err
}

// handleLayoutPreview answers the seats a hall's presidium rows, sections
// and seats make, without storing anything: the set-up page draws the grid
// from it as the desk types.
func (s *Server) handleLayoutPreview(c *fiber.Ctx) error {
	var v eventdef.Venue
	if err := readJSON(c, &v); err != nil {
		return err
	}
	v.Kind = eventdef.KindHall
	if v.Code == "" {
		v.Code = "preview"
	}
	if v.Name == "" {
		v.Name = v.Code
	}
	errs := eventdef.Validate(eventdef.Definition{Event: eventdef.Event{ID: "preview", Name: "preview", Timezone: "UTC", StartsOn: "2026-01-01"},
		Venues: []eventdef.Venue{v}})
	if len(errs) > 0 {
		return errs
	}
	seats := eventdef.Layout(v)
	if seats == nil {
		seats = []eventdef.Seat{}
	}
	return c.JSON(fiber.Map{"seats": seats, "count": len(seats)})
}
