package importer

import (
	"bytes"
	"fmt"
	"path"
	"strings"
)

// grid is a sheet as rows of text, whatever the file format was.
type grid struct {
	format      string
	sheet       string
	otherSheets []string
	rows        []gridRow // non-blank rows in file order
	// numeric holds, per row line, a bit per column (A = bit 0, up to 64
	// columns) for XLSX cells stored as numbers.
	numeric map[int]uint64
	merges  []mergeRange
}

// gridRow is one non-blank row and its spreadsheet row number.
type gridRow struct {
	line   int
	cells  []string
	hidden bool
}

// mergeRange is a merged cell area; only its first column is filled down.
type mergeRange struct {
	col        int // 0-based
	row1, row2 int // spreadsheet row numbers
}

// rowLimit is how many non-blank rows a reader keeps: enough to see the
// header and one row more than allowed, so build can report too_many_rows.
func rowLimit(opts Options) int { return opts.MaxRows + headerScanRows + 1 }

func (g *grid) isNumeric(line, col int) bool {
	if col < 0 || col >= 64 || g.numeric == nil {
		return false
	}
	return g.numeric[line]&(1<<uint(col)) != 0
}

// fillMerged copies the value of a merged area's top cell into the blank
// cells under it, for areas below the header: a 代表团 or 单位 merged over
// several rows belongs to each of them.
func (g *grid) fillMerged(headerLine int) {
	if len(g.merges) == 0 {
		return
	}
	at := make(map[int]int, len(g.rows))
	for i, r := range g.rows {
		at[r.line] = i
	}
	for _, m := range g.merges {
		top, ok := at[m.row1]
		if m.row1 <= headerLine || !ok || m.col >= len(g.rows[top].cells) {
			continue
		}
		v := g.rows[top].cells[m.col]
		for line := m.row1 + 1; line <= m.row2; line++ {
			i, ok := at[line]
			if !ok {
				continue
			}
			r := &g.rows[i]
			for len(r.cells) <= m.col {
				r.cells = append(r.cells, "")
			}
			if isBlank(r.cells[m.col]) {
				r.cells[m.col] = v
			}
		}
	}
}

func allBlank(cells []string) bool {
	for _, c := range cells {
		if !isBlank(c) {
			return false
		}
	}
	return true
}

// readGrid detects the format from the content and reads the rows.
func readGrid(filename string, data []byte, opts Options) (*grid, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return readXLSX(data, opts)
	}
	if err := sniffUnsupported(filename, data); err != nil {
		return nil, err
	}
	text, format, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	return readCSV(text, format, opts)
}

const saveAs = "请在 Excel 或 WPS 中打开，另存为 .xlsx 或 CSV 后重新导入"
const saveAsEn = "open it in Excel or WPS, save as .xlsx or CSV, and import again"

// unsupported builds the unsupported_format error for a kind of file.
func unsupported(kind, kindEn string) *Error {
	return &Error{Code: CodeUnsupportedFormat,
		Message:   fmt.Sprintf("不支持的文件格式（%s）。%s", kind, saveAs),
		MessageEn: fmt.Sprintf("unsupported file format (%s); %s", kindEn, saveAsEn)}
}

// magics are the openings of files people upload by mistake.
var magics = []struct {
	prefix, kind, kindEn string
}{
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 .xls、WPS .et 或加了密码的工作簿", "old .xls, WPS .et or a password-protected workbook"},
	{"%PDF-", "PDF", "PDF"},
	{"PK\x05\x06", "空的压缩包", "an empty zip archive"},
	{"\x89PNG", "图片", "an image"},
	{"\xff\xd8\xff", "图片", "an image"},
	{"GIF8", "图片", "an image"},
	{"{\\rtf", "RTF 文档", "an RTF document"},
	{"\x1f\x8b", "压缩包", "a compressed archive"},
	{"Rar!", "压缩包", "a compressed archive"},
	{"7z\xbc\xaf", "压缩包", "a compressed archive"},
}

// sniffUnsupported refuses files that are clearly no list: old Excel, PDF,
// images, archives and the HTML or XML that many systems save as ".xls".
func sniffUnsupported(filename string, data []byte) error {
	for _, m := range magics {
		if bytes.HasPrefix(data, []byte(m.prefix)) {
			return unsupported(m.kind, m.kindEn)
		}
	}
	head := data[:min(len(data), 512)]
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.ToLower(bytes.TrimLeft(head, " \t\r\n"))
	if bytes.HasPrefix(head, []byte("<")) {
		for _, tag := range []string{"<html", "<!doctype", "<table", "<?xml", "<meta"} {
			if bytes.Contains(head, []byte(tag)) {
				return unsupported("网页或 XML 格式，常见于系统导出的“.xls”", "HTML or XML, as many systems export under .xls")
			}
		}
	}
	switch strings.ToLower(path.Ext(filename)) {
	case ".xls", ".et", ".xlsb", ".ods", ".numbers", ".doc", ".docx", ".pdf":
		// The content was not recognised as anything better; say what the
		// name suggests rather than "bad encoding".
		if bytes.IndexByte(data, 0) >= 0 && !hasUTF16BOM(data) {
			return unsupported(strings.ToLower(path.Ext(filename))+" 文件", strings.ToLower(path.Ext(filename))+" file")
		}
	}
	return nil
}

func hasUTF16BOM(data []byte) bool {
	return bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff"))
}
