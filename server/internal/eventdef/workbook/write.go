// Package workbook is the 会议筹备表: an event definition as an XLSX
// workbook that a secretariat fills in with Excel or WPS, one sheet per
// part (会议信息, 人员类别, 场地, 座区, 座位, 日程, 用餐, 住宿, 检查点) after
// a 填写说明 sheet that explains each column.
//
// Write and Read are inverses: Read(Write(d)) equals d for a definition in
// the form the store keeps it (eventdef.Normalize, or GET
// /api/v1/event/definition), to the last seat coordinate. For other
// definitions the workbook gives the same definition in that form:
//
//   - every top-level list, and every meal's Halls, comes back non-nil;
//     other lists come back nil when empty;
//   - an Expected rule with no lists comes back nil, and so does a
//     Presidium with neither rule nor honour;
//   - times come back as RFC 3339 in the event's timezone (as
//     eventdef.FormatTime writes them), to the second;
//   - text comes back trimmed, and list items trimmed, without empty
//     items; an item holding a list separator (、,，;；) comes back split;
//   - codes come back with full-width letters and digits folded to ASCII;
//   - a meal hall row with neither hall nor lists is dropped.
//
// Values that eventdef.Validate refuses (an unknown kind word, a time that
// is not one) are written as they are and come back as Read errors.
package workbook

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/eventdef"
)

// Write writes def as a 会议筹备表. Times are written as text such as
// 2026-03-05 09:00 in the event's timezone, not as Excel dates, so that
// they read back exactly.
func Write(def eventdef.Definition, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	wr, err := newWriter(f, def.Event.Timezone)
	if err != nil {
		return err
	}
	if err := wr.help(); err != nil {
		return err
	}
	if err := wr.event(def.Event); err != nil {
		return err
	}
	for _, s := range []struct {
		spec *sheetSpec
		rows [][]any
	}{
		{&categorySheet, wr.categoryRows(def.Categories)},
		{&venueSheet, venueRows(def.Venues)},
		{&sectionSheet, sectionRows(def.Venues)},
		{&seatSheet, seatRows(def.Venues)},
		{&sessionSheet, wr.sessionRows(def.Sessions)},
		{&mealSheet, wr.mealRows(def.Meals)},
		{&roomSheet, roomRows(def.Venues)},
		{&checkpointSheet, checkpointRows(def.Checkpoints)},
	} {
		if err := wr.sheet(s.spec, s.rows); err != nil {
			return fmt.Errorf("workbook: sheet %s: %w", s.spec.name, err)
		}
	}
	if err := printSetup(f); err != nil {
		return fmt.Errorf("workbook: print setup: %w", err)
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("workbook: write: %w", err)
	}
	return nil
}

type writer struct {
	f                         *excelize.File
	loc                       *time.Location // nil: times are written as they are
	header, text, wrap, title int            // style ids
}

func newWriter(f *excelize.File, tz string) (*writer, error) {
	wr := &writer{f: f}
	if loc, err := time.LoadLocation(tz); err == nil && tz != "" && !strings.EqualFold(tz, "local") {
		wr.loc = loc
	}
	var err error
	styles := []struct {
		id *int
		s  *excelize.Style
	}{
		{&wr.header, &excelize.Style{Font: &excelize.Font{Bold: true},
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Border: []excelize.Border{{Type: "bottom", Color: "9BC2E6", Style: 1}}, NumFmt: 49}},
		{&wr.text, &excelize.Style{NumFmt: 49}},
		{&wr.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, NumFmt: 49}},
		{&wr.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
	}
	for _, s := range styles {
		if *s.id, err = f.NewStyle(s.s); err != nil {
			return nil, err
		}
	}
	return wr, nil
}

// sheet adds a data sheet: header, column formats and drop-downs, rows.
func (wr *writer) sheet(spec *sheetSpec, rows [][]any) error {
	f, name := wr.f, spec.name
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	header := make([]any, len(spec.cols))
	for i, c := range spec.cols {
		header[i] = c.name
		col := letter(i)
		if err := f.SetColWidth(name, col, col, c.width); err != nil {
			return err
		}
		if c.text {
			if err := f.SetColStyle(name, col, wr.text); err != nil {
				return err
			}
		}
		if c.choices != nil {
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, excelize.TotalRows))
			if err := dv.SetDropList(c.choices.list()); err != nil {
				return err
			}
			if err := f.AddDataValidation(name, dv); err != nil {
				return err
			}
		}
	}
	if err := f.SetSheetRow(name, "A1", &header); err != nil {
		return err
	}
	last := letter(len(spec.cols) - 1)
	if err := f.SetCellStyle(name, "A1", last+"1", wr.header); err != nil {
		return err
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, r := range rows {
		if err := f.SetSheetRow(name, fmt.Sprintf("A%d", i+2), &r); err != nil {
			return err
		}
		for j, v := range r {
			if x, ok := v.(float64); ok {
				if err := f.SetCellFloat(name, fmt.Sprintf("%s%d", letter(j), i+2), x, decimals(x), 64); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// decimals is how many decimals the shortest exact form of x has. excelize
// cuts a float to Excel's 15 significant digits unless told the precision;
// told this one, it writes every digit, so seat coordinates read back
// exactly.
func decimals(x float64) int {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// event writes 会议信息: key, value and a note, one key a row.
func (wr *writer) event(e eventdef.Event) error {
	f, name := wr.f, SheetEvent
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	days := ""
	if e.FaceRetentionDays != 0 {
		days = fmt.Sprint(e.FaceRetentionDays)
	}
	vals := []string{eID: e.ID, eName: e.Name, eNameEn: e.NameEn, eTimezone: e.Timezone, eStartsOn: e.StartsOn,
		eFaceVerification: yesNo.word(fmt.Sprint(e.FaceVerification)), eBadgeLayout: e.BadgeLayout, eFaceRetentionDays: days}
	if err := f.SetSheetRow(name, "A1", &[]any{"项目", "内容", "说明"}); err != nil {
		return err
	}
	for k, ek := range eventKeys {
		if err := f.SetSheetRow(name, fmt.Sprintf("A%d", k+2), &[]any{ek.name, vals[k], ek.zh + " / " + ek.enH}); err != nil {
			return err
		}
	}
	for _, err := range []error{
		f.SetCellStyle(name, "A1", "C1", wr.header),
		f.SetColWidth(name, "A", "A", 12),
		f.SetColWidth(name, "B", "B", 40),
		f.SetColWidth(name, "C", "C", 90),
		f.SetCellStyle(name, "B2", fmt.Sprintf("B%d", len(eventKeys)+1), wr.text),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// blankZero leaves a cell empty for 0, the value of an optional count.
func blankZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n)
	}
	return joinList(parts)
}

func (wr *writer) categoryRows(cs []eventdef.Category) [][]any {
	rows := make([][]any, 0, len(cs))
	for _, c := range cs {
		rows = append(rows, []any{c.Code, c.Name, c.NameEn, c.Color, yesNo.word(fmt.Sprint(c.Voting))})
	}
	return rows
}

func venueRows(vs []eventdef.Venue) [][]any {
	rows := make([][]any, 0, len(vs))
	for _, v := range vs {
		rows = append(rows, []any{v.Code, v.Name, v.NameEn, venueKinds.word(v.Kind), blankZero(v.Capacity),
			joinList(v.Doors), joinInts(v.Presidium), formatTables(v.Tables)})
	}
	return rows
}

func sectionRows(vs []eventdef.Venue) [][]any {
	var rows [][]any
	for _, v := range vs {
		for _, s := range v.Sections {
			rows = append(rows, []any{v.Code, s.Code, s.Rows, s.Seats, numberings.word(s.Numbering), s.Door, blankZero(s.FirstRow)})
		}
	}
	return rows
}

func seatRows(vs []eventdef.Venue) [][]any {
	var rows [][]any
	for _, v := range vs {
		for _, s := range v.Seats {
			rows = append(rows, []any{v.Code, s.Label, s.Section, s.Row, s.Number, seatKinds.word(string(s.Kind)), s.Door, s.X, s.Y})
		}
	}
	return rows
}

func roomRows(vs []eventdef.Venue) [][]any {
	var rows [][]any
	for _, v := range vs {
		for _, r := range v.Rooms {
			rows = append(rows, []any{v.Code, r.Number, r.Beds})
		}
	}
	return rows
}

func (wr *writer) sessionRows(ss []eventdef.Session) [][]any {
	rows := make([][]any, 0, len(ss))
	for _, s := range ss {
		row := make([]any, len(sessionSheet.cols))
		row[sCode], row[sName], row[sNameEn], row[sKind] = s.ID, s.Name, s.NameEn, sessionKinds.word(s.Kind)
		row[sVenue], row[sGroup] = s.Venue, s.Group
		row[sOpens], row[sStarts] = formatWall(s.OpensAt, wr.loc), formatWall(s.StartsAt, wr.loc)
		row[sEnds], row[sCloses] = formatWall(s.EndsAt, wr.loc), formatWall(s.ClosesAt, wr.loc)
		row[sAbsentFrom] = absentFroms.word(s.AbsentFrom)
		if e := s.Expected; e != nil {
			row[sExpCats], row[sExpDels], row[sExpGroups] = joinList(e.Categories), joinList(e.Delegations), joinList(e.Groups)
		}
		if q := s.Quorum; q != nil {
			// 超过/达到 is always written, so that a quorum reads back as
			// given even when its other cells are empty.
			row[sQBase], row[sQRatio], row[sQCats] = quorumBases.word(q.Base), q.Ratio, joinList(q.Categories)
			row[sQStrict] = strictness.word(fmt.Sprint(q.Strict))
		}
		if p := s.Presidium; p != nil {
			row[sPRule], row[sPHonour] = presidiumRules.word(p.Rule), honours.word(p.Honour)
		}
		rows = append(rows, row)
	}
	return rows
}

// mealRows writes a row per meal and hall, the meal's own cells on each,
// and a meal without halls as one row with the hall cells empty. A time
// on the meal's date is written as 11:30 alone.
func (wr *writer) mealRows(ms []eventdef.Meal) [][]any {
	var rows [][]any
	for _, m := range ms {
		meal := []any{m.ID, m.Name, m.Date, slots.word(m.Slot), wr.mealTime(m.OpensAt, m.Date), wr.mealTime(m.ClosesAt, m.Date)}
		if len(m.Halls) == 0 {
			rows = append(rows, meal)
		}
		for _, h := range m.Halls {
			row := append(append(make([]any, 0, len(mealSheet.cols)), meal...),
				h.Venue, joinList(h.Categories), joinList(h.Delegations), joinList(h.Groups))
			rows = append(rows, row)
		}
	}
	return rows
}

func (wr *writer) mealTime(s, date string) string {
	t, err := eventdef.ParseTime(s)
	if err != nil || wr.loc == nil {
		return s
	}
	w := wallOf(t.In(wr.loc))
	if w.date() == date {
		return w.clock()
	}
	return w.String()
}

func checkpointRows(cs []eventdef.Checkpoint) [][]any {
	rows := make([][]any, 0, len(cs))
	for _, c := range cs {
		rows = append(rows, []any{c.ID, c.Name, c.NameEn, checkpointKinds.word(c.Kind), c.Venue, c.Door, c.Session, c.Meal,
			yesNo.word(fmt.Sprint(c.PhotoCheck)), faceModes.word(c.Face)})
	}
	return rows
}
