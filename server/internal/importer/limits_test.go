package importer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestUnsupportedFormats(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		code       string
	}{
		{"old xls", "名单.xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00"), CodeUnsupportedFormat},
		{"pdf", "名单.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), CodeUnsupportedFormat},
		{"html as xls", "export.xls", []byte("<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><table><tr><td>姓名</td></tr></table></html>"), CodeUnsupportedFormat},
		{"xml spreadsheet", "export.xls", []byte("<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>"), CodeUnsupportedFormat},
		{"docx", "名单.docx", zipWith(t, map[string]string{"word/document.xml": "<w:document/>"}), CodeUnsupportedFormat},
		{"broken zip", "名单.xlsx", []byte("PK\x03\x04garbage"), CodeUnsupportedFormat},
		{"png", "名单.png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), CodeUnsupportedFormat},
		{"binary", "名单.csv", []byte("姓名,类别\n\x00\x01\x02\x03"), CodeUnsupportedFormat},
		{"latin-1 garbage", "名单.csv", []byte("姓名,类别\n\xff\xfa\x80\x80,代表\n"), CodeBadEncoding},
		{"utf-8 with a bad byte", "名单.csv", []byte("姓名,类别,单位\n张三,代表,省委办公厅\n李四,代表,省人\xff大常委会办公厅\n王五,代表,省政府办公厅\n"), CodeBadEncoding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.file, bytes.NewReader(tt.data), Options{})
			e := wantFileError(t, err, tt.code)
			if tt.code == CodeUnsupportedFormat && (!contains(e.Message, ".xlsx 或 CSV") || !contains(e.MessageEn, ".xlsx or CSV")) {
				t.Errorf("no save-as advice: %q / %q", e.Message, e.MessageEn)
			}
		})
	}
	t.Run("bad byte line", func(t *testing.T) {
		_, err := Parse("x.csv", bytes.NewReader(tests[len(tests)-1].data), Options{})
		if e := wantFileError(t, err, CodeBadEncoding); !contains(e.Message, "第 3 行") {
			t.Errorf("message %q does not name line 3", e.Message)
		}
	})
}

// countingReader is an endless upload that counts what was read from it.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	c.n += int64(len(p))
	return len(p), nil
}

func TestFileTooLarge(t *testing.T) {
	r := &countingReader{}
	_, err := Parse("big.csv", r, Options{MaxBytes: 1 << 20})
	wantFileError(t, err, CodeFileTooLarge)
	if r.n > 1<<20+64<<10 {
		t.Fatalf("read %d bytes of an endless upload with a 1 MiB limit", r.n)
	}
	// Exactly at the limit is fine.
	text := "姓名,类别\n张三,代表\n"
	if _, err := Parse("ok.csv", strings.NewReader(text), Options{MaxBytes: int64(len(text))}); err != nil {
		t.Fatal(err)
	}
}

func TestTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("名单\n姓名,类别\n")
	for i := range 30 {
		fmt.Fprintf(&b, "人%d,代表\n", i)
	}
	res := parseText(t, b.String(), Options{MaxRows: 25})
	issueAt(t, res.Errors, CodeTooManyRows, 28, "A")
	if res.ErrorCount != 1 || len(res.Rows) != 25 {
		t.Fatalf("errors %d rows %d", res.ErrorCount, len(res.Rows))
	}
	res = mustParse(t, "x.xlsx", xlsxOf(t, [][]any{{"姓名", "类别"}, {"甲", "代表"}, {"乙", "代表"}, {"丙", "代表"}}), Options{MaxRows: 2})
	issueAt(t, res.Errors, CodeTooManyRows, 4, "A")
}

func TestIssueCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("姓名,类别,身份证号\n")
	for i := range 300 {
		fmt.Fprintf(&b, "人%d,代表,1.10101E+17\n", i)
	}
	res := parseText(t, b.String(), Options{})
	if len(res.Errors) != MaxIssues || res.ErrorCount != 300 || res.Errors[0].Row != 2 {
		t.Fatalf("listed %d of %d errors, first at row %d", len(res.Errors), res.ErrorCount, res.Errors[0].Row)
	}
}

// zipWith builds a zip from name → content, stored compressed.
func zipWith(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bomb builds an XLSX whose worksheet is 200 MB of zeros compressed to
// about 200 KB. It takes seconds, so the result is kept as
// testdata/bomb.xlsx; go test -update rebuilds it.
func bomb() []byte {
	const size = 200 << 20
	var sheet bytes.Buffer
	fw, _ := flate.NewWriter(&sheet, flate.BestCompression)
	crc := crc32.NewIEEE()
	zeros := make([]byte, 1<<20)
	for range size >> 20 {
		fw.Write(zeros)
		crc.Write(zeros)
	}
	fw.Close()
	return withSheet(zipWith(panicTB{}, minimalXLSX(sheetXML(""))), &zip.FileHeader{
		Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc.Sum32(),
		CompressedSize64: uint64(sheet.Len()), UncompressedSize64: size}, sheet.Bytes())
}

// withSheet replaces the worksheet of an XLSX by raw compressed bytes
// under the given header, which may lie about the sizes.
func withSheet(xlsx []byte, h *zip.FileHeader, raw []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		panic(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != h.Name {
			if err := zw.Copy(f); err != nil {
				panic(err)
			}
		}
	}
	w, err := zw.CreateRaw(h)
	if err != nil {
		panic(err)
	}
	w.Write(raw)
	zw.Close()
	return out.Bytes()
}

var update = flag.Bool("update", false, "rewrite generated files under testdata")

// bombs gives the honest bomb and a copy whose header claims 1 KB.
var bombs = sync.OnceValues(func() ([]byte, []byte) {
	const path = "testdata/bomb.xlsx"
	honest, err := os.ReadFile(path)
	if err != nil || *update {
		honest = bomb()
	}
	if *update {
		if err := os.WriteFile(path, honest, 0o644); err != nil {
			panic(err)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(honest), int64(len(honest)))
	if err != nil {
		panic(err)
	}
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := f.OpenRaw()
			raw, _ := io.ReadAll(rc)
			h := f.FileHeader
			h.UncompressedSize64 = 1 << 10
			return honest, withSheet(honest, &h, raw)
		}
	}
	panic("bomb without a worksheet")
})

func TestZipBomb(t *testing.T) {
	honest, liar := bombs()
	if len(honest) > 1<<20 {
		t.Fatalf("bomb is %d bytes; it should fit any upload limit", len(honest))
	}
	for _, tt := range []struct {
		name string
		data []byte
		code string
	}{
		{"declared", honest, CodeFileTooLarge},
		// archive/zip stops reading a part at its declared size.
		{"lying header", liar, CodeUnsupportedFormat},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Parse("bomb.xlsx", bytes.NewReader(tt.data), Options{})
			runtime.ReadMemStats(&after)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("bomb accepted: %v", err)
			}
			if e.Code != tt.code {
				t.Fatalf("code %s, want %s: %v", e.Code, tt.code, e)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
				t.Fatalf("allocated %d MB refusing a bomb", alloc>>20)
			}
		})
	}
}
