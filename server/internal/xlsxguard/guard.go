// Package xlsxguard reads the zip beneath an uploaded XLSX, before and
// beside excelize. An XLSX is a zip from a stranger: the sizes its parts
// declare are added up before anything is inflated, so a zip bomb costs
// nothing, and a part that inflates beyond its declared size is cut off by
// archive/zip. A worksheet's XML is then scanned to its end, because
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
	// maxPartBytes bounds the small parts (workbook, relationships)
	// decoded here.
	maxPartBytes = 4 << 20
	// xmlInMemory is the largest part excelize keeps in memory; bigger
	// worksheets are streamed from a temporary file.
	xmlInMemory = 16 << 20
)

// ErrTooBig marks a workbook that unpacks to more than its limit, as its
// zip declares or as excelize finds while inflating it.
var ErrTooBig = errors.New("workbook unpacks too large")

// Open checks the zip in data against limit, the bytes it may unpack to,
// and only then lets excelize read it. opts may set anything but the unzip
// limits, which Open sets from limit. The error wraps ErrTooBig when the
// workbook unpacks too large; any other error means data is no readable
// XLSX. The zip.Reader is for SheetParts and ScanSheet.
func Open(data []byte, limit int64, opts excelize.Options) (*excelize.File, *zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, err
	}
	if err := CheckSizes(zr, limit); err != nil {
		return nil, nil, err
	}
	opts.UnzipSizeLimit = limit
	opts.UnzipXMLSizeLimit = min(xmlInMemory, limit)
	f, err := excelize.OpenReader(bytes.NewReader(data), opts)
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			err = fmt.Errorf("%w: %w", ErrTooBig, err)
		}
		return nil, nil, err
	}
	return f, zr, nil
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

// openPart opens a part by name as Excel finds it: case aside, and with
// the backslashes some writers put in zip names read as slashes.
func openPart(zr *zip.Reader, name string) (io.ReadCloser, error) {
	for _, zf := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(zf.Name, "\\", "/"), name) {
			return zf.Open()
		}
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
