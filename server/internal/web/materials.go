package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/store"
)

// materialsRoutes are 资料发放's (issue 13.2): the items and kits, the
// counts for the stockroom, who has not collected what, the desk's hand
// entry for someone without a badge, the 资料领取签收表 and the counts as
// a workbook. Handing out by scan goes through POST /checkins at a
// checkpoint that hands items out, or POST /materials/scan at the desk.
// Desk only: the lists name people.
func (s *Server) materialsRoutes(api fiber.Router) {
	m := api.Group("/materials", require(auth.RoleDesk))
	m.Get("", s.handleMaterials)
	m.Get("/config", s.handleMaterialsConfig)
	m.Put("/config", s.handleMaterialsSave)
	m.Put("/items/:code/stock", s.handleItemStock)
	m.Get("/owed", s.handleOwed)
	m.Post("/scan", s.handleDeskScan)
	m.Post("/handouts", s.handleHandout)
	m.Post("/handouts/undo", s.handleHandoutUndo)
	m.Get("/signsheet.pdf", s.handleSignSheetPDF)
	m.Get("/counts.xlsx", s.handleMaterialCountsXLSX)
}

// materialsError turns the store's refusals into API errors.
func materialsError(err error) error {
	m, ok := errWords{
		{store.ErrBadMaterials, fiber.StatusUnprocessableEntity, "bad_materials", "资料发放设置有误：", "the materials configuration is not valid: "},
		{store.ErrItemHandedOut, fiber.StatusConflict, "item_handed_out", "该物品已有人领取，不能删除：", "the item has been handed out and cannot be removed: "},
		{store.ErrNoSuchItem, fiber.StatusNotFound, "no_such_item", "没有这种物品：", "no such item: "},
		{store.ErrNotDue, fiber.StatusUnprocessableEntity, "not_due", "此人不在该物品的应发名单中，如确需发放请写明原因：",
			"the person is not due this item; to hand it over anyway, give a reason: "},
		{store.ErrNothingToGive, fiber.StatusUnprocessableEntity, "no_items", "请勾选要发放的物品", "tick the items handed over"},
		{store.ErrNotHandedOut, fiber.StatusConflict, "not_handed_out", "此人没有该物品的领取记录：", "no handout of that item to this person is recorded: "},
		{store.ErrPersonInactive, fiber.StatusConflict, "cancelled", "此人参会资格已取消，不能发放", "this person's registration is cancelled"},
	}.find(err)
	if !ok {
		return err
	}
	e := apiError(m.status, m.code, m.zh, m.en)
	if detail := detailOf(err, m.err); detail != "" {
		e.Zh += detail
		e.En += detail
	}
	return e
}

// detailOf is what err says beyond its sentinel ("store: …: detail").
func detailOf(err, sentinel error) string {
	full, base := err.Error(), sentinel.Error()
	if len(full) > len(base)+2 && full[:len(base)] == base {
		return full[len(base)+2:]
	}
	return ""
}

// placeName is a checkpoint for the page's choice.
type placeName struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEn string `json:"name_en,omitempty"`
}

// handleMaterials is the page's start: counts per item, the kits, the
// delegations and categories for the filters, the checkpoints by name.
func (s *Server) handleMaterials(c *fiber.Ctx) error {
	ctx, cat := c.UserContext(), s.catalog()
	counts, err := s.DB.ItemCounts(ctx)
	if err != nil {
		return err
	}
	cfg, err := s.DB.MaterialsConfig(ctx)
	if err != nil {
		return err
	}
	dels, err := s.DB.MaterialsDelegations(ctx)
	if err != nil {
		return err
	}
	places := []placeName{}
	for _, cp := range cat.CheckpointList {
		places = append(places, placeName{cp.ID, cp.Name, cp.NameEn})
	}
	cats := []placeName{}
	for code, k := range cat.Categories {
		cats = append(cats, placeName{code, k.Name, k.NameEn})
	}
	return c.JSON(fiber.Map{"event": cat.Event.Name, "counts": counts, "kits": cfg.Kits, "delegations": dels,
		"checkpoints": places, "categories": cats})
}

func (s *Server) handleMaterialsConfig(c *fiber.Ctx) error {
	cfg, err := s.DB.MaterialsConfig(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(cfg)
}

// handleMaterialsSave replaces the configuration (items matched by code).
func (s *Server) handleMaterialsSave(c *fiber.Ctx) error {
	var m store.Materials
	if err := readJSON(c, &m); err != nil {
		return err
	}
	if err := s.DB.SaveMaterials(c.UserContext(), m, principal(c).Name); err != nil {
		return materialsError(err)
	}
	return s.handleMaterialsConfig(c)
}

// handleItemStock records the stock counted for :code ({"stock": n}, or
// null for none entered).
func (s *Server) handleItemStock(c *fiber.Ctx) error {
	var body struct {
		Stock *int `json:"stock"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if err := s.DB.SetItemStock(c.UserContext(), c.Params("code"), body.Stock, principal(c).Name); err != nil {
		return materialsError(err)
	}
	counts, err := s.DB.ItemCounts(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"counts": counts})
}

// handleOwed lists people and the items they are due: ?item= (code),
// ?delegation=, ?q= (name, pinyin, organisation), ?attendee=, ?missing=1
// for those who lack something (the item, with ?item=), ?limit=.
func (s *Server) handleOwed(c *fiber.Ctx) error {
	f := store.OwedFilter{Item: c.Query("item"), Delegation: c.Query("delegation"), Q: c.Query("q"),
		Attendee: int64(c.QueryInt("attendee")), Missing: c.QueryBool("missing"), Limit: c.QueryInt("limit", 200)}
	if len(f.Q) > 100 {
		return badRequest("bad_query", "搜索内容过长", "the search is too long")
	}
	list, err := s.DB.MaterialsOwed(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

// handleDeskScan is a badge scanned at the registration desk (报到处),
// itself a handout point: {"token"} hands over everything the person is
// due and has not collected, and answers {"person", "items"} with those
// collected before (when and where). The badge is checked as every desk
// checks one (deskBadge): this meeting's, and live.
func (s *Server) handleDeskScan(c *fiber.Ctx) error {
	var body struct {
		Token string `json:"token"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	ctx := c.UserContext()
	p, _, err := s.deskBadge(ctx, body.Token)
	if err != nil {
		return err
	}
	items, err := s.DB.GiveDue(ctx, p.ID, principal(c).Name, time.Now())
	if err != nil {
		return materialsError(err)
	}
	return c.JSON(fiber.Map{"person": p, "items": items})
}

// handleHandout is the desk's hand entry: {"attendee_id", "items": [codes],
// "reason"} for someone without a badge; each item once, the others
// answered with when and where they were collected.
func (s *Server) handleHandout(c *fiber.Ctx) error {
	var body struct {
		AttendeeID int64    `json:"attendee_id"`
		Items      []string `json:"items"`
		Reason     string   `json:"reason"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	res, err := s.DB.GiveByHand(c.UserContext(), body.AttendeeID, body.Items, body.Reason, principal(c).Name, time.Now())
	if err != nil {
		return materialsError(err)
	}
	return c.JSON(fiber.Map{"items": res})
}

// handleHandoutUndo deletes a handout recorded in error: {"attendee_id",
// "item", "reason"}; the reason is required and audited.
func (s *Server) handleHandoutUndo(c *fiber.Ctx) error {
	var body struct {
		AttendeeID int64  `json:"attendee_id"`
		Item       string `json:"item"`
		Reason     string `json:"reason"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if err := s.DB.UndoHandout(c.UserContext(), body.AttendeeID, body.Item, body.Reason, principal(c).Name); err != nil {
		return materialsError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}
