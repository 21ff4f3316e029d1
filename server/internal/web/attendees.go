package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/mask"
	"huiwu/server/internal/store"
)

// attendeeJSON is an attendee as the API shows it. What a caller sees
// depends on the role (see view): masking happens here, on the server.
type attendeeJSON struct {
	ID           int64  `json:"id"`
	Key          string `json:"key,omitempty"`
	Name         string `json:"name"`
	Gender       string `json:"gender,omitempty"`
	Ethnicity    string `json:"ethnicity,omitempty"`
	Organization string `json:"organization"`
	Title        string `json:"title"`
	Rank         int    `json:"rank"`
	Category     string `json:"category"`
	CategoryName string `json:"category_name"`
	Delegation   string `json:"delegation"`
	Group        string `json:"group,omitempty"`
	Phone        string `json:"phone,omitempty"`
	IDNumber     string `json:"id_number,omitempty"`
	Diet         string `json:"diet,omitempty"`
	Access       string `json:"access,omitempty"`
	Notes        string `json:"notes,omitempty"`
	Arrival      string `json:"arrival,omitempty"`
	Departure    string `json:"departure,omitempty"`
	Status       string `json:"status"`
}

// view renders a for the caller: the desk sees everything but the full
// phone and ID number, which only its edit form (edit=true, audited by the
// caller) gets; an usher gets masked phone and ID number, no dietary or
// personal notes, and of an accessibility need only that a wheelchair space
// or help is needed.
func (s *Server) view(a store.Attendee, p auth.Principal, edit bool) attendeeJSON {
	j := attendeeJSON{ID: a.ID, Name: a.Name, Organization: a.Organization, Title: a.Title, Rank: a.Rank,
		Category: a.Category, CategoryName: s.catalog().Categories[a.Category].Name, Delegation: a.Delegation,
		Group: a.Group, Access: mask.AccessForUsher(a.Access), Status: a.Status,
		Phone: mask.Phone(a.Phone), IDNumber: mask.IDNumber(a.IDNumber)}
	if p.Can(auth.RoleDesk) {
		j.Key, j.Gender, j.Ethnicity, j.Access = a.Key, a.Gender, a.Ethnicity, a.Access
		j.Diet, j.Notes, j.Arrival, j.Departure = a.Diet, a.Notes, a.Arrival, a.Departure
		if edit {
			j.Phone, j.IDNumber = a.Phone, a.IDNumber
		}
	}
	return j
}

// handlePhone is the card's 显示 action: the full phone number, for the
// desk only, with the read in the audit log.
func (s *Server) handlePhone(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	a, err := s.DB.Attendee(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	if err := s.DB.Audit(c.UserContext(), principal(c).Name, "attendee.phone.read", fmt.Sprint(a.ID), ""); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"id": a.ID, "phone": a.Phone})
}

func (s *Server) handleAttendees(c *fiber.Ctx) error {
	limit := c.QueryInt("limit", 50)
	if limit <= 0 || limit > 20_000 {
		return badRequest("bad_limit", "limit 须在 1 到 20000 之间", "limit must be between 1 and 20000")
	}
	q := c.Query("q")
	if len(q) > 100 {
		return badRequest("query_too_long", "搜索内容过长", "search text too long")
	}
	p := principal(c)
	list, err := s.DB.SearchAttendees(c.UserContext(), q, limit, p.Can(auth.RoleDesk))
	if err != nil {
		return err
	}
	out := make([]attendeeJSON, len(list))
	for i, a := range list {
		out[i] = s.view(a, p, false)
	}
	return c.JSON(out)
}

func (s *Server) handleAttendee(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	a, err := s.DB.Attendee(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	p := principal(c)
	edit := c.QueryBool("edit") && p.Can(auth.RoleDesk)
	if edit {
		// The edit form shows the full ID number and phone: every such
		// read is in the audit log.
		if err := s.DB.Audit(c.UserContext(), p.Name, "attendee.read_full", fmt.Sprint(a.ID), "edit form"); err != nil {
			return err
		}
	}
	return c.JSON(s.view(a, p, edit))
}

// handleCredential answers the attendee's live badge credential, issuing
// the first one on demand.
func (s *Server) handleCredential(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	cred, err := s.Creds.Current(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	return c.JSON(cred)
}

// handleReissue revokes the attendee's badge and issues a new one (a lost
// badge). The body may give a reason.
func (s *Server) handleReissue(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if len(c.Body()) > 0 {
		if err := readJSON(c, &body); err != nil {
			return err
		}
	}
	if len(body.Reason) > 500 {
		return badRequest("reason_too_long", "原因过长（最多500字节）", "reason longer than 500 bytes")
	}
	cred, err := s.Creds.Reissue(c.UserContext(), int64(id), body.Reason, principal(c).Name)
	if err != nil {
		return err
	}
	return c.JSON(cred)
}

// handleKeys gives kiosks what they need to verify badges offline: the
// public keys and the serials that no longer count.
func (s *Server) handleKeys(c *fiber.Ctx) error {
	read, err := s.DB.KioskKeys(c.UserContext())
	if err != nil {
		return err
	}
	type key struct {
		ID     string `json:"key_id"`
		Public []byte `json:"public_key"`
	}
	keys := make([]key, len(read.Keys))
	for i, k := range read.Keys {
		keys[i] = key{ID: k.ID, Public: k.Public}
	}
	return c.JSON(fiber.Map{"event": s.catalog().Event.ID, "keys": keys, "revoked_serials": read.RevokedSerials})
}
