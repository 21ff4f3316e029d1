package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

const (
	// maxZipEntries bounds the parts of an XLSX; a real workbook has dozens.
	maxZipEntries = 10_000
	// xmlInMemory is the largest part excelize keeps in memory; bigger
	// worksheets are streamed from a temporary file.
	xmlInMemory = 16 << 20
)

// sheetWords mark the sheet that holds the list when a workbook has several.
var sheetWords = []string{"名单", "参会人员", "登记表"}

// readXLSX reads the list sheet of a workbook. The zip's declared sizes are
// checked before excelize inflates anything, so a bomb costs nothing; a
// part that inflates beyond its declared size is cut off by archive/zip.
func readXLSX(data []byte, opts Options) (*grid, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, notXLSX(err)
	}
	if err := checkUnzipSize(zr, opts.MaxUnzipBytes); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    opts.MaxUnzipBytes,
		UnzipXMLSizeLimit: min(xmlInMemory, opts.MaxUnzipBytes),
		CultureInfo:       excelize.CultureNameZhCN,
		ShortDatePattern:  "yyyy-mm-dd",
		LongTimePattern:   "hh:mm:ss",
	})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			return nil, tooBigUnzipped(opts.MaxUnzipBytes, err)
		}
		return nil, notXLSX(err)
	}
	defer f.Close()
	g := &grid{format: "xlsx"}
	g.sheet, g.otherSheets = pickSheet(f)
	if g.sheet == "" {
		return nil, notXLSX(fmt.Errorf("no worksheet"))
	}
	rows, err := f.Rows(g.sheet)
	if err != nil {
		return nil, notXLSX(err)
	}
	defer rows.Close()
	limit, line, full := rowLimit(opts), 0, false
	for !full && rows.Next() {
		line++
		cells, err := rows.Columns()
		if err != nil {
			return nil, &Error{Code: CodeUnsupportedFormat, Err: err,
				Message:   fmt.Sprintf("工作表“%s”第 %d 行无法读取，文件可能已损坏。%s", g.sheet, line, saveAs),
				MessageEn: fmt.Sprintf("row %d of sheet %q cannot be read; the file may be damaged. %s", line, g.sheet, saveAsEn)}
		}
		if allBlank(cells) {
			continue
		}
		g.rows = append(g.rows, gridRow{line: line, cells: cells, hidden: rows.GetRowOpts().Hidden})
		full = len(g.rows) >= limit
	}
	if part := sheetPart(zr, g.sheet); part != "" {
		lastLine := 0
		if len(g.rows) > 0 {
			lastLine = g.rows[len(g.rows)-1].line
		}
		numeric, merges, lastRow, err := scanSheet(zr, part, lastLine)
		if err == nil && !full && lastRow > line {
			err = fmt.Errorf("rows stop at %d of %d", line, lastRow)
		}
		if err != nil {
			return nil, notXLSX(err)
		}
		g.numeric, g.merges = numeric, merges
	}
	return g, nil
}

func notXLSX(err error) *Error {
	e := unsupported("不是有效的 .xlsx 工作簿，可能已损坏", "not a valid .xlsx workbook; it may be damaged")
	e.Err = err
	return e
}

func tooBigUnzipped(limit int64, err error) *Error {
	return &Error{Code: CodeFileTooLarge, Err: err,
		Message:   fmt.Sprintf("工作簿解压后超过 %s，文件异常（可能已损坏或是恶意文件）。请另存为 CSV 或拆分后导入", humanBytes(limit)),
		MessageEn: fmt.Sprintf("the workbook unpacks to more than %s, which no attendee list needs; save as CSV or split it", humanBytes(limit))}
}

// checkUnzipSize adds up the sizes the zip declares for its parts.
func checkUnzipSize(zr *zip.Reader, limit int64) error {
	if len(zr.File) > maxZipEntries {
		return tooBigUnzipped(limit, fmt.Errorf("%d zip entries", len(zr.File)))
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(limit) {
			return tooBigUnzipped(limit, fmt.Errorf("part %s: declared %d bytes", zf.Name, zf.UncompressedSize64))
		}
	}
	return nil
}

// pickSheet chooses the first visible sheet, or the first visible one named
// like 名单, 参会人员 or 登记表, and lists the other visible sheets.
func pickSheet(f *excelize.File) (string, []string) {
	var visible []string
	for _, name := range f.GetSheetList() {
		if ok, err := f.GetSheetVisible(name); err == nil && ok {
			visible = append(visible, name)
		}
	}
	if len(visible) == 0 {
		visible = f.GetSheetList()
	}
	if len(visible) == 0 {
		return "", nil
	}
	chosen := 0
pick:
	for i, name := range visible {
		for _, w := range sheetWords {
			if strings.Contains(name, w) {
				chosen = i
				break pick
			}
		}
	}
	others := make([]string, 0, len(visible)-1)
	for i, name := range visible {
		if i != chosen {
			others = append(others, name)
		}
	}
	return visible[chosen], others
}
