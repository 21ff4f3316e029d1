package web

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"huiwu/badge/fonts"
	"huiwu/badge/render"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/badges"
	"huiwu/server/internal/eventdef"
)

// Limits on what one print request may ask for.
const (
	maxBatchBadges = 5000
	maxCheckText   = 200
)

// badgeRoutes mounts printing: badges (one, or a batch N-up on A4), slips,
// the 签到表, the font check, and the web font the pages use.
func (s *Server) badgeRoutes(app *fiber.App, api fiber.Router) {
	// The CJK web fonts, for kiosks and tablets without Chinese fonts: SC
	// for everything, JP for the rare characters SC lacks. They never
	// change within a build, so browsers may keep them for a year.
	// Fiber's app.Use("/static") in pages.go also matches this prefix; its
	// file server sets 404 before passing a miss on, hence Status(200).
	for name, face := range map[string][]byte{fonts.WebFontName: fonts.SCRegular, fonts.WebFallbackName: fonts.JPRegular} {
		app.Get("/static-fonts/"+name, func(c *fiber.Ctx) error {
			c.Status(fiber.StatusOK)
			c.Set(fiber.HeaderContentType, "font/ttf")
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
			return c.Send(face)
		})
	}
	app.Get("/static-fonts/OFL.txt", func(c *fiber.Ctx) error {
		c.Status(fiber.StatusOK)
		c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
		return c.SendString(fonts.License)
	})

	desk := require(auth.RoleDesk)
	api.Get("/attendees/:id/badge.pdf", desk, s.handleBadgePDF)
	api.Get("/attendees/:id/badge.png", desk, s.handleBadgePNG)
	api.Get("/attendees/:id/slips.pdf", desk, s.handleSlipsPDF)
	api.Get("/attendees/:id/prints", desk, s.handlePrints)
	api.Get("/badges.pdf", desk, s.handleBadgeBatch)
	jobs := newBatchJobs()
	api.Post("/badges/batches", desk, s.handleBatchStart(jobs))
	api.Get("/badges/batches/:id", desk, s.handleBatchStatus(jobs))
	api.Get("/badges/batches/:id/pdf", desk, s.handleBatchPDF(jobs))
	api.Get("/badges/layouts", desk, s.handleLayouts)
	api.Get("/sessions/:id/signin.pdf", desk, s.handleSignInPDF)
	api.Get("/fonts/check", desk, s.handleFontCheck)
}

func (s *Server) badgeService() *badges.Service { return badges.New(s.DB, s.Creds, s.catalog) }

// badgeLayout is the meeting's badge layout: what a print that names no
// size is printed on.
func (s *Server) badgeLayout() string {
	return cmp.Or(s.catalog().Event.BadgeLayout, eventdef.DefaultBadgeLayout)
}

// renderOptions reads ?size= (or ?layout=; the meeting's layout when
// neither), ?w=&h= (mm, a custom card drawn with the size's layout) and
// ?dpi=.
func (s *Server) renderOptions(c *fiber.Ctx) (render.Options, error) {
	o := render.Options{Size: c.Query("size", c.Query("layout", s.badgeLayout()))}
	for _, p := range []struct {
		name string
		dst  *float64
	}{{"w", &o.Width}, {"h", &o.Height}, {"dpi", &o.DPI}} {
		if v := c.Query(p.name); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f <= 0 {
				return o, badRequest("bad_size", "尺寸参数 "+p.name+" 须为正数", "parameter "+p.name+" must be a positive number")
			}
			*p.dst = f
		}
	}
	return o, nil
}

// printError turns rendering failures into answers the desk can act on:
// render's and badges' typed errors with their details, then a table of
// badges' sentinel errors.
func printError(err error) error {
	var mg *render.MissingGlyphsError
	var us *render.ErrUnknownSize
	var bp *badges.BatchProblems
	switch {
	case errors.As(err, &mg):
		e := apiError(fiber.StatusUnprocessableEntity, "missing_glyphs",
			"字库中没有以下字符，无法正确打印："+runeList(mg.Runes)+"（"+fieldZh(mg.Field)+"）",
			"no font has these characters: "+render.FormatRunes(mg.Runes)+" ("+mg.Field+")")
		e.Details = glyphDetails(mg)
		return e
	case errors.As(err, &us):
		return badRequest("bad_size", "没有这种证件版式："+us.Size, "no badge layout "+us.Size)
	case errors.As(err, &bp):
		e := apiError(fiber.StatusUnprocessableEntity, "missing_glyphs",
			fmt.Sprintf("%d人的姓名或信息中有字库没有的字符，未打印", len(bp.Problems)),
			fmt.Sprintf("%d attendees have characters no font has; nothing printed", len(bp.Problems)))
		e.Details = fiber.Map{"attendees": bp.Problems}
		return e
	}
	return errWords{
		{badges.ErrCancelled, fiber.StatusConflict, "cancelled", "该人员已取消报名，不能制证", "this attendee is cancelled"},
		{badges.ErrNoSlips, fiber.StatusNotFound, "no_slips", "此人没有用餐或住宿安排", "this attendee has no meals or room"},
	}.word(err)
}

// fieldZh names a badge field for the desk.
func fieldZh(field string) string {
	zh := map[string]string{"name": "姓名", "organization": "单位", "title": "职务", "delegation": "代表团",
		"event": "会议名称", "seat": "座位", "category": "类别", "meal": "餐券", "room": "住宿", "session": "场次", "venue": "地点"}
	if z, ok := zh[field]; ok {
		return z
	}
	return field
}

func runeList(rs []rune) string {
	var b bytes.Buffer
	for i, r := range rs {
		if i > 0 {
			b.WriteString("、")
		}
		fmt.Fprintf(&b, "%c", r)
	}
	return b.String()
}

// glyphDetails is the JSON the desk gets for missing characters.
func glyphDetails(mg *render.MissingGlyphsError) fiber.Map {
	chars := make([]fiber.Map, len(mg.Runes))
	for i, r := range mg.Runes {
		chars[i] = fiber.Map{"char": string(r), "codepoint": fmt.Sprintf("U+%04X", r)}
	}
	return fiber.Map{"field": mg.Field, "text": mg.Text, "missing": chars}
}

// sendPDF answers a PDF inline (the browser's viewer prints it) with a
// UTF-8 file name.
func sendPDF(c *fiber.Ctx, name string, pdf []byte) error {
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, "inline; filename*=UTF-8''"+url.PathEscape(name))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(pdf)
}

func (s *Server) handleBadgePDF(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	o, err := s.renderOptions(c)
	if err != nil {
		return err
	}
	reason := c.Query("reason")
	if len(reason) > 500 {
		return badRequest("reason_too_long", "原因过长（最多500字节）", "reason longer than 500 bytes")
	}
	pdf, b, err := s.badgeService().PrintBadge(c.UserContext(), int64(id), c.Query("session"), o, principal(c).Name, reason)
	if err != nil {
		return printError(err)
	}
	return sendPDF(c, s.docName("pdf", "证件", b.Name, fmt.Sprintf("No.%06d", b.Serial)), pdf)
}

// handleBadgePNG is the desk's preview; previews are not prints and are
// not logged.
func (s *Server) handleBadgePNG(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	o, err := s.renderOptions(c)
	if err != nil {
		return err
	}
	if o.DPI == 0 {
		o.DPI = 200
	}
	if o.DPI > 600 {
		return badRequest("bad_size", "dpi 最大 600", "dpi is at most 600")
	}
	img, err := s.badgeService().PreviewBadge(c.UserContext(), int64(id), c.Query("session"), o)
	if err != nil {
		return printError(err)
	}
	c.Set(fiber.HeaderContentType, "image/png")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(img)
}

// handleBadgeBatch prints a filtered batch N-up on A4 with crop marks in
// one request: ?delegation=&category=&not_printed=1&size= (or layout=).
// The desk uses the job form (printjobs.go), which reports progress; this
// one stays for scripts.
func (s *Server) handleBadgeBatch(c *fiber.Ctx) error {
	o, err := s.renderOptions(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	f := badges.Filter{Delegation: c.Query("delegation"), Category: c.Query("category"), NotPrinted: c.QueryBool("not_printed")}
	ids, err := s.batchIDs(ctx, f, o)
	if err != nil {
		return err
	}
	pdf, made, err := s.badgeService().PrintBatch(ctx, ids, c.Query("session"), o, principal(c).Name, func(string, int) {})
	if err != nil {
		return printError(err)
	}
	c.Set("X-Badge-Count", strconv.Itoa(made.Badges))
	c.Set("X-Page-Count", strconv.Itoa(made.Pages))
	return sendPDF(c, s.batchName(f), pdf)
}

func (s *Server) handleSlipsPDF(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	pdf, sl, err := s.badgeService().PrintSlips(c.UserContext(), int64(id), principal(c).Name)
	if err != nil {
		return printError(err)
	}
	return sendPDF(c, s.docName("pdf", "餐券住宿单", sl.Name), pdf)
}

func (s *Server) handlePrints(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	if _, err := s.DB.Attendee(c.UserContext(), int64(id)); err != nil {
		return err
	}
	list, err := s.badgeService().Prints(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *Server) handleSignInPDF(c *fiber.Ctx) error {
	r, err := render.Default()
	if err != nil {
		return err
	}
	sheet, err := s.badgeService().SignIn(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	var pdf bytes.Buffer
	if _, err := r.SignInPDF(&pdf, sheet); err != nil {
		return printError(err)
	}
	return sendPDF(c, s.docName("pdf", sheet.Session, "签到表"), pdf.Bytes())
}

// handleLayouts lists the badge sizes the desk can choose and preview.
func (s *Server) handleLayouts(c *fiber.Ctx) error {
	r, err := render.Default()
	if err != nil {
		return err
	}
	type size struct {
		ID      string  `json:"id"`
		Label   string  `json:"label"`
		Width   float64 `json:"width_mm"`
		Height  float64 `json:"height_mm"`
		PerPage int     `json:"per_a4"`
		Photo   bool    `json:"photo"` // the badge prints the attendee's photo
	}
	out := []size{}
	for _, id := range r.Templates().Sizes() {
		l, err := r.Templates().Layout(id, "")
		if err != nil {
			return err
		}
		im, err := render.Impose(l.Width, l.Height)
		if err != nil {
			return err
		}
		out = append(out, size{ID: id, Label: l.Label, Width: l.Width, Height: l.Height, PerPage: im.PerPage(), Photo: l.Photo != nil})
	}
	return c.JSON(out)
}

// handleFontCheck tells the desk, as a name is typed, which characters no
// shipped font has: ?name=… (any text). 200 either way; ok says whether it
// prints.
func (s *Server) handleFontCheck(c *fiber.Ctx) error {
	text := c.Query("name", c.Query("text"))
	if len(text) > maxCheckText {
		return badRequest("query_too_long", "文字过长", "text too long")
	}
	missing, err := render.Missing(text)
	if err != nil {
		return err
	}
	chars := make([]fiber.Map, len(missing))
	for i, r := range missing {
		chars[i] = fiber.Map{"char": string(r), "codepoint": fmt.Sprintf("U+%04X", r)}
	}
	return c.JSON(fiber.Map{"ok": len(missing) == 0, "text": render.Normalize(text), "missing": chars})
}
