package web

import (
	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/imports"
)

// handleImport takes an attendee list as multipart field "file". It answers
// the report: 200 when stored (or, with ?dry_run=1, when it would be), 422
// with every error by row and column when nothing was stored.
func (s *Server) handleImport(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return badRequest("no_file", "请以 multipart 字段 file 上传名单文件", "upload the list as multipart field \"file\"")
	}
	if fh.Size > maxImportSize {
		return apiError(fiber.StatusRequestEntityTooLarge, "file_too_large", "文件超过10MB", "the file is larger than 10 MB")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	dry := c.QueryBool("dry_run") || c.Query("dry_run") == "1"
	rep, err := imports.Run(c.UserContext(), s.DB, fh.Filename, f, dry, principal(c).Name)
	if err != nil {
		return err // an *importer.Error answers 413 or 422 with its code
	}
	if !rep.OK() {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(rep)
	}
	return c.JSON(rep)
}
