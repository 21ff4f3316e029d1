package importer

import (
	"archive/zip"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/xlsxguard"
)

// sheetWords mark the sheet that holds the list when a workbook has several.
var sheetWords = []string{"名单", "参会人员", "登记表"}

// maxGridText bounds the text of the rows a workbook's list is read into:
// a 50,000-row list holds a fraction of it.
const maxGridText = 32 << 20

// readXLSX reads the list sheet of a workbook. xlsxguard checks the zip's
// declared sizes before anything inflates, so a bomb costs nothing, then
// reads the worksheets once as a stream, counting what they really unpack
// to and what each row would cost, before excelize reads a row: memory
// stays bounded whatever the file says about itself.
func readXLSX(data []byte, opts Options) (*grid, error) {
	f, zr, err := xlsxguard.Open(data, opts.MaxUnzipBytes, excelize.Options{
		CultureInfo:      excelize.CultureNameZhCN,
		ShortDatePattern: "yyyy-mm-dd",
		LongTimePattern:  "hh:mm:ss",
	})
	if err != nil {
		return nil, xlsxError(opts.MaxUnzipBytes, err)
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
	text := 0
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
		for _, c := range cells {
			text += len(c)
		}
		if text > maxGridText {
			return nil, &Error{Code: CodeFileTooLarge,
				Message: fmt.Sprintf("工作表“%s”到第 %d 行已有超过 %s 的文字，参会人员名单用不了这么多。请确认文件，或另存为 CSV 后拆分导入",
					g.sheet, line, humanBytes(maxGridText)),
				MessageEn: fmt.Sprintf("sheet %q holds more than %s of text by row %d, far more than an attendee list; check the file, or save it as CSV and split it",
					g.sheet, humanBytes(maxGridText), line)}
		}
		g.rows = append(g.rows, gridRow{line: line, cells: cells, hidden: rows.GetRowOpts().Hidden})
		full = len(g.rows) >= limit
	}
	if part := xlsxguard.SheetParts(zr)[g.sheet]; part != "" {
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

// xlsxError words what xlsxguard refused a workbook for.
func xlsxError(unzipLimit int64, err error) *Error {
	var le *xlsxguard.LimitError
	switch {
	case errors.As(err, &le) && (le.What == "cells" || le.What == "bytes of text"):
		zh, en := fmt.Sprintf("超过 %d 个单元格", le.Limit), fmt.Sprintf("more than %d cells", le.Limit)
		if le.What != "cells" {
			zh, en = fmt.Sprintf("超过 %s 的文字", humanBytes(le.Limit)), fmt.Sprintf("more than %s of text", humanBytes(le.Limit))
		}
		return &Error{Code: CodeFileTooLarge, Err: err,
			Message:   fmt.Sprintf("工作表“%s”第 %d 行有%s，没有哪份名单需要这么多，文件异常（可能已损坏或是恶意文件）。%s", le.Sheet, le.Row, zh, saveAs),
			MessageEn: fmt.Sprintf("row %d of sheet %q holds %s, which no attendee list needs: the file is damaged or malicious. %s", le.Row, le.Sheet, en, saveAsEn)}
	case errors.As(err, &le) && le.What != "unpacked bytes":
		return &Error{Code: CodeFileTooLarge, Err: err,
			Message:   "工作簿的结构超出了名单所需（" + le.Error() + "），文件异常（可能已损坏或是恶意文件）。" + saveAs,
			MessageEn: "the workbook is built far beyond what a list needs (" + le.Error() + "): the file is damaged or malicious. " + saveAsEn}
	case errors.Is(err, xlsxguard.ErrTooBig):
		return tooBigUnzipped(unzipLimit, err)
	case errors.Is(err, xlsxguard.ErrFalseSize):
		e := unsupported("压缩包中的部件解压后与其声明的大小不符，文件已损坏或是恶意文件",
			"a part of the zip unpacks to other than the size it declares: the file is damaged or malicious")
		e.Err = err
		return e
	}
	return notXLSX(err)
}

func tooBigUnzipped(limit int64, err error) *Error {
	return &Error{Code: CodeFileTooLarge, Err: err,
		Message:   fmt.Sprintf("工作簿解压后超过 %s，文件异常（可能已损坏或是恶意文件）。请另存为 CSV 或拆分后导入", humanBytes(limit)),
		MessageEn: fmt.Sprintf("the workbook unpacks to more than %s, which no attendee list needs; save as CSV or split it", humanBytes(limit))}
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

// excelize's streaming reader gives each cell's text but not its type, and
// a 身份证号 stored as a number must be told from one stored as text. So the
// sheet's XML is read a second time, for cell types and merged areas only;
// loading the worksheet into excelize's object model (GetCellType) would
// cost far more memory. The second pass also catches damage: excelize's
// iterator stops quietly at broken XML, which would import the rows above
// the damage as if they were the whole list.

// scanSheet reads a worksheet's XML for the cells stored as numbers (up to
// row lastLine), its merged areas and its last row number.
func scanSheet(zr *zip.Reader, part string, lastLine int) (numeric map[int]uint64, merges []mergeRange, lastRow int, err error) {
	numeric = make(map[int]uint64)
	row, col := 0, 0
	lastRow, err = xlsxguard.ScanSheet(zr, part, func(tag xlsxguard.Tag) {
		switch {
		case tag.Is("row"):
			row, col = tag.Row, 0
		case tag.Is("c"):
			if c, r, ok := cellRef(string(tag.Attr("r"))); ok {
				col, row = c, r
			} else {
				col++
			}
			if t := string(tag.Attr("t")); (t == "" || t == "n") && row <= lastLine && col >= 1 && col <= 64 {
				numeric[row] |= 1 << uint(col-1)
			}
		case tag.Is("mergeCell"):
			from, to, ok := strings.Cut(string(tag.Attr("ref")), ":")
			c1, r1, ok1 := cellRef(from)
			_, r2, ok2 := cellRef(to)
			if ok && ok1 && ok2 && r1 < r2 && r1 <= lastLine {
				merges = append(merges, mergeRange{col: c1 - 1, row1: r1, row2: min(r2, lastLine)})
			}
		}
	})
	if err != nil {
		return nil, nil, 0, err
	}
	return numeric, merges, lastRow, nil
}

// cellRef parses "AB12" into column 28 and row 12 (both 1-based).
func cellRef(ref string) (col, row int, ok bool) {
	i := 0
	for i < len(ref) && i < 3 {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		i++
	}
	if i == 0 || i == len(ref) {
		return 0, 0, false
	}
	row, err := strconv.Atoi(strings.TrimPrefix(ref[i:], "$"))
	if err != nil || row < 1 || row > 1_048_576 {
		return 0, 0, false
	}
	return col, row, true
}
