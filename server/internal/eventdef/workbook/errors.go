package workbook

import (
	"fmt"
	"strings"
)

// Error is one problem with an uploaded workbook. A cell's problem names
// the sheet, the spreadsheet row (the header is row 1) and the column, by
// letter and by the header written above it; a file-level problem (too
// large, not a workbook) has no sheet. Zh and En say what is wrong and how
// to put it right, without the position, which the desk shows beside them.
type Error struct {
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row,omitempty"`
	Column string `json:"column,omitempty"` // the column letter, e.g. "E"
	Header string `json:"header,omitempty"` // the header above it, e.g. 开始
	Code   string `json:"code"`
	Zh     string `json:"zh"`
	En     string `json:"en"`
}

// Error implements error, with the position first: 日程!E5 (开始).
func (e Error) Error() string {
	var b strings.Builder
	b.WriteString("workbook: ")
	if e.Sheet != "" {
		b.WriteString(e.Sheet)
		if e.Row > 0 {
			fmt.Fprintf(&b, "!%s%d", e.Column, e.Row)
		}
		if e.Header != "" {
			fmt.Fprintf(&b, " (%s)", e.Header)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Code + ": " + e.En)
	return b.String()
}

// File-level codes: the upload is not read at all.
const (
	CodeFileTooLarge      = "file_too_large"     // the upload, or the workbook unzipped, is over the limit
	CodeUnsupportedFormat = "unsupported_format" // not an .xlsx, or a damaged one
	CodeReadFailed        = "read_failed"        // the upload stream broke
)

// Sheet- and cell-level codes.
const (
	CodeMissingSheet    = "missing_sheet"     // no 会议信息 sheet
	CodeMissingColumn   = "missing_column"    // a sheet with data has no key column (代码 …)
	CodeDuplicateColumn = "duplicate_column"  // two header cells mean the same column
	CodeDuplicateKey    = "duplicate_key"     // 会议信息 gives a key twice
	CodeTooManyRows     = "too_many_rows"     // a sheet has more than MaxRows data rows; reading stops there
	CodeTooManyErrors   = "too_many_errors"   // the last entry when more than MaxErrors were found
	CodeCellTooLong     = "cell_too_long"     // over maxCellRunes characters
	CodeBadNumber       = "bad_number"        // not a number, or not a whole one where one is needed
	CodeBadDate         = "bad_date"          // not a date such as 2026-03-05
	CodeBadTime         = "bad_time"          // not a time such as 2026-03-05 09:00
	CodeBadTimezone     = "unknown_timezone"  // 时区 is not an IANA name
	CodeUnknownValue    = "unknown_value"     // a word that is not one of the column's choices (类型 …)
	CodeBadTables       = "bad_tables"        // a 餐桌 cell that does not read as 40×10 …
	CodeBadRoomRun      = "bad_room_run"      // a 房号 run that does not read as 801~820
	CodeUnknownVenue    = "unknown_venue"     // a 座区, 座位 or 住宿 row names a venue the 场地 sheet lacks
	CodeRequired        = "required"          // a cell that the row cannot be placed without is empty
	CodeConflict        = "conflicting_value" // a meal's rows disagree about the meal
)

// MaxErrors is how many errors Read lists; one more entry says how many
// were left out.
const MaxErrors = 200

// errorList keeps the first MaxErrors errors and counts the rest.
type errorList struct {
	errs []Error
	n    int
}

func (l *errorList) add(e Error) {
	l.n++
	if len(l.errs) < MaxErrors {
		l.errs = append(l.errs, e)
	}
}

func (l *errorList) list() []Error {
	if l.n > len(l.errs) {
		more := l.n - len(l.errs)
		return append(l.errs, Error{Code: CodeTooManyErrors,
			Zh: fmt.Sprintf("另有 %d 处错误未列出，请先改正以上错误后重新上传", more),
			En: fmt.Sprintf("%d more errors are not listed; fix those above and upload again", more)})
	}
	return l.errs
}

func fileError(code, zh, en string) []Error {
	return []Error{{Code: code, Zh: zh, En: en}}
}

func humanBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
