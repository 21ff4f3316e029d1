package notices

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/badge/render"
	"huiwu/server/internal/store"
	"huiwu/server/internal/xlsxout"
)

// Form is what a unit's 回执 form shows: the meeting, the unit and its
// people as the list has them, and what the desk asks.
type Form struct {
	Event    string
	Unit     store.Unit
	Settings store.NoticeSettings
	Members  []store.ReplyMember
	Printed  string // when, for the foot of the page
}

// The answers as the form writes them.
const (
	wordConfirm    = "参加"
	wordSubstitute = "代会"
	wordDecline    = "不参加"
)

// column is one column of the XLSX form; the importer finds columns by
// their head, so a unit may move them.
type column struct {
	key   string
	head  string
	width float64
	asked func(store.NoticeSettings) bool
}

func always(store.NoticeSettings) bool      { return true }
func travel(s store.NoticeSettings) bool    { return s.AskTravel }
func diet(s store.NoticeSettings) bool      { return s.AskDiet }
func roomAsked(s store.NoticeSettings) bool { return s.AskRoom }

var columns = []column{
	{"id", "编号", 8, always},
	{"name", "姓名", 12, always},
	{"title", "职务", 24, always},
	{"status", "回执（参加/代会/不参加）", 14, always},
	{"sub_name", "代会人姓名", 12, always},
	{"sub_title", "代会人职务", 20, always},
	{"sub_phone", "代会人手机", 14, always},
	{"reason", "不参加原因", 20, always},
	{"arr_date", "抵达日期", 12, travel},
	{"arr_time", "抵达时间", 9, travel},
	{"arr_mode", "抵达方式", 9, travel},
	{"arr_number", "抵达航班/车次", 12, travel},
	{"arr_station", "抵达机场/车站", 14, travel},
	{"dep_date", "返程日期", 12, travel},
	{"dep_time", "返程时间", 9, travel},
	{"dep_mode", "返程方式", 9, travel},
	{"dep_number", "返程航班/车次", 12, travel},
	{"dep_station", "返程机场/车站", 14, travel},
	{"diet", "饮食要求", 14, diet},
	{"room", "住宿需求", 14, roomAsked},
}

// formSheet is the XLSX form's worksheet.
const formSheet = "回执"

// headRow is the XLSX form's row of column heads; people follow it.
const headRow = 5

func (f *Form) asked() []column {
	var out []column
	for _, c := range columns {
		if c.asked(f.Settings) {
			out = append(out, c)
		}
	}
	return out
}

// unitLine names the unit as the form's second line does; the importer
// checks a form against it.
func unitLine(u store.Unit) string { return "单位：" + u.Name }

func (f *Form) lines() []string {
	lines := []string{unitLine(f.Unit)}
	if f.Unit.Contact != "" || f.Unit.Phone != "" {
		lines[0] += fmt.Sprintf("　联系人：%s　电话：%s", f.Unit.Contact, f.Unit.Phone)
	}
	note := "回执栏填“参加”“代会”或“不参加”；代会请写明代会人姓名、职务、手机；不参加请写明原因。"
	if f.Settings.Deadline != "" {
		note = "请于 " + f.Settings.Deadline + " 前交回。" + note
	}
	return append(lines, note)
}

// Sheet is the printable 回执 (PDF) of the form: one row per person, with
// what the list already says of their journeys and needs, and room to
// write the answer.
func (f *Form) Sheet() *render.ListSheet {
	s := &render.ListSheet{Title: f.Event + " 回执", Lines: f.lines(), Landscape: true, Printed: f.Printed}
	s.Columns = []render.ListColumn{
		{Head: "序号", Width: 11, Align: render.Center},
		{Head: "姓名", Width: 24, Wrap: true},
		{Head: "职务", Width: 40, Wrap: true},
		{Head: "回执 参加/代会/不参加", Width: 34},
		{Head: "代会人 / 不参加原因", Width: 58},
	}
	if f.Settings.AskTravel {
		s.Columns[2].Width, s.Columns[4].Width = 30, 46
		s.Columns = append(s.Columns, render.ListColumn{Head: "抵达（日期 时间 航班车次 站点）", Width: 48},
			render.ListColumn{Head: "返程（日期 时间 航班车次 站点）", Width: 48})
	}
	rest := 267.0
	for _, c := range s.Columns {
		rest -= c.Width
	}
	if f.Settings.AskDiet || f.Settings.AskRoom {
		s.Columns = append(s.Columns, render.ListColumn{Head: "饮食 / 住宿需求", Width: rest})
	} else {
		s.Columns[len(s.Columns)-1].Width += rest
	}
	sec := render.ListSection{Heading: f.Unit.Name, Note: fmt.Sprintf("共 %d 人", len(f.Members))}
	for i, m := range f.Members {
		row := []string{strconv.Itoa(i + 1), m.Name, m.Title, "□参加 □代会 □不参加", ""}
		if f.Settings.AskTravel {
			row = append(row, shortTrip(m.Arrival), shortTrip(m.Departure))
		}
		if f.Settings.AskDiet || f.Settings.AskRoom {
			row = append(row, joinNonEmpty(" / ", m.Diet, m.Room))
		}
		sec.Rows = append(sec.Rows, row)
	}
	s.Sections = []render.ListSection{sec}
	return s
}

// shortTrip says a journey as the printed form has room for: 3/5 08:30
// CA1234 云州机场.
func shortTrip(t *store.ReplyTrip) string {
	if t == nil {
		return ""
	}
	date := t.Date
	if d, err := time.Parse(time.DateOnly, t.Date); err == nil {
		date = fmt.Sprintf("%d/%d", d.Month(), d.Day())
	}
	return joinNonEmpty(" ", date, t.Time, t.Number, t.Station)
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

// WriteXLSX writes the form as a workbook a unit fills in: a row per
// person with the list's values, every cell text (so that an ID number or
// a time stays as typed), the answer and the modes offered as lists.
func (f *Form) WriteXLSX(w io.Writer) error {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", formSheet); err != nil {
		return err
	}
	cols := f.asked()
	text, err := x.NewStyle(&excelize.Style{NumFmt: 49, Border: []excelize.Border{
		{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}})
	if err != nil {
		return err
	}
	head, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DEDEDE"}}})
	if err != nil {
		return err
	}
	title, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}})
	if err != nil {
		return err
	}
	set := func(col, row int, v string) error {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		return x.SetCellStr(formSheet, cell, v)
	}
	if err := set(1, 1, f.Event+" 回执"); err != nil {
		return err
	}
	if err := x.SetCellStyle(formSheet, "A1", "A1", title); err != nil {
		return err
	}
	for i, l := range f.lines() {
		if err := set(1, 2+i, l); err != nil {
			return err
		}
	}
	for i, c := range cols {
		if err := set(i+1, headRow, c.head); err != nil {
			return err
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := x.SetColWidth(formSheet, name, name, c.width); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), headRow)
	if err := x.SetCellStyle(formSheet, "A"+strconv.Itoa(headRow), last, head); err != nil {
		return err
	}
	for r, m := range f.Members {
		row := headRow + 1 + r
		for i, c := range cols {
			if err := set(i+1, row, memberValue(m, c.key)); err != nil {
				return err
			}
		}
	}
	end := headRow + max(len(f.Members), 1)
	lastCell, _ := excelize.CoordinatesToCellName(len(cols), end)
	if err := x.SetCellStyle(formSheet, "A"+strconv.Itoa(headRow+1), lastCell, text); err != nil {
		return err
	}
	for i, c := range cols {
		var list []string
		switch c.key {
		case "status":
			list = []string{wordConfirm, wordSubstitute, wordDecline}
		case "arr_mode", "dep_mode":
			list = []string{"飞机", "火车", "汽车", "其他"}
		default:
			continue
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s%d:%s%d", name, headRow+1, name, end))
		if err := dv.SetDropList(list); err != nil {
			return err
		}
		if err := x.AddDataValidation(formSheet, dv); err != nil {
			return err
		}
	}
	// Paper, widths and the header on every page, as every export; then the
	// names frozen beside the header too, for a unit filling it in.
	if err := xlsxout.Prepare(x, formSheet, xlsxout.Page{Title: f.Event + " 回执", HeadFrom: headRow, HeadTo: headRow}); err != nil {
		return err
	}
	if err := x.SetPanes(formSheet, &excelize.Panes{Freeze: true, YSplit: headRow, XSplit: 2, TopLeftCell: "C" + strconv.Itoa(headRow+1), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	_, err = x.WriteTo(w)
	return err
}

// memberValue is what the form's column key says of m at first.
func memberValue(m store.ReplyMember, key string) string {
	trip := func(t *store.ReplyTrip, f func(*store.ReplyTrip) string) string {
		if t == nil {
			return ""
		}
		return f(t)
	}
	switch key {
	case "id":
		return strconv.FormatInt(m.ID, 10)
	case "name":
		return m.Name
	case "title":
		return m.Title
	case "arr_date":
		return trip(m.Arrival, func(t *store.ReplyTrip) string { return t.Date })
	case "arr_time":
		return trip(m.Arrival, func(t *store.ReplyTrip) string { return t.Time })
	case "arr_mode":
		return trip(m.Arrival, func(t *store.ReplyTrip) string { return ModeWords[t.Mode] })
	case "arr_number":
		return trip(m.Arrival, func(t *store.ReplyTrip) string { return t.Number })
	case "arr_station":
		return trip(m.Arrival, func(t *store.ReplyTrip) string { return t.Station })
	case "dep_date":
		return trip(m.Departure, func(t *store.ReplyTrip) string { return t.Date })
	case "dep_time":
		return trip(m.Departure, func(t *store.ReplyTrip) string { return t.Time })
	case "dep_mode":
		return trip(m.Departure, func(t *store.ReplyTrip) string { return ModeWords[t.Mode] })
	case "dep_number":
		return trip(m.Departure, func(t *store.ReplyTrip) string { return t.Number })
	case "dep_station":
		return trip(m.Departure, func(t *store.ReplyTrip) string { return t.Station })
	case "diet":
		return m.Diet
	case "room":
		return m.Room
	}
	return ""
}
