package xlsxout

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// Typed values for Sheet.Row besides the plain ones: a string is a text
// cell, an int a count (format 0), a float64 a number (0.0), a time.Time a
// date and time (yyyy-mm-dd hh:mm; the zero time an empty cell), nil an
// empty cell.
type (
	// Percent is a fraction shown as a percentage (0.096 → 9.6%).
	Percent float64
	// Date is a day (yyyy-mm-dd); the zero time is an empty cell.
	Date time.Time
	// Clock is a time of day with its date and seconds (yyyy-mm-dd
	// hh:mm:ss), for a sign-in to the second.
	Clock time.Time
)

// The number formats.
const (
	FormatCount    = "0"
	FormatNumber   = "0.0"
	FormatPercent  = "0.0%"
	FormatDateTime = "yyyy-mm-dd hh:mm"
	FormatClock    = "yyyy-mm-dd hh:mm:ss"
	FormatDate     = "yyyy-mm-dd"
)

type role int

const (
	roleBody role = iota
	roleHead
	roleFoot
	roleTitle
	roleLine
	roleBand
	roleBlank
)

type kind int

const (
	kindText kind = iota
	kindCount
	kindNumber
	kindPercent
	kindDateTime
	kindClock
	kindDate
)

var formats = map[kind]string{kindCount: FormatCount, kindNumber: FormatNumber, kindPercent: FormatPercent,
	kindDateTime: FormatDateTime, kindClock: FormatClock, kindDate: FormatDate}

// Column bounds a column's width in characters. The column is as wide as
// its longest cell (header, body and foot rows) plus a little room, but
// no narrower than Min and no wider than Max (DefaultMax when 0); a cell
// wider wraps, and its row grows.
type Column struct {
	Min, Max float64
}

// DefaultMax caps a column that says nothing else: about 25 Chinese
// characters.
const DefaultMax = 50

// lineHeight is the height of a line of 11-point text, in points.
const lineHeight = 15

// Book is a workbook written sheet by sheet. Rows are kept until WriteTo,
// which sizes the columns to them and writes each sheet through excelize's
// stream writer.
type Book struct {
	f      *excelize.File
	sheets []*Sheet
	styles map[styleKey]int
}

// New starts a workbook.
func New() *Book { return &Book{f: excelize.NewFile(), styles: map[styleKey]int{}} }

// Close frees the workbook; WriteTo closes it too.
func (b *Book) Close() error { return b.f.Close() }

// Sheet adds a sheet named name (made acceptable to Excel) that prints as
// p says; p.HeadFrom and p.HeadTo are set by Head.
func (b *Book) Sheet(name string, p Page, cols ...Column) *Sheet {
	s := &Sheet{name: SheetName(name), page: p, cols: cols}
	b.sheets = append(b.sheets, s)
	return s
}

// Sheet is one sheet's rows, written out by Book.WriteTo.
type Sheet struct {
	name      string
	page      Page
	cols      []Column
	rows      []row
	minHeight float64
	widths    []float64
}

type row struct {
	role   role
	cells  []any
	height float64
	widths []float64 // each cell's Width, measured by layout
}

// Name is the sheet's name as written.
func (s *Sheet) Name() string { return s.name }

// RowHeight makes every body row (not the header or the totals) at least points tall (a 签到表's rows
// leave room to sign).
func (s *Sheet) RowHeight(points float64) { s.minHeight = points }

// Title adds a line in large bold type across the columns. The first
// title is the page header's too, unless Page.Title says otherwise.
func (s *Sheet) Title(text string) {
	if s.page.Title == "" {
		s.page.Title = text
	}
	s.rows = append(s.rows, row{role: roleTitle, cells: []any{text}, height: 24})
}

// Line adds a line of text across the columns (a subtitle, a note).
func (s *Sheet) Line(text string) {
	s.rows = append(s.rows, row{role: roleLine, cells: []any{text}, height: 20})
}

// Band adds a shaded bold line across the columns: a section's heading.
func (s *Sheet) Band(text string) {
	s.rows = append(s.rows, row{role: roleBand, cells: []any{text}, height: 20})
}

// Blank adds an empty line.
func (s *Sheet) Blank() { s.rows = append(s.rows, row{role: roleBlank}) }

// Head adds a header row: frozen on screen, printed on every page. Header
// rows are consecutive.
func (s *Sheet) Head(values ...any) {
	s.rows = append(s.rows, row{role: roleHead, cells: values})
	if s.page.HeadFrom == 0 {
		s.page.HeadFrom = len(s.rows)
	}
	s.page.HeadTo = len(s.rows)
}

// Row adds a row of values (see the typed values above).
func (s *Sheet) Row(values ...any) { s.rows = append(s.rows, row{role: roleBody, cells: values}) }

// Foot adds a row in bold: a 合计 or 小计 line.
func (s *Sheet) Foot(values ...any) { s.rows = append(s.rows, row{role: roleFoot, cells: values}) }

// ncols is how many columns the sheet has: the column bounds given, or
// its widest row.
func (s *Sheet) ncols() int {
	n := len(s.cols)
	for _, r := range s.rows {
		if r.role <= roleFoot {
			n = max(n, len(r.cells))
		}
	}
	return max(n, 1)
}

// layout sizes the columns to their longest cells and turns the page
// when they are wider than portrait.
func (s *Sheet) layout() {
	n := s.ncols()
	s.widths = make([]float64, n)
	for at := range s.rows {
		r := &s.rows[at]
		if r.role > roleFoot {
			continue
		}
		r.widths = make([]float64, len(r.cells))
		for i, v := range r.cells {
			r.widths[i] = Width(display(v))
			s.widths[i] = max(s.widths[i], r.widths[i]+2)
		}
	}
	total := 0.0
	for i := range s.widths {
		c := Column{Max: DefaultMax}
		if i < len(s.cols) {
			c = s.cols[i]
			if c.Max == 0 {
				c.Max = DefaultMax
			}
		}
		s.widths[i] = min(max(s.widths[i], c.Min, 4), max(c.Max, c.Min))
		total += Millimetres(s.widths[i])
	}
	if total > Printable(false) {
		s.page.Landscape = true
	}
}

// height is a row's height in points: room for its wrapped lines, and at
// least the sheet's row height for body rows (0: the default).
func (s *Sheet) height(r row) float64 {
	lines := 1
	switch r.role {
	case roleTitle, roleLine, roleBand:
		total := 0.0
		for _, w := range s.widths {
			total += w
		}
		if len(r.cells) > 0 {
			lines = Lines(display(r.cells[0]), total)
		}
		step := float64(lineHeight)
		if r.role == roleTitle {
			step = 22
		}
		return max(r.height, float64(lines)*step)
	case roleBlank:
		return 0
	}
	for i, v := range r.cells {
		// Only text wraps; r.widths spares measuring every cell again.
		if t, ok := v.(string); ok && i < len(s.widths) && r.widths[i] > s.widths[i]-1 {
			lines = max(lines, Lines(t, s.widths[i]))
		}
	}
	h := 0.0
	if lines > 1 {
		h = float64(lines)*lineHeight + 3
	}
	if r.role == roleBody {
		h = max(h, s.minHeight)
	}
	return h
}

// display is a value as a spreadsheet shows it, for sizing its column.
func display(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case Percent:
		return strconv.FormatFloat(100*float64(v), 'f', 1, 64) + "%"
	case time.Time:
		return FormatDateTime
	case Clock:
		return FormatClock
	case Date:
		return FormatDate
	}
	return fmt.Sprint(v)
}

// WriteTo writes the workbook to w and closes it.
func (b *Book) WriteTo(w io.Writer) (int64, error) {
	defer b.f.Close()
	for i, s := range b.sheets {
		if err := b.write(i, s); err != nil {
			return 0, fmt.Errorf("xlsxout: sheet %s: %w", s.name, err)
		}
	}
	// The first sheet is the active one already; SetActiveSheet would
	// read every streamed sheet back and write it again.
	return b.f.WriteTo(w)
}

func (b *Book) write(i int, s *Sheet) error {
	if i == 0 {
		if err := b.f.SetSheetName("Sheet1", s.name); err != nil {
			return err
		}
	} else if _, err := b.f.NewSheet(s.name); err != nil {
		return err
	}
	s.layout()
	if s.page.Title == "" {
		s.page.Title = s.name
	}
	if err := Print(b.f, s.name, s.page); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	// Last column first: excelize puts each new width before the others,
	// and spreadsheet programs want the columns in order.
	for c := len(s.widths) - 1; c >= 0; c-- {
		if err := sw.SetColWidth(c+1, c+1, s.widths[c]); err != nil {
			return err
		}
	}
	if s.page.HeadTo > 0 {
		if err := sw.SetPanes(freezePanes(s.page.HeadTo)); err != nil {
			return err
		}
	}
	n := len(s.widths)
	for at, r := range s.rows {
		if err := b.writeRow(sw, s, at+1, r, n); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func (b *Book) writeRow(sw *excelize.StreamWriter, s *Sheet, at int, r row, ncols int) error {
	var opts []excelize.RowOpts
	if h := s.height(r); h > 0 {
		opts = append(opts, excelize.RowOpts{Height: h})
	}
	switch r.role {
	case roleBlank:
		return sw.SetRow(cell(1, at), nil, opts...)
	case roleTitle, roleLine, roleBand:
		st, err := b.style(r.role, kindText)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell(1, at), []any{excelize.Cell{StyleID: st, Value: display(r.cells[0])}}, opts...); err != nil {
			return err
		}
		if ncols > 1 {
			return sw.MergeCell(cell(1, at), cell(ncols, at))
		}
		return nil
	}
	cells := make([]any, ncols)
	for i := range cells {
		var v any
		if i < len(r.cells) {
			v = r.cells[i]
		}
		value, k := typed(v)
		st, err := b.style(r.role, k)
		if err != nil {
			return err
		}
		cells[i] = excelize.Cell{StyleID: st, Value: value}
	}
	return sw.SetRow(cell(1, at), cells, opts...)
}

// typed is the value excelize writes for v, and its kind. Strings stay
// text whatever they hold: excelize's stream writer never makes a formula
// of a value, only of Cell.Formula, which nothing here sets.
func typed(v any) (any, kind) {
	switch v := v.(type) {
	case int, int64:
		return v, kindCount
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, kindNumber
		}
		return v, kindNumber
	case Percent:
		return float64(v), kindPercent
	case time.Time:
		if v.IsZero() {
			return nil, kindDateTime
		}
		return v, kindDateTime
	case Clock:
		if time.Time(v).IsZero() {
			return nil, kindClock
		}
		return time.Time(v), kindClock
	case Date:
		if time.Time(v).IsZero() {
			return nil, kindDate
		}
		return time.Time(v), kindDate
	case nil:
		return nil, kindText
	case string:
		return v, kindText
	}
	return fmt.Sprint(v), kindText
}

type styleKey struct {
	role role
	kind kind
}

var border = []excelize.Border{
	{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
	{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
}

// style is the style of a cell of kind in a row of role, made once.
func (b *Book) style(r role, k kind) (int, error) {
	key := styleKey{r, k}
	if id, ok := b.styles[key]; ok {
		return id, nil
	}
	var st excelize.Style
	switch r {
	case roleTitle:
		st = excelize.Style{Font: &excelize.Font{Bold: true, Size: 16},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}
	case roleLine:
		st = excelize.Style{Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}
	case roleBand:
		st = excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
			Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}},
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DEDEDE"}}}
	case roleHead:
		st = excelize.Style{Font: &excelize.Font{Bold: true, Size: 11}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8E8E8"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}
	case roleFoot:
		st = excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}
	default:
		st = excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}
	}
	if f, ok := formats[k]; ok {
		st.CustomNumFmt = &f
	} else if r != roleTitle && r != roleLine && r != roleBand {
		st.NumFmt = 49 // @: text stays text when edited
	}
	id, err := b.f.NewStyle(&st)
	if err != nil {
		return 0, fmt.Errorf("xlsxout: style: %w", err)
	}
	b.styles[key] = id
	return id, nil
}
