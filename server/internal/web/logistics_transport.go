package web

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/badge/render"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/exports"
	"huiwu/server/internal/logistics/transport"
	"huiwu/server/internal/store"
)

// transportRoutes mount the 接站一览表 and its vehicles (issue 12.2) and
// the departures grouped the same way (12.6): the day's groups by station
// and window, vehicles, runs and their passengers, the automatic fill
// (previewed, then applied), and the sheets per station and per vehicle.
// Travel is personal: desk and logistics roles only (admin passes); no
// answer carries an attendee's phone or ID number, and a sheet prints a
// phone only where the desk lets drivers have it.
func (s *Server) transportRoutes(api fiber.Router) {
	r := require(auth.RoleDesk, auth.RoleLogistics)
	api.Get("/transport/groups", r, s.handleTransportGroups)
	api.Post("/transport/fill", r, s.handleTransportFill)
	api.Get("/transport/vehicles", r, s.handleVehicles)
	api.Post("/transport/vehicles", r, s.handleVehicleCreate)
	api.Patch("/transport/vehicles/:id", r, s.handleVehicleChange)
	api.Delete("/transport/vehicles/:id", r, s.handleVehicleRemove)
	api.Post("/transport/runs", r, s.handleRunCreate)
	api.Patch("/transport/runs/:id", r, s.handleRunChange)
	api.Delete("/transport/runs/:id", r, s.handleRunRemove)
	api.Put("/transport/legs/:id/run", r, s.handleLegRun)
	api.Put("/transport/driver-phones/:attendee", r, s.handleDriverPhone)
	api.Get("/transport/contact", r, s.handleContact)
	api.Put("/transport/contact", r, s.handleContactSet)
	api.Post("/transport/stations/:id/merge", r, s.handleStationMerge)
	api.Get("/transport/stations/:id/sheet.pdf", r, s.handleStationSheet(false))
	api.Get("/transport/stations/:id/sheet.xlsx", r, s.handleStationSheet(true))
	api.Get("/transport/vehicles/:id/sheet.pdf", r, s.handleVehicleSheet(false))
	api.Get("/transport/vehicles/:id/sheet.xlsx", r, s.handleVehicleSheet(true))
}

// transportError words the store's and the fill's refusals: a full
// vehicle with its numbers, a bad vehicle with what is wrong, then a table
// of the sentinel errors.
func transportError(err error) error {
	var capErr *store.CapacityError
	switch {
	case errors.As(err, &capErr):
		e := apiError(fiber.StatusConflict, "over_capacity",
			fmt.Sprintf("车辆 %s 只有 %d 个座位，需要 %d 个（随行人员也占座）", capErr.Vehicle, capErr.Seats, capErr.Need),
			fmt.Sprintf("vehicle %s has %d seats, %d are needed (companions take seats too)", capErr.Vehicle, capErr.Seats, capErr.Need))
		e.Details = fiber.Map{"vehicle": capErr.Vehicle, "seats": capErr.Seats, "need": capErr.Need}
		return e
	case errors.Is(err, store.ErrBadVehicle):
		return badRequest("bad_vehicle", "车辆信息有误：类型须为轿车、商务车或大客车，座位 1 到 100 个，车牌和司机不超过 20 和 40 字（"+err.Error()+"）",
			"bad vehicle: kind car, van or bus, 1 to 100 seats, plate and driver at most 20 and 40 characters ("+err.Error()+")")
	}
	return errWords{
		{store.ErrVehicleCode, fiber.StatusConflict, "vehicle_code_taken", "该车辆编号已被使用", "that vehicle code is taken"},
		{store.ErrVehicleHasRuns, fiber.StatusConflict, "vehicle_has_runs", "该车辆已有派车任务，请先删除或改派这些任务",
			"the vehicle has runs: remove them or give them another vehicle first"},
		{store.ErrLegTaken, fiber.StatusConflict, "leg_taken", "该人员已在另一辆车上，未做修改", "that person is on another vehicle; nothing was changed"},
		{store.ErrLegMismatch, fiber.StatusConflict, "leg_mismatch", "该人员的方向或站点与这趟车不符，或行程已取消",
			"that person's direction or station is not the run's, or the trip was cancelled"},
		{store.ErrBadRun, fiber.StatusBadRequest, "bad_run", "派车信息不完整：需要车辆、站点、方向和时间", "a run needs a vehicle, a station, a direction and a time"},
		{transport.ErrBadQuery, fiber.StatusBadRequest, "bad_query", "方向须为 arrival 或 departure，日期为 YYYY-MM-DD", "direction must be arrival or departure, date YYYY-MM-DD"},
		{transport.ErrNoPlan, fiber.StatusBadRequest, "plan_required", "请先预览自动派车（dry_run=1），再按预览的方案执行", "preview the fill first (dry_run=1), then apply the plan it answered"},
	}.word(err)
}

// transportQuery reads ?direction=&date=&station=&window= (minutes).
func transportQuery(c *fiber.Ctx) (transport.Query, error) {
	q := transport.Query{Direction: c.Query("direction"), Date: c.Query("date"), Station: int64(c.QueryInt("station"))}
	w := c.QueryInt("window")
	if c.Query("window") != "" && (w < 5 || w > 360) {
		return q, badRequest("bad_window", "分组时长须为 5 到 360 分钟", "the window must be 5 to 360 minutes")
	}
	q.Window = time.Duration(w) * time.Minute
	return q, nil
}

func (s *Server) handleTransportGroups(c *fiber.Ctx) error {
	q, err := transportQuery(c)
	if err != nil {
		return err
	}
	v, err := transport.Load(c.UserContext(), s.DB, s.catalog().Location, q, time.Now())
	if err != nil {
		return transportError(err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(v)
}

// handleTransportFill plans vehicles for a day's groups: with ?dry_run=1
// the plan and its id, nothing stored; without, the plan is made again
// and stored if it is the one previewed (body "plan": its id), else 409
// plan_changed with the new plan in details.
func (s *Server) handleTransportFill(c *fiber.Ctx) error {
	var body struct {
		Direction string `json:"direction"`
		Date      string `json:"date"`
		Station   int64  `json:"station_id"`
		Window    int    `json:"window"`     // minutes
		RoundTrip int    `json:"round_trip"` // minutes
		Lead      int    `json:"lead"`       // minutes, departures
		Plan      string `json:"plan"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	for _, v := range []struct {
		n, lo, hi int
		name      string
	}{{body.Window, 5, 360, "window"}, {body.RoundTrip, 10, 600, "round_trip"}, {body.Lead, 10, 600, "lead"}} {
		if v.n != 0 && (v.n < v.lo || v.n > v.hi) {
			return badRequest("bad_"+v.name, fmt.Sprintf("%s 须为 %d 到 %d 分钟", v.name, v.lo, v.hi),
				fmt.Sprintf("%s must be %d to %d minutes", v.name, v.lo, v.hi))
		}
	}
	req := transport.FillRequest{Query: transport.Query{Direction: body.Direction, Date: body.Date, Station: body.Station,
		Window: time.Duration(body.Window) * time.Minute}, RoundTrip: time.Duration(body.RoundTrip) * time.Minute,
		Lead: time.Duration(body.Lead) * time.Minute, Plan: body.Plan}
	dry := c.QueryBool("dry_run")
	ans, err := transport.Fill(c.UserContext(), s.DB, s.catalog().Location, req, !dry, time.Now(), principal(c).Name)
	if errors.Is(err, transport.ErrPlanChanged) {
		e := apiError(fiber.StatusConflict, "plan_changed", "预览之后人员或车辆有变化，方案已不同，未做修改；请查看新的预览",
			"people or vehicles changed since the preview and the plan is not the same; nothing was stored, look at the new preview")
		e.Details = ans
		return e
	}
	if err != nil {
		return transportError(err)
	}
	return c.JSON(ans)
}

func (s *Server) handleVehicles(c *fiber.Ctx) error {
	vs, err := s.DB.Vehicles(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(vs)
}

// vehicleBody is a vehicle as the page sends it; absent fields stay as
// they are on a change.
type vehicleBody struct {
	Code        *string `json:"code"`
	Kind        *string `json:"kind"`
	Seats       *int    `json:"seats"`
	Plate       *string `json:"plate"`
	Driver      *string `json:"driver"`
	DriverPhone *string `json:"driver_phone"`
	Notes       *string `json:"notes"`
	Sort        *int    `json:"sort"`
}

func (b vehicleBody) onto(v *store.Vehicle) {
	for _, f := range []struct {
		src *string
		dst *string
	}{{b.Code, &v.Code}, {b.Kind, &v.Kind}, {b.Plate, &v.Plate}, {b.Driver, &v.Driver}, {b.DriverPhone, &v.DriverPhone}, {b.Notes, &v.Notes}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if b.Seats != nil {
		v.Seats = *b.Seats
	}
	if b.Sort != nil {
		v.Sort = *b.Sort
	}
}

func (s *Server) handleVehicleCreate(c *fiber.Ctx) error {
	var b vehicleBody
	if err := readJSON(c, &b); err != nil {
		return err
	}
	var v store.Vehicle
	b.onto(&v)
	v, err := s.DB.SaveVehicle(c.UserContext(), v, principal(c).Name)
	if err != nil {
		return transportError(err)
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

func (s *Server) handleVehicleChange(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var b vehicleBody
	if err := readJSON(c, &b); err != nil {
		return err
	}
	v, err := s.DB.Vehicle(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	b.onto(&v)
	if v, err = s.DB.SaveVehicle(c.UserContext(), v, principal(c).Name); err != nil {
		return transportError(err)
	}
	return c.JSON(v)
}

func (s *Server) handleVehicleRemove(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	if err := s.DB.RemoveVehicle(c.UserContext(), int64(id), principal(c).Name); err != nil {
		return transportError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) handleRunCreate(c *fiber.Ctx) error {
	var b struct {
		VehicleID int64     `json:"vehicle_id"`
		Direction string    `json:"direction"`
		StationID int64     `json:"station_id"`
		At        time.Time `json:"at"`
		Legs      []int64   `json:"legs"`
		Notes     string    `json:"notes"`
	}
	if err := readJSON(c, &b); err != nil {
		return err
	}
	r, err := s.DB.CreateRun(c.UserContext(), store.Run{VehicleID: b.VehicleID, Direction: b.Direction, StationID: b.StationID,
		At: b.At, Legs: b.Legs, Notes: b.Notes}, principal(c).Name)
	if err != nil {
		return transportError(err)
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (s *Server) handleRunChange(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var b struct {
		VehicleID int64      `json:"vehicle_id"`
		At        *time.Time `json:"at"`
		State     string     `json:"state"`
		Notes     *string    `json:"notes"`
	}
	if err := readJSON(c, &b); err != nil {
		return err
	}
	r, err := s.DB.ChangeRun(c.UserContext(), int64(id), store.RunChange{VehicleID: b.VehicleID, At: b.At, State: b.State, Notes: b.Notes},
		principal(c).Name)
	if err != nil {
		return transportError(err)
	}
	return c.JSON(r)
}

func (s *Server) handleRunRemove(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	if err := s.DB.RemoveRun(c.UserContext(), int64(id), principal(c).Name); err != nil {
		return transportError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handleLegRun puts a leg on run {"run_id"} (0: on none), taking it off
// the run it was on.
func (s *Server) handleLegRun(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var b struct {
		RunID int64 `json:"run_id"`
	}
	if err := readJSON(c, &b); err != nil {
		return err
	}
	if err := s.DB.MoveLeg(c.UserContext(), int64(id), b.RunID, principal(c).Name); err != nil {
		return transportError(err)
	}
	return c.JSON(fiber.Map{"leg_id": id, "run_id": b.RunID})
}

// handleDriverPhone records whether drivers may have the attendee's phone
// ({"phone_to_driver": bool}).
func (s *Server) handleDriverPhone(c *fiber.Ctx) error {
	id, err := c.ParamsInt("attendee")
	if err != nil {
		return errNotFound
	}
	var b struct {
		On *bool `json:"phone_to_driver"`
	}
	if err := readJSON(c, &b); err != nil {
		return err
	}
	if b.On == nil {
		return badRequest("bad_field", "缺少 phone_to_driver（true 或 false）", "phone_to_driver (true or false) is missing")
	}
	if err := s.DB.SetPhoneToDriver(c.UserContext(), int64(id), *b.On, principal(c).Name); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"attendee_id": id, "phone_to_driver": *b.On})
}

func (s *Server) handleContact(c *fiber.Ctx) error {
	ct, err := s.DB.TransportContact(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(ct)
}

func (s *Server) handleContactSet(c *fiber.Ctx) error {
	var b store.TransportContact
	if err := readJSON(c, &b); err != nil {
		return err
	}
	ct, err := s.DB.SetTransportContact(c.UserContext(), b, principal(c).Name)
	if err != nil {
		return badRequest("bad_contact", "联系人姓名不超过 40 字，电话不超过 30 字", "the contact's name is at most 40 characters, the phone 30")
	}
	return c.JSON(ct)
}

func (s *Server) paper() transport.Paper {
	cat := s.catalog()
	return transport.Paper{Event: cat.Event.Name, Loc: cat.Location, Printed: time.Now()}
}

// sendList answers a list as a PDF or an XLSX named name.
func sendList(c *fiber.Ctx, sheet *render.ListSheet, name, fallback string, xlsx bool) error {
	var buf bytes.Buffer
	if xlsx {
		if err := exports.WriteListXLSX(&buf, sheet); err != nil {
			return err
		}
		return sendFile(c, name+".xlsx", fallback+".xlsx", xlsxType, buf.Bytes())
	}
	r, err := render.Default()
	if err != nil {
		return err
	}
	if _, err := r.ListPDF(&buf, sheet); err != nil {
		return printError(err)
	}
	return sendPDF(c, name+".pdf", buf.Bytes())
}

// handleStationSheet answers station :id's 接站一览表 (送站一览表 with
// ?direction=departure) for ?date=, grouped by ?window=.
func (s *Server) handleStationSheet(xlsx bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := transportQuery(c)
		if err != nil {
			return err
		}
		id, err := c.ParamsInt("id")
		if err != nil || id <= 0 {
			return errNotFound
		}
		q.Station = int64(id)
		sheet, err := transport.StationSheet(c.UserContext(), s.DB, s.paper(), q)
		if err != nil {
			return transportError(err)
		}
		return sendList(c, sheet, sheet.Title, fmt.Sprintf("station-%d", id), xlsx)
	}
}

// handleStationMerge merges station :id into {"into": ID}: two spellings
// of one airport, made two stations by an import, become one; its people,
// runs and spellings go to the station kept.
func (s *Server) handleStationMerge(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return errNotFound
	}
	var b struct {
		Into int64 `json:"into"`
	}
	if err := readJSON(c, &b); err != nil {
		return err
	}
	if b.Into == int64(id) {
		return apiError(fiber.StatusUnprocessableEntity, "same_station", "不能把站点合并到它自己", "a station cannot be merged into itself")
	}
	if err := s.DB.MergeStation(c.UserContext(), int64(id), b.Into, principal(c).Name); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handleVehicleSheet answers vehicle :id's 派车单 for ?date= (today by
// default).
func (s *Server) handleVehicleSheet(xlsx bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := c.ParamsInt("id")
		if err != nil || id <= 0 {
			return errNotFound
		}
		p := s.paper()
		date := c.Query("date", p.Printed.In(p.Loc).Format(time.DateOnly))
		sheet, err := transport.VehicleSheet(c.UserContext(), s.DB, p, int64(id), date)
		if err != nil {
			return transportError(err)
		}
		return sendList(c, sheet, "派车单-"+date, fmt.Sprintf("vehicle-%d-%s", id, date), xlsx)
	}
}
