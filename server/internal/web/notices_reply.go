package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/apierr"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/mask"
	"huiwu/server/internal/notices"
	"huiwu/server/internal/store"
)

// The unit's side of 会议通知与回执: the page at /reply/<token>, which
// needs no sign-in, and the API it uses. The page hands the token over
// once (POST /reply/open, in the body, never in an API address); the
// server answers with the unit's id and puts the token in an HTTP-only,
// SameSite=Strict cookie scoped to that unit's API path, so that two
// units' links open in one browser do not meet. Every call checks the
// link again: a revoked or expired link stops at once. A wrong token
// counts against the same budget as any unknown token (auth.KindToken).

// replyCookie is the cookie that carries unit's reply token.
func replyCookie(unit int64) string { return fmt.Sprintf("huiwu_reply_%d", unit) }

// errReplyClosed: the page was opened without its link, or its cookie
// has gone.
var errReplyClosed = apiError(fiber.StatusUnauthorized, "reply_link_required", "请从会务组发来的回执链接打开本页",
	"open this page from the reply link the secretariat sent")

// checkReplyToken checks token, throttled, and answers its link.
func (s *Server) checkReplyToken(c *fiber.Ctx, token string) (store.UnitLink, error) {
	if !s.Auth.Allow(auth.KindToken, c.IP()) {
		return store.UnitLink{}, auth.ErrThrottled
	}
	hash, err := notices.ParseToken(token)
	if err == nil {
		var l store.UnitLink
		if l, err = s.DB.LinkByHash(c.UserContext(), hash, time.Now()); err == nil {
			return l, nil
		}
	}
	if errors.Is(err, notices.ErrBadToken) || errors.Is(err, store.ErrLinkUnknown) {
		s.Auth.Fail(auth.KindToken, c.IP())
	}
	return store.UnitLink{}, noticeError(err)
}

// handleReplyPage serves the reply page. A link that cannot be used
// still gets the page (which says why, in Chinese and English), with the
// status that says it too.
func (s *Server) handleReplyPage(c *fiber.Ctx) error {
	status := fiber.StatusOK
	if _, err := s.checkReplyToken(c, c.Params("token")); err != nil {
		var e apierr.Error
		if !errors.As(err, &e) {
			if errors.Is(err, auth.ErrThrottled) {
				e = errTooManyAttempts
			} else {
				return err
			}
		}
		status = e.HTTPStatus()
	}
	if err := sendPage(c, "reply"); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store") // the address holds the token
	return c.SendStatus(status)
}

// handleReplyOpen takes the token from the page and answers the unit it
// is for, setting the unit's reply cookie.
func (s *Server) handleReplyOpen(c *fiber.Ctx) error {
	if !sameOrigin(c) {
		return errCrossSite
	}
	var body struct {
		Token string `json:"token"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	l, err := s.checkReplyToken(c, body.Token)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: replyCookie(l.UnitID), Value: strings.ToLower(strings.TrimSpace(body.Token)),
		Path: "/api/v1/reply/" + strconv.FormatInt(l.UnitID, 10), Expires: l.ExpiresAt, HTTPOnly: true,
		Secure: c.Protocol() == "https", SameSite: fiber.CookieSameSiteStrictMode})
	return c.JSON(fiber.Map{"unit_id": l.UnitID, "expires_at": l.ExpiresAt})
}

// replyLink admits a call for the unit in the path only with that unit's
// live link in its cookie; writes must come from this server's pages.
func (s *Server) replyLink(c *fiber.Ctx) error {
	unit, err := strconv.ParseInt(c.Params("unit"), 10, 64)
	if err != nil || unit <= 0 {
		return errNotFound
	}
	token := c.Cookies(replyCookie(unit))
	if token == "" {
		return errReplyClosed
	}
	l, err := s.checkReplyToken(c, token)
	if err != nil {
		return err
	}
	if l.UnitID != unit {
		return errReplyClosed
	}
	if c.Method() != fiber.MethodGet && !sameOrigin(c) {
		return errCrossSite
	}
	c.Locals("replyLink", l)
	return c.Next()
}

func replyLinkOf(c *fiber.Ctx) store.UnitLink {
	l, _ := c.Locals("replyLink").(store.UnitLink)
	return l
}

// replyPerson is one of the unit's people as its page shows them: names,
// the list's travel and needs to confirm, the phone masked, never an ID
// number.
type replyPerson struct {
	ID        int64              `json:"id"`
	Name      string             `json:"name"`
	Title     string             `json:"title"`
	Phone     string             `json:"phone"`
	Arrival   *store.ReplyTrip   `json:"arrival"`
	Departure *store.ReplyTrip   `json:"departure"`
	Diet      string             `json:"diet"`
	Room      string             `json:"room"`
	Answer    *store.ReplyAnswer `json:"answer"` // the draft, or else the last sent
	Sent      bool               `json:"sent"`   // Answer is what was sent
}

func (s *Server) handleReplyView(c *fiber.Ctx) error {
	l := replyLinkOf(c)
	ctx := c.UserContext()
	cat := s.catalog()
	u, err := s.DB.Unit(ctx, l.UnitID)
	if err != nil {
		return err
	}
	st, err := s.DB.NoticeSettings(ctx)
	if err != nil {
		return err
	}
	members, err := s.DB.UnitMembers(ctx, u.ID, cat.Location)
	if err != nil {
		return err
	}
	drafts, err := s.DB.Drafts(ctx, u.ID)
	if err != nil {
		return err
	}
	sent, err := s.DB.LatestAnswers(ctx, u.ID)
	if err != nil {
		return err
	}
	states, err := s.DB.UnitReplyStates(ctx)
	if err != nil {
		return err
	}
	people := make([]replyPerson, len(members))
	for i, m := range members {
		p := replyPerson{ID: m.ID, Name: m.Name, Title: m.Title, Phone: mask.Phone(m.Phone), Arrival: m.Arrival,
			Departure: m.Departure, Diet: m.Diet, Room: m.Room}
		if a, ok := drafts[m.ID]; ok {
			p.Answer = maskAnswer(a)
		} else if a, ok := sent[m.ID]; ok {
			p.Answer, p.Sent = maskAnswer(a), true
		}
		people[i] = p
	}
	return c.JSON(fiber.Map{
		"event":      fiber.Map{"name": cat.Event.Name, "starts_on": cat.Event.StartsOn},
		"unit":       fiber.Map{"id": u.ID, "kind": u.Kind, "name": u.Name, "contact": u.Contact, "phone": mask.Phone(u.Phone)},
		"settings":   st,
		"expires_at": l.ExpiresAt,
		"replied_at": states[u.ID].RepliedAt,
		"drafts":     len(drafts),
		"people":     people,
	})
}

// handleReplySave keeps the unit's answer for one person until it sends
// its reply. A masked phone or ID number that comes back (the page shows
// them masked) keeps what was typed before.
func (s *Server) handleReplySave(c *fiber.Ctx) error {
	l := replyLinkOf(c)
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var a store.ReplyAnswer
	if err := readJSON(c, &a); err != nil {
		return err
	}
	if a.Attendee != 0 && a.Attendee != int64(id) {
		return badRequest("attendee_mismatch", "人员编号与地址不符", "attendee_id differs from the address")
	}
	a.Attendee = int64(id)
	ctx := c.UserContext()
	if p := a.Substitute; p != nil && (strings.Contains(p.Phone, "*") || strings.Contains(p.IDNumber, "*")) {
		drafts, err := s.DB.Drafts(ctx, l.UnitID)
		if err != nil {
			return err
		}
		sent, err := s.DB.LatestAnswers(ctx, l.UnitID)
		if err != nil {
			return err
		}
		old, ok := drafts[a.Attendee]
		if !ok {
			old = sent[a.Attendee]
		}
		var prev store.ReplyPerson
		if old.Substitute != nil {
			prev = *old.Substitute
		}
		if strings.Contains(p.Phone, "*") {
			p.Phone = prev.Phone
		}
		if strings.Contains(p.IDNumber, "*") {
			p.IDNumber = prev.IDNumber
		}
	}
	st, err := s.DB.NoticeSettings(ctx)
	if err != nil {
		return err
	}
	if err := notices.Check(&a, st); err != nil {
		return noticeError(err)
	}
	if err := s.DB.SaveDraft(ctx, l.UnitID, a); err != nil {
		return noticeError(err)
	}
	return c.JSON(maskAnswer(a))
}

// handleReplyConfirmRest marks everyone the unit has not answered for as
// coming (参加), as drafts.
func (s *Server) handleReplyConfirmRest(c *fiber.Ctx) error {
	l := replyLinkOf(c)
	ctx := c.UserContext()
	members, err := s.DB.UnitMembers(ctx, l.UnitID, s.catalog().Location)
	if err != nil {
		return err
	}
	drafts, err := s.DB.Drafts(ctx, l.UnitID)
	if err != nil {
		return err
	}
	n := 0
	for _, m := range members {
		if _, ok := drafts[m.ID]; ok {
			continue
		}
		if err := s.DB.SaveDraft(ctx, l.UnitID, store.ReplyAnswer{Attendee: m.ID, Status: store.AnswerConfirm}); err != nil {
			return noticeError(err)
		}
		n++
	}
	return c.JSON(fiber.Map{"confirmed": n})
}

// handleReplySubmit sends the unit's answers as its reply: everyone on
// its list must have one, saved now or sent before (a unit that replied
// changes what it changes and sends again).
func (s *Server) handleReplySubmit(c *fiber.Ctx) error {
	l := replyLinkOf(c)
	ctx := c.UserContext()
	cat := s.catalog()
	members, err := s.DB.UnitMembers(ctx, l.UnitID, cat.Location)
	if err != nil {
		return err
	}
	drafts, err := s.DB.Drafts(ctx, l.UnitID)
	if err != nil {
		return err
	}
	if len(drafts) == 0 {
		return apiError(fiber.StatusUnprocessableEntity, "nothing_to_send", "没有新的回执内容，无需再次提交",
			"nothing has changed since the last reply")
	}
	sent, err := s.DB.LatestAnswers(ctx, l.UnitID)
	if err != nil {
		return err
	}
	var missing []string
	answers := make([]store.ReplyAnswer, 0, len(members))
	carried := map[int64]bool{}
	for _, m := range members {
		a, ok := drafts[m.ID]
		if !ok {
			if a, ok = sent[m.ID]; ok {
				carried[m.ID] = true
			}
		}
		if !ok {
			missing = append(missing, m.Name)
			continue
		}
		answers = append(answers, a)
	}
	if len(missing) > 0 {
		e := apiError(fiber.StatusUnprocessableEntity, "answers_missing",
			fmt.Sprintf("还有 %d 人未填写回执：%s", len(missing), strings.Join(missing[:min(5, len(missing))], "、")),
			fmt.Sprintf("%d people have no answer yet", len(missing)))
		e.Details = fiber.Map{"missing": len(missing)}
		return e
	}
	r, n, err := notices.Submit(ctx, s.DB, cat.Location, store.Submission{Unit: l.UnitID, Channel: "web", LinkID: l.ID,
		By: fmt.Sprintf("回执链接 unit:%d", l.UnitID), Answers: answers, Carried: carried})
	if err != nil {
		return noticeError(err)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"reply": r, "answers": len(answers), "changes": n})
}
