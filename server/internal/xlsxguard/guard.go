// Package xlsxguard reads the zip beneath an uploaded XLSX, before and
// beside excelize. An XLSX is a zip from a stranger: the sizes its parts
// declare are added up before anything is inflated, so a zip bomb costs
// nothing; then the worksheets and the shared strings are read once as a
// stream, counting the bytes they really unpack to against the limit, and
// refusing a part that unpacks to more than it declares, or a row that
// would cost excelize more memory than any list needs (vet.go). Only then
// does excelize see the workbook, and only the parts it reads cells with.
// A worksheet's XML is also scanned to its end (scan.go), because
// excelize's row iterator stops quietly at truncated or broken XML, and
// the rows above the damage would pass for the whole sheet.
//
// The attendee importer and the set-up workbook reader both read such
// uploads; this is the one copy of the zip-level code they share.
package xlsxguard

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// MaxEntries bounds the parts of an XLSX; a real workbook has dozens.
const MaxEntries = 10_000

const (
	// maxPartBytes bounds the small parts (workbook, relationships,
	// styles, theme) decoded here or kept in memory by excelize.
	maxPartBytes = 4 << 20
	// xmlInMemory is the largest worksheet or shared-string table that
	// excelize keeps in memory; bigger ones it streams from a temporary
	// file.
	xmlInMemory = 1 << 20
)

// ErrTooBig marks a workbook that unpacks to more than its limit, as its
// zip declares or as counted while it inflates, or that is over one of
// the limits of vet.go (see LimitError).
var ErrTooBig = errors.New("workbook unpacks too large")

// Open checks the zip in data against limit, the bytes it may unpack to,
// vets its worksheets and shared strings (vet.go), and only then lets
// excelize read it, given only the parts that reading cells needs (the
// workbook, its relationships, styles, theme, shared strings and
// worksheets; not pictures, drawings, comments or anything else). opts
// may set anything but the unzip limits, which Open sets. The error wraps
// ErrTooBig when the workbook is too big in any of these ways, and
// ErrFalseSize when a part is not the size it declares; any other error
// means data is no readable XLSX. The zip.Reader is the upload's, for
// SheetParts and ScanSheet.
func Open(data []byte, limit int64, opts excelize.Options) (*excelize.File, *zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, err
	}
	if err := CheckSizes(zr, limit); err != nil {
		return nil, nil, err
	}
	kept, err := vet(zr, limit)
	if err != nil {
		return nil, nil, err
	}
	opts.UnzipSizeLimit = limit
	opts.UnzipXMLSizeLimit = min(xmlInMemory, limit)
	f, err := excelize.OpenReader(bytes.NewReader(kept), opts)
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			err = fmt.Errorf("%w: %w", ErrTooBig, err)
		}
		return nil, nil, err
	}
	return f, zr, nil
}

// vet reads every part excelize will read, counting what each unpacks
// to, checks the worksheets and shared strings row by row, and gives a
// zip of those parts alone.
func vet(zr *zip.Reader, limit int64) ([]byte, error) {
	b := &budget{left: limit, limit: limit}
	wb := workbookPart(zr)
	sheets := SheetParts(zr)
	small := []string{"[Content_Types].xml", "_rels/.rels", wb, relsOf(wb), "xl/styles.xml", "xl/theme/theme1.xml"}
	var keep []*zip.File
	seen := map[*zip.File]bool{}
	add := func(zf *zip.File) bool {
		if zf == nil || seen[zf] {
			return false
		}
		seen[zf] = true
		keep = append(keep, zf)
		return true
	}
	var inMemory uint64
	for _, name := range small {
		zf := findPart(zr, name)
		if !add(zf) {
			continue
		}
		if zf.UncompressedSize64 > maxPartBytes {
			return nil, &LimitError{Part: zf.Name, What: "bytes in a part", Limit: maxPartBytes}
		}
		if err := b.drain(zf); err != nil {
			return nil, err
		}
		inMemory += zf.UncompressedSize64
	}
	// excelize looks for the shared strings here, whatever the
	// relationships say.
	var sst *sharedStrings
	if zf := findPart(zr, "xl/sharedStrings.xml"); add(zf) {
		var err error
		if sst, err = vetSharedStrings(zf, b); err != nil {
			return nil, err
		}
		if zf.UncompressedSize64 <= xmlInMemory {
			inMemory += zf.UncompressedSize64
		}
	}
	for name, part := range sheets {
		zf := findPart(zr, part)
		if !add(zf) {
			continue
		}
		if err := vetSheet(zf, name, b, sst); err != nil {
			return nil, err
		}
		streamed := strings.HasPrefix(strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/")), "xl/worksheets/sheet")
		if !streamed || zf.UncompressedSize64 <= xmlInMemory {
			inMemory += zf.UncompressedSize64
		}
	}
	if inMemory > maxInMemory {
		return nil, &LimitError{What: "bytes of parts held in memory", Limit: maxInMemory}
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range keep {
		if err := zw.Copy(zf); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// CheckSizes refuses, with ErrTooBig, a zip of more than MaxEntries parts
// or whose parts declare more than limit bytes in all. It reads only the
// zip's directory.
func CheckSizes(zr *zip.Reader, limit int64) error {
	if len(zr.File) > MaxEntries {
		return fmt.Errorf("%w: %d zip entries", ErrTooBig, len(zr.File))
	}
	left := uint64(max(limit, 0))
	for _, zf := range zr.File {
		// Subtracting, not adding, so that sizes near 2⁶⁴ cannot wrap
		// the total round to a small number.
		if zf.UncompressedSize64 > left {
			return fmt.Errorf("%w: part %s: declared %d bytes", ErrTooBig, zf.Name, zf.UncompressedSize64)
		}
		left -= zf.UncompressedSize64
	}
	return nil
}

// SheetParts maps each worksheet's name to the zip part that holds its XML,
// following the relationships from _rels/.rels to the workbook part and on
// to the sheets, as excelize does. It is empty (nil) when the workbook
// part or its relationships cannot be read.
func SheetParts(zr *zip.Reader) map[string]string {
	wb := workbookPart(zr)
	var book xWorkbook
	var rels xRels
	if decodePart(zr, wb, &book) != nil || decodePart(zr, relsOf(wb), &rels) != nil {
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

// workbookPart names the workbook part, as _rels/.rels says.
func workbookPart(zr *zip.Reader) string {
	wb := "xl/workbook.xml"
	var root xRels
	if decodePart(zr, "_rels/.rels", &root) == nil {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wb = resolve("", r.Target)
			}
		}
	}
	return wb
}

// relsOf names the relationships part of a part.
func relsOf(part string) string {
	return path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
}

// xRels is a relationships part (_rels/*.rels).
type xRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// xWorkbook is the sheet list of a workbook part; a sheet's relationship
// id is its r:id attribute, whatever prefix the file gives that namespace.
type xWorkbook struct {
	Sheets []struct {
		Name  string     `xml:"name,attr"`
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

// resolve turns a relationship's target, relative to the part base that
// holds the relationship, into a zip part name.
func resolve(base, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Join(path.Dir(base), target)
}

// findPart finds a part by name as Excel finds it: case aside, and with
// the backslashes some writers put in zip names read as slashes. It is
// nil when there is none.
func findPart(zr *zip.Reader, name string) *zip.File {
	for _, zf := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(zf.Name, "\\", "/"), name) {
			return zf
		}
	}
	return nil
}

// openPart opens a part found by findPart.
func openPart(zr *zip.Reader, name string) (io.ReadCloser, error) {
	if zf := findPart(zr, name); zf != nil {
		return zf.Open()
	}
	return nil, zip.ErrFormat
}

// decodePart decodes a small XML part, at most maxPartBytes of it.
func decodePart(zr *zip.Reader, name string, v any) error {
	rc, err := openPart(zr, name)
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxPartBytes)).Decode(v)
}
