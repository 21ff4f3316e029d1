package web

import (
	"bytes"
	"context"
	"io"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/exports"
	"huiwu/server/internal/summary"
)

// The 会务总结 (issue 13.5): the after-meeting summary as a PDF, alone and
// inside the 立卷归档 ZIP.

// handleSummaryPDF answers the summary as it stands now.
func (s *Server) handleSummaryPDF(c *fiber.Ctx) error {
	r, err := summary.Load(c.UserContext(), s.DB, s.catalog(), time.Now(), principal(c).Name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := summary.Write(&buf, r); err != nil {
		return err
	}
	name := r.Made.Format("20060102-1504")
	return sendFile(c, "会务总结-"+name+".pdf", "summary-"+name+".pdf", "application/pdf", buf.Bytes())
}

// summaryFile is the summary as a file of the archive a, read from the
// same moment and sign-in sheets as the rest of it.
func (s *Server) summaryFile(ctx context.Context, a *exports.Archive) exports.File {
	cat := s.catalog()
	return exports.File{Name: "会务总结.pdf", Note: "会务总结：出席情况与主持人报告用语、到场曲线、用餐、资料发放、涉密文件清退、后勤、值班、异常情况",
		Write: func(w io.Writer) error {
			r, err := summary.LoadFor(ctx, s.DB, cat, a)
			if err != nil {
				return err
			}
			return summary.Write(w, r)
		}}
}
