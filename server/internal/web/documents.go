package web

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/badge/render"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/documents"
	"huiwu/server/internal/store"
)

// documentRoutes are the 机要 desk's (issue 13.3): numbered confidential
// documents, their cover sheets, issuing and taking back copies by scans,
// and the 文件清退 report. Desk role only: who holds which secret paper is
// itself not for every screen.
func (s *Server) documentRoutes(api fiber.Router) {
	g := api.Group("/documents", require(auth.RoleDesk))
	g.Get("", s.handleDocuments)
	g.Post("", s.handleDocumentCreate)
	g.Get("/report.pdf", s.handleDocumentReportPDF)
	g.Get("/report.xlsx", s.handleDocumentReportXLSX)
	g.Post("/badge", s.handleDocumentBadge)
	g.Post("/issue", s.handleCopyIssue)
	g.Post("/return", s.handleCopyReturn)
	g.Get("/:id", s.handleDocument)
	g.Get("/:id/covers.pdf", s.handleDocumentCovers)
	g.Get("/:id/copies/:copy", s.handleCopyChain)
	g.Post("/:id/copies/:copy/lost", s.handleCopyLost)
}

// documentError turns the documents desk's refusals into API errors.
func documentError(err error) error {
	var out *store.CopyOutError
	var holds *store.HoldsCopyError
	var other *store.ReturnedByOtherError
	var bad *store.DocumentInvalidError
	switch {
	case errors.As(err, &out):
		if out.Holder.Name == "" {
			return apiError(fiber.StatusConflict, "copy_out", "该份文件已发出，不能重复发放", "this copy is out already; it cannot be issued twice")
		}
		e := apiError(fiber.StatusConflict, "copy_out",
			fmt.Sprintf("该份文件已于 %s 发给 %s，不能重复发放", out.Since.Format("01-02 15:04"), out.Holder.String()),
			fmt.Sprintf("this copy was issued to %s already; it cannot be issued twice", out.Holder.Name))
		e.Details = out
		return e
	case errors.As(err, &holds):
		e := apiError(fiber.StatusConflict, "holds_copy",
			fmt.Sprintf("此人已持有本文件第 %d 份，每人一份", holds.Copy),
			fmt.Sprintf("this person holds copy %d of this document already; one copy each", holds.Copy))
		e.Details = holds
		return e
	case errors.As(err, &other):
		e := apiError(fiber.StatusConflict, "returned_by_other",
			fmt.Sprintf("该份文件由 %s 领取，现由 %s 交回：请写明原因后再登记", other.Holder.String(), other.By.String()),
			fmt.Sprintf("this copy was issued to %s and is brought back by %s: give the reason to record it", other.Holder.Name, other.By.Name))
		e.Details = other
		return e
	case errors.As(err, &bad):
		words := map[string][2]string{
			"title":          {"请填写文件标题（不超过200字）", "give the title (at most 200 characters)"},
			"number":         {"文号过长（不超过60字）", "the document number is too long (at most 60 characters)"},
			"classification": {"密级应为 内部、秘密、机密 或 绝密", "the classification is 内部, 秘密, 机密 or 绝密"},
			"copies":         {fmt.Sprintf("份数应为 1 到 %d", store.MaxDocumentCopies), fmt.Sprintf("copies: 1 to %d", store.MaxDocumentCopies)},
			"audience":       {"请选择发放范围：全体、按类别（至少一类）或名单（至少一人）", "choose who receives it: everyone, some categories (at least one) or a list (at least one person)"},
			"categories":     {"发放范围中有不存在的人员类别", "a category in the audience does not exist"},
			"attendees":      {"名单中有不存在或已取消的人员", "someone on the list does not exist or was cancelled"},
			"session_id":     {"没有这个场次", "no such session"},
		}[bad.Field]
		e := apiError(fiber.StatusUnprocessableEntity, "bad_document", words[0], words[1])
		e.Details = fiber.Map{"field": bad.Field}
		return e
	}
	if _, ok := badgeWords.find(err); ok { // the badge at an issue or a return
		return badgeWords.word(err)
	}
	return errWords{
		{store.ErrDocumentNumberTaken, fiber.StatusConflict, "number_taken", "已有文件使用这个文号", "another document has that number"},
		{store.ErrCopyLost, fiber.StatusConflict, "copy_lost", "该份文件已登记遗失", "this copy was reported lost"},
		{store.ErrCopyNotOut, fiber.StatusConflict, "copy_not_out", "该份文件未发出（或已交回），无需清退", "this copy is not out (or is back already)"},
		{store.ErrNotRecipient, fiber.StatusForbidden, "not_recipient", "此人不在本文件的发放范围内", "this person is not among those the document is for"},
		{store.ErrCopyReason, fiber.StatusUnprocessableEntity, "reason_required", "请写明原因（不超过500字；地点不超过60字）", "give a reason (at most 500 characters; the place at most 60)"},
		{documents.ErrCode, fiber.StatusUnprocessableEntity, "bad_copy_code", "不是本系统打印的文件编号（或编号有误），请扫描封面二维码", "not a copy code printed here (or mistyped); scan the cover's QR"},
	}.word(err)
}

func (s *Server) handleDocuments(c *fiber.Ctx) error {
	list, err := s.DB.Documents(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"documents": list, "classifications": store.Classifications})
}

func (s *Server) handleDocumentCreate(c *fiber.Ctx) error {
	var in store.DocumentInput
	if err := readJSON(c, &in); err != nil {
		return err
	}
	d, err := s.DB.CreateDocument(c.UserContext(), in, principal(c).Name)
	if err != nil {
		return documentError(err)
	}
	return c.Status(fiber.StatusCreated).JSON(d)
}

// handleDocument answers a document, its copies and its people: who is
// due a copy, who holds one, who gave one back.
func (s *Server) handleDocument(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	ctx := c.UserContext()
	d, err := s.DB.Document(ctx, int64(id))
	if err != nil {
		return err
	}
	copies, err := s.DB.DocumentCopies(ctx, d.ID)
	if err != nil {
		return err
	}
	people, err := s.DB.DocumentHolders(ctx, d.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"document": d, "copies": copies, "people": people})
}

func (s *Server) handleCopyChain(c *fiber.Ctx) error {
	id, err1 := c.ParamsInt("id")
	cp, err2 := c.ParamsInt("copy")
	if err1 != nil || err2 != nil {
		return errNotFound
	}
	chain, err := s.DB.CopyChain(c.UserContext(), int64(id), cp)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"events": chain})
}

// scanBody is one act at the desk: a copy's code and the badge scanned
// before it (or the person the desk chose, attendee_id, when the badge
// was left at home).
type scanBody struct {
	Code       string `json:"code"`
	Token      string `json:"token"`
	AttendeeID int64  `json:"attendee_id"`
	Reason     string `json:"reason"`
	Place      string `json:"place"`
}

// copyOf reads a scanned copy code.
func (s *Server) copyOf(c *fiber.Ctx, text string) (documents.Code, error) {
	key, err := s.DB.DocumentKey(c.UserContext())
	if err != nil {
		return documents.Code{}, err
	}
	code, err := documents.Parse(key, text)
	return code, documentError(err)
}

// scanOf turns a body into the store's act, reading the code and the badge.
func (s *Server) scanOf(c *fiber.Ctx, b scanBody) (store.CopyScan, error) {
	code, err := s.copyOf(c, b.Code)
	if err != nil {
		return store.CopyScan{}, err
	}
	sc := store.CopyScan{Document: code.Document, Copy: code.Copy, Person: b.AttendeeID, Reason: b.Reason, Place: b.Place,
		Actor: principal(c).Name}
	if b.Token != "" {
		claims, err := s.verifyBadge(b.Token)
		if err != nil {
			return sc, err
		}
		sc.Person, sc.Serial = claims.Attendee, claims.Serial
	}
	return sc, nil
}

// handleDocumentBadge names the person a badge belongs to and the copies
// they hold, so the desk sees who stands there before scanning a copy.
func (s *Server) handleDocumentBadge(c *fiber.Ctx) error {
	var b struct {
		Token string `json:"token"`
	}
	if err := readJSON(c, &b); err != nil {
		return err
	}
	ctx := c.UserContext()
	p, _, err := s.deskBadge(ctx, b.Token)
	if err != nil {
		return err
	}
	held, err := s.DB.CopiesHeld(ctx, p.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"person": p, "holding": held})
}

func (s *Server) copyAct(c *fiber.Ctx, act func(store.CopyScan) (store.CopyEvent, error), needPerson bool) error {
	var b scanBody
	if err := readJSON(c, &b); err != nil {
		return err
	}
	sc, err := s.scanOf(c, b)
	if err != nil {
		return err
	}
	if needPerson && sc.Person == 0 {
		return badRequest("badge_first", "请先扫描领取人的证件，再扫描文件", "scan the recipient's badge first, then the copy")
	}
	ev, err := act(sc)
	if out := (*store.CopyOutError)(nil); errors.As(err, &out) {
		out.Since = out.Since.In(s.catalog().Location) // said on the event's clock
	}
	if err != nil {
		return documentError(err)
	}
	ctx := c.UserContext()
	d, err := s.DB.Document(ctx, ev.Document)
	if err != nil {
		return err
	}
	who := ev.Holder.ID
	if ev.By != nil {
		who = ev.By.ID
	}
	held, err := s.DB.CopiesHeld(ctx, who)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"event": ev, "document": d, "holding": held})
}

// handleCopyIssue is 发放: the badge, then the copy.
func (s *Server) handleCopyIssue(c *fiber.Ctx) error {
	return s.copyAct(c, func(sc store.CopyScan) (store.CopyEvent, error) { return s.DB.IssueCopy(c.UserContext(), sc) }, true)
}

// handleCopyReturn is 清退: the copy alone (its holder brings it), or a
// badge and the copy; from anyone but the holder it needs a reason.
func (s *Server) handleCopyReturn(c *fiber.Ctx) error {
	return s.copyAct(c, func(sc store.CopyScan) (store.CopyEvent, error) { return s.DB.ReturnCopy(c.UserContext(), sc) }, false)
}

// handleCopyLost records a copy out as lost, with the reason.
func (s *Server) handleCopyLost(c *fiber.Ctx) error {
	id, err1 := c.ParamsInt("id")
	cp, err2 := c.ParamsInt("copy")
	if err1 != nil || err2 != nil {
		return errNotFound
	}
	var b struct {
		Reason string `json:"reason"`
		Place  string `json:"place"`
	}
	if err := readJSON(c, &b); err != nil {
		return err
	}
	ctx := c.UserContext()
	ev, err := s.DB.LoseCopy(ctx, store.CopyScan{Document: int64(id), Copy: cp, Reason: b.Reason, Place: b.Place, Actor: principal(c).Name})
	if err != nil {
		return documentError(err)
	}
	return c.JSON(fiber.Map{"event": ev})
}

// handleDocumentCovers prints the cover sheets: every copy, or
// ?copies=3,5,9 (a reprint of some).
func (s *Server) handleDocumentCovers(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	ctx := c.UserContext()
	d, err := s.DB.Document(ctx, int64(id))
	if err != nil {
		return err
	}
	var only []int
	if q := c.Query("copies"); q != "" {
		if len(q) > 2000 {
			return badRequest("bad_copies", "份号过多", "too many copy numbers")
		}
		for _, f := range strings.Split(q, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 || n > d.Copies {
				return badRequest("bad_copies", fmt.Sprintf("份号应为 1 到 %d", d.Copies), fmt.Sprintf("copy numbers run 1 to %d", d.Copies))
			}
			only = append(only, n)
		}
	}
	key, err := s.DB.DocumentKey(ctx)
	if err != nil {
		return err
	}
	var pdf bytes.Buffer
	if _, err := documents.CoversPDF(&pdf, key, s.catalog().Event.Name, d, only); err != nil {
		return printError(err)
	}
	if err := s.DB.Audit(ctx, principal(c).Name, "document.covers", fmt.Sprint(d.ID), fmt.Sprintf("covers printed: %s", orAll(c.Query("copies")))); err != nil {
		return err
	}
	return sendPDF(c, "封面-"+d.Title+".pdf", pdf.Bytes())
}

func orAll(q string) string {
	if q == "" {
		return "all"
	}
	return q
}

// documentReport is the 文件清退登记表 of ?document= (every document without it).
func (s *Server) documentReport(c *fiber.Ctx) (*render.ListSheet, error) {
	id := int64(c.QueryInt("document"))
	chains, err := s.DB.DocumentChains(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	cat := s.catalog()
	return documents.Report(cat.Event.Name, chains, cat.Location, time.Now().In(cat.Location).Format("2006-01-02 15:04")), nil
}

func (s *Server) handleDocumentReportPDF(c *fiber.Ctx) error {
	r, err := s.documentReport(c)
	if err != nil {
		return err
	}
	return sendList(c, r, "文件清退登记表", "documents-report", false)
}

func (s *Server) handleDocumentReportXLSX(c *fiber.Ctx) error {
	r, err := s.documentReport(c)
	if err != nil {
		return err
	}
	return sendList(c, r, "文件清退登记表", "documents-report", true)
}
