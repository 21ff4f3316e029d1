package workbook

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

// The workbook is untrusted: its zip is checked before excelize inflates
// anything, as the attendee importer does (importer/xlsx.go). The zip's
// declared sizes are added up first, so a bomb costs nothing; a part that
// inflates beyond its declared size is cut off by archive/zip.

// maxZipEntries bounds the parts of an XLSX; a real workbook has dozens.
const maxZipEntries = 10_000

// maxPartBytes bounds the small parts (workbook, relationships) read here.
const maxPartBytes = 4 << 20

func checkUnzipSize(zr *zip.Reader, limit int64) error {
	if len(zr.File) > maxZipEntries {
		return fmt.Errorf("%d zip entries", len(zr.File))
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(limit) {
			return fmt.Errorf("part %s: declared %d bytes", zf.Name, zf.UncompressedSize64)
		}
	}
	return nil
}

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

func resolve(base, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Join(path.Dir(base), target)
}

// sheetParts maps each worksheet's name to the zip part that holds it.
func sheetParts(zr *zip.Reader) map[string]string {
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
		return nil
	}
	out := make(map[string]string, len(book.Sheets))
	for _, s := range book.Sheets {
		for _, a := range s.Attrs {
			if a.Name.Local != "id" {
				continue
			}
			for _, r := range rels.Rels {
				if r.ID == a.Value {
					out[s.Name] = resolve(wb, r.Target)
				}
			}
		}
	}
	return out
}

// lastRow reads a worksheet's XML for the number of its last row, and
// fails when the XML stops before </worksheet>. excelize's row iterator
// stops quietly at broken XML, which would read the rows above the damage
// as if they were the whole sheet; comparing its last row with this one
// catches that. It scans bytes rather than decoding XML: text cannot hold
// a raw "<", so every "<" opens markup.
func lastRow(zr *zip.Reader, part string) (int, error) {
	rc, err := openPart(zr, part)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	last, row, closed := 0, 0, false
	for {
		if _, err = br.ReadSlice('<'); err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
		tag, err := br.ReadSlice('>')
		if err == bufio.ErrBufferFull {
			continue // a huge tag is not a row tag
		}
		if err != nil {
			return 0, fmt.Errorf("worksheet ends inside a tag: %w", io.ErrUnexpectedEOF)
		}
		if end := markupEnd(tag); end != "" {
			// A comment or CDATA section may hold "<" and ">"; skip it whole.
			for !bytes.HasSuffix(tag, []byte(end)) {
				if tag, err = br.ReadSlice('>'); err != nil && err != bufio.ErrBufferFull {
					return 0, fmt.Errorf("worksheet ends inside a comment: %w", io.ErrUnexpectedEOF)
				}
			}
			continue
		}
		closed = isEnd(tag, "worksheet")
		if local(tag) != "row" {
			continue
		}
		if n, err := strconv.Atoi(string(attr(tag, "r"))); err == nil {
			row = n
		} else {
			row++
		}
		last = max(last, row)
	}
	if !closed {
		return 0, fmt.Errorf("worksheet cut short after row %d", row)
	}
	return last, nil
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

// local gives a start tag's local name ("x:row r=…>" → "row").
func local(tag []byte) string {
	end := bytes.IndexAny(tag, " \t\r\n/>")
	if end <= 0 {
		return ""
	}
	name := tag[:end]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	if string(name) == "row" { // compared, not kept: no allocation
		return "row"
	}
	return ""
}

func isEnd(tag []byte, name string) bool {
	if len(tag) < 2 || tag[0] != '/' {
		return false
	}
	tag = bytes.TrimRight(tag[1:len(tag)-1], " \t\r\n")
	if i := bytes.IndexByte(tag, ':'); i >= 0 {
		tag = tag[i+1:]
	}
	return string(tag) == name
}

// attr finds an attribute's value in a start tag's bytes.
func attr(tag []byte, name string) []byte {
	for i := 0; i < len(tag); {
		j := bytes.Index(tag[i:], []byte(name))
		if j < 0 {
			return nil
		}
		j += i
		k := j + len(name)
		if j > 0 && (tag[j-1] == ' ' || tag[j-1] == '\t' || tag[j-1] == '\r' || tag[j-1] == '\n') &&
			k+1 < len(tag) && tag[k] == '=' && (tag[k+1] == '"' || tag[k+1] == '\'') {
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
