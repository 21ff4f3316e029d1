package xlsxguard

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// Tag is a start tag of a worksheet's XML, as ScanSheet meets it. Its
// bytes belong to ScanSheet's buffer: they are valid only until the visit
// function returns.
type Tag struct {
	// Row is the number of the row the tag opens or sits in: the row's r
	// attribute, or one past the row before when it has none, as excelize
	// counts. It is 0 before the first row.
	Row int

	name []byte // local name, without a namespace prefix
	raw  []byte // from after "<" up to and including ">"
}

// Is reports whether the tag's local name (x:row → row) is name.
func (t Tag) Is(name string) bool { return string(t.name) == name }

// Attr gives the value of the tag's attribute name, or nil when it has
// none. Prefixed attributes (r:id) are not found by their local name.
func (t Tag) Attr(name string) []byte {
	tag := t.raw
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

// LastRow scans the worksheet XML in part to its end and gives the number
// of its last row; see ScanSheet.
func LastRow(zr *zip.Reader, part string) (int, error) {
	return ScanSheet(zr, part, nil)
}

// ScanSheet reads the worksheet XML in part to its end, calls visit (when
// not nil) with each start tag, and gives the number of the sheet's last
// row. It fails when the XML is damaged: cut short before </worksheet>,
// ending inside a tag or comment, or with a raw "<" inside a tag.
// excelize's row iterator stops quietly at such damage, so a reader
// compares the rows it got with lastRow, and refuses a sheet that ends
// early.
//
// It scans bytes rather than decoding XML: text cannot hold a raw "<", so
// every "<" opens markup, and a pass that wants a few kinds of start tag
// finds them without allocating.
func ScanSheet(zr *zip.Reader, part string, visit func(Tag)) (lastRow int, err error) {
	rc, err := openPart(zr, part)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	row, closed := 0, false
	for {
		if _, err = br.ReadSlice('<'); err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			break
		}
		raw, err := br.ReadSlice('>')
		if err == bufio.ErrBufferFull {
			continue // an enormous tag is no row and no cell
		}
		if err != nil {
			return 0, fmt.Errorf("worksheet ends inside a tag: %w", eofIsUnexpected(err))
		}
		if end := markupEnd(raw); end != "" {
			// A comment or CDATA section may hold "<" and ">"; skip it whole.
			for !bytes.HasSuffix(raw, []byte(end)) {
				if raw, err = br.ReadSlice('>'); err != nil && err != bufio.ErrBufferFull {
					return 0, fmt.Errorf("worksheet ends inside a comment: %w", eofIsUnexpected(err))
				}
			}
			continue
		}
		if bytes.IndexByte(raw, '<') >= 0 {
			return 0, fmt.Errorf("malformed tag near row %d", row)
		}
		closed = isEndOf(raw, "worksheet")
		name := localName(raw)
		if name == nil {
			continue
		}
		if string(name) == "row" {
			if n, err := strconv.Atoi(string(Tag{raw: raw}.Attr("r"))); err == nil {
				row = n
			} else {
				row++
			}
			lastRow = max(lastRow, row)
		}
		if visit != nil {
			visit(Tag{Row: row, name: name, raw: raw})
		}
	}
	if err != io.EOF {
		return 0, err
	}
	if !closed {
		return 0, fmt.Errorf("worksheet cut short after row %d", row)
	}
	return lastRow, nil
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

// localName gives the local name of a start tag's bytes ("x:c r=…>" → c),
// or nil for end tags, comments, declarations and processing instructions.
func localName(tag []byte) []byte {
	end := bytes.IndexAny(tag, " \t\r\n/>")
	if end <= 0 || tag[0] == '?' || tag[0] == '!' {
		return nil
	}
	name := tag[:end]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return name
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func eofIsUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
