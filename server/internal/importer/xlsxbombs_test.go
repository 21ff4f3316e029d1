package importer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// Workbooks that are small to upload and huge to read. Each is generated
// here in milliseconds (a repeated piece is compressed once and its bytes
// repeated) rather than kept under testdata. Each must be refused with a
// file-level error that says why, and reading it must not grow the heap
// by more than heapBound, however much it unpacks to.

// heapBound is far above what refusing any of these costs, and far below
// what reading them whole costs (hundreds of megabytes), so that neither
// the machine nor -race can decide the outcome.
const heapBound = 64 << 20

// deflateRepeat gives the deflate stream of head, unit n times and tail,
// and the CRC-32 and size of what it unpacks to (the CRC only when
// withCRC: hashing a gigabyte takes a moment). Each piece is compressed
// on its own, so the bytes of the compressed unit can be repeated.
func deflateRepeat(head, unit, tail string, n int, withCRC bool) (raw []byte, crc uint32, size int64) {
	piece := func(s string, last bool) []byte {
		var b bytes.Buffer
		w, _ := flate.NewWriter(&b, flate.BestCompression)
		w.Write([]byte(s))
		if last {
			w.Close()
		} else {
			w.Flush()
		}
		return b.Bytes()
	}
	u := piece(unit, false)
	var out bytes.Buffer
	out.Write(piece(head, false))
	for range n {
		out.Write(u)
	}
	out.Write(piece(tail, true))
	if withCRC {
		crc = crc32.ChecksumIEEE([]byte(head))
		for range n {
			crc = crc32.Update(crc, crc32.IEEETable, []byte(unit))
		}
		crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))
	}
	return out.Bytes(), crc, int64(len(head) + n*len(unit) + len(tail))
}

// bigSheetXLSX is a workbook whose worksheet is head, unit n times and
// tail, under a header that declares declared bytes (its true size when
// 0).
func bigSheetXLSX(head, unit, tail string, n int, declared int64) []byte {
	raw, crc, size := deflateRepeat(head, unit, tail, n, declared == 0)
	if declared == 0 {
		declared = size
	}
	return withSheet(zipWith(panicTB{}, minimalXLSX(sheetXML(""))), &zip.FileHeader{
		Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(raw)), UncompressedSize64: uint64(declared)}, raw)
}

const (
	sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>类别</t></is></c></row>`
	sheetTail = `</sheetData></worksheet>`
)

// unitOf repeats s to about size bytes.
func unitOf(s string, size int) string { return strings.Repeat(s, size/len(s)) }

// peakHeap runs fn and gives how far the heap grew above where it stood
// before, at its highest, sampling every millisecond while fn runs.
func peakHeap(fn func()) uint64 {
	// The bound is for the collector's default pace: under the suite's
	// GOGC (scripts/test) garbage not yet collected would count as growth.
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapAlloc
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var top uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			top = max(top, m.HeapAlloc)
			select {
			case <-done:
				peak <- top
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	top := <-peak
	return max(top, base) - base
}

func TestXLSXBombsRefusedInBoundedMemory(t *testing.T) {
	for _, tt := range []struct {
		name string
		data func() []byte
		code string
		says string // in the English message
	}{
		{
			// 120 MB of worksheet in a few hundred KB: one row of 2.6
			// million cells, which no spreadsheet program writes (Excel
			// stops at 16,384 columns).
			name: "a 120 MB sheet of one endless row",
			data: func() []byte {
				unit := unitOf(`<c t="inlineStr"><is><t>张三</t></is></c>`, 64<<10)
				return bigSheetXLSX(sheetHead+`<row r="2">`, unit, `</row>`+sheetTail, (120<<20)/len(unit), 0)
			},
			code: CodeFileTooLarge, says: "cells",
		},
		{
			// The worksheet's header says 100 MB; it unpacks to 1.28 GB.
			// (Under -race, 10 MB and 128 MB: the lie is found only after
			// the declared bytes, and inflating is slow there.)
			name: "a zip that declares 100 MB and holds 1.28 GB",
			data: func() []byte {
				declared, holds := int64(100<<20), 1280<<20
				if raceEnabled {
					declared, holds = declared/10, holds/10
				}
				unit := unitOf(`<row><c t="inlineStr"><is><t>张三</t></is></c><c t="inlineStr"><is><t>代表</t></is></c></row>`, 1<<20)
				return bigSheetXLSX(sheetHead, unit, sheetTail, holds/len(unit), declared)
			},
			code: CodeUnsupportedFormat, says: "declares",
		},
		{
			// A 32 KB shared string, and a row that uses it 16,000 times:
			// half a gigabyte of cell text from a file of a few KB.
			name: "one shared string used 16,000 times in a row",
			data: func() []byte {
				parts := minimalXLSX(sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2">` +
					strings.Repeat(`<c t="s"><v>0</v></c>`, 16_000) + `</row>`))
				parts["xl/sharedStrings.xml"] = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>` +
					strings.Repeat("长", 32<<10/3) + `</t></si></sst>`
				parts["xl/_rels/workbook.xml.rels"] = strings.Replace(parts["xl/_rels/workbook.xml.rels"], `</Relationships>`,
					`<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`, 1)
				return zipWith(panicTB{}, parts)
			},
			code: CodeFileTooLarge, says: "text",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data()
			if len(data) > DefaultMaxBytes {
				t.Fatalf("the workbook is %d KB, over the upload limit", len(data)>>10)
			}
			var err error
			grew := peakHeap(func() { _, err = Parse("名单.xlsx", bytes.NewReader(data), Options{}) })
			t.Logf("%d KB workbook: heap grew %d MB; %v", len(data)>>10, grew>>20, err)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("accepted: %v", err)
			}
			if e.Code != tt.code || !strings.Contains(e.MessageEn, tt.says) || e.Message == "" {
				t.Errorf("refused with %s %q, want %s saying %q", e.Code, e.MessageEn, tt.code, tt.says)
			}
			if grew > heapBound {
				t.Errorf("the heap grew %d MB reading a %d KB workbook", grew>>20, len(data)>>10)
			}
		})
	}
}

// TestXLSXLargeSheetReads: a real list whose worksheet is larger than
// what excelize keeps in memory (it then streams it from a temporary
// file) reads whole, every row.
func TestXLSXLargeSheetReads(t *testing.T) {
	const n = 4_000
	data := benchXLSX(t, n)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" && f.UncompressedSize64 < 1<<20 {
			t.Fatalf("the worksheet is %d bytes; the test wants one over a megabyte", f.UncompressedSize64)
		}
	}
	res := mustParse(t, "名单.xlsx", data, Options{})
	if len(res.Rows) != n || res.ErrorCount != 0 {
		t.Fatalf("%d rows, errors %s", len(res.Rows), dump(res.Errors))
	}
}
