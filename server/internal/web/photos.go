package web

import (
	"errors"
	"io"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/photos"
	"huiwu/server/internal/store"
)

// photoRoutes are attendees' photos (issue 15.1): the import of a ZIP of
// photo files, with its report first, one photo read back, and deleted.
// Desk only for now: a photo is personal data that no screen, usher or
// kiosk needs yet (the badge, the glance check at the door and consent
// come later).
func (s *Server) photoRoutes(api fiber.Router) {
	desk := require(auth.RoleDesk)
	api.Post("/photos/import", desk, s.handlePhotoImport)
	api.Get("/attendees/:id/photo.jpg", desk, s.handlePhoto)
	api.Delete("/attendees/:id/photo", desk, s.handlePhotoDelete)
	api.Put("/attendees/:id/photo", desk, s.handlePhotoPut) // the desk's webcam (photo_capture.go)
}

// handlePhotoImport takes a ZIP of photos as multipart field "file" and
// answers the report: with ?dry_run=1 what would be stored, without it
// what was (the matched photos, in one transaction, audited).
func (s *Server) handlePhotoImport(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return badRequest("no_file", "请以 multipart 字段 file 上传照片压缩包（ZIP）", "upload the photos' ZIP as multipart field \"file\"")
	}
	if fh.Size > maxImportSize {
		return errPhotoZipTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImportSize+1))
	if err != nil {
		return err
	}
	if len(data) > maxImportSize {
		return errPhotoZipTooLarge
	}
	dry := c.QueryBool("dry_run") || c.Query("dry_run") == "1"
	rep, err := photos.Import(c.UserContext(), s.DB, data, dry, principal(c).Name)
	var p *photos.Problem
	if errors.As(err, &p) {
		status := fiber.StatusUnprocessableEntity
		if p.Code == "zip_too_large" || p.Code == "zip_too_many_files" || p.Code == "zip_too_many_pixels" {
			status = fiber.StatusRequestEntityTooLarge
		}
		e := apiError(status, p.Code, p.Zh, p.En)
		e.Details = fiber.Map{"file": fh.Filename}
		return e
	}
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

var errPhotoZipTooLarge = apiError(fiber.StatusRequestEntityTooLarge, "file_too_large",
	"照片压缩包超过10MB，请分成几个压缩包", "the photos' ZIP is larger than 10 MB; split it")

var errNoPhoto = apiError(fiber.StatusNotFound, "no_photo", "此人还没有照片", "this person has no photo")

// handlePhoto sends an attendee's stored photo (the normalised JPEG),
// never cached by the browser or anything between.
func (s *Server) handlePhoto(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	return s.sendPhoto(c, int64(id))
}

// handlePhotoDelete deletes an attendee's photo (audited): 204, or 404
// no_photo when there is none.
func (s *Server) handlePhotoDelete(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	err = s.DB.DeletePhoto(c.UserContext(), int64(id), principal(c).Name)
	if errors.Is(err, store.ErrNotFound) {
		return errNoPhoto
	}
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
