package web

import (
	"bytes"
	"cmp"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"huiwu/server/internal/apierr"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/importer"
	"huiwu/server/internal/seating"
	"huiwu/server/internal/seating/chart"
	"huiwu/server/internal/seating/plan"
	"huiwu/server/internal/seatmap"
	"huiwu/server/internal/store"
)

// seatingRoutes mounts seating by protocol (rules, arrange, pin, swap,
// validation), venue import and export, and what the chair's and lobby
// screens read beyond the core API (absentees, the arrival curve, venues).
func (s *Server) seatingRoutes(app *fiber.App, api fiber.Router) {
	desk := require(auth.RoleDesk)
	anyone := require()
	api.Get("/sessions/:id/seating/rules", desk, s.handleSeatingRules)
	api.Put("/sessions/:id/seating/rules", desk, s.handleSeatingRulesSave)
	api.Post("/sessions/:id/arrange", desk, s.handleArrange)
	api.Get("/sessions/:id/seating/report", desk, s.handleSeatingReport)
	api.Post("/sessions/:id/seats/swap", desk, s.handleSeatSwap)
	api.Post("/sessions/:id/seats/:seat/pin", desk, s.handleSeatPin)
	api.Delete("/sessions/:id/seats/:seat/pin", desk, s.handleSeatUnpin)
	api.Get("/sessions/:id/seating/chart.pdf", desk, s.handleSeatChart)
	api.Get("/sessions/:id/seating/cards.pdf", desk, s.handleNameCards)
	api.Get("/meals/:id/banquet.pdf", desk, s.handleBanquetPlan)
	api.Get("/sessions/:id/absentees", require(auth.RoleDesk, auth.RoleChair), s.handleAbsentees)
	api.Get("/sessions/:id/arrivals", anyone, s.handleArrivals)
	s.countRoutes(api)

	api.Get("/venues", anyone, s.handleVenues)
	api.Post("/venues", desk, s.handleVenueImport)
	api.Get("/venues/:code", desk, s.handleVenueExport)
	api.Get("/venues/:code/sections/:section/grid.csv", desk, s.handleGridExport)
	api.Put("/venues/:code/sections/:section/grid", desk, s.handleGridImport)
}

func (s *Server) session(c *fiber.Ctx) (*store.Session, error) {
	ss, ok := s.catalog().Sessions[c.Params("id")]
	if !ok {
		return nil, errNotFound
	}
	return ss, nil
}

func (s *Server) handleSeatingRules(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	r, err := plan.ReadRules(c.UserContext(), s.DB, ss)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) handleSeatingRulesSave(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	var r seating.Rules
	if err := readJSON(c, &r); err != nil {
		return err
	}
	if err := plan.SaveRules(c.UserContext(), s.DB, s.catalog(), ss.ID, r, principal(c).Name); err != nil {
		return err
	}
	r, err = plan.ReadRules(c.UserContext(), s.DB, s.catalog().Sessions[ss.ID])
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// handleArrange runs the rules (API.md: keeps pinned seats, answers the
// validation report); ?dry_run=1 reports without storing.
func (s *Server) handleArrange(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	rep, err := plan.Arrange(c.UserContext(), s.DB, s.catalog(), ss.ID, principal(c).Name, c.QueryBool("dry_run"))
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

func (s *Server) handleSeatingReport(c *fiber.Ctx) error {
	rep, err := plan.Validate(c.UserContext(), s.DB, s.catalog(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

func (s *Server) handleSeatPin(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	var body struct {
		AttendeeID int64 `json:"attendee_id"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if body.AttendeeID <= 0 {
		return badRequest("bad_pin", "请求需要 attendee_id", "attendee_id is required")
	}
	seat := c.Params("seat")
	if err := plan.Pin(c.UserContext(), s.DB, ss.ID, seat, body.AttendeeID, principal(c).Name); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"session_id": ss.ID, "seat": seat, "attendee_id": body.AttendeeID, "pinned": true})
}

func (s *Server) handleSeatUnpin(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	if err := plan.Unpin(c.UserContext(), s.DB, ss.ID, c.Params("seat"), principal(c).Name); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) handleSeatSwap(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	var body struct{ A, B string }
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if body.A == "" || body.B == "" {
		return badRequest("bad_swap", "请求需要两个座位 a 和 b", "seats a and b are required")
	}
	if err := plan.Swap(c.UserContext(), s.DB, ss.ID, body.A, body.B, principal(c).Name); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"session_id": ss.ID, "a": body.A, "b": body.B})
}

func (s *Server) handleVenueExport(c *fiber.Ctx) error {
	v, err := plan.ExportVenue(c.UserContext(), s.DB, c.Params("code"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Server) handleVenueImport(c *fiber.Ctx) error {
	var v plan.Venue
	if err := readJSON(c, &v); err != nil {
		return err
	}
	res, err := plan.ImportVenue(c.UserContext(), s.DB, v, principal(c).Name)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (s *Server) handleGridExport(c *fiber.Ctx) error {
	v, err := plan.ExportVenue(c.UserContext(), s.DB, c.Params("code"))
	if err != nil {
		return err
	}
	enc := c.Query("encoding", "utf-8")
	if enc != "utf-8" && enc != "gb18030" {
		return badRequest("bad_encoding", "encoding 应为 utf-8 或 gb18030", "encoding must be utf-8 or gb18030")
	}
	var b bytes.Buffer
	if err := plan.GridCSV(v, c.Params("section"), &b); err != nil {
		return err
	}
	body := append([]byte("\ufeff"), b.Bytes()...) // Excel reads UTF-8 only with a BOM
	if enc == "gb18030" {                          // old WPS and Excel installs read the system's code page
		if body, err = simplifiedchinese.GB18030.NewEncoder().Bytes(b.Bytes()); err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset="+enc)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+v.Code+"-"+c.Params("section")+`.csv"`)
	return c.Send(body)
}

// handleGridImport replaces one section of a venue with a CSV grid (see
// plan.ParseGrid): ?x0=&y0=&pitch=&row_pitch= place it in metres and
// ?numbering=ltr|centre numbers the cells written "*".
func (s *Server) handleGridImport(c *fiber.Ctx) error {
	num := func(k string) float64 { f, _ := strconv.ParseFloat(c.Query(k), 64); return f }
	text, err := importer.DecodeText(c.Body()) // UTF-8 with or without a BOM, or GB18030
	var ie *importer.Error
	if errors.As(err, &ie) {
		return apierr.WithStatus(ie, fiber.StatusBadRequest) // the body, not a file
	}
	if err != nil {
		return err
	}
	section := c.Params("section")
	seats, err := plan.ParseGrid(section, strings.NewReader(text),
		plan.GridLayout{X0: num("x0"), Y0: num("y0"), Pitch: num("pitch"), RowPitch: num("row_pitch"), Numbering: c.Query("numbering")})
	if err != nil {
		return err
	}
	res, err := plan.ImportGrid(c.UserContext(), s.DB, c.Params("code"), section, seats, principal(c).Name)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

type venueJSON struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	NameEn string   `json:"name_en"`
	Kind   string   `json:"kind"`
	Doors  []string `json:"doors"`
}

// handleVenues lists the venues with their doors, for the lobby screen's
// directions.
func (s *Server) handleVenues(c *fiber.Ctx) error {
	cat := s.catalog()
	out := []venueJSON{}
	for _, id := range slices.Sorted(maps.Keys(cat.VenueByID)) {
		v := cat.Venues[cat.VenueByID[id]]
		doors := v.Doors
		if doors == nil {
			doors = []string{}
		}
		out = append(out, venueJSON{Code: v.Code, Name: v.Name, NameEn: v.NameEn, Kind: string(v.Kind), Doors: doors})
	}
	return c.JSON(out)
}

// handleSeatChart prints the 座次图: ?view=audience (观众视角, the default)
// or presidium (主席台视角); ?part=presidium for the stage alone; ?paper=a4
// (the default) or a3. A hall too large for one page prints as an
// overview and its sections.
func (s *Server) handleSeatChart(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	view := chart.View(c.Query("view", string(chart.Audience)))
	if view != chart.Audience && view != chart.Presidium {
		return badRequest("bad_view", "view 应为 audience（观众视角）或 presidium（主席台视角）", "view must be audience or presidium")
	}
	paper := chart.Paper(c.Query("paper", string(chart.A4)))
	if paper != chart.A4 && paper != chart.A3 {
		return badRequest("bad_paper", "paper 应为 a4 或 a3", "paper must be a4 or a3")
	}
	seats, err := seatmap.Of(c.UserContext(), s.DB, ss.ID, nil)
	if err != nil {
		return err
	}
	cat := s.catalog()
	ch := chart.Chart{Event: cat.Event.Name, Session: ss.Name, View: view, Paper: paper, PresidiumOnly: c.Query("part") == "presidium",
		Printed: time.Now().In(cat.Location).Format("2006-01-02 15:04")}
	for _, st := range seats {
		ch.Seats = append(ch.Seats, chart.Seat{Seat: st.Seat, Name: st.Name})
	}
	var b bytes.Buffer
	if err := ch.Write(&b); err != nil {
		return err
	}
	zh, _ := chart.ViewName(view)
	parts := []string{ss.Name, "座次图", zh}
	if ch.PresidiumOnly {
		parts = append(parts, "主席台")
	}
	if paper == chart.A3 {
		parts = append(parts, "A3")
	}
	return sendPDF(c, s.docName("pdf", parts...), b.Bytes())
}

// handleNameCards prints the presidium's 桌签 in rank order.
func (s *Server) handleNameCards(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	seats, err := seatmap.Of(c.UserContext(), s.DB, ss.ID, nil)
	if err != nil {
		return err
	}
	var on []seatmap.Seat
	for _, st := range seats {
		if st.Section == "presidium" && st.AttendeeID != 0 {
			on = append(on, st)
		}
	}
	slices.SortFunc(on, func(a, b seatmap.Seat) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.AttendeeID, b.AttendeeID))
	})
	cards := make([]chart.Card, len(on))
	for i, st := range on {
		cards[i] = chart.Card{Name: st.Name, Seat: st.Label}
	}
	var b bytes.Buffer
	if err := chart.Cards(&b, ss.Name, cards); err != nil {
		return err
	}
	return sendPDF(c, s.docName("pdf", ss.Name, "桌签"), b.Bytes())
}

// handleBanquetPlan prints the 桌次图 of one meal: in one dining hall
// (?venue=CODE), or without ?venue= in every hall of the meal, one page
// each; guests at each table in rank order; ?honour=left for 以左为尊
// (banquets default to 以右为尊); ?paper=a4 (the default, for the desk's
// printer) or a3.
func (s *Server) handleBanquetPlan(c *fiber.Ctx) error {
	cat := s.catalog()
	meal, ok := cat.Meals[c.Params("id")]
	if !ok {
		return errNotFound
	}
	honour := seating.HonourRight
	if c.Query("honour") == "left" {
		honour = seating.HonourLeft
	}
	paper := chart.Paper(c.Query("paper", string(chart.A4)))
	if paper != chart.A4 && paper != chart.A3 {
		return badRequest("bad_paper", "paper 应为 a4 或 a3", "paper must be a4 or a3")
	}
	plans, err := plan.Banquets(c.UserContext(), s.DB, cat, meal, c.Query("venue"), honour, paper)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := chart.WriteBanquets(&b, plans...); err != nil {
		return err
	}
	parts := []string{meal.Name}
	if code := c.Query("venue"); code != "" {
		parts = append(parts, cat.Venues[code].Name)
	}
	parts = append(parts, "桌次图")
	if paper == chart.A3 {
		parts = append(parts, "A3")
	}
	return sendPDF(c, s.docName("pdf", parts...), b.Bytes())
}
