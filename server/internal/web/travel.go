package web

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/logistics"
	"huiwu/server/internal/store"
)

// travelRoutes mounts an attendee's travel as the desk card shows and
// edits it (issue 12.1). Travel is personal: the desk and logistics roles
// only.
func (s *Server) travelRoutes(api fiber.Router) {
	t := require(auth.RoleDesk, auth.RoleLogistics)
	api.Get("/attendees/:id/travel", t, s.handleTravel)
	api.Put("/attendees/:id/travel", t, s.handleTravelSave)
}

// legJSON is a live leg as the card shows it: the station by name, the
// time on the event's clock.
type legJSON struct {
	ID         int64     `json:"id"`
	Mode       string    `json:"mode"`
	Number     string    `json:"number"`
	StationID  int64     `json:"station_id,omitempty"`
	Station    string    `json:"station"`
	Date       string    `json:"date"`
	Time       string    `json:"time"`
	Companions int       `json:"companions"`
	Ticket     string    `json:"ticket,omitempty"`
	TicketNo   string    `json:"ticket_no,omitempty"`
	Notes      string    `json:"notes"`
	State      string    `json:"state"`
	Source     string    `json:"source"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// travelJSON is an attendee's arrival and departure (null when none) and
// the stations the card offers.
type travelJSON struct {
	AttendeeID int64           `json:"attendee_id"`
	Arrival    *legJSON        `json:"arrival"`
	Departure  *legJSON        `json:"departure"`
	Stations   []store.Station `json:"stations"`
}

func (s *Server) travelOf(c *fiber.Ctx, id int64) (travelJSON, error) {
	out := travelJSON{AttendeeID: id}
	ctx := c.UserContext()
	if _, err := s.DB.Attendee(ctx, id); err != nil {
		return out, err
	}
	legs, err := s.DB.Legs(ctx, store.LegFilter{Attendee: id})
	if err != nil {
		return out, err
	}
	if out.Stations, err = s.DB.Stations(ctx); err != nil {
		return out, err
	}
	names := map[int64]string{}
	for _, st := range out.Stations {
		names[st.ID] = st.Name
	}
	loc := s.catalog().Location
	for _, l := range legs {
		j := &legJSON{ID: l.ID, Mode: l.Mode, Number: l.Number, StationID: l.StationID, Station: names[l.StationID],
			Date: l.OnDate, Companions: l.Companions, Ticket: l.Ticket, TicketNo: l.TicketNo, Notes: l.Notes,
			State: l.State, Source: l.Source, UpdatedAt: l.UpdatedAt}
		if l.At != nil {
			j.Time = l.At.In(loc).Format("15:04")
		}
		if l.Direction == store.Arrival {
			out.Arrival = j
		} else {
			out.Departure = j
		}
	}
	return out, nil
}

// handleTravel answers an attendee's travel.
func (s *Server) handleTravel(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	t, err := s.travelOf(c, int64(id))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(t)
}

// handleTravelSave takes {"arrival": {…}, "departure": {…}}: a direction
// given as a form becomes the live leg, given as null (or an empty form)
// is cleared, left out is left as it is. Every field's problem is answered
// at once, 422 invalid_fields, and nothing is stored.
func (s *Server) handleTravelSave(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var body struct {
		Arrival   json.RawMessage `json:"arrival"`
		Departure json.RawMessage `json:"departure"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	year := time.Now().In(s.catalog().Location).Year()
	if d, err := time.Parse(time.DateOnly, s.catalog().Event.StartsOn); err == nil {
		year = d.Year()
	}
	trips := map[string]*domain.Trip{}
	var problems []logistics.FieldProblem
	for _, d := range []struct {
		dir string
		raw json.RawMessage
	}{{store.Arrival, body.Arrival}, {store.Departure, body.Departure}} {
		if len(d.raw) == 0 {
			continue
		}
		var f *logistics.TripForm
		dec := json.NewDecoder(bytes.NewReader(d.raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return badRequest("bad_field", "“"+d.dir+"”的内容不对："+err.Error(), d.dir+" is not a travel form: "+err.Error())
		}
		if f == nil || f.Empty() {
			trips[d.dir] = nil
			continue
		}
		t, ps := f.Trip(year, d.dir == store.Departure)
		for _, p := range ps {
			p.Field = d.dir + "." + p.Field
			problems = append(problems, p)
		}
		trips[d.dir] = &t
	}
	if len(problems) > 0 {
		e := apiError(fiber.StatusUnprocessableEntity, "invalid_fields", "填写的内容有误："+problems[0].Message,
			"some fields are invalid: "+problems[0].MessageEn)
		e.Details = fiber.Map{"fields": problems}
		return e
	}
	if len(trips) == 0 {
		return badRequest("nothing_to_save", "请给出 arrival 或 departure", "give arrival or departure")
	}
	if err := s.DB.SaveTravel(c.UserContext(), int64(id), trips, s.catalog().Location, principal(c).Name); err != nil {
		return err
	}
	t, err := s.travelOf(c, int64(id))
	if err != nil {
		return err
	}
	return c.JSON(t)
}
