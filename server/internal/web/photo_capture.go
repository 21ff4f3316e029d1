package web

import (
	"errors"
	"mime"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/photos"
	"huiwu/server/internal/store"
)

// The desk's webcam photo (issue 15.1): the page crops the picture to 3:4
// and sends it as the request body, which goes through the same
// normaliser as an imported file (upright, 3:4, at most 600×800, a new
// JPEG without EXIF), so the server never stores what the browser sent.

// deskPhotoLimit is the largest body PUT …/photo takes: one photo file as
// the import takes it (a webcam's crop is a few hundred KB; a phone's
// photo picked from disk fits too).
const deskPhotoLimit = photos.MaxFileBytes

var errPhotoContentType = apiError(fiber.StatusUnsupportedMediaType, "photo_content_type",
	"请以 image/jpeg 或 image/png 发送照片", "send the photo as image/jpeg or image/png")

// handlePhotoPut stores the body (a JPEG or PNG) as attendee id's photo,
// source 'desk', replacing any they had, and answers its size and
// photo_at (the time a face reference is computed against).
func (s *Server) handlePhotoPut(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	mt, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if mt != "image/jpeg" && mt != "image/png" {
		return errPhotoContentType
	}
	p, err := photos.Normalize(c.Body())
	var pr *photos.Problem
	if errors.As(err, &pr) {
		status := fiber.StatusUnprocessableEntity
		if pr.Code == "photo_too_large" || pr.Code == "photo_too_many_pixels" {
			status = fiber.StatusRequestEntityTooLarge
		}
		return apiError(status, pr.Code, pr.Zh, pr.En)
	}
	if err != nil {
		return err
	}
	at, err := s.DB.PutDeskPhoto(c.UserContext(), store.PhotoPut{Attendee: int64(id), JPEG: p.JPEG, Width: p.Width, Height: p.Height}, principal(c).Name)
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"width": p.Width, "height": p.Height, "bytes": len(p.JPEG), "photo_at": store.FormatTime(at)})
}
