package importer

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"huiwu/server/internal/domain"
)

// headerScanRows is how many non-blank rows may sit above the header.
const headerScanRows = 10

// build turns a grid into a Result: header, then one attendee per row.
func build(g *grid, opts Options) (*Result, error) {
	hi := -1
	for i := 0; i < len(g.rows) && i < headerScanRows; i++ {
		if isHeaderRow(g.rows[i].cells) {
			hi = i
			break
		}
	}
	if hi < 0 {
		return nil, noHeader(g)
	}
	b := &builder{
		opts:    opts,
		g:       g,
		cats:    newCategoryIndex(opts.Categories),
		rows:    make([]Row, 0, len(g.rows)),
		byKey:   make(map[string]seen, len(g.rows)),
		byID:    make(map[string]int),
		byRank:  make(map[int]int),
		unnamed: make(map[int]bool),

		newStations: make(map[string]bool),
	}
	b.cols = mapColumns(g.rows[hi].line, g.rows[hi].cells, &b.out)
	g.fillMerged(b.cols.line)
	data := 0
	for _, r := range g.rows[hi+1:] {
		if data == opts.MaxRows {
			b.rowIssue(r.line, b.cols.at[fName], Issue{Code: CodeTooManyRows,
				Message:   fmt.Sprintf("超过 %d 行的上限，从这一行起未读取；请拆分文件后分批导入", opts.MaxRows),
				MessageEn: fmt.Sprintf("more than %d rows; reading stopped here. Split the file and import the parts", opts.MaxRows)}, false)
			break
		}
		data++
		b.row(r)
		b.flush()
	}
	b.flush()
	b.assignRanks()
	return &Result{
		Rows:         b.rows,
		Errors:       b.out.errs,
		Warnings:     b.out.warns,
		ErrorCount:   b.out.nErrs,
		WarningCount: b.out.nWarns,
		Columns:      b.cols.columnMap(),
		Format:       g.format,
		HeaderRow:    b.cols.line,
		Sheet:        g.sheet,
		OtherSheets:  g.otherSheets,
	}, nil
}

func noHeader(g *grid) *Error {
	if len(g.rows) == 0 {
		return &Error{Code: CodeNoHeader, Message: "文件里没有任何内容", MessageEn: "the file is empty"}
	}
	where, whereEn := "", ""
	if g.sheet != "" {
		where, whereEn = fmt.Sprintf("工作表“%s”", g.sheet), fmt.Sprintf(" of sheet %q", g.sheet)
	}
	return &Error{Code: CodeNoHeader,
		Message: fmt.Sprintf("%s前%d行中找不到含“姓名”的表头行。请确认第一张工作表是参会人员名单，且表头有“姓名”列",
			where, headerScanRows),
		MessageEn: fmt.Sprintf("no header row with a 姓名/name cell in the first %d rows%s; check that the list is on the first sheet and has a name column",
			headerScanRows, whereEn)}
}

// seen is the first row that produced a key, as an index into rows.
type seen struct {
	line, at int
}

type builder struct {
	opts    Options
	g       *grid
	cols    *columns
	cats    *categoryIndex
	out     issues
	rows    []Row
	byKey   map[string]seen
	byID    map[string]int // ID number → first row
	byRank  map[int]int    // explicit rank → first row
	unnamed map[int]bool   // columns without a header already warned about
	pending []pending
	// newStations are the station names not known that a warning has
	// named already.
	newStations map[string]bool
}

// pending is an issue of the current row, held so that the row's issues
// are listed left to right whatever order the fields are checked in.
type pending struct {
	col  int
	warn bool
	is   Issue
}

// rowIssue records an issue at row line, column index col.
func (b *builder) rowIssue(line, col int, is Issue, warn bool) {
	is.Row = line
	if col >= 0 {
		is.Column, is.Header = columnLetter(col), b.cols.headerText(col)
	}
	b.pending = append(b.pending, pending{col: col, warn: warn, is: is})
}

// flush emits the current row's issues in column order.
func (b *builder) flush() {
	slices.SortStableFunc(b.pending, func(x, y pending) int { return cmp.Compare(x.col, y.col) })
	for _, p := range b.pending {
		if p.warn {
			b.out.warn(p.is)
		} else {
			b.out.err(p.is)
		}
	}
	b.pending = b.pending[:0]
}

// rowState is one row being read into an attendee.
type rowState struct {
	b     *builder
	r     gridRow
	a     domain.Attendee
	bad   bool
	empty bool // no recognised column has a value
}

// cell returns the raw text of field f in this row.
func (s *rowState) cell(f field) string {
	col := s.b.cols.at[f]
	if col < 0 || col >= len(s.r.cells) {
		return ""
	}
	return s.r.cells[col]
}

// take normalises field f with norm and checks its length; it returns ""
// (and marks the row bad) for an over-long cell.
func (s *rowState) take(f field, norm func(string) string) string {
	v := norm(s.cell(f))
	if v == "" {
		return ""
	}
	s.empty = false
	if n := utf8.RuneCountInString(v); n > fieldInfo[f].max {
		zh := fmt.Sprintf("内容过长（%d 字），%s最多 %d 字", n, fieldInfo[f].zh, fieldInfo[f].max)
		en := fmt.Sprintf("too long (%d characters); %s takes at most %d", n, fieldInfo[f].en, fieldInfo[f].max)
		if s.b.g.format != "xlsx" && containsAny(v, "\n", ",", "\t") {
			zh += "；如果是 CSV，请检查是否有未配对的英文引号"
			en += "; in a CSV, look for an unmatched double quote"
		}
		s.report(f, fail(CodeCellTooLong, zh, en))
		return ""
	}
	return v
}

// report records a field's problem, if any.
func (s *rowState) report(f field, p *problem) {
	if p == nil {
		return
	}
	if !p.warn {
		s.bad = true
	}
	s.b.rowIssue(s.r.line, s.b.cols.at[f], Issue{Code: p.code, Message: p.zh, MessageEn: p.en}, p.warn)
}

// row reads one data row.
func (b *builder) row(r gridRow) {
	s := &rowState{b: b, r: r, empty: true}
	a := &s.a
	a.Name = s.take(fName, normName)
	a.Gender = s.take(fGender, oneLine)
	if a.Gender != "" {
		var p *problem
		a.Gender, p = parseGender(a.Gender)
		s.report(fGender, p)
	}
	a.Ethnicity = s.take(fEthnicity, oneLine)
	a.Organization = s.take(fOrganization, oneLine)
	a.Title = s.take(fTitle, oneLine)
	a.Delegation = s.take(fDelegation, oneLine)
	a.Group = s.take(fGroup, oneLine)
	a.Diet = s.take(fDiet, clean)
	a.Access = s.take(fAccess, clean)
	a.Notes = s.take(fNotes, clean)
	a.Arrival = s.take(fArrival, oneLine)
	a.Departure = s.take(fDeparture, oneLine)
	a.Key = s.take(fKey, folded)
	if room := oneLine(s.take(fRoom, folded)); room != "" {
		a.Lodging = &domain.Lodging{Venue: b.opts.HotelVenue, Room: room}
	}
	var p *problem
	if v := s.take(fRank, folded); v != "" {
		a.Rank, p = parseRank(v)
		s.report(fRank, p)
	}
	if v := s.take(fPhone, folded); v != "" {
		a.Phone, p = parsePhone(v)
		s.report(fPhone, p)
	}
	if v := s.take(fIDNumber, folded); v != "" {
		a.IDNumber, p = parseID(v, b.g.isNumeric(r.line, b.cols.at[fIDNumber]))
		s.report(fIDNumber, p)
	}
	s.travel()
	if v := s.take(fFaceConsent, folded); v != "" {
		var p *problem
		a.FaceConsent, p = parseConsent(v)
		s.report(fFaceConsent, p)
	}
	cat := s.take(fCategory, oneLine)
	b.warnUnnamed(r)
	if s.empty {
		// Only unknown or unnamed columns have text: a footnote such as
		// "合计 120 人" or "填表人：…", not a person.
		b.rowIssue(r.line, b.cols.at[fName], Issue{Code: CodeIgnoredRow,
			Message:   "这一行在可识别的列中没有内容，已跳过",
			MessageEn: "this row has nothing in the recognised columns; skipped"}, true)
		return
	}
	if cat != "" {
		if code, ok := b.cats.lookup(cat); ok {
			a.Category = code
		} else {
			s.report(fCategory, fail(CodeUnknownCategory,
				fmt.Sprintf("无法识别的类别“%s”，可填：%s", truncate(cat, 20), b.cats.words),
				fmt.Sprintf("unknown category %q; use one of: %s", truncate(cat, 20), b.cats.words)))
		}
	} else if b.cols.at[fCategory] >= 0 {
		s.report(fCategory, fail(CodeMissingCategory,
			"类别为空，请填写："+b.cats.words, "the category is empty; use one of: "+b.cats.words))
	} else {
		s.bad = true // missing_column was reported once, at the header
	}
	if a.Name == "" && isBlank(s.cell(fName)) {
		s.report(fName, fail(CodeMissingName, "姓名为空", "the name is empty"))
	}
	if r.hidden {
		b.rowIssue(r.line, b.cols.at[fName], Issue{Code: CodeHiddenRow,
			Message:   "这一行在 Excel 中被隐藏或筛选掉了，仍会导入",
			MessageEn: "this row is hidden or filtered out in Excel; it is imported all the same"}, true)
	}
	if s.bad {
		return
	}
	b.accept(r.line, a)
}

// warnUnnamed reports, once per column, data under an empty header.
func (b *builder) warnUnnamed(r gridRow) {
	for i, v := range r.cells {
		if (i < len(b.cols.header) && b.cols.header[i] != "") || b.unnamed[i] || isBlank(v) {
			continue
		}
		b.unnamed[i] = true
		b.rowIssue(r.line, i, Issue{Code: CodeUnnamedColumn,
			Message:   "这一列没有表头，其内容已忽略",
			MessageEn: "this column has no header; its contents are ignored"}, true)
	}
}

// accept derives the key and checks for duplicates before keeping a row.
func (b *builder) accept(line int, a *domain.Attendee) {
	src := fKey
	switch {
	case a.Key != "":
	case a.IDNumber != "":
		a.Key, src = "id:"+a.IDNumber, fIDNumber
	case a.Phone != "":
		a.Key, src = "tel:"+a.Name+"|"+a.Phone, fPhone
	default:
		a.Key, src = "org:"+a.Name+"|"+a.Organization, fOrganization
		if b.cols.at[src] < 0 {
			src = fName
		}
	}
	keyCol := b.cols.at[src]
	if first, dup := b.byKey[a.Key]; dup {
		if reflect.DeepEqual(b.rows[first.at].Attendee, *a) {
			b.rowIssue(line, b.cols.at[fName], Issue{Code: CodeDuplicateRow,
				Message:   fmt.Sprintf("与第 %d 行完全相同，已忽略", first.line),
				MessageEn: fmt.Sprintf("identical to row %d; dropped", first.line)}, true)
			return
		}
		b.rowIssue(line, keyCol, Issue{Code: CodeDuplicateKey,
			Message: fmt.Sprintf("与第 %d 行是同一人（%s相同）但内容不同；同一人请只保留一行，不同的人请填写编号或身份证号加以区分",
				first.line, keyWhat[src]),
			MessageEn: fmt.Sprintf("the same person as row %d (same %s) with different data; keep one row per person, or tell different people apart by key or ID number",
				first.line, keyWhatEn[src])}, false)
		return
	}
	if a.IDNumber != "" {
		if first, dup := b.byID[a.IDNumber]; dup {
			b.rowIssue(line, b.cols.at[fIDNumber], Issue{Code: CodeDuplicateIDNumber,
				Message:   fmt.Sprintf("身份证号与第 %d 行相同，但编号不同", first),
				MessageEn: fmt.Sprintf("the same ID number as row %d under a different key", first)}, false)
			return
		}
		b.byID[a.IDNumber] = line
	}
	b.byKey[a.Key] = seen{line: line, at: len(b.rows)}
	if a.Rank > 0 {
		if first, dup := b.byRank[a.Rank]; dup {
			b.rowIssue(line, b.cols.at[fRank], Issue{Code: CodeDuplicateRank,
				Message:   fmt.Sprintf("排序 %d 与第 %d 行相同", a.Rank, first),
				MessageEn: fmt.Sprintf("rank %d is also on row %d", a.Rank, first)}, true)
		} else {
			b.byRank[a.Rank] = line
		}
	}
	b.rows = append(b.rows, Row{Line: line, Attendee: *a})
}

// assignRanks gives rows without an explicit 排序 the ranks after the
// highest explicit one, in row order.
func (b *builder) assignRanks() {
	next := 0
	for _, r := range b.rows {
		next = max(next, r.Attendee.Rank)
	}
	for i := range b.rows {
		if b.rows[i].Attendee.Rank == 0 {
			next++
			b.rows[i].Attendee.Rank = next
		}
	}
}

// keyWhat and keyWhatEn say in words what made two rows the same person,
// by the field the key came from.
var (
	keyWhat = map[field]string{fKey: "编号", fIDNumber: "身份证号", fPhone: "姓名和电话",
		fOrganization: "姓名和单位", fName: "姓名"}
	keyWhatEn = map[field]string{fKey: "key", fIDNumber: "ID number", fPhone: "name and phone",
		fOrganization: "name and organization", fName: "name"}
)

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
