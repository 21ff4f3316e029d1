package workbook

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/xlsxguard"
)

// Limits on an uploaded workbook, which is untrusted input.
const (
	// MaxBytes bounds the upload. A 10,000-seat hall given seat by seat
	// is well under 1 MB.
	MaxBytes = 10 << 20
	// MaxUnzipBytes bounds the workbook once unzipped; a zip bomb is
	// refused from its declared sizes before anything is inflated.
	MaxUnzipBytes = 128 << 20
	// MaxRows bounds the data rows of one sheet (blank rows do not count):
	// as many as the seats eventdef allows in one hall.
	MaxRows = eventdef.MaxSeats
)

const (
	// maxCellRunes bounds one cell; eventdef bounds names to 200, lists
	// may be longer.
	maxCellRunes = 2000
	// headerScanRows is how many non-blank rows may sit above a header.
	headerScanRows = 10
)

// limits are the bounds Read applies; tests shrink them.
type limits struct {
	maxBytes, maxUnzip int64
	maxRows            int
}

var defaultLimits = limits{maxBytes: MaxBytes, maxUnzip: MaxUnzipBytes, maxRows: MaxRows}

const saveAs = "请在 Excel 或 WPS 中另存为 .xlsx 工作簿后重新上传，或下载会议筹备表模板填写"
const saveAsEn = "save it as an .xlsx workbook in Excel or WPS and upload it again, or fill in the set-up template"

// Read reads an uploaded 会议筹备表. size is the upload's length when known
// (a larger one is refused unread), or -1. The definition comes back with
// every list non-nil, empty parts included, and the Locator maps its paths
// to cells. Errors are about the workbook itself: a file that cannot be
// read, or cells that cannot be turned into the definition (a number that
// is not one, an unknown 类型 word, a bad time). Whether the definition
// makes sense (codes, references, time order) is eventdef.Validate's to
// say; the Locator turns its paths into cells. The definition is usable
// only when there are no errors.
func Read(r io.Reader, size int64) (eventdef.Definition, *Locator, []Error) {
	return read(r, size, defaultLimits)
}

func read(r io.Reader, size int64, lim limits) (eventdef.Definition, *Locator, []Error) {
	l := newLocator()
	if size > lim.maxBytes {
		return eventdef.Definition{}, l, tooLarge(lim.maxBytes)
	}
	data, err := io.ReadAll(io.LimitReader(r, lim.maxBytes+1))
	if err != nil {
		return eventdef.Definition{}, l, fileError(CodeReadFailed, "无法读取上传的文件，请重新上传", "the upload could not be read; please upload it again")
	}
	if int64(len(data)) > lim.maxBytes {
		return eventdef.Definition{}, l, tooLarge(lim.maxBytes)
	}
	f, zr, errs := open(data, lim)
	if errs != nil {
		return eventdef.Definition{}, l, errs
	}
	defer f.Close()
	rd := &reader{f: f, zr: zr, lim: lim, l: l, parts: xlsxguard.SheetParts(zr), venueAt: map[string]int{}}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		rd.date1904 = *props.Date1904
	}
	rd.run()
	return rd.def, l, rd.errs.list()
}

func tooLarge(limit int64) []Error {
	return fileError(CodeFileTooLarge,
		fmt.Sprintf("文件超过 %s 的上限；会议筹备表一般不足 1 MB，请确认上传的文件", humanBytes(limit)),
		fmt.Sprintf("the file is larger than the %s limit; a set-up workbook is usually under 1 MB, so check the file", humanBytes(limit)))
}

func notXLSX() []Error {
	return fileError(CodeUnsupportedFormat, "不是有效的 .xlsx 工作簿，可能已损坏或是旧的 .xls 格式。"+saveAs,
		"not a valid .xlsx workbook: damaged, or the old .xls format; "+saveAsEn)
}

// open checks the zip's declared sizes, then lets excelize read it: the
// workbook is untrusted, and a bomb is refused before anything inflates.
func open(data []byte, lim limits) (*excelize.File, *zip.Reader, []Error) {
	f, zr, err := xlsxguard.Open(data, lim.maxUnzip, excelize.Options{})
	if errors.Is(err, xlsxguard.ErrTooBig) {
		return nil, nil, fileError(CodeFileTooLarge,
			fmt.Sprintf("工作簿解压后超过 %s，文件异常（可能已损坏或是恶意文件）", humanBytes(lim.maxUnzip)),
			fmt.Sprintf("the workbook unpacks to more than %s, which no set-up workbook needs; it is damaged or malicious", humanBytes(lim.maxUnzip)))
	}
	if err != nil {
		return nil, nil, notXLSX()
	}
	if len(f.GetSheetList()) == 0 {
		f.Close()
		return nil, nil, notXLSX()
	}
	return f, zr, nil
}

// reader builds a definition from an open workbook.
type reader struct {
	f        *excelize.File
	zr       *zip.Reader
	lim      limits
	l        *Locator
	errs     errorList
	parts    map[string]string // sheet name → zip part
	date1904 bool
	loc      *time.Location // the event's timezone; nil when 时区 is empty or unknown
	def      eventdef.Definition
	venueAt  map[string]int // venue code → index in def.Venues (the first of that code)
}

func (rd *reader) run() {
	rd.def = eventdef.Definition{Categories: []eventdef.Category{}, Venues: []eventdef.Venue{},
		Sessions: []eventdef.Session{}, Meals: []eventdef.Meal{}, Checkpoints: []eventdef.Checkpoint{}}
	if name := rd.findSheet(SheetEvent, "Event", "会议", "基本信息"); name != "" {
		rd.l.given[eventdef.PartEvent] = true
		rd.event(name)
	} else {
		rd.errs.add(Error{Sheet: SheetEvent, Code: CodeMissingSheet,
			Zh: "缺少“会议信息”工作表（会议代码、名称、时区、首日）。请使用会议筹备表模板",
			En: "the 会议信息 (event) sheet is missing: event id, name, timezone, first day; use the set-up template"})
	}
	for _, step := range []struct {
		spec *sheetSpec
		read func(*table)
	}{
		{&categorySheet, rd.categories}, {&venueSheet, rd.venues}, {&sectionSheet, rd.sections},
		{&seatSheet, rd.seats}, {&roomSheet, rd.rooms}, {&sessionSheet, rd.sessions},
		{&mealSheet, rd.meals}, {&checkpointSheet, rd.checkpoints},
	} {
		if t := rd.table(step.spec); t != nil {
			rd.l.given[step.spec.part] = true
			step.read(t)
		}
	}
}

// findSheet gives the name of the workbook's sheet called name, or one of
// its other names, whatever their case, width or spacing; "" if none.
func (rd *reader) findSheet(name string, others ...string) string {
	want := map[string]bool{foldWord(name): true}
	for _, o := range others {
		want[foldWord(o)] = true
	}
	if len(others) > 0 {
		want[foldWord(name+others[0])] = true
		want[foldWord(others[0]+name)] = true
	}
	for _, s := range rd.f.GetSheetList() {
		if want[foldWord(s)] {
			return s
		}
	}
	return ""
}

// eachRow calls fn with every non-blank row of a sheet, in order, with its
// spreadsheet row number, until fn returns false. It reports a sheet that
// cannot be read to the end.
func (rd *reader) eachRow(sheet string, fn func(line int, cells []string) bool) {
	rows, err := rd.f.Rows(sheet)
	if err != nil {
		rd.damaged(sheet, 0)
		return
	}
	defer rows.Close()
	line, stopped := 0, false
	for rows.Next() {
		line++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			rd.damaged(sheet, line)
			return
		}
		if blank(cells) {
			continue
		}
		if !fn(line, cells) {
			stopped = true
			break
		}
	}
	if stopped {
		return
	}
	if part := rd.parts[sheet]; part != "" {
		if last, err := xlsxguard.LastRow(rd.zr, part); err != nil || last > line {
			rd.damaged(sheet, line)
		}
	}
}

func (rd *reader) damaged(sheet string, line int) {
	rd.errs.add(Error{Sheet: sheet, Row: line + 1, Code: CodeUnsupportedFormat,
		Zh: fmt.Sprintf("工作表“%s”第 %d 行起无法读取，文件可能已损坏。%s", sheet, line+1, saveAs),
		En: fmt.Sprintf("sheet %q cannot be read from row %d on; the file may be damaged. %s", sheet, line+1, saveAsEn)})
}

func blank(cells []string) bool {
	for _, c := range cells {
		if clean(c) != "" {
			return false
		}
	}
	return true
}

// table is a data sheet as found in the file.
type table struct {
	spec  *sheetSpec
	name  string
	at    *sheetAt
	idx   []int    // spec column → file column (0-based), -1 when absent
	heads []string // file column → its header as written
	rows  []record
}

type record struct {
	line  int
	cells []string
}

// table reads a data sheet: the header row (the first with the key
// column's header, within the first rows), then its non-blank rows. nil
// when the workbook has no such sheet.
func (rd *reader) table(spec *sheetSpec) *table {
	name := rd.findSheet(spec.name, append([]string{spec.en}, spec.aliases...)...)
	if name == "" {
		return nil
	}
	t := &table{spec: spec, name: name, at: &sheetAt{name: name, cols: map[string]colAt{}}}
	first, seen, header := 0, 0, 0
	rd.eachRow(name, func(line int, cells []string) bool {
		if header == 0 {
			seen++
			if first == 0 {
				first = line
			}
			if rd.header(t, line, cells) {
				header = line
				if _, ok := rd.l.items[spec.part]; !ok {
					rd.l.item(spec.part, line, t.at, "")
				}
				return true
			}
			return seen < headerScanRows
		}
		if !t.hasData(cells) {
			return true
		}
		if len(t.rows) == rd.lim.maxRows {
			rd.errs.add(Error{Sheet: name, Row: line, Code: CodeTooManyRows,
				Zh: fmt.Sprintf("超过 %d 行的上限，从这一行起未读取", rd.lim.maxRows),
				En: fmt.Sprintf("more than %d rows; reading stopped here", rd.lim.maxRows)})
			return false
		}
		t.rows = append(t.rows, record{line: line, cells: cells})
		return true
	})
	if header == 0 {
		if first > 0 {
			key := spec.cols[0]
			rd.errs.add(Error{Sheet: name, Row: first, Code: CodeMissingColumn,
				Zh: fmt.Sprintf("找不到表头：工作表“%s”应有“%s”列。请保留模板第一行的表头", name, key.name),
				En: fmt.Sprintf("no header: sheet %q needs a %s (%s) column; keep the template's first row", name, key.name, key.en)})
		}
		return nil
	}
	return t
}

// header maps a row's cells to the sheet's columns when it holds the key
// column's header; it reports columns given twice.
func (rd *reader) header(t *table, line int, cells []string) bool {
	idx := make([]int, len(t.spec.cols))
	for i := range idx {
		idx[i] = -1
	}
	for i, c := range cells {
		if col := t.spec.column(c); col >= 0 && idx[col] < 0 {
			idx[col] = i
		}
	}
	if idx[0] < 0 {
		return false
	}
	t.idx, t.heads = idx, make([]string, len(cells))
	for i, c := range cells {
		t.heads[i] = clean(c)
		col := t.spec.column(c)
		if col < 0 {
			continue
		}
		if idx[col] != i {
			rd.errs.add(Error{Sheet: t.name, Row: line, Column: letter(i), Header: t.heads[i], Code: CodeDuplicateColumn,
				Zh: fmt.Sprintf("“%s”与 %s 列重复，请删去一列", t.heads[i], letter(idx[col])),
				En: fmt.Sprintf("%q repeats column %s; delete one of them", t.heads[i], letter(idx[col]))})
			continue
		}
		for _, p := range t.spec.cols[col].paths {
			t.at.cols[p] = colAt{letter: letter(i), header: t.heads[i]}
		}
	}
	return true
}

// hasData reports whether a row holds anything in the sheet's columns;
// text only in other columns (notes beside the table) does not count.
func (t *table) hasData(cells []string) bool {
	for _, i := range t.idx {
		if i >= 0 && i < len(cells) && clean(cells[i]) != "" {
			return true
		}
	}
	return false
}

// column finds the spec column a header cell names, or -1.
func (s *sheetSpec) column(header string) int {
	k := foldHeader(header)
	if k == "" {
		return -1
	}
	for i, c := range s.cols {
		if foldHeader(c.name) == k || foldHeader(c.en) == k {
			return i
		}
		for _, a := range c.aliases {
			if foldHeader(a) == k {
				return i
			}
		}
	}
	return -1
}

// foldHeader compares headers whatever their case, width, spacing, a
// trailing * or ：, or a remark in brackets: 代码（必填） is 代码.
func foldHeader(s string) string {
	s = foldWord(s)
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '【', '〔', '<', '《':
			depth++
			continue
		case ')', ']', '】', '〕', '>', '》':
			depth = max(depth-1, 0)
			continue
		}
		if depth == 0 && !strings.ContainsRune("*:_", r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func letter(i int) string {
	s, _ := excelize.ColumnNumberToName(i + 1)
	return s
}
