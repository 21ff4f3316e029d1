package importer

import (
	"fmt"
	"io"
	"time"

	"huiwu/server/internal/domain"
)

// Limits applied when Options leaves them zero.
const (
	// DefaultMaxBytes bounds the upload itself.
	DefaultMaxBytes = 10 << 20
	// DefaultMaxRows bounds the data rows (blank rows do not count).
	DefaultMaxRows = 50_000
	// DefaultMaxUnzipBytes bounds the uncompressed size of an XLSX. A real
	// 50,000-row list unpacks to well under 64 MiB; a zip bomb does not.
	DefaultMaxUnzipBytes = 128 << 20
	// MaxIssues is how many errors, and separately warnings, a Result lists.
	MaxIssues = 200
)

// Options configure Parse. The zero value is usable.
type Options struct {
	// Categories resolve a 类别 cell given as code, Chinese or English word.
	// Empty means the usual five: 代表, 列席, 嘉宾, 工作人员, 记者.
	Categories []domain.Category
	// MaxBytes bounds the upload; default DefaultMaxBytes.
	MaxBytes int64
	// MaxRows bounds the data rows; default DefaultMaxRows.
	MaxRows int
	// MaxUnzipBytes bounds an XLSX once uncompressed; default
	// DefaultMaxUnzipBytes.
	MaxUnzipBytes int64
	// HotelVenue is the venue code put in Attendee.Lodging for a 房号 cell,
	// e.g. "hotel". Left empty, Lodging.Venue is empty too.
	HotelVenue string
	// Year is the event's: a travel date written without a year (3月4日)
	// is in it. Zero means this year.
	Year int
	// KnownStation reports whether a station name is one the event knows
	// (under any of its spellings); a name it does not know is a new
	// station, with a warning. Nil knows none and warns of none.
	KnownStation func(name string) bool
}

// Row is one valid attendee and where it came from.
type Row struct {
	// Line is the spreadsheet row number; the first row of the file is 1.
	Line     int
	Attendee domain.Attendee
}

// Issue is one error or warning about a cell, a row or the header.
type Issue struct {
	Row       int    `json:"row"`    // spreadsheet row number, ≥ 1
	Column    string `json:"column"` // column letter, e.g. "C"; "" only for missing_column
	Header    string `json:"header"` // the header cell as written, e.g. 身份证号
	Code      string `json:"code"`   // stable, one of the Code* constants
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// Result is a parsed file. The import may proceed only if ErrorCount is 0.
type Result struct {
	// Rows are the valid attendees in file order; rows with errors and
	// dropped duplicates are not here.
	Rows         []Row   `json:"-"`
	Errors       []Issue `json:"errors"`   // the first MaxIssues errors
	Warnings     []Issue `json:"warnings"` // the first MaxIssues warnings
	ErrorCount   int     `json:"error_count"`
	WarningCount int     `json:"warning_count"`
	// Columns maps each recognised field (name, gender, ethnicity,
	// organization, title, rank, category, delegation, group, phone,
	// id_number, room, diet, accessibility, notes, arrival, departure, key,
	// and travel's arrival_mode, arrival_number, arrival_station,
	// arrival_date, companions, departure_mode, departure_number,
	// departure_station, departure_date, departure_companions, ticket,
	// ticket_no; and face_consent, 人脸核验同意) to its column letter.
	Columns map[string]string `json:"columns"`
	// Format is "xlsx", "csv-utf8", "csv-utf8-bom", "csv-gb18030",
	// "csv-utf16le" or "csv-utf16be".
	Format    string `json:"format"`
	HeaderRow int    `json:"header_row"`
	// Sheet is the worksheet read (XLSX); OtherSheets are the visible sheets
	// that were not, so the desk can be told that only one sheet is imported.
	Sheet       string   `json:"sheet,omitempty"`
	OtherSheets []string `json:"other_sheets,omitempty"`
}

// OK reports whether the import may proceed.
func (r *Result) OK() bool { return r.ErrorCount == 0 }

// Parse reads an attendee list. It returns an *Error only when the file
// cannot be read as a list at all (too large, not a spreadsheet, no header);
// everything else is reported in Result.Errors and Result.Warnings. The file
// name serves only to word messages; the format comes from the content.
func Parse(filename string, r io.Reader, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	data, err := readLimited(r, opts.MaxBytes)
	if err != nil {
		return nil, err
	}
	g, err := readGrid(filename, data, opts)
	if err != nil {
		return nil, err
	}
	return build(g, opts)
}

// CheckRow runs one row given as cells under header through the same
// checks as a list's rows (the desk's 现场登记 form): the Result holds the
// attendee as an import would store it, or the row's errors with their
// columns. Nothing is encoded or parsed on the way.
func CheckRow(header, cells []string, opts Options) (*Result, error) {
	g := &grid{format: "form", rows: []gridRow{{line: 1, cells: header}, {line: 2, cells: cells}}}
	return build(g, opts.withDefaults())
}

func (o Options) withDefaults() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.MaxUnzipBytes <= 0 {
		o.MaxUnzipBytes = DefaultMaxUnzipBytes
	}
	if len(o.Categories) == 0 {
		o.Categories = defaultCategories
	}
	if o.Year == 0 {
		o.Year = time.Now().Year()
	}
	return o
}

var defaultCategories = []domain.Category{
	{Code: domain.CategoryDeputy, Name: "代表", NameEn: "Deputy", Voting: true, Sort: 1},
	{Code: domain.CategoryObserver, Name: "列席", NameEn: "Observer", Sort: 2},
	{Code: domain.CategoryGuest, Name: "嘉宾", NameEn: "Guest", Sort: 3},
	{Code: domain.CategoryStaff, Name: "工作人员", NameEn: "Staff", Sort: 4},
	{Code: domain.CategoryPress, Name: "记者", NameEn: "Press", Sort: 5},
}

// readLimited reads at most max bytes and fails, without reading on, if the
// upload is longer.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, &Error{Code: CodeReadFailed,
			Message:   "无法读取上传的文件，请重新上传",
			MessageEn: "the upload could not be read; please upload it again",
			Err:       err}
	}
	if int64(len(data)) > max {
		return nil, &Error{Code: CodeFileTooLarge,
			Message:   fmt.Sprintf("文件超过 %s 的上限，请拆分后分批导入", humanBytes(max)),
			MessageEn: fmt.Sprintf("the file is larger than the %s limit; split it and import the parts", humanBytes(max))}
	}
	return data, nil
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
