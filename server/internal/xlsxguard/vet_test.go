package xlsxguard

import (
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// withSheetXML is book's workbook with its worksheet's XML replaced, and
// more parts added.
func withSheetXML(t *testing.T, rows string, extra ...entry) []byte {
	t.Helper()
	return zipOf(t, append(book(t, func(e *entry) { e.body = worksheet(rows) }), extra...)...)
}

// withStrings adds a shared-string table of the given entries.
func withStrings(t *testing.T, rows string, strs ...string) []byte {
	t.Helper()
	var sst strings.Builder
	sst.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for _, s := range strs {
		sst.WriteString("<si><t>" + s + "</t></si>")
	}
	sst.WriteString("</sst>")
	entries := book(t, func(e *entry) { e.body = worksheet(rows) })
	for i := range entries {
		if strings.EqualFold(entries[i].name, "xl/sharedStrings.xml") {
			entries[i].body = sst.String()
			return zipOf(t, entries...)
		}
	}
	return zipOf(t, append(entries, entry{name: "xl/sharedStrings.xml", body: sst.String()})...)
}

func cells(n int, cell string) string { return `<row r="1">` + strings.Repeat(cell, n) + `</row>` }

// TestVet: what Open refuses before excelize reads a row, and what it
// lets through. A limit names the part, sheet and row.
func TestVet(t *testing.T) {
	const limit = 64 << 20
	long := strings.Repeat("长", 1<<10) // 3 KB
	tests := []struct {
		name string
		data []byte
		want string // opens, lies, or the LimitError's What
		row  int
	}{
		{"a row of Excel's most cells", withSheetXML(t, cells(MaxRowCells, `<c t="n"><v>1</v></c>`)), "opens", 0},
		{"a row of one cell more", withSheetXML(t, cells(MaxRowCells+1, `<c/>`)), "cells", 1},
		{"cells without a row", withSheetXML(t, `<row r="7">`+strings.Repeat(`<c></c>`, MaxRowCells+1)+`</row>`), "cells", 7},
		{"a megabyte of inline text in a row", withSheetXML(t, cells(400, `<c t="inlineStr"><is><t>`+long+`</t></is></c>`)), "bytes of text", 1},
		{"a long shared string used 400 times", withStrings(t, cells(400, `<c t="s"><v>1</v></c>`), "甲", long), "bytes of text", 1},
		{"a short shared string used 16,000 times", withStrings(t, cells(16_000, `<c t="s"><v>0</v></c>`), "甲"), "opens", 0},
		{"too many shared strings", withStrings(t, cells(1, `<c t="s"><v>0</v></c>`), make([]string, MaxSharedStrings+1)...), "shared strings", 0},
		{"a cell tag longer than the buffer", withSheetXML(t, `<row r="1"><c r="A1"`+strings.Repeat(" ", 70<<10)+`/></row>`), "bytes in one tag", 0},
		{"a long tag that is no cell", withSheetXML(t, `<row r="1"><c r="A1"><v>1</v></c></row></sheetData><ignoredErrors`+strings.Repeat(" ", 70<<10)+`/><sheetData>`), "opens", 0},
		{"a sheet that unpacks to less than it declares", zipOf(t, book(t, func(e *entry) { e.declared = 1 << 20 })...), "lies", 0},
		{"a sheet that unpacks to more than it declares", zipOf(t, book(t, func(e *entry) { e.declared = 10 })...), "lies", 0},
		{"a sheet with a wrong checksum", func() []byte {
			data := withSheetXML(t, cells(1, `<c t="n"><v>1</v></c>`))
			i := strings.Index(string(data), `<v>1</v>`)
			data[i+3] = '2' // stored, not deflated: the byte is the sheet's
			return data
		}(), "lies", 0},
		// Pictures, drawings and the like are never read: a broken one
		// does not matter, and costs nothing.
		{"a broken picture", withSheetXML(t, cells(1, `<c t="n"><v>1</v></c>`), entry{name: "xl/media/image1.png", body: "png", declared: 1 << 20}), "opens", 0},
		{"a styles part of 5 MB", func() []byte {
			entries := book(t, nil)
			for i := range entries {
				if entries[i].name == "xl/styles.xml" {
					entries[i].body += strings.Repeat(" ", 5<<20)
				}
			}
			return zipOf(t, entries...)
		}(), "bytes in a part", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, err := Open(tt.data, limit, excelize.Options{})
			var le *LimitError
			got := "opens"
			switch {
			case errors.As(err, &le):
				got = le.What
				if !errors.Is(err, ErrTooBig) {
					t.Errorf("%v is not ErrTooBig", err)
				}
				if le.Row != tt.row {
					t.Errorf("row %d, want %d", le.Row, tt.row)
				}
				if tt.row > 0 && le.Sheet != "Sheet1" {
					t.Errorf("sheet %q, want Sheet1", le.Sheet)
				}
			case errors.Is(err, ErrFalseSize):
				got = "lies"
			case err != nil:
				t.Fatalf("unreadable: %v", err)
			default:
				f.Close()
			}
			if got != tt.want {
				t.Fatalf("%s (%v), want %s", got, err, tt.want)
			}
		})
	}
}
