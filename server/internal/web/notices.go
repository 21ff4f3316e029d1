package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/mask"
	"huiwu/server/internal/notices"
	"huiwu/server/internal/store"
)

// 会议通知与回执 (issue 13.1), the desk's side: units and their contacts,
// reply links (made, shown once with a QR code, revoked), each unit's
// replies as changes to apply or reject one by one, and the 回执 form as a
// PDF and an XLSX that comes back as a reply. The unit's side, which needs
// no sign-in, is notices_reply.go.

// Reply links last linkDays unless the desk says otherwise, at most
// maxLinkDays.
const (
	linkDays    = 14
	maxLinkDays = 90
)

// noticeRoutes mounts both sides. It runs before the API's authenticate:
// the reply routes take a reply link instead, and the desk's routes sign
// in here themselves.
func (s *Server) noticeRoutes(app *fiber.App, api fiber.Router) {
	app.Get("/reply/:token", s.handleReplyPage)
	r := api.Group("/reply")
	r.Post("/open", s.handleReplyOpen)
	r.Get("/:unit", s.replyLink, s.handleReplyView)
	r.Put("/:unit/people/:id", s.replyLink, s.handleReplySave)
	r.Post("/:unit/confirm-rest", s.replyLink, s.handleReplyConfirmRest)
	r.Post("/:unit/submit", s.replyLink, s.handleReplySubmit)

	d := api.Group("/notices", s.authenticate, require(auth.RoleDesk))
	d.Get("/settings", s.handleNoticeSettings)
	d.Put("/settings", s.handleNoticeSettingsSave)
	d.Get("/units", s.handleUnits)
	d.Get("/units/:id", s.handleUnit)
	d.Patch("/units/:id", s.handleUnitContact)
	d.Post("/units/:id/link", s.handleLinkIssue)
	d.Delete("/units/:id/link", s.handleLinkRevoke)
	d.Get("/units/:id/form.pdf", s.handleFormPDF)
	d.Get("/units/:id/form.xlsx", s.handleFormXLSX)
	d.Post("/units/:id/import", s.handleFormImport)
	d.Post("/items/:id/apply", s.handleItemApply)
	d.Post("/items/:id/reject", s.handleItemReject)
}

// noticeError words the errors of notices and replies: a reply that
// meets a changed list and an answer with mistakes, with their details,
// then a table of the sentinel errors.
func noticeError(err error) error {
	var conflict *store.ReplyConflict
	var invalid *notices.InvalidError
	switch {
	case errors.As(err, &conflict):
		e := apiError(fiber.StatusConflict, "reply_conflict",
			"回执之后名单上此人的"+conflictWhat(conflict.Kind)+"已有改动，本项未应用；请核对后重新处理",
			"the list's "+conflict.Kind+" for this person changed after the reply; nothing was applied, check and decide again")
		e.Details = fiber.Map{"kind": conflict.Kind, "now": conflict.Now}
		return e
	case errors.As(err, &invalid):
		e := apiError(fiber.StatusUnprocessableEntity, "invalid_answer", "回执填写有误："+invalid.Fields[0].Zh,
			"the answer has mistakes: "+invalid.Fields[0].En)
		e.Details = fiber.Map{"fields": invalid.Fields}
		return e
	}
	const unknownZh, unknownEn = "回执链接无效，请核对链接或联系会务组", "this is not a valid reply link; check it, or ask the secretariat"
	return errWords{
		{store.ErrLinkExpired, fiber.StatusGone, "link_expired", "回执链接已过期，请联系会务组重新获取",
			"this reply link has expired; ask the meeting secretariat for a new one"},
		{store.ErrLinkRevoked, fiber.StatusGone, "link_revoked", "回执链接已作废，请使用会务组新发的链接或与会务组联系",
			"this reply link was withdrawn; use the new link from the secretariat, or call them"},
		{store.ErrLinkUnknown, fiber.StatusNotFound, "link_unknown", unknownZh, unknownEn},
		{notices.ErrBadToken, fiber.StatusNotFound, "link_unknown", unknownZh, unknownEn},
		{store.ErrNotMember, fiber.StatusNotFound, "not_member", "此人不在本单位名单上", "this person is not on the unit's list"},
		{store.ErrItemDecided, fiber.StatusConflict, "item_decided", "这一项已处理过，请刷新", "this item was decided already; reload"},
		{notices.ErrOtherUnit, fiber.StatusUnprocessableEntity, "other_unit", "这份回执表不是本单位的（第2行单位名称不符）",
			"this form is another unit's (the unit on row 2 differs)"},
		{notices.ErrNotForm, fiber.StatusUnprocessableEntity, "not_form", "不是回执表（请使用本系统导出的回执表 XLSX）",
			"not a reply form (use the XLSX form this system made)"},
	}.word(err)
}

func conflictWhat(kind string) string {
	switch kind {
	case store.ItemDiet:
		return "饮食要求"
	case store.ItemRoom:
		return "住宿需求"
	case store.ItemArrival:
		return "抵达信息"
	case store.ItemDeparture:
		return "返程信息"
	case "status":
		return "参会状态"
	}
	return "信息"
}

// unitJSON is a unit as the desk lists it.
type unitJSON struct {
	store.Unit
	Status string               `json:"status"` // none 未回执, replied 已回执, changes 有变更
	Reply  store.UnitReplyState `json:"reply"`
	Link   *store.UnitLink      `json:"link"`
}

func unitStatus(r store.UnitReplyState) string {
	switch {
	case r.Replies == 0:
		return "none"
	case r.Pending > 0:
		return "changes"
	}
	return "replied"
}

func (s *Server) handleUnits(c *fiber.Ctx) error {
	ctx := c.UserContext()
	units, err := s.DB.Units(ctx)
	if err != nil {
		return err
	}
	states, err := s.DB.UnitReplyStates(ctx)
	if err != nil {
		return err
	}
	links, err := s.DB.UnitLinks(ctx)
	if err != nil {
		return err
	}
	out := make([]unitJSON, len(units))
	for i, u := range units {
		out[i] = unitJSON{Unit: u, Reply: states[u.ID], Status: unitStatus(states[u.ID])}
		if l, ok := links[u.ID]; ok {
			out[i].Link = &l
		}
	}
	return c.JSON(out)
}

// itemJSON is a reply item with its change decoded; a substitute's phone
// and ID number are masked (they reach the list, and the desk's audited
// views, when applied).
type itemJSON struct {
	store.ReplyItem
	After  store.ItemAfter `json:"after"`
	Wanted string          `json:"wanted"` // the change, in words
}

func describeItem(it store.ReplyItem) (itemJSON, error) {
	out := itemJSON{ReplyItem: it}
	if err := json.Unmarshal([]byte(it.After), &out.After); err != nil {
		return out, err
	}
	a := &out.After
	switch it.Kind {
	case store.ItemDecline:
		out.Wanted = "不参加" + paren(a.Reason)
	case store.ItemSubstitute:
		p := *a.Substitute
		p.Phone, p.IDNumber = mask.Phone(p.Phone), mask.IDNumber(p.IDNumber)
		a.Substitute = &p
		out.Wanted = strings.TrimSpace("由 " + p.Name + " " + p.Title + " 代会")
	case store.ItemDiet:
		out.Wanted = a.Diet
	case store.ItemRoom:
		out.Wanted = a.Room
	case store.ItemArrival, store.ItemDeparture:
		out.Wanted = notices.DescribeTrip(a.Trip)
	}
	return out, nil
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "（" + s + "）"
}

// memberJSON is one of a unit's people with the unit's newest answer.
type memberJSON struct {
	ID     int64              `json:"id"`
	Name   string             `json:"name"`
	Title  string             `json:"title"`
	Answer *store.ReplyAnswer `json:"answer"`
}

func (s *Server) handleUnit(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	ctx := c.UserContext()
	u, err := s.DB.Unit(ctx, int64(id))
	if err != nil {
		return err
	}
	states, err := s.DB.UnitReplyStates(ctx)
	if err != nil {
		return err
	}
	links, err := s.DB.UnitLinks(ctx)
	if err != nil {
		return err
	}
	members, err := s.DB.UnitMembers(ctx, u.ID, s.catalog().Location)
	if err != nil {
		return err
	}
	answers, err := s.DB.LatestAnswers(ctx, u.ID)
	if err != nil {
		return err
	}
	items, err := s.DB.ReplyItems(ctx, u.ID)
	if err != nil {
		return err
	}
	replies, err := s.DB.Replies(ctx, u.ID)
	if err != nil {
		return err
	}
	out := struct {
		unitJSON
		Members []memberJSON  `json:"members"`
		Items   []itemJSON    `json:"items"`
		Replies []store.Reply `json:"replies"`
	}{unitJSON: unitJSON{Unit: u, Reply: states[u.ID], Status: unitStatus(states[u.ID])}, Members: []memberJSON{}, Items: []itemJSON{}, Replies: replies}
	if l, ok := links[u.ID]; ok {
		out.Link = &l
	}
	for _, m := range members {
		mj := memberJSON{ID: m.ID, Name: m.Name, Title: m.Title}
		if a, ok := answers[m.ID]; ok {
			mj.Answer = maskAnswer(a)
		}
		out.Members = append(out.Members, mj)
	}
	for _, it := range items {
		ij, err := describeItem(it)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, ij)
	}
	return c.JSON(out)
}

// maskAnswer answers a with the substitute's phone and ID number masked.
func maskAnswer(a store.ReplyAnswer) *store.ReplyAnswer {
	if a.Substitute != nil {
		p := *a.Substitute
		p.Phone, p.IDNumber = mask.Phone(p.Phone), mask.IDNumber(p.IDNumber)
		a.Substitute = &p
	}
	return &a
}

func (s *Server) handleUnitContact(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var body struct {
		Contact string `json:"contact"`
		Phone   string `json:"phone"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	body.Contact, body.Phone = strings.TrimSpace(body.Contact), strings.TrimSpace(body.Phone)
	if len(body.Contact) > 120 || len(body.Phone) > 40 {
		return badRequest("too_long", "联系人或电话过长", "contact or phone too long")
	}
	u, err := s.DB.SetUnitContact(c.UserContext(), int64(id), body.Contact, body.Phone, principal(c).Name)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

// handleLinkIssue makes a new reply link for the unit (revoking any
// earlier one) and answers it once: the token is not kept, only its hash.
func (s *Server) handleLinkIssue(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var body struct {
		Days int `json:"days"`
	}
	if len(bytes.TrimSpace(c.Body())) > 0 {
		if err := readJSON(c, &body); err != nil {
			return err
		}
	}
	if body.Days == 0 {
		body.Days = linkDays
	}
	if body.Days < 1 || body.Days > maxLinkDays {
		return badRequest("bad_days", fmt.Sprintf("有效天数应为 1 至 %d", maxLinkDays), fmt.Sprintf("days: 1 to %d", maxLinkDays))
	}
	token, hash := notices.NewToken()
	l, err := s.DB.IssueLink(c.UserContext(), int64(id), hash, time.Now().Add(time.Duration(body.Days)*24*time.Hour), principal(c).Name)
	if err != nil {
		return err
	}
	url := c.BaseURL() + "/reply/" + token
	qr, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return err
	}
	qr.DisableBorder = true
	bits := qr.Bitmap()
	rows := make([]string, len(bits))
	for i, r := range bits {
		b := make([]byte, len(r))
		for j, on := range r {
			b[j] = '0'
			if on {
				b[j] = '1'
			}
		}
		rows[i] = string(b)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"link": l, "token": token, "url": url, "qr": rows})
}

func (s *Server) handleLinkRevoke(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	if err := s.DB.RevokeLinks(c.UserContext(), int64(id), principal(c).Name); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return apiError(fiber.StatusNotFound, "no_link", "该单位没有有效的回执链接", "the unit has no live reply link")
		}
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) handleItemApply(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	it, err := s.DB.ApplyItem(c.UserContext(), int64(id), s.catalog().Location, principal(c).Name)
	if err != nil {
		return noticeError(err)
	}
	out, err := describeItem(it)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (s *Server) handleItemReject(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if len(body.Reason) > 500 {
		return badRequest("reason_too_long", "原因过长（最多500字节）", "reason longer than 500 bytes")
	}
	it, err := s.DB.RejectItem(c.UserContext(), int64(id), strings.TrimSpace(body.Reason), principal(c).Name)
	if err != nil {
		return noticeError(err)
	}
	out, err := describeItem(it)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (s *Server) handleNoticeSettings(c *fiber.Ctx) error {
	st, err := s.DB.NoticeSettings(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(st)
}

func (s *Server) handleNoticeSettingsSave(c *fiber.Ctx) error {
	var st store.NoticeSettings
	if err := readJSON(c, &st); err != nil {
		return err
	}
	if st.Deadline != "" {
		if _, err := time.Parse(time.DateOnly, st.Deadline); err != nil {
			return badRequest("bad_deadline", "截止日期请写成 2026-03-05", "the deadline is written 2026-03-05")
		}
	}
	if err := s.DB.SetNoticeSettings(c.UserContext(), st, principal(c).Name); err != nil {
		return err
	}
	return c.JSON(st)
}

// form reads what the unit's 回执 form shows.
func (s *Server) form(c *fiber.Ctx) (*notices.Form, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, errNotFound
	}
	ctx := c.UserContext()
	u, err := s.DB.Unit(ctx, int64(id))
	if err != nil {
		return nil, err
	}
	st, err := s.DB.NoticeSettings(ctx)
	if err != nil {
		return nil, err
	}
	cat := s.catalog()
	members, err := s.DB.UnitMembers(ctx, u.ID, cat.Location)
	if err != nil {
		return nil, err
	}
	return &notices.Form{Event: cat.Event.Name, Unit: u, Settings: st, Members: members,
		Printed: time.Now().In(cat.Location).Format("2006-01-02 15:04")}, nil
}

func (s *Server) handleFormPDF(c *fiber.Ctx) error {
	f, err := s.form(c)
	if err != nil {
		return err
	}
	return sendList(c, f.Sheet(), "回执-"+f.Unit.Name, "reply-form", false)
}

func (s *Server) handleFormXLSX(c *fiber.Ctx) error {
	f, err := s.form(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := f.WriteXLSX(&buf); err != nil {
		return err
	}
	return sendFile(c, "回执-"+f.Unit.Name+".xlsx", fmt.Sprintf("reply-%d.xlsx", f.Unit.ID), xlsxType, buf.Bytes())
}

// handleFormImport takes a unit's filled-in XLSX form (multipart "file")
// as its reply: the same answers and the same changes for the desk as a
// reply from the page. Bad cells are answered by row and column, and
// nothing is stored.
func (s *Server) handleFormImport(c *fiber.Ctx) error {
	f, err := s.form(c)
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return badRequest("no_file", "请以 multipart 字段 file 上传回执表", "upload the form as multipart field \"file\"")
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxImportSize+1))
	if err != nil {
		return err
	}
	answers, issues, err := notices.ReadXLSX(data, f)
	if err != nil {
		return noticeError(err)
	}
	if len(issues) > 0 {
		e := apiError(fiber.StatusUnprocessableEntity, "form_errors",
			fmt.Sprintf("回执表有 %d 处错误，未导入；请按行列改正后重新上传", len(issues)),
			fmt.Sprintf("the form has %d mistakes; nothing was imported: correct them by row and column and upload again", len(issues)))
		e.Details = fiber.Map{"errors": issues}
		return e
	}
	if len(answers) == 0 {
		return apiError(fiber.StatusUnprocessableEntity, "form_empty", "回执表中没有填写任何回执", "the form has no answers filled in")
	}
	r, n, err := notices.Submit(c.UserContext(), s.DB, s.catalog().Location, store.Submission{Unit: f.Unit.ID, Channel: "xlsx",
		By: principal(c).Name, Answers: answers})
	if err != nil {
		return noticeError(err)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"reply": r, "answers": len(answers), "changes": n})
}
