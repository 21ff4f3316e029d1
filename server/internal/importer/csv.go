package importer

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// DecodeText reads text that a spreadsheet program saved — UTF-8 with or
// without a BOM, UTF-16 with one, or GB18030 (old WPS and Excel on Chinese
// Windows) — as decodeText does for attendee lists; an *Error says what is
// wrong with the bytes.
func DecodeText(data []byte) (string, error) {
	text, _, err := decodeText(data)
	return text, err
}

// decodeText turns the bytes of a text list into a string, detecting the
// encoding: a BOM first, then valid UTF-8, then GB18030 (a superset of the
// GBK that Excel on Chinese Windows writes).
func decodeText(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
		if !utf8.Valid(data) {
			return "", "", badUTF8(data)
		}
		return string(data), "csv-utf8-bom", nil
	case bytes.HasPrefix(data, []byte("\xff\xfe")):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		return string(out), "csv-utf16le", encodingErr(err)
	case bytes.HasPrefix(data, []byte("\xfe\xff")):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		return string(out), "csv-utf16be", encodingErr(err)
	case bytes.IndexByte(data, 0) >= 0:
		return "", "", unsupported("二进制文件", "a binary file")
	case utf8.Valid(data):
		return string(data), "csv-utf8", nil
	case mostlyUTF8(data):
		return "", "", badUTF8(data)
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", encodingErr(err)
	}
	if i := bytes.Index(out, []byte("\uFFFD")); i >= 0 {
		line := bytes.Count(out[:i], []byte("\n")) + 1
		return "", "", &Error{Code: CodeBadEncoding,
			Message:   fmt.Sprintf("无法识别文件的文字编码（约第 %d 行有乱码）。请在 Excel 中另存为“CSV UTF-8”或 .xlsx", line),
			MessageEn: fmt.Sprintf("the text encoding is not recognised (garbled near line %d); save as \"CSV UTF-8\" or .xlsx", line)}
	}
	return string(out), "csv-gb18030", nil
}

func encodingErr(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Code: CodeBadEncoding, Err: err,
		Message:   "无法识别文件的文字编码。请在 Excel 中另存为“CSV UTF-8”或 .xlsx",
		MessageEn: "the text encoding is not recognised; save as \"CSV UTF-8\" or .xlsx"}
}

// mostlyUTF8 tells a UTF-8 file with a few broken bytes from a GBK one:
// GBK text is rarely valid UTF-8 for more than the odd character.
func mostlyUTF8(data []byte) bool {
	good, bad := 0, 0
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		switch {
		case r == utf8.RuneError && n == 1:
			bad++
		case n > 1:
			good++
		}
		data = data[n:]
	}
	return good > 10*bad
}

// badUTF8 names the line of the first invalid byte in a UTF-8 file.
func badUTF8(data []byte) *Error {
	i := 0
	for i < len(data) {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			break
		}
		i += n
	}
	line := bytes.Count(data[:i], []byte("\n")) + 1
	return &Error{Code: CodeBadEncoding,
		Message:   fmt.Sprintf("文件是 UTF-8 编码，但第 %d 行附近有无效字节（乱码）。请修正后重新保存", line),
		MessageEn: fmt.Sprintf("the file is UTF-8 but has invalid bytes near line %d; fix them and save again", line)}
}

// sniffDelimiter picks comma, tab or semicolon: the one that splits a
// header line (a line with a 姓名 cell) into the most cells, else the one
// the first non-empty line holds most of. Ties go to the comma.
func sniffDelimiter(text string) rune {
	delims := []rune{',', '\t', ';'}
	var first string
	seen := 0
	for line := range strings.Lines(text[:min(len(text), 1<<16)]) {
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if first == "" {
			first = line
		}
		best, most := rune(0), 0
		for _, d := range delims {
			cells := strings.Split(line, string(d))
			for i := range cells {
				cells[i] = strings.Trim(cells[i], `"`)
			}
			if isHeaderRow(cells) && len(cells) > most {
				best, most = d, len(cells)
			}
		}
		if best != 0 {
			return best
		}
		if seen++; seen == headerScanRows {
			break
		}
	}
	best, most := ',', 0
	for _, d := range delims {
		if n := strings.Count(first, string(d)); n > most {
			best, most = d, n
		}
	}
	return best
}

// readCSV reads a decoded text list. Row numbers count records as Excel
// shows them: a quoted cell spanning lines is one row, a blank line is one,
// a "sep=" line is none.
func readCSV(text, format string, opts Options) (*grid, error) {
	delim := rune(0)
	// Excel honours, and hides, a first line "sep=;" naming the delimiter.
	if first, rest, ok := strings.Cut(text, "\n"); ok && len(strings.TrimSuffix(first, "\r")) == 5 &&
		strings.HasPrefix(strings.ToLower(first), "sep=") && strings.ContainsAny(first[4:5], ",;\t|") {
		delim, text = rune(first[4]), rest
	}
	if delim == 0 {
		delim = sniffDelimiter(text)
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	g := &grid{format: format}
	limit := rowLimit(opts)
	row, prevEnd := 0, 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &Error{Code: CodeUnsupportedFormat, Err: err,
				Message:   fmt.Sprintf("CSV 第 %d 行附近无法解析。%s", row+1, saveAs),
				MessageEn: fmt.Sprintf("the CSV cannot be parsed near row %d; %s", row+1, saveAsEn)}
		}
		start, _ := cr.FieldPos(0)
		row += 1 + max(0, start-prevEnd-1)
		last := len(rec) - 1
		end, _ := cr.FieldPos(last)
		prevEnd = end + strings.Count(rec[last], "\n")
		if allBlank(rec) {
			continue
		}
		g.rows = append(g.rows, gridRow{line: row, cells: rec})
		if len(g.rows) >= limit {
			break
		}
	}
	return g, nil
}
