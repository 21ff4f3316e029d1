package importer

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Resident ID numbers with a correct GB 11643 check digit. The first two
// are the worked examples printed in the standard itself.
const (
	id1 = "11010519491231002X"
	id2 = "440524188001010014"
	id3 = "110101199003071233" // 110101199003071234 with its check digit corrected
	id4 = "320102198511201234"
)

// parseText parses a CSV given as a string (UTF-8, no BOM).
func parseText(t testing.TB, text string, opts Options) *Result {
	t.Helper()
	return mustParse(t, "list.csv", []byte(text), opts)
}

func mustParse(t testing.TB, name string, data []byte, opts Options) *Result {
	t.Helper()
	res, err := Parse(name, bytes.NewReader(data), opts)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	checkInvariants(t, res)
	return res
}

// checkInvariants holds for every Result: issues name a row ≥ 1, a column
// letter (but for missing_column) and a code with messages in both languages.
func checkInvariants(t testing.TB, res *Result) {
	t.Helper()
	for _, list := range [][]Issue{res.Errors, res.Warnings} {
		for _, is := range list {
			if is.Row < 1 || is.Code == "" || is.Message == "" || is.MessageEn == "" {
				t.Fatalf("incomplete issue %+v", is)
			}
			if is.Column == "" && is.Code != CodeMissingColumn {
				t.Fatalf("issue without column: %+v", is)
			}
		}
	}
	if len(res.Errors) > MaxIssues || len(res.Warnings) > MaxIssues ||
		res.ErrorCount < len(res.Errors) || res.WarningCount < len(res.Warnings) {
		t.Fatalf("issue counts: %d/%d errors, %d/%d warnings",
			len(res.Errors), res.ErrorCount, len(res.Warnings), res.WarningCount)
	}
	for _, r := range res.Rows {
		if r.Line < 1 || r.Attendee.Key == "" || r.Attendee.Rank < 1 {
			t.Fatalf("bad row %+v", r)
		}
	}
}

// wantFileError asserts a file-level *Error with the code.
func wantFileError(t testing.TB, err error, code string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error %s, got %v", code, err)
	}
	if e.Code != code || e.Message == "" || e.MessageEn == "" {
		t.Fatalf("want code %s with messages, got %+v", code, e)
	}
	if !errors.Is(err, &Error{Code: code}) {
		t.Fatalf("errors.Is does not match code %s", code)
	}
	return e
}

// issueAt finds the issue with the code, failing unless it sits at row and
// column.
func issueAt(t testing.TB, list []Issue, code string, row int, col string) Issue {
	t.Helper()
	for _, is := range list {
		if is.Code == code && is.Row == row && is.Column == col {
			return is
		}
	}
	t.Fatalf("no %s at %s%d in %s", code, col, row, dump(list))
	return Issue{}
}

// noIssue fails if any issue has the code.
func noIssue(t testing.TB, list []Issue, code string) {
	t.Helper()
	for _, is := range list {
		if is.Code == code {
			t.Fatalf("unexpected %s: %+v", code, is)
		}
	}
}

func dump(list []Issue) string {
	var b strings.Builder
	for _, is := range list {
		fmt.Fprintf(&b, "\n  %s%d %s %s", is.Column, is.Row, is.Code, is.Message)
	}
	return b.String()
}

// byName indexes the result's attendees.
func byName(res *Result) map[string]Row {
	m := make(map[string]Row)
	for _, r := range res.Rows {
		m[r.Attendee.Name] = r
	}
	return m
}

// xlsxOf builds a one-sheet workbook from rows; an int, float64 or other
// non-string value is stored as a number, as Excel stores what it thinks
// is one.
func xlsxOf(t testing.TB, rows [][]any, edit ...func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range edit {
		e(f)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gb18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// header is a complete Chinese header row for CSV tests.
const header = "姓名,性别,单位,职务,类别,手机,身份证号,排序\n"

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

// panicTB lets fixture builders run outside a test, in sync.Once values.
type panicTB struct{ testing.TB }

func (panicTB) Helper()                   {}
func (panicTB) Fatal(args ...any)         { panic(fmt.Sprint(args...)) }
func (panicTB) Fatalf(f string, a ...any) { panic(fmt.Sprintf(f, a...)) }

// minimalXLSX is the smallest workbook Excel and excelize accept, with
// sheet as its only worksheet; the XML is written the way Excel writes it.
func minimalXLSX(sheet string) map[string]string {
	return map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="参会人员" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": sheet,
	}
}

// sheetXML wraps rows of <c> elements in a worksheet.
func sheetXML(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`
}
