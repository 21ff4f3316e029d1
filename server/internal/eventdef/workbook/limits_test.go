package workbook

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"testing"

	"huiwu/server/internal/xlsxguard"
)

// endless is an upload that never ends, counting what was read of it.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'P'
	}
	e.n += int64(len(p))
	return len(p), nil
}

func onlyError(t *testing.T, errs []Error, code string) Error {
	t.Helper()
	if len(errs) != 1 || errs[0].Code != code {
		t.Fatalf("errors %v, want one %s", errs, code)
	}
	if errs[0].Zh == "" || errs[0].En == "" {
		t.Fatalf("error without words: %+v", errs[0])
	}
	return errs[0]
}

func TestFileTooLarge(t *testing.T) {
	t.Run("declared size", func(t *testing.T) {
		r := &endless{}
		_, l, errs := Read(r, MaxBytes+1)
		onlyError(t, errs, CodeFileTooLarge)
		if r.n != 0 || l == nil {
			t.Fatalf("read %d bytes of an upload declared too large; locator %v", r.n, l)
		}
	})
	t.Run("endless upload", func(t *testing.T) {
		r := &endless{}
		_, _, errs := Read(r, -1)
		onlyError(t, errs, CodeFileTooLarge)
		if r.n > MaxBytes+64<<10 {
			t.Fatalf("read %d bytes with a %d limit", r.n, MaxBytes)
		}
	})
}

func TestNotAWorkbook(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"old xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00")},
		{"csv", []byte("代码,名称\nhall,会场\n")},
		{"broken zip", []byte("PK\x03\x04garbage")},
		{"docx", zipOf(t, map[string]string{"word/document.xml": "<w:document/>", "[Content_Types].xml": "<Types/>"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, errs := Read(bytes.NewReader(tt.data), int64(len(tt.data)))
			if e := onlyError(t, errs, CodeUnsupportedFormat); !strings.Contains(e.Zh, ".xlsx") {
				t.Errorf("no save-as advice: %s", e.Zh)
			}
		})
	}
}

func zipOf(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
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
	return b.Bytes()
}

// replacePart rebuilds an XLSX with one part's compressed bytes and header
// replaced; the header may lie about the sizes.
func replacePart(t testing.TB, xlsx []byte, h *zip.FileHeader, raw []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != h.Name {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	w, err := zw.CreateRaw(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// zeros deflates n MiB of zero bytes cheaply: one MiB compressed and
// flushed is a run of whole blocks, which may be repeated, and an empty
// final block ends the stream.
func zeros(n int) (raw []byte, crc uint32) {
	var chunk bytes.Buffer
	fw, _ := flate.NewWriter(&chunk, flate.BestCompression)
	mib := make([]byte, 1<<20)
	fw.Write(mib)
	fw.Flush()
	h := crc32.NewIEEE()
	var out bytes.Buffer
	for range n {
		out.Write(chunk.Bytes())
		h.Write(mib)
	}
	out.Write([]byte{0x03, 0x00})
	return out.Bytes(), h.Sum32()
}

// sheetPart gives the zip part of a sheet of an XLSX.
func sheetPart(t testing.TB, xlsx []byte, sheet string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	part := xlsxguard.SheetParts(zr)[sheet]
	if part == "" {
		t.Fatalf("no part for %s", sheet)
	}
	return part
}

func TestZipBomb(t *testing.T) {
	tmpl, err := Template()
	if err != nil {
		t.Fatal(err)
	}
	const size = 200 // MiB, over MaxUnzipBytes
	raw, crc := zeros(size)
	part := sheetPart(t, tmpl, SheetEvent)
	honest := replacePart(t, tmpl, &zip.FileHeader{Name: part, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(raw)), UncompressedSize64: size << 20}, raw)
	liar := replacePart(t, tmpl, &zip.FileHeader{Name: part, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(raw)), UncompressedSize64: 1 << 10}, raw)
	if len(honest) > 1<<20 {
		t.Fatalf("the bomb is %d bytes; it should pass the upload limit", len(honest))
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
			_, _, errs := Read(bytes.NewReader(tt.data), int64(len(tt.data)))
			runtime.ReadMemStats(&after)
			onlyError(t, errs, tt.code)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
				t.Fatalf("allocated %d MB refusing a bomb", alloc>>20)
			}
		})
	}
}

func TestTooManyRows(t *testing.T) {
	data := exampleBytes(t)
	def, _, errs := read(bytes.NewReader(data), -1, limits{maxBytes: MaxBytes, maxUnzip: MaxUnzipBytes, maxRows: 3})
	// 场地 has four venues: the fourth, on row 5, is one too many.
	if len(errs) == 0 || errs[0].Code != CodeTooManyRows || errs[0].Sheet != SheetVenues || errs[0].Row != 5 || len(def.Venues) != 3 {
		t.Fatalf("%d venues, errors %v; want 3 and too_many_rows at 场地 row 5 first", len(def.Venues), errs)
	}
}

// A worksheet whose XML breaks partway must not read as the rows above
// the break.
func TestDamagedSheet(t *testing.T) {
	base := exampleBytes(t)
	part := sheetPart(t, base, SheetRooms)
	zr, _ := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	var xml string
	for _, f := range zr.File {
		if f.Name == part {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			xml = string(b)
		}
	}
	row4 := strings.Index(xml, `<row r="4"`)
	if row4 < 0 {
		t.Fatalf("no row 4 in %s", xml)
	}
	for name, broken := range map[string]string{
		"cut short":  xml[:row4+20],
		"bad entity": xml[:row4] + "&nonsense;" + xml[row4:],
		"stray tag":  xml[:row4] + "<<row>" + xml[row4:],
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			fw, _ := flate.NewWriter(&buf, flate.DefaultCompression)
			io.WriteString(fw, broken)
			fw.Close()
			data := replacePart(t, base, &zip.FileHeader{Name: part, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(broken)),
				CompressedSize64: uint64(buf.Len()), UncompressedSize64: uint64(len(broken))}, buf.Bytes())
			_, _, errs := Read(bytes.NewReader(data), int64(len(data)))
			found := false
			for _, e := range errs {
				found = found || (e.Code == CodeUnsupportedFormat && e.Sheet == SheetRooms)
			}
			if !found {
				t.Fatalf("damage not reported: %v", errs)
			}
		})
	}
}
