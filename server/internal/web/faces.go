package web

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/faces"
	"huiwu/server/internal/store"
)

// faceRoutes are 刷脸's desk side (issue 15.5–15.6): consent, the
// reference embeddings the desk's page computes from photos, the 1:N
// search of 忘带证件, deletion on request and the purge after the meeting.
// Desk only (admin always; the purge admin only): no screen, usher, chair
// or kiosk answer carries a photo, a reference or a consent record
// (TestFaceDataReachesNoOtherAnswer). Embeddings are computed in browsers;
// the server checks, stores and compares them (package faces).
func (s *Server) faceRoutes(api fiber.Router) {
	desk := require(auth.RoleDesk)
	api.Put("/attendees/:id/consent", desk, s.handleFaceConsent)
	api.Put("/attendees/:id/face", desk, s.handleFaceRefPut)
	api.Delete("/attendees/:id/face", desk, s.handleFaceRefDelete)
	api.Delete("/attendees/:id/biometrics", desk, s.handleBiometricsDelete)
	api.Get("/faces/pending", desk, s.handleFacesPending)
	api.Post("/faces/search", desk, s.handleFaceSearch)
	api.Get("/faces/status", desk, s.handleFaceStatus)
	api.Post("/faces/purge", require(), s.adminOnly, s.handleFacePurge)
}

// faceBodyLimit bounds the bodies of PUT …/face and POST /faces/search: a
// reference is 1,368 characters of base64, with a model name and a time.
const faceBodyLimit = 4 << 10

// searchMatches is how many people the 1:N search answers, for a person
// to choose among: never one, so that it is never taken as a decision.
const searchMatches = 5

var (
	errFaceRefInvalid = badRequest("face_ref_invalid", "人脸特征数据无效（应为1024字节的 base64）",
		"the face reference is invalid (base64 of 1024 bytes expected)")
	errFaceModelInvalid = badRequest("face_model_invalid", "人脸模型名称无效", "the face model name is invalid")
	errFaceNoConsent    = apiError(fiber.StatusConflict, "face_no_consent", "此人未同意人脸核验，不保存其人脸特征",
		"this person has not consented to face verification; no reference is stored")
	errFacePhotoChanged = apiError(fiber.StatusConflict, "face_photo_changed", "照片已更换或删除，请按新照片重新计算人脸特征",
		"the photo was replaced or deleted; compute the reference from the new one")
	errNoFaceRef = apiError(fiber.StatusNotFound, "no_face_ref", "此人没有人脸特征", "this person has no face reference")
)

// modelName is what a model name may be: face.js's MODEL and the like.
var modelName = regexp.MustCompile(`^[a-z0-9][a-z0-9._/-]{0,63}$`)

// faceModel reads the model a request names, face.js's by default.
func faceModel(m string) (string, error) {
	if m == "" {
		return faces.Model, nil
	}
	if !modelName.MatchString(m) {
		return "", errFaceModelInvalid
	}
	return m, nil
}

// consentJSON is a recorded consent as the desk sees it.
type consentJSON struct {
	Face bool   `json:"face"`
	By   string `json:"by"`
	At   string `json:"at"`
}

// handleFaceConsent records the person's answer at the desk:
// {"face": true|false}.
func (s *Server) handleFaceConsent(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var body struct {
		Face *bool `json:"face"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if body.Face == nil {
		return badRequest("face_consent_missing", "请说明是否同意人脸核验（face: true 或 false）", "say whether the person consents (face: true or false)")
	}
	got, err := s.DB.SetFaceConsent(c.UserContext(), int64(id), *body.Face, principal(c).Name)
	if err != nil {
		return err
	}
	return c.JSON(consentJSON{Face: got.Consent, By: got.Actor, At: store.FormatTime(got.At)})
}

// handleFaceRefPut stores a reference the desk's page computed from the
// photo stored at photo_at.
func (s *Server) handleFaceRefPut(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var body struct {
		Model   string `json:"model"`
		Ref     string `json:"ref"`
		PhotoAt string `json:"photo_at"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	model, err := faceModel(body.Model)
	if err != nil {
		return err
	}
	vec, err := faces.DecodeRef(body.Ref)
	if err != nil {
		return errFaceRefInvalid
	}
	at, err := time.Parse(time.RFC3339Nano, body.PhotoAt)
	if err != nil {
		return badRequest("bad_photo_at", "photo_at 应为照片的时间（如 GET /faces/pending 所给）", "photo_at must be the photo's time, as GET /faces/pending gives it")
	}
	err = s.DB.PutFaceRef(c.UserContext(), int64(id), model, vec, at, principal(c).Name)
	switch {
	case errors.Is(err, store.ErrFaceNoConsent):
		return errFaceNoConsent
	case errors.Is(err, store.ErrFacePhotoChanged):
		return errFacePhotoChanged
	case err != nil:
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handleFaceRefDelete deletes the person's reference (the photo stays).
func (s *Server) handleFaceRefDelete(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	err = s.DB.DeleteFaceRef(c.UserContext(), int64(id), principal(c).Name)
	if errors.Is(err, store.ErrNotFound) {
		return errNoFaceRef
	}
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handleBiometricsDelete deletes the person's photo and reference on their
// request (audited); their recorded answer stays.
func (s *Server) handleBiometricsDelete(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	if err := s.DB.DeleteBiometrics(c.UserContext(), int64(id), principal(c).Name); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handleFacesPending lists who needs a reference of ?model= computed: the
// active people who consented and have a photo but no reference from it.
func (s *Server) handleFacesPending(c *fiber.Ctx) error {
	model, err := faceModel(c.Query("model"))
	if err != nil {
		return err
	}
	list, err := s.DB.FacesPending(c.UserContext(), model)
	if err != nil {
		return err
	}
	type item struct {
		ID      int64  `json:"id"`
		PhotoAt string `json:"photo_at"`
	}
	items := make([]item, len(list))
	for i, p := range list {
		items[i] = item{ID: p.ID, PhotoAt: store.FormatTime(p.PhotoAt)}
	}
	return c.JSON(fiber.Map{"items": items})
}

// faceMatchJSON is one person the 1:N search found.
type faceMatchJSON struct {
	ID           int64   `json:"id"`
	Name         string  `json:"name"`
	Organization string  `json:"organization"`
	Delegation   string  `json:"delegation"`
	Category     string  `json:"category"`
	Distance     float64 `json:"distance"`
}

// handleFaceSearch is 忘带证件: the five consenting people whose
// references are most like the face in the request, most alike first,
// for a person at the desk to confirm. The face is not stored; the audit
// says who searched and whom it offered, never the vector.
func (s *Server) handleFaceSearch(c *fiber.Ctx) error {
	var body struct {
		Model string `json:"model"`
		Ref   string `json:"ref"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	model, err := faceModel(body.Model)
	if err != nil {
		return err
	}
	q, err := faces.DecodeRef(body.Ref)
	if err != nil {
		return errFaceRefInvalid
	}
	ctx := c.UserContext()
	refs, err := s.DB.FaceRefs(ctx, model)
	if err != nil {
		return err
	}
	found := faces.Nearest(refs, q, searchMatches)
	out := make([]faceMatchJSON, 0, len(found))
	ids := make([]string, 0, len(found))
	for _, m := range found {
		a, err := s.DB.Attendee(ctx, m.ID)
		if err != nil {
			return err
		}
		out = append(out, faceMatchJSON{ID: a.ID, Name: a.Name, Organization: a.Organization, Delegation: a.Delegation,
			Category: a.Category, Distance: m.Distance})
		ids = append(ids, fmt.Sprint(a.ID))
	}
	detail := fmt.Sprintf("%s among %d: %s", model, len(refs), strings.Join(ids, ","))
	if err := s.DB.Audit(ctx, principal(c).Name, "face.search", "", detail); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"matches": out})
}

// handleFaceStatus counts face data for ?model=: the desk page's progress
// and the numbers the archive keeps.
func (s *Server) handleFaceStatus(c *fiber.Ctx) error {
	model, err := faceModel(c.Query("model"))
	if err != nil {
		return err
	}
	n, err := s.DB.FaceCounts(c.UserContext(), model)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"model": model, "consented": n.Consented, "refused": n.Refused, "unasked": n.Unasked,
		"photos": n.Photos, "refs": n.Refs, "pending": n.Pending})
}

// handleFacePurge deletes every photo, reference and consent (after the
// meeting is archived), audited, and answers the counts left: zero.
func (s *Server) handleFacePurge(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if _, err := s.DB.PurgeFaces(ctx, principal(c).Name); err != nil {
		return err
	}
	n, err := s.DB.FaceCounts(ctx, faces.Model)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"photos": n.Photos, "refs": n.Refs, "consented": n.Consented, "refused": n.Refused,
		"checks": n.Checks})
}

// faceCardJSON is what the desk card shows of a person's face data.
type faceCardJSON struct {
	Consent *bool  `json:"consent"` // null: never asked
	By      string `json:"by,omitempty"`
	At      string `json:"at,omitempty"`
	Ref     bool   `json:"ref"`
}

// faceCard reads attendee's photo flag and face data for the desk card.
func (s *Server) faceCard(c *fiber.Ctx, attendee int64) (bool, faceCardJSON, error) {
	st, err := s.DB.FaceState(c.UserContext(), attendee, faces.Model)
	if err != nil {
		return false, faceCardJSON{}, err
	}
	f := faceCardJSON{Ref: st.Ref}
	if k := st.Consent; k != nil {
		f.Consent, f.By, f.At = &k.Consent, k.Actor, store.FormatTime(k.At)
	}
	return st.Photo, f, nil
}
