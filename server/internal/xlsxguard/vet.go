package xlsxguard

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"strconv"
)

// Before excelize reads a worksheet, vetting reads it once as a stream and
// counts what reading it would cost: the bytes it unpacks to, counted as
// they inflate (a zip header's sizes are the sender's word), and per row
// the cells and the text excelize would hand back, shared strings
// resolved. excelize's row iterator builds a whole row in memory before it
// returns any of it; a row of a million cells, or of ten thousand uses of
// one long shared string, is gigabytes from a file of kilobytes.

// Limits of one workbook beyond its unpacked size.
const (
	// MaxRowCells is Excel's last column (XFD): no spreadsheet program
	// writes a longer row.
	MaxRowCells = 16_384
	// MaxRowText bounds the text of one row, shared strings resolved.
	MaxRowText = 1 << 20
	// MaxSharedStrings bounds the shared-string table's entries.
	MaxSharedStrings = 1_000_000
	// maxInMemory bounds the parts excelize keeps in memory, together.
	maxInMemory = 16 << 20
	// longString: shared strings up to this long are taken to be this
	// long; longer ones are remembered with their length.
	longString = 64
)

// ErrFalseSize marks a zip part that does not unpack to the size its
// header declares, or whose checksum is wrong: a damaged or forged file.
var ErrFalseSize = errors.New("a part of the workbook is not the size it declares")

// LimitError is a workbook over one of the limits above, or over the bytes
// it may unpack to. It is ErrTooBig.
type LimitError struct {
	Part  string // the zip part
	Sheet string // the worksheet's name, when the part is one
	Row   int    // the row number, for a row over a limit
	What  string // "unpacked bytes", "cells", "text", "shared strings", "parts in memory"
	Limit int64
}

func (e *LimitError) Error() string {
	where := e.Part
	if e.Sheet != "" {
		where = fmt.Sprintf("sheet %q", e.Sheet)
	}
	if e.Row > 0 {
		where += fmt.Sprintf(" row %d", e.Row)
	}
	return fmt.Sprintf("%v: %s: more than %d %s", ErrTooBig, where, e.Limit, e.What)
}

// Is makes every LimitError an ErrTooBig.
func (e *LimitError) Is(target error) bool { return target == ErrTooBig }

// budget is what the parts of one workbook may still unpack to.
type budget struct {
	left, limit int64
}

// open streams a part, counting its bytes against b as they inflate and
// checking at its end that it unpacked to exactly its declared size with
// its checksum. It inflates the raw data itself, so that a part that goes
// on past its declared size is measured, not cut short quietly.
func (b *budget) open(zf *zip.File) (io.ReadCloser, error) {
	raw, err := zf.OpenRaw()
	if err != nil {
		return nil, err
	}
	var rc io.ReadCloser
	switch zf.Method {
	case zip.Store:
		rc = io.NopCloser(raw)
	case zip.Deflate:
		rc = flate.NewReader(raw)
	default:
		return nil, zip.ErrAlgorithm
	}
	return &countingReader{rc: rc, zf: zf, b: b, crc: crc32.NewIEEE()}, nil
}

type countingReader struct {
	rc  io.ReadCloser
	zf  *zip.File
	b   *budget
	n   uint64
	crc hash.Hash32
	err error
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.rc.Read(p)
	r.n += uint64(n)
	r.b.left -= int64(n)
	r.crc.Write(p[:n])
	switch {
	case r.b.left < 0:
		r.err = &LimitError{Part: r.zf.Name, What: "unpacked bytes", Limit: r.b.limit}
	case r.n > r.zf.UncompressedSize64:
		r.err = fmt.Errorf("%w: %s unpacks to more than the %d bytes it declares", ErrFalseSize, r.zf.Name, r.zf.UncompressedSize64)
	case err == io.EOF && r.n < r.zf.UncompressedSize64:
		r.err = fmt.Errorf("%w: %s unpacks to %d bytes, not the %d it declares", ErrFalseSize, r.zf.Name, r.n, r.zf.UncompressedSize64)
	case err == io.EOF && r.zf.CRC32 != 0 && r.crc.Sum32() != r.zf.CRC32:
		r.err = fmt.Errorf("%w: %s: %w", ErrFalseSize, r.zf.Name, zip.ErrChecksum)
	case err != nil && err != io.EOF:
		r.err = fmt.Errorf("%w: %s: %w", ErrFalseSize, r.zf.Name, err)
	}
	if r.err != nil {
		return n, r.err
	}
	return n, err
}

func (r *countingReader) Close() error { return r.rc.Close() }

// drain reads a part to its end through b, for the parts that are only
// counted.
func (b *budget) drain(zf *zip.File) error {
	rc, err := b.open(zf)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// sharedStrings holds the length of each shared string's text.
type sharedStrings struct{ lengths []uint32 }

func (s *sharedStrings) length(i int) int64 {
	if s == nil || i < 0 || i >= len(s.lengths) {
		return 0
	}
	return int64(s.lengths[i])
}

// vetSharedStrings reads the shared-string table through b and measures
// each entry's text (phonetic runs included: an upper bound).
func vetSharedStrings(zf *zip.File, b *budget) (*sharedStrings, error) {
	s := &sharedStrings{}
	in := false
	err := scanXML(zf, b, func(raw, name []byte, end bool) error {
		if string(name) != "si" {
			return nil
		}
		if end {
			in = false
			return nil
		}
		if len(s.lengths) == MaxSharedStrings {
			return &LimitError{Part: zf.Name, What: "shared strings", Limit: MaxSharedStrings}
		}
		s.lengths = append(s.lengths, 0)
		in = !bytes.HasSuffix(raw, []byte("/>"))
		return nil
	}, func(text []byte) {
		if in {
			l := &s.lengths[len(s.lengths)-1]
			*l = uint32(min(int64(*l)+int64(len(text)), 1<<31))
		}
	})
	return s, err
}

// vetSheet reads a worksheet through b and refuses a row of more than
// MaxRowCells cells or MaxRowText bytes of text. A cell's text is its
// character data (formula included: an upper bound), or for a shared
// string the string's.
func vetSheet(zf *zip.File, sheet string, b *budget, sst *sharedStrings) error {
	row, cells := 0, 0
	var text int64
	inCell, shared, inValue := false, false, false
	var index []byte
	return scanXML(zf, b, func(raw, name []byte, end bool) error {
		switch {
		case end && string(name) == "c":
			inCell = false
		case end && string(name) == "v":
			if inCell && shared {
				if i, err := strconv.Atoi(string(bytes.TrimSpace(index))); err == nil {
					text += sst.length(i)
				}
			}
			inValue = false
		case end:
		case string(name) == "row":
			if n, err := strconv.Atoi(string(Tag{raw: raw}.Attr("r"))); err == nil {
				row = n
			} else {
				row++
			}
			cells, text = 0, 0
		case string(name) == "c":
			if cells++; cells > MaxRowCells {
				return &LimitError{Part: zf.Name, Sheet: sheet, Row: row, What: "cells", Limit: MaxRowCells}
			}
			inCell = !bytes.HasSuffix(raw, []byte("/>"))
			shared = string(Tag{raw: raw}.Attr("t")) == "s"
		case string(name) == "v":
			inValue, index = !bytes.HasSuffix(raw, []byte("/>")), index[:0]
		}
		if text > MaxRowText {
			return &LimitError{Part: zf.Name, Sheet: sheet, Row: row, What: "bytes of text", Limit: MaxRowText}
		}
		return nil
	}, func(data []byte) {
		switch {
		case !inCell:
		case inValue && shared:
			index = append(index, data[:min(len(data), 16-len(index))]...)
		default:
			text += int64(len(data))
		}
	})
}

// endOf ends a vetting scan: the end of the part is no error there (XML
// cut short is ScanSheet's to report, with the sheet and row); what the
// counting reader found is.
func endOf(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}

// scanXML reads a part's XML through b as ScanSheet does: tag sees each
// start and end tag (its bytes from after "<", valid until tag returns,
// and its local name), and text the character data between tags, in
// pieces.
func scanXML(zf *zip.File, b *budget, tag func(raw, name []byte, end bool) error, text func([]byte)) error {
	rc, err := b.open(zf)
	if err != nil {
		return err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	for {
		data, err := br.ReadSlice('<')
		if err == nil {
			data = data[:len(data)-1]
		}
		text(data)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return endOf(err)
		}
		raw, err := br.ReadSlice('>')
		if err == bufio.ErrBufferFull {
			// A tag longer than the buffer: no row, cell or string has
			// one, and one that did could hide from the counts.
			switch string(localName(raw)) {
			case "row", "c", "v", "si":
				return &LimitError{Part: zf.Name, What: "bytes in one tag", Limit: int64(br.Size())}
			}
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('>')
			}
			if err == nil {
				continue
			}
		}
		if err != nil {
			return endOf(err) // cut short inside a tag: ScanSheet's to report
		}
		if end := markupEnd(raw); end != "" {
			for !bytes.HasSuffix(raw, []byte(end)) {
				if raw, err = br.ReadSlice('>'); err != nil && err != bufio.ErrBufferFull {
					return endOf(err)
				}
			}
			continue
		}
		end := len(raw) > 0 && raw[0] == '/'
		name := localName(raw)
		if end {
			name = localName(raw[1:])
		}
		if name == nil {
			continue
		}
		if err := tag(raw, name, end); err != nil {
			return err
		}
	}
}
