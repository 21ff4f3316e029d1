package web

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/workbook"
	"huiwu/server/internal/store"
)

// The set-up workbook (会议筹备表) is another way to write the event
// definition: an upload is read into a Definition and goes through the same
// ApplyDefinition as PUT /event, and its errors are reported by sheet, row
// and column.

// workbookError is one problem with an uploaded workbook: where in the
// file and, for the definition's own checks, the path it failed at.
type workbookError struct {
	Path    string        `json:"path,omitempty"`
	Sheet   string        `json:"sheet,omitempty"`
	Row     int           `json:"row,omitempty"`
	Column  string        `json:"column,omitempty"`
	Header  string        `json:"header,omitempty"`
	Code    string        `json:"code"`
	Message eventdef.Text `json:"message"`
}

func (s *Server) handleWorkbookTemplate(c *fiber.Ctx) error {
	b, err := workbook.Template()
	if err != nil {
		return err
	}
	return sendFile(c, "会议筹备表（空白模板）.xlsx", "setup-template.xlsx", xlsxType, b)
}

func (s *Server) handleWorkbookExample(c *fiber.Ctx) error {
	b, err := workbook.Example()
	if err != nil {
		return err
	}
	return sendFile(c, "会议筹备表（示例）.xlsx", "setup-example.xlsx", xlsxType, b)
}

// handleWorkbookExport gives the current set-up as the workbook: export →
// import answers unchanged, and next year's meeting can start from it.
func (s *Server) handleWorkbookExport(c *fiber.Ctx) error {
	d, err := s.DB.Definition(c.UserContext())
	if errors.Is(err, store.ErrNotFound) {
		return errNoEvent
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := workbook.Write(d, &buf); err != nil {
		return err
	}
	return sendFile(c, d.Event.Name+"会议筹备表.xlsx", "setup-"+d.Event.ID+".xlsx", xlsxType, buf.Bytes())
}

// handleWorkbookImport takes the workbook as multipart field "file"
// (?dry_run=1 first): 200 with the same report as PUT /event, or 422 with
// every error by sheet, row and column.
func (s *Server) handleWorkbookImport(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return badRequest("no_file", "请以 multipart 字段 file 上传会议筹备表", "upload the workbook as multipart field \"file\"")
	}
	if fh.Size > workbook.MaxBytes {
		return apiError(fiber.StatusRequestEntityTooLarge, "file_too_large", "文件超过大小限制", "the file is too large")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	def, loc, errs := workbook.Read(f, fh.Size)
	if len(errs) > 0 {
		out := make(workbookErrors, len(errs))
		for i, e := range errs {
			out[i] = workbookError{Sheet: e.Sheet, Row: e.Row, Column: e.Column, Header: e.Header, Code: e.Code, Message: eventdef.Text{Zh: e.Zh, En: e.En}}
		}
		return out
	}
	rep, err := s.DB.ApplyDefinition(c.UserContext(), def, loc.Given(), store.ApplyOptions{DryRun: c.QueryBool("dry_run"), Actor: principal(c).Name})
	var verrs eventdef.Errors
	if errors.As(err, &verrs) {
		out := make(workbookErrors, len(verrs))
		for i, e := range verrs {
			out[i] = workbookError{Path: e.Path, Code: e.Code, Message: e.Message}
			if p, ok := loc.Position(e.Path); ok {
				out[i].Sheet, out[i].Row, out[i].Column, out[i].Header = p.Sheet, p.Row, p.Column, p.Header
			}
		}
		return out
	}
	if err != nil {
		return definitionError(err)
	}
	return c.JSON(rep)
}

// workbookErrors are an upload's problems as the API answers them
// (apierr.Listed): 422 with every problem by sheet, row and column, or 413
// when the one problem is the file's size.
type workbookErrors []workbookError

func (es workbookErrors) Error() string {
	return fmt.Sprintf("workbook: %d errors, first %s: %s", len(es), es[0].Code, es[0].Message.En)
}

// HTTPStatus implements apierr.Error.
func (es workbookErrors) HTTPStatus() int {
	if len(es) == 1 && es[0].Code == workbook.CodeFileTooLarge {
		return fiber.StatusRequestEntityTooLarge
	}
	return fiber.StatusUnprocessableEntity
}

// ErrorCode implements apierr.Error.
func (es workbookErrors) ErrorCode() string { return "invalid_workbook" }

// Text implements apierr.Error.
func (es workbookErrors) Text() (zh, en string) {
	return "会议筹备表有错误，未做任何修改", "the workbook has errors; nothing was changed"
}

// ErrorList implements apierr.Listed.
func (es workbookErrors) ErrorList() any { return []workbookError(es) }
