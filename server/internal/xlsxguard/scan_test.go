package xlsxguard

import (
	"fmt"
	"strings"
	"testing"
)

const sheetPart = "xl/worksheets/sheet1.xml"

// worksheet wraps rows in a worksheet as Excel writes it.
func worksheet(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`
}

// cut gives s up to where at begins.
func cut(s, at string) string { return s[:strings.Index(s, at)] }

// seen writes down the row and cell tags a scan visits: r2 for a row, and
// A2@2 for a cell with its r attribute and the row it sits in.
func seen(tags *[]string) func(Tag) {
	return func(t Tag) {
		switch {
		case t.Is("row"):
			*tags = append(*tags, fmt.Sprint("r", t.Row))
		case t.Is("c"):
			*tags = append(*tags, fmt.Sprintf("%s@%d", t.Attr("r"), t.Row))
		}
	}
}

func TestScanSheet(t *testing.T) {
	long := strings.Repeat("长", 40<<10) // 120 KB of text, beyond the scan's buffer
	tests := []struct {
		name    string
		entry   entry
		lastRow int
		tags    string
		damage  string // in the error, when the scan must fail
	}{
		{name: "rows and cells", entry: entry{body: worksheet(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c></row><row r="3" spans="1:2"><c r="A3"/></row>`)},
			lastRow: 3, tags: "r1 A1@1 B1@1 r3 A3@3"},
		{name: "rows without r count on", entry: entry{body: worksheet(`<row r="4"><c/></row><row><c/></row><row/>`)},
			lastRow: 6, tags: "r4 @4 r5 @5 r6"},
		{name: "prefixes, quotes, comments and CDATA", entry: entry{
			body: `<?xml version="1.0"?><x:worksheet xmlns:x="urn:x"><x:sheetData><!-- <x:row r="9"> a > b -->` +
				`<x:row r='2'><x:c s="1" r='B2'><x:is><x:t><![CDATA[<x:row r="8"> >]]></x:t></x:is></x:c></x:row></x:sheetData></x:worksheet >`},
			lastRow: 2, tags: "r2 B2@2"},
		{name: "text longer than the buffer", entry: entry{body: worksheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>` + long + `</t></is></c></row>`)},
			lastRow: 1, tags: "r1 A1@1"},
		{name: "no rows", entry: entry{body: worksheet("")}},
		{name: "zip name in other case, with backslashes",
			entry:   entry{name: `XL\Worksheets\Sheet1.xml`, body: worksheet(`<row r="1"/>`)},
			lastRow: 1, tags: "r1"},

		{name: "truncated after a row", entry: entry{body: cut(worksheet(`<row r="1"/><row r="2"/>`), `<row r="2"`)}, damage: "cut short after row 1"},
		{name: "truncated before any row", entry: entry{body: cut(worksheet(""), "<sheetData>")}, damage: "cut short after row 0"},
		{name: "ends inside a tag", entry: entry{body: cut(worksheet(`<row r="1"><c r="A1"/></row>`), "/></row>")}, damage: "ends inside a tag"},
		{name: "ends inside a comment", entry: entry{body: worksheet(`<!-- note > `)}, damage: "ends inside a comment"},
		{name: "raw < in a tag", entry: entry{body: worksheet(`<row r="1"><c r="A1" <v>1</v></c></row>`)}, damage: "malformed tag near row 1"},
		{name: "a part bigger than its header says", entry: entry{body: worksheet(`<row r="1"/>`), declared: 64}, damage: "zip: not a valid zip file"},
		{name: "no such part", entry: entry{name: "xl/worksheets/sheet2.xml", body: worksheet("")}, damage: "zip: not a valid zip file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.entry.name == "" {
				tt.entry.name = sheetPart
			}
			zr := readerOf(t, zipOf(t, tt.entry))
			var tags []string
			lastRow, err := ScanSheet(zr, sheetPart, seen(&tags))
			if tt.damage != "" {
				if err == nil || !strings.Contains(err.Error(), tt.damage) {
					t.Fatalf("last row %d, error %v; want %q", lastRow, err, tt.damage)
				}
				if last, err := LastRow(zr, sheetPart); err == nil {
					t.Fatalf("LastRow missed the damage; last row %d", last)
				}
				return
			}
			if err != nil || lastRow != tt.lastRow || strings.Join(tags, " ") != tt.tags {
				t.Fatalf("last row %d, tags %q, %v; want %d, %q", lastRow, tags, err, tt.lastRow, tt.tags)
			}
			if last, err := LastRow(zr, sheetPart); err != nil || last != tt.lastRow {
				t.Fatalf("LastRow %d, %v; want %d", last, err, tt.lastRow)
			}
		})
	}
}

func TestTagAttr(t *testing.T) {
	tag := Tag{raw: []byte(`c rr="X" r="B7" ref='A1:B2' t="" s="1"/>`)}
	for _, tt := range []struct{ name, want string }{
		{"r", "B7"},
		{"ref", "A1:B2"},
		{"t", ""},
		{"s", "1"},
		{"id", ""},
	} {
		if got := string(tag.Attr(tt.name)); got != tt.want {
			t.Errorf("Attr(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	if (Tag{raw: []byte(`sheet name="x" r:id="rId1"/>`)}).Attr("id") != nil {
		t.Error("found a prefixed attribute by its local name")
	}
}
