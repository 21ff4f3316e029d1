package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// excelize's streaming reader gives each cell's text but not its type, and
// a 身份证号 stored as a number must be told from one stored as text. So the
// sheet's XML is read a second time here, for cell types and merged areas
// only; loading the worksheet into excelize's object model (GetCellType)
// would cost far more memory. The second pass also catches damage: excelize's
// iterator stops quietly at broken XML, which would import the rows above
// the damage as if they were the whole list.

// maxPartBytes bounds the small workbook parts read here.
const maxPartBytes = 4 << 20

func openPart(zr *zip.Reader, name string) (io.ReadCloser, error) {
	for _, zf := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(zf.Name, "\\", "/"), name) {
			return zf.Open()
		}
	}
	return nil, zip.ErrFormat
}

func decodePart(zr *zip.Reader, name string, v any) error {
	rc, err := openPart(zr, name)
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxPartBytes)).Decode(v)
}

type xRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xWorkbook struct {
	Sheets []struct {
		Name  string     `xml:"name,attr"`
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

// resolve turns a relationship target into a zip part name.
func resolve(base, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Join(path.Dir(base), target)
}

// sheetPart finds the zip part holding a worksheet, or "".
func sheetPart(zr *zip.Reader, sheet string) string {
	wb := "xl/workbook.xml"
	var root xRels
	if decodePart(zr, "_rels/.rels", &root) == nil {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wb = resolve("", r.Target)
			}
		}
	}
	var book xWorkbook
	var rels xRels
	if decodePart(zr, wb, &book) != nil ||
		decodePart(zr, path.Join(path.Dir(wb), "_rels", path.Base(wb)+".rels"), &rels) != nil {
		return ""
	}
	for _, s := range book.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, a := range s.Attrs {
			if a.Name.Local != "id" {
				continue
			}
			for _, r := range rels.Rels {
				if r.ID == a.Value {
					return resolve(wb, r.Target)
				}
			}
		}
	}
	return ""
}

// scanSheet reads a worksheet's XML for the cells stored as numbers (up to
// row lastLine), its merged areas and its last row number. It scans bytes
// rather than decoding XML: the part was just parsed by excelize, and this
// pass only needs three kinds of start tag, which it finds without
// allocating. Text cannot hold a raw "<", so every "<" opens markup.
func scanSheet(zr *zip.Reader, part string, lastLine int) (numeric map[int]uint64, merges []mergeRange, lastRow int, err error) {
	rc, err := openPart(zr, part)
	if err != nil {
		return nil, nil, 0, err
	}
	defer rc.Close()
	numeric = make(map[int]uint64)
	br := bufio.NewReaderSize(rc, 64<<10)
	row, col, closed := 0, 0, false
	for {
		if _, err = br.ReadSlice('<'); err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			break
		}
		tag, err := br.ReadSlice('>')
		if err == bufio.ErrBufferFull {
			continue // an enormous tag is none of the three we want
		}
		if err != nil {
			return nil, nil, 0, fmt.Errorf("worksheet ends inside a tag: %w", eofIsUnexpected(err))
		}
		if end := markupEnd(tag); end != "" {
			// A comment or CDATA section may hold "<" and ">"; skip it whole.
			for !bytes.HasSuffix(tag, []byte(end)) {
				if tag, err = br.ReadSlice('>'); err != nil && err != bufio.ErrBufferFull {
					return nil, nil, 0, fmt.Errorf("worksheet ends inside a comment: %w", eofIsUnexpected(err))
				}
			}
			continue
		}
		if bytes.IndexByte(tag, '<') >= 0 {
			return nil, nil, 0, fmt.Errorf("malformed tag near row %d", row)
		}
		closed = isEndOf(tag, "worksheet")
		switch tagName(tag) {
		case "row":
			if n, err := strconv.Atoi(string(attrOf(tag, "r"))); err == nil {
				row = n
			} else {
				row++
			}
			col, lastRow = 0, max(lastRow, row)
		case "c":
			if c, r, ok := cellRef(string(attrOf(tag, "r"))); ok {
				col, row = c, r
			} else {
				col++
			}
			if t := string(attrOf(tag, "t")); (t == "" || t == "n") && row <= lastLine && col >= 1 && col <= 64 {
				numeric[row] |= 1 << uint(col-1)
			}
		case "mergeCell":
			from, to, ok := strings.Cut(string(attrOf(tag, "ref")), ":")
			c1, r1, ok1 := cellRef(from)
			_, r2, ok2 := cellRef(to)
			if ok && ok1 && ok2 && r1 < r2 && r1 <= lastLine {
				merges = append(merges, mergeRange{col: c1 - 1, row1: r1, row2: min(r2, lastLine)})
			}
		}
	}
	if err != io.EOF {
		return nil, nil, 0, err
	}
	if !closed {
		return nil, nil, 0, fmt.Errorf("worksheet cut short after row %d", row)
	}
	return numeric, merges, lastRow, nil
}

// markupEnd gives the terminator of a comment or CDATA section that tag
// opens, or "".
func markupEnd(tag []byte) string {
	switch {
	case bytes.HasPrefix(tag, []byte("!--")):
		return "-->"
	case bytes.HasPrefix(tag, []byte("![CDATA[")):
		return "]]>"
	}
	return ""
}

// isEndOf reports an end tag's bytes ("/x:worksheet>") for the local name.
func isEndOf(tag []byte, name string) bool {
	if len(tag) < 2 || tag[0] != '/' {
		return false
	}
	tag = bytes.TrimRight(tag[1:len(tag)-1], " \t\r\n")
	if i := bytes.IndexByte(tag, ':'); i >= 0 {
		tag = tag[i+1:]
	}
	return string(tag) == name
}

func eofIsUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// tagName gives the local name of a start tag's bytes ("c r=…>" → "c"),
// or "" for end tags, comments and declarations.
func tagName(tag []byte) string {
	end := bytes.IndexAny(tag, " \t\r\n/>")
	if end <= 0 {
		return ""
	}
	name := tag[:end]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	switch string(name) { // no allocation: compared, not kept
	case "row":
		return "row"
	case "c":
		return "c"
	case "mergeCell":
		return "mergeCell"
	}
	return ""
}

// attrOf finds attribute name's value in a start tag's bytes.
func attrOf(tag []byte, name string) []byte {
	for i := 0; i < len(tag); {
		j := bytes.Index(tag[i:], []byte(name))
		if j < 0 {
			return nil
		}
		j += i
		k := j + len(name)
		if j > 0 && isXMLSpace(tag[j-1]) && k+1 < len(tag) && tag[k] == '=' && (tag[k+1] == '"' || tag[k+1] == '\'') {
			q := tag[k+1]
			if end := bytes.IndexByte(tag[k+2:], q); end >= 0 {
				return tag[k+2 : k+2+end]
			}
			return nil
		}
		i = k
	}
	return nil
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

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
