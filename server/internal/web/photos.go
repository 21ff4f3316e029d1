package web

import (
	"bytes"
	"errors"
	"mime"
	"mime/multipart"

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

// handlePhotoImport takes a ZIP of photos as multipart field "file", or
// photo files one by one as field "files" (a folder chosen in the
// browser, each named by its path in it), and answers the report: with
// ?dry_run=1 what would be stored, without it what was (the matched
// photos, in one transaction, audited).
func (s *Server) handlePhotoImport(c *fiber.Ctx) error {
	noFile := badRequest("no_file", "请以 multipart 字段 file 上传照片压缩包（ZIP），或以字段 files 上传照片文件",
		"upload the photos' ZIP as multipart field \"file\", or the photo files as field \"files\"")
	ct, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || ct != fiber.MIMEMultipartForm || params["boundary"] == "" {
		return noFile
	}
	mr := multipart.NewReader(bytes.NewReader(c.Body()), params["boundary"])
	up, err := photos.ReadUpload(mr, maxImportSize, errPhotoZipTooLarge)
	if errors.Is(err, photos.ErrNoUpload) {
		return noFile
	}
	if err == nil {
		dry := c.QueryBool("dry_run") || c.Query("dry_run") == "1"
		var rep *photos.Report
		if rep, err = photos.ImportUpload(c.UserContext(), s.DB, up, dry, principal(c).Name); err == nil {
			return c.JSON(rep)
		}
	}
	var p *photos.Problem
	if !errors.As(err, &p) {
		return err
	}
	status := fiber.StatusUnprocessableEntity
	switch p.Code {
	case "zip_too_large", "zip_too_many_files", "zip_too_many_pixels", "files_too_large", "files_too_many_files", "files_too_many_pixels":
		status = fiber.StatusRequestEntityTooLarge
	case "bad_form", "mixed_upload":
		status = fiber.StatusBadRequest
	}
	e := apiError(status, p.Code, p.Zh, p.En)
	if up != nil && up.Zip != nil {
		e.Details = fiber.Map{"file": up.ZipName}
	}
	return e
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
