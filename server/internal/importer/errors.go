package importer

import (
	"net/http"

	"huiwu/server/internal/apierr"
)

// File-level codes: Parse returns them as an *Error and no Result.
const (
	CodeFileTooLarge      = "file_too_large"     // upload, or an XLSX once unzipped, over the limit
	CodeUnsupportedFormat = "unsupported_format" // not an XLSX or a CSV/text list
	CodeBadEncoding       = "bad_encoding"       // text in neither UTF-8, UTF-16 nor GB18030
	CodeNoHeader          = "no_header"          // no 姓名/name cell in the first rows
	CodeReadFailed        = "read_failed"        // the upload stream broke
)

// Row-level error codes: the row cannot be imported as it stands.
const (
	CodeMissingName       = "missing_name"         // 姓名 empty
	CodeMissingCategory   = "missing_category"     // 类别 empty
	CodeUnknownCategory   = "unknown_category"     // 类别 not among Options.Categories
	CodeIDScientific      = "id_number_scientific" // 1.10101E+17: Excel dropped digits
	CodeIDNumeric         = "id_number_numeric"    // XLSX cell stored as a number
	CodeIDChecksum        = "id_number_checksum"   // GB 11643 check digit wrong
	CodeIDLength          = "id_number_length"     // digits, but neither 15 nor 18
	CodeIDInvalid         = "id_number_invalid"    // bad characters or birth date
	CodePhoneInvalid      = "phone_invalid"        // neither a mobile nor a landline with area code
	CodeBadRank           = "bad_rank"             // 排序 not a positive integer
	CodeCellTooLong       = "cell_too_long"        // over 200 characters (1000 for notes, diet, accessibility)
	CodeDuplicateKey      = "duplicate_key"        // same key as an earlier row, different data
	CodeDuplicateIDNumber = "duplicate_id_number"  // same ID number as an earlier row under another key
	CodeTooManyRows       = "too_many_rows"        // data rows over Options.MaxRows; reading stops there
	CodeDuplicateColumn   = "duplicate_column"     // two header cells mean the same field
	CodeMissingColumn     = "missing_column"       // the header has no 类别 column
	CodeBadConsent        = "bad_face_consent"     // 人脸核验同意 neither yes, no nor empty
)

// Warning codes: they do not block the import, but someone should look.
const (
	CodeUnknownColumn = "unknown_column"     // header not recognised; column ignored
	CodeUnnamedColumn = "unnamed_column"     // data under an empty header; ignored
	CodeDuplicateRow  = "duplicate_row"      // identical to an earlier row; dropped
	CodeDuplicateRank = "duplicate_rank"     // same 排序 as an earlier row
	CodeIDOld         = "id_number_old"      // 15-digit first-generation ID
	CodeIDOther       = "id_number_other"    // passport or permit rather than a resident ID
	CodeBadGender     = "bad_gender"         // not 男/女; left empty
	CodeHiddenRow     = "hidden_row"         // hidden or filtered out in Excel, imported anyway
	CodeIgnoredRow    = "ignored_row"        // text only in unknown or unnamed columns; skipped
	CodeNewStation    = "travel_new_station" // a station never seen before; it is added
)

// The travel columns' problems have the codes of package logistics
// (travel_bad_date, travel_ambiguous_time …): errors where a structured
// cell cannot be read, warnings where the free text is unclear, and
// travel_kept_as_text where free text cannot be read as travel at all.

// Error is a file-level failure: the upload cannot be read as an attendee
// list. Code is stable; Message (Chinese) and MessageEn are for the desk.
type Error struct {
	Code      string
	Message   string
	MessageEn string
	Err       error // the underlying cause, if any
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return "importer: " + e.Code + ": " + e.MessageEn + ": " + e.Err.Error()
	}
	return "importer: " + e.Code + ": " + e.MessageEn
}

// HTTPStatus implements apierr.Error: a file over the limit is too large
// (413), any other file that cannot be read as a list is unprocessable
// (422).
func (e *Error) HTTPStatus() int {
	if e.Code == CodeFileTooLarge {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusUnprocessableEntity
}

// ErrorCode implements apierr.Error.
func (e *Error) ErrorCode() string { return e.Code }

// Text implements apierr.Error.
func (e *Error) Text() (zh, en string) { return e.Message, e.MessageEn }

// The API answers a file-level failure as it says.
var _ apierr.Error = (*Error)(nil)

// Unwrap gives the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrFileTooLarge) and friends match by code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels for errors.Is; Parse returns richer *Error values with these codes.
var (
	ErrFileTooLarge      = &Error{Code: CodeFileTooLarge}
	ErrUnsupportedFormat = &Error{Code: CodeUnsupportedFormat}
	ErrBadEncoding       = &Error{Code: CodeBadEncoding}
	ErrNoHeader          = &Error{Code: CodeNoHeader}
	ErrReadFailed        = &Error{Code: CodeReadFailed}
)

// issues collects errors and warnings, keeping the first MaxIssues of each.
type issues struct {
	errs, warns   []Issue
	nErrs, nWarns int
}

func (c *issues) err(is Issue) {
	c.nErrs++
	if len(c.errs) < MaxIssues {
		c.errs = append(c.errs, is)
	}
}

func (c *issues) warn(is Issue) {
	c.nWarns++
	if len(c.warns) < MaxIssues {
		c.warns = append(c.warns, is)
	}
}
