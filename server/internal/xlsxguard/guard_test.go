package xlsxguard

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// entry is one part of a test zip. A declared size other than 0 makes its
// header lie about what the part unpacks to.
type entry struct {
	name, body string
	declared   uint64
}

// zipOf stores the entries uncompressed, each under a header written by
// hand, so that a header may lie.
func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(e.body)),
			CompressedSize64: uint64(len(e.body)), UncompressedSize64: uint64(len(e.body))}
		if e.declared != 0 {
			h.UncompressedSize64 = e.declared
		}
		w, err := zw.CreateRaw(h)
		if err == nil {
			_, err = io.WriteString(w, e.body)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readerOf(t testing.TB, data []byte) *zip.Reader {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// book is a workbook as excelize writes it, one entry a part, with the
// worksheet's header changed by lie (when not nil).
func book(t testing.TB, lie func(*entry)) []entry {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "类别"}); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	var out []entry
	for _, zf := range readerOf(t, buf.Bytes()).File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{name: zf.Name, body: string(body)})
		if zf.Name == "xl/worksheets/sheet1.xml" && lie != nil {
			lie(&out[len(out)-1])
		}
	}
	return out
}

func TestOpen(t *testing.T) {
	const limit = 1 << 20
	empties := make([]entry, MaxEntries)
	for i := range empties {
		empties[i] = entry{name: fmt.Sprintf("x/%d", i)}
	}
	tests := []struct {
		name string
		data []byte
		want string // opens, too big, lies (about a part's size), unreadable, or damaged: opens, but its sheet does not scan
	}{
		{"honest", zipOf(t, book(t, nil)...), "opens"},
		{"declares more than the limit", zipOf(t, book(t, func(e *entry) { e.declared = limit + 1 })...), "too big"},
		// Counted as it unpacks, the worksheet goes on past the 16 bytes
		// its header declares.
		{"lying header", zipOf(t, book(t, func(e *entry) { e.declared = 16 })...), "lies"},
		{"header declaring more than there is", zipOf(t, book(t, func(e *entry) { e.declared = 1 << 19 })...), "lies"},
		{"too many entries", zipOf(t, append(book(t, nil), empties...)...), "too big"},
		{"not a zip", []byte("PK\x03\x04garbage"), "unreadable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, zr, err := Open(tt.data, limit, excelize.Options{})
			got := "opens"
			switch {
			case errors.Is(err, ErrTooBig):
				got = "too big"
			case errors.Is(err, ErrFalseSize):
				got = "lies"
			case err != nil:
				got = "unreadable"
			default:
				defer f.Close()
				if part := SheetParts(zr)["Sheet1"]; part != "xl/worksheets/sheet1.xml" {
					t.Fatalf("Sheet1 in part %q", part)
				}
				if _, err = LastRow(zr, "xl/worksheets/sheet1.xml"); err != nil {
					got = "damaged"
				}
			}
			if got != tt.want {
				t.Fatalf("%s (%v), want %s", got, err, tt.want)
			}
		})
	}
}

func TestCheckSizes(t *testing.T) {
	const limit = 1000
	many := func(n int) []entry {
		out := make([]entry, n)
		for i := range out {
			out[i] = entry{name: fmt.Sprint(i)}
		}
		return out
	}
	tests := []struct {
		name    string
		entries []entry
		tooBig  bool
	}{
		{"exactly the limit", []entry{{name: "a", declared: 600}, {name: "b", declared: 400}}, false},
		{"one byte over", []entry{{name: "a", declared: 600}, {name: "b", declared: 401}}, true},
		{"wraps round to a small total", []entry{{name: "a", declared: 600}, {name: "b", declared: math.MaxUint64 - 500}}, true},
		{"MaxEntries", many(MaxEntries), false},
		{"too many entries", many(MaxEntries + 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSizes(readerOf(t, zipOf(t, tt.entries...)), limit)
			if (err != nil) != tt.tooBig || (err != nil && !errors.Is(err, ErrTooBig)) {
				t.Fatalf("error %v; want too big %v", err, tt.tooBig)
			}
		})
	}
}

func rels(kind string, targets ...string) string {
	s := `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	for i, target := range targets {
		s += fmt.Sprintf(`<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s" Target="%s"/>`, i+1, kind, target)
	}
	return s + `</Relationships>`
}

// sheets lists sheets by name, the first with relationship rId1 and so on.
func sheets(names ...string) string {
	s := `<workbook xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`
	for i, name := range names {
		s += fmt.Sprintf(`<sheet name="%s" sheetId="%d" rel:id="rId%d"/>`, name, i+1, i+1)
	}
	return s + `</sheets></workbook>`
}

func TestSheetParts(t *testing.T) {
	tests := []struct {
		name    string
		entries []entry
		want    map[string]string
	}{
		{"where Excel puts it", []entry{
			{name: "_rels/.rels", body: rels("officeDocument", "xl/workbook.xml")},
			{name: "xl/workbook.xml", body: sheets("名单", "说明")},
			{name: "xl/_rels/workbook.xml.rels", body: rels("worksheet", "worksheets/sheet1.xml", "worksheets/sheet2.xml")},
		}, map[string]string{"名单": "xl/worksheets/sheet1.xml", "说明": "xl/worksheets/sheet2.xml"}},
		{"workbook part named by _rels", []entry{
			{name: "_rels/.rels", body: rels("officeDocument", "/book/main.xml")},
			{name: "book/main.xml", body: sheets("甲", "乙", "丙")},
			{name: "book/_rels/main.xml.rels", body: rels("worksheet", "s/a.xml", "/elsewhere/b.xml", "../up/c.xml")},
		}, map[string]string{"甲": "book/s/a.xml", "乙": "elsewhere/b.xml", "丙": "up/c.xml"}},
		{"no root relationships", []entry{
			{name: "xl/workbook.xml", body: sheets("Sheet1")},
			{name: "xl/_rels/workbook.xml.rels", body: rels("worksheet", "worksheets/sheet1.xml")},
		}, map[string]string{"Sheet1": "xl/worksheets/sheet1.xml"}},
		{"zip names in other case, with backslashes", []entry{
			{name: `XL\Workbook.xml`, body: sheets("Sheet1")},
			{name: `XL\_rels\Workbook.xml.rels`, body: rels("worksheet", "worksheets/sheet1.xml")},
		}, map[string]string{"Sheet1": "xl/worksheets/sheet1.xml"}},
		{"no workbook relationships", []entry{
			{name: "xl/workbook.xml", body: sheets("Sheet1")},
		}, map[string]string{}},
		{"sheet without a relationship", []entry{
			{name: "xl/workbook.xml", body: sheets("Sheet1", "Sheet2")},
			{name: "xl/_rels/workbook.xml.rels", body: rels("worksheet", "worksheets/sheet1.xml")},
		}, map[string]string{"Sheet1": "xl/worksheets/sheet1.xml"}},
		{"workbook too large to decode", []entry{
			{name: "xl/workbook.xml", body: strings.Replace(sheets("Sheet1"), "</sheets>", strings.Repeat(" ", maxPartBytes)+"</sheets>", 1)},
			{name: "xl/_rels/workbook.xml.rels", body: rels("worksheet", "worksheets/sheet1.xml")},
		}, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SheetParts(readerOf(t, zipOf(t, tt.entries...))); !maps.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}
