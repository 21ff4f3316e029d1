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

	"huiwu/server/internal/auth"
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

	api.Get("/venues", anyone, s.handleVenues)
	api.Post("/venues", desk, s.handleVenueImport)
	api.Get("/venues/:code", desk, s.handleVenueExport)
	api.Get("/venues/:code/sections/:section/grid.csv", desk, s.handleGridExport)
	api.Put("/venues/:code/sections/:section/grid", desk, s.handleGridImport)
}

// planError turns the seating store's refusals into API errors.
func planError(err error) error {
	var pe *plan.Error
	var inUse *plan.ErrSeatsInUse
	switch {
	case errors.As(err, &inUse):
		e := apiError(fiber.StatusConflict, "seats_in_use", "仍有人员安排在将被删除的座位上，未做任何修改",
			"people are still assigned to seats the import would remove; nothing was changed")
		e.Details = fiber.Map{"seats": inUse.Labels}
		return e
	case errors.As(err, &pe):
		status := fiber.StatusBadRequest
		switch pe.Code {
		case "seat_taken", "seat_blocked":
			status = fiber.StatusConflict
		case "not_expected", "no_hall":
			status = fiber.StatusUnprocessableEntity
		case "unknown_seat", "seat_empty":
			status = fiber.StatusNotFound
		}
		return apiError(status, pe.Code, pe.Zh, pe.En)
	}
	return err
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
	r, err := plan.ReadRules(c.UserContext(), s.DB.R, ss)
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
		return planError(err)
	}
	if err := s.Reload(c.UserContext()); err != nil {
		return err
	}
	r, err = plan.ReadRules(c.UserContext(), s.DB.R, s.catalog().Sessions[ss.ID])
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
		return planError(err)
	}
	return c.JSON(rep)
}

func (s *Server) handleSeatingReport(c *fiber.Ctx) error {
	rep, err := plan.Validate(c.UserContext(), s.DB, s.catalog(), c.Params("id"))
	if err != nil {
		return planError(err)
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
		return planError(err)
	}
	return c.JSON(fiber.Map{"session_id": ss.ID, "seat": seat, "attendee_id": body.AttendeeID, "pinned": true})
}

func (s *Server) handleSeatUnpin(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	if err := plan.Unpin(c.UserContext(), s.DB, ss.ID, c.Params("seat"), principal(c).Name); err != nil {
		return planError(err)
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
		return planError(err)
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
		return planError(err)
	}
	if err := s.Reload(c.UserContext()); err != nil {
		return err
	}
	return c.JSON(res)
}

func (s *Server) handleGridExport(c *fiber.Ctx) error {
	v, err := plan.ExportVenue(c.UserContext(), s.DB, c.Params("code"))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("\ufeff") // Excel reads UTF-8 only with a BOM
	if err := plan.GridCSV(v, c.Params("section"), &b); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+v.Code+"-"+c.Params("section")+`.csv"`)
	return c.Send(b.Bytes())
}

// handleGridImport replaces one section of a venue with a CSV grid (see
// plan.ParseGrid): ?x0=&y0=&pitch=&row_pitch= place it in metres and
// ?numbering=ltr|centre numbers the cells written "*".
func (s *Server) handleGridImport(c *fiber.Ctx) error {
	num := func(k string) float64 { f, _ := strconv.ParseFloat(c.Query(k), 64); return f }
	body := bytes.TrimPrefix(c.Body(), []byte("\ufeff"))
	section := c.Params("section")
	seats, err := plan.ParseGrid(section, bytes.NewReader(body),
		plan.GridLayout{X0: num("x0"), Y0: num("y0"), Pitch: num("pitch"), RowPitch: num("row_pitch"), Numbering: c.Query("numbering")})
	if err != nil {
		return planError(err)
	}
	res, err := plan.ImportGrid(c.UserContext(), s.DB, c.Params("code"), section, seats, principal(c).Name)
	if err != nil {
		return planError(err)
	}
	if err := s.Reload(c.UserContext()); err != nil {
		return err
	}
	return c.JSON(res)
}

type absenteeJSON struct {
	AttendeeID int64  `json:"attendee_id"`
	Name       string `json:"name"`
}

// handleAbsentees lists who is expected, counted and neither present nor
// on leave — the 缺席 of the chair's sentence, names only, for the
// secretariat.
func (s *Server) handleAbsentees(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	cats := s.catalog().VotingCategories(ss)
	args := []any{ss.ID}
	in := ""
	for i, k := range cats {
		if i > 0 {
			in += ","
		}
		in += "?"
		args = append(args, k)
	}
	if in == "" {
		return c.JSON([]absenteeJSON{})
	}
	rows, err := s.DB.R.QueryContext(c.UserContext(), `SELECT a.id, a.name FROM session_attendees sa
		JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active'
		LEFT JOIN presence p ON p.session_id = sa.session_id AND p.attendee_id = sa.attendee_id
		LEFT JOIN leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id AND l.revoked_at IS NULL
		WHERE sa.session_id = ? AND p.attendee_id IS NULL AND l.id IS NULL AND a.category IN (`+in+`)
		ORDER BY a.rank, a.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	out := []absenteeJSON{}
	for rows.Next() {
		var a absenteeJSON
		if err := rows.Scan(&a.AttendeeID, &a.Name); err != nil {
			return err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return c.JSON(out)
}

type arrivalsJSON struct {
	Session string         `json:"session_id"`
	Bucket  int            `json:"bucket_seconds"`
	StartAt time.Time      `json:"starts_at"` // the session's start, for the chart's marker
	Minutes []arrivalCount `json:"minutes"`
	Total   int            `json:"total"`
}

type arrivalCount struct {
	At time.Time `json:"at"`
	N  int       `json:"n"`
}

// handleArrivals is the arrival curve: first entries per minute of the
// attendees counted for the quorum, from the presence table (one row per
// attendee, so re-entries do not count twice). Counts only, no names.
func (s *Server) handleArrivals(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	cat := s.catalog()
	cats := cat.VotingCategories(ss)
	args := []any{ss.ID}
	in := "0"
	if len(cats) > 0 {
		in = "a.category IN (?" + strings.Repeat(",?", len(cats)-1) + ")"
		for _, k := range cats {
			args = append(args, k)
		}
	}
	// Stored times are fixed-width UTC text: the first 16 characters are the
	// minute.
	rows, err := s.DB.R.QueryContext(c.UserContext(), `SELECT substr(p.first_in_at, 1, 16), count(*)
		FROM presence p JOIN attendees a ON a.id = p.attendee_id
		JOIN session_attendees sa ON sa.session_id = p.session_id AND sa.attendee_id = p.attendee_id
		WHERE p.session_id = ? AND `+in+` GROUP BY 1 ORDER BY 1`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	out := arrivalsJSON{Session: ss.ID, Bucket: 60, StartAt: ss.StartsAt.In(cat.Location), Minutes: []arrivalCount{}}
	for rows.Next() {
		var minute string
		var n int
		if err := rows.Scan(&minute, &n); err != nil {
			return err
		}
		at, err := time.Parse("2006-01-02T15:04", minute)
		if err != nil {
			return err
		}
		out.Minutes = append(out.Minutes, arrivalCount{At: at.In(cat.Location), N: n})
		out.Total += n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return c.JSON(out)
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
// or presidium (主席台视角); ?part=presidium for the stage alone.
func (s *Server) handleSeatChart(c *fiber.Ctx) error {
	ss, err := s.session(c)
	if err != nil {
		return err
	}
	view := chart.View(c.Query("view", string(chart.Audience)))
	if view != chart.Audience && view != chart.Presidium {
		return badRequest("bad_view", "view 应为 audience（观众视角）或 presidium（主席台视角）", "view must be audience or presidium")
	}
	seats, err := seatmap.Of(c.UserContext(), s.DB, ss.ID, nil)
	if err != nil {
		return err
	}
	cat := s.catalog()
	ch := chart.Chart{Event: cat.Event.Name, Session: ss.Name, View: view, PresidiumOnly: c.Query("part") == "presidium",
		Printed: time.Now().In(cat.Location).Format("2006-01-02 15:04")}
	for _, st := range seats {
		ch.Seats = append(ch.Seats, chart.Seat{Label: st.Label, Section: st.Section, Row: st.Row, Number: st.Number,
			Kind: st.Kind, X: st.X, Y: st.Y, Name: st.Name})
	}
	var b bytes.Buffer
	if err := ch.Write(&b); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	return c.Send(b.Bytes())
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
	c.Set(fiber.HeaderContentType, "application/pdf")
	return c.Send(b.Bytes())
}

// handleBanquetPlan prints the 桌次图 of one meal in one dining hall
// (?venue=CODE), guests at each table in rank order; ?honour=left for
// 以左为尊 (banquets default to 以右为尊).
func (s *Server) handleBanquetPlan(c *fiber.Ctx) error {
	cat := s.catalog()
	meal, ok := cat.Meals[c.Params("id")]
	if !ok {
		return errNotFound
	}
	v, ok := cat.Venues[c.Query("venue")]
	if !ok || v.Kind != "dining" {
		return badRequest("bad_venue", "请用 venue= 指定餐厅", "name the dining hall with venue=")
	}
	honour := seating.HonourRight
	if c.Query("honour") == "left" {
		honour = seating.HonourLeft
	}
	plan := chart.Banquet{Event: cat.Event.Name, Title: meal.Name + " · " + v.Name, Honour: honour}
	rows, err := s.DB.R.QueryContext(c.UserContext(), `SELECT t.number, t.seats, coalesce(a.name, '')
		FROM dining_tables t
		LEFT JOIN meal_tickets m ON m.venue_id = t.venue_id AND m.table_no = t.number AND m.meal_id = ?
		LEFT JOIN attendees a ON a.id = m.attendee_id AND a.status = 'active'
		WHERE t.venue_id = ? ORDER BY t.number, a.rank, a.id`, meal.ID, v.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var t chart.BanquetTable
		var name string
		if err := rows.Scan(&t.Number, &t.Seats, &name); err != nil {
			return err
		}
		if n := len(plan.Tables); n == 0 || plan.Tables[n-1].Number != t.Number {
			plan.Tables = append(plan.Tables, t)
		}
		if name != "" {
			last := &plan.Tables[len(plan.Tables)-1]
			last.Guests = append(last.Guests, name)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := plan.Write(&b); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	return c.Send(b.Bytes())
}
