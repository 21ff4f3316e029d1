package web

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/badge/render"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/exports"
	"huiwu/server/internal/store"
)

// hotelRoutes are the hotel desk's (issue 12.5, 12.6): the room board, a
// person's stay and its changes (换房, 加住, 退房, 滞留), the 住宿登记表 and
// 清退客房 to print. Rooms and travel are personal: desk and logistics only.
func (s *Server) hotelRoutes(api fiber.Router) {
	h := api.Group("/hotel", require(auth.RoleDesk, auth.RoleLogistics))
	h.Get("/hotels", s.handleHotels)
	h.Get("/board", s.handleRoomBoard)
	h.Get("/free", s.handleFreeRooms)
	h.Get("/stays", s.handleStays)
	h.Get("/stays/:id", s.handleStay)
	h.Post("/stays/:id/move", s.handleRoomMove)
	h.Post("/stays/:id/nights", s.handleStayNights)
	h.Post("/stays/:id/checkout", s.handleCheckOut)
	h.Post("/stays/:id/stranded", s.handleStranded)
	h.Get("/register.pdf", s.handleRegisterPDF)
	h.Get("/register.xlsx", s.handleRegisterXLSX)
	h.Get("/clearance", s.handleClearance)
	h.Get("/clearance.pdf", s.handleClearancePDF)
	h.Get("/clearance.xlsx", s.handleClearanceXLSX)
}

// hotelError turns the hotel desk's refusals into API errors.
func hotelError(err error) error {
	var full *store.RoomFullError
	if errors.As(err, &full) {
		var zh, en []string
		for _, n := range full.Nights {
			names := strings.Join(n.Names, "、")
			zh = append(zh, fmt.Sprintf("%s 夜（%s）", n.Night[5:], names))
			en = append(en, fmt.Sprintf("the night of %s (%s)", n.Night, names))
		}
		e := apiError(fiber.StatusConflict, "room_full",
			fmt.Sprintf("%s 房（%d 床）已住满：%s。确需安排，请勾选“仍然安排”并写明原因", full.Room, full.Beds, strings.Join(zh, "，")),
			fmt.Sprintf("room %s (%d beds) is full on %s; to put the person there anyway, tick \"anyway\" and give a reason",
				full.Room, full.Beds, strings.Join(en, ", ")))
		e.Details = full
		return e
	}
	return errWords{
		{store.ErrNoSuchRoom, fiber.StatusNotFound, "no_such_room", "该酒店没有这个房间", "the hotel has no such room"},
		{store.ErrNoSuchHotel, fiber.StatusNotFound, "no_such_hotel", "没有这家酒店", "no such hotel"},
		{store.ErrNotLodged, fiber.StatusNotFound, "not_lodged", "此人没有住宿安排", "this person has no hotel room"},
		{store.ErrNotCheckedIn, fiber.StatusConflict, "not_checked_in", "此人尚未在酒店报到入住，不能退房", "this person has not checked in at the hotel; nothing to check out"},
		{store.ErrCheckedOut, fiber.StatusConflict, "checked_out", "此人已经退房", "this person has checked out already"},
		{store.ErrSameRoom, fiber.StatusConflict, "same_room", "此人已住在这个房间", "this person is in that room already"},
		{store.ErrReasonRequired, fiber.StatusUnprocessableEntity, "reason_required", "请写明原因", "give a reason"},
		{store.ErrBadNights, fiber.StatusUnprocessableEntity, "bad_nights", "住宿日期有误：入住日期应早于离店日期（格式 2026-03-04）",
			"the dates are not a stay: the first night must come before the day of leaving (2026-03-04)"},
		{store.ErrStayOver, fiber.StatusConflict, "stay_over", "此人的住宿从这天起已无剩余夜数；如需多住，请先加住或按滞留登记临时房",
			"the stay has no nights left from that day; add nights, or register a stranding with a temporary room"},
		{store.ErrNoDeparture, fiber.StatusConflict, "no_departure", "此人没有登记返程，无法取消或改签；可只登记住宿", "no departure is recorded for this person; register the room only"},
		{store.ErrBadStranding, fiber.StatusUnprocessableEntity, "bad_stranding", "请选择返程如何处理（取消、改签或不变）和住宿如何安排（加住、临时房或不变），至少改变一项",
			"choose what happens to the departure (cancel, rebook, keep) and to the room (extend, temporary, none), and change at least one"},
		{store.ErrBadLeg, fiber.StatusUnprocessableEntity, "bad_leg", "改签的返程信息有误：请检查方式、日期、时间和站点", "the new departure is not valid: check its mode, date, time and station"},
	}.word(err)
}

// hotelInfo is a hotel for the page's choice.
type hotelInfo struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en,omitempty"`
}

// hotels are the event's hotels in code order, and the day today on the
// event's clock (the page's default night).
func (s *Server) handleHotels(c *fiber.Ctx) error {
	cat := s.catalog()
	out := []hotelInfo{}
	for _, v := range cat.Venues {
		if v.Kind == domain.VenueHotel {
			out = append(out, hotelInfo{v.Code, v.Name, v.NameEn})
		}
	}
	slices.SortFunc(out, func(a, b hotelInfo) int { return strings.Compare(a.Code, b.Code) })
	return c.JSON(fiber.Map{"hotels": out, "today": time.Now().In(cat.Location).Format(time.DateOnly)})
}

// handleRoomBoard answers ?hotel=CODE's rooms × nights (?from= the first
// night, ?until= the day after the last; by default the nights anyone is
// there).
func (s *Server) handleRoomBoard(c *fiber.Ctx) error {
	b, err := s.DB.RoomBoard(c.UserContext(), s.catalog(), c.Query("hotel"), c.Query("from"), c.Query("until"))
	if err != nil {
		return hotelError(err)
	}
	return c.JSON(b)
}

// handleFreeRooms lists the rooms of ?hotel= with a bed for ?attendee= (and
// their companions) on each night from ?from= up to ?until=.
func (s *Server) handleFreeRooms(c *fiber.Ctx) error {
	cat := s.catalog()
	from, until := c.Query("from"), c.Query("until")
	if from == "" || until == "" {
		return hotelError(store.ErrBadNights)
	}
	b, err := s.DB.RoomBoard(c.UserContext(), cat, c.Query("hotel"), from, until)
	if err != nil {
		return hotelError(err)
	}
	heads, who := 1, int64(c.QueryInt("attendee"))
	if who != 0 {
		st, err := s.DB.Stay(c.UserContext(), cat, who)
		if err != nil && !errors.Is(err, store.ErrNotLodged) {
			return err
		}
		heads += st.Companions
	}
	return c.JSON(fiber.Map{"hotel": b.Hotel, "nights": b.Nights, "rooms": b.Free(b.Nights, heads, who)})
}

// handleStays finds stays by ?q= (name, pinyin, initials, room) in ?hotel=.
func (s *Server) handleStays(c *fiber.Ctx) error {
	list, err := s.DB.Stays(c.UserContext(), s.catalog(), store.StayFilter{Hotel: c.Query("hotel"), Q: c.Query("q"), Limit: c.QueryInt("limit", 30)})
	if err != nil {
		return hotelError(err)
	}
	return c.JSON(list)
}

// handleStay answers a person's stay, the changes made to it and their
// departures (those cancelled or rebooked too).
func (s *Server) handleStay(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	return s.answerStay(c, int64(id), nil)
}

func (s *Server) answerStay(c *fiber.Ctx, id int64, leg *store.Leg) error {
	ctx, cat := c.UserContext(), s.catalog()
	st, err := s.DB.Stay(ctx, cat, id)
	if err != nil {
		return hotelError(err)
	}
	moves, err := s.DB.RoomMoves(ctx, cat, id)
	if err != nil {
		return err
	}
	legs, err := s.DB.Legs(ctx, store.LegFilter{Attendee: id, Direction: store.Departure, Cancelled: true})
	if err != nil {
		return err
	}
	names, err := s.stationNames(c)
	if err != nil {
		return err
	}
	out := fiber.Map{"stay": st, "moves": moves, "departures": legs, "stations": names}
	if leg != nil {
		out["leg"] = leg
	}
	return c.JSON(out)
}

// stayChange decodes a change's body, applies it to :id's stay and
// answers the stay as handleStay does.
func stayChange[T any](s *Server, c *fiber.Ctx, apply func(id int64, body T, actor string) (*store.Leg, error)) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var body T
	if err := readJSON(c, &body); err != nil {
		return err
	}
	leg, err := apply(int64(id), body, principal(c).Name)
	if err != nil {
		return hotelError(err)
	}
	return s.answerStay(c, int64(id), leg)
}

func (s *Server) handleRoomMove(c *fiber.Ctx) error {
	return stayChange(s, c, func(id int64, body store.RoomChange, actor string) (*store.Leg, error) {
		_, err := s.DB.MoveRoom(c.UserContext(), s.catalog(), id, body, actor)
		return nil, err
	})
}

func (s *Server) handleStayNights(c *fiber.Ctx) error {
	return stayChange(s, c, func(id int64, body store.NightsChange, actor string) (*store.Leg, error) {
		_, err := s.DB.SetNights(c.UserContext(), s.catalog(), id, body, actor)
		return nil, err
	})
}

type checkoutBody struct {
	Reason string `json:"reason"`
}

func (s *Server) handleCheckOut(c *fiber.Ctx) error {
	return stayChange(s, c, func(id int64, body checkoutBody, actor string) (*store.Leg, error) {
		_, err := s.DB.CheckOut(c.UserContext(), s.catalog(), id, body.Reason, actor)
		return nil, err
	})
}

// strandBody is a stranding as the page sends it: the new departure's
// time is a wall-clock HH:MM on its date, in the event's zone.
type strandBody struct {
	Departure string `json:"departure"`
	Next      *struct {
		Mode      string `json:"mode"`
		Number    string `json:"number"`
		StationID int64  `json:"station_id"`
		OnDate    string `json:"on_date"`
		Time      string `json:"time"`
		Ticket    string `json:"ticket"`
		TicketNo  string `json:"ticket_no"`
	} `json:"next"`
	Stay   string `json:"stay"`
	Hotel  string `json:"hotel"`
	Room   string `json:"room"`
	From   string `json:"from"`
	Until  string `json:"until"`
	Reason string `json:"reason"`
	Force  bool   `json:"force"`
}

func (s *Server) handleStranded(c *fiber.Ctx) error {
	return stayChange(s, c, func(id int64, b strandBody, actor string) (*store.Leg, error) {
		cat := s.catalog()
		st := store.Stranding{Departure: b.Departure, Stay: b.Stay, Hotel: b.Hotel, Room: b.Room, From: b.From, Until: b.Until,
			Reason: b.Reason, Force: b.Force}
		if n := b.Next; n != nil {
			st.Next = store.Leg{Mode: n.Mode, Number: strings.TrimSpace(n.Number), StationID: n.StationID, OnDate: n.OnDate,
				Ticket: n.Ticket, TicketNo: strings.TrimSpace(n.TicketNo), Source: "desk"}
			if n.Time != "" {
				at, err := time.ParseInLocation("2006-01-02 15:04", n.OnDate+" "+n.Time, cat.Location)
				if err != nil {
					return nil, store.ErrBadLeg
				}
				st.Next.At = &at
			}
		}
		res, err := s.DB.Strand(c.UserContext(), cat, id, st, actor)
		return res.Leg, err
	})
}

// registerSheet is the 住宿登记表 of ?hotel= for the night ?night=.
func (s *Server) registerSheet(c *fiber.Ctx) (*render.ListSheet, error) {
	cat := s.catalog()
	night := c.Query("night")
	t, err := time.Parse(time.DateOnly, night)
	if err != nil {
		return nil, hotelError(store.ErrBadNights)
	}
	b, err := s.DB.RoomBoard(c.UserContext(), cat, c.Query("hotel"), night, t.AddDate(0, 0, 1).Format(time.DateOnly))
	if err != nil {
		return nil, hotelError(err)
	}
	return exports.RoomRegister(cat.Event.Name, b, 0, time.Now().In(cat.Location).Format("2006-01-02 15:04")), nil
}

func (s *Server) handleRegisterPDF(c *fiber.Ctx) error {
	sheet, err := s.registerSheet(c)
	if err != nil {
		return err
	}
	return sendList(c, sheet, "住宿登记表-"+c.Query("hotel")+"-"+c.Query("night"), "register", false)
}

func (s *Server) handleRegisterXLSX(c *fiber.Ctx) error {
	sheet, err := s.registerSheet(c)
	if err != nil {
		return err
	}
	return sendList(c, sheet, "住宿登记表-"+c.Query("hotel")+"-"+c.Query("night"), "register", true)
}

// handleClearance is 清退客房: who is checked in and not out, in ?hotel=
// (every hotel without it), due to leave by ?by= (any day without it).
func (s *Server) handleClearance(c *fiber.Ctx) error {
	list, err := s.DB.Clearance(c.UserContext(), s.catalog(), c.Query("hotel"), c.Query("by"))
	if err != nil {
		return hotelError(err)
	}
	return c.JSON(list)
}

func (s *Server) clearanceSheet(c *fiber.Ctx) (*render.ListSheet, error) {
	ctx, cat := c.UserContext(), s.catalog()
	list, err := s.DB.Clearance(ctx, cat, c.Query("hotel"), c.Query("by"))
	if err != nil {
		return nil, hotelError(err)
	}
	names, err := s.stationNames(c)
	if err != nil {
		return nil, err
	}
	hotels := map[string]string{}
	for _, v := range cat.Venues {
		hotels[v.Code] = v.Name
	}
	return exports.Clearance(cat.Event.Name, list, hotels, names, c.Query("by"), cat.Location,
		time.Now().In(cat.Location).Format("2006-01-02 15:04")), nil
}

func (s *Server) handleClearancePDF(c *fiber.Ctx) error {
	sheet, err := s.clearanceSheet(c)
	if err != nil {
		return err
	}
	return sendList(c, sheet, "清退客房", "clearance", false)
}

func (s *Server) handleClearanceXLSX(c *fiber.Ctx) error {
	sheet, err := s.clearanceSheet(c)
	if err != nil {
		return err
	}
	return sendList(c, sheet, "清退客房", "clearance", true)
}

// stationNames names the stations by id, for words about departures.
func (s *Server) stationNames(c *fiber.Ctx) (map[int64]string, error) {
	stations, err := s.DB.Stations(c.UserContext())
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, x := range stations {
		names[x.ID] = x.Name
	}
	return names, nil
}
