package render

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"regexp"
	"strconv"
)

// A badge printed with the viewer's default "fit to page" comes out a few
// per cent small, and a card cut from it no longer fits its holder. PDF
// asks viewers not to scale with /ViewerPreferences << /PrintScaling /None
// >> in the document catalog; folio has no setting for it, so
// NoPrintScaling adds it afterwards as a standard incremental update (a
// new copy of the catalog object, an xref section for it and a trailer
// pointing back at the old one), which leaves every other byte as folio
// wrote it.

var (
	startXRef  = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	trailerRE  = regexp.MustCompile(`(?s)trailer\s*<<(.*?)>>\s*startxref`)
	rootRE     = regexp.MustCompile(`/Root\s+(\d+)\s+(\d+)\s+R`)
	prevRE     = regexp.MustCompile(`/Prev\s+\d+`)
	maxObjects = 1 << 22
)

// NoPrintScaling answers pdf with the catalog asking viewers to print at
// the document's size. A PDF it cannot read that way (an xref stream, a
// catalog it does not recognise) is an error, and pdf is left alone.
func NoPrintScaling(pdf []byte) ([]byte, error) {
	end := startXRef.FindSubmatch(pdf)
	if end == nil {
		return nil, fmt.Errorf("render: print scaling: no startxref at the end")
	}
	prev, _ := strconv.Atoi(string(end[1]))
	tr := trailerRE.FindAllSubmatch(pdf, -1)
	if tr == nil {
		return nil, fmt.Errorf("render: print scaling: no trailer (an xref stream?)")
	}
	trailer := tr[len(tr)-1][1]
	root := rootRE.FindSubmatch(trailer)
	if root == nil {
		return nil, fmt.Errorf("render: print scaling: the trailer names no /Root")
	}
	num, _ := strconv.Atoi(string(root[1]))
	gen, _ := strconv.Atoi(string(root[2]))
	if num <= 0 || num > maxObjects {
		return nil, fmt.Errorf("render: print scaling: root object %d", num)
	}
	// The catalog as last written: the last "N G obj" of that number.
	head := []byte(fmt.Sprintf("\n%d %d obj", num, gen))
	at := bytes.LastIndex(pdf, head)
	if at < 0 {
		return nil, fmt.Errorf("render: print scaling: no object %d", num)
	}
	body := pdf[at+len(head):]
	stop := bytes.Index(body, []byte("endobj"))
	if stop < 0 {
		return nil, fmt.Errorf("render: print scaling: object %d does not end", num)
	}
	dict := bytes.TrimSpace(body[:stop])
	if !bytes.HasPrefix(dict, []byte("<<")) || !bytes.HasSuffix(dict, []byte(">>")) || !bytes.Contains(dict, []byte("/Catalog")) {
		return nil, fmt.Errorf("render: print scaling: object %d is not a catalog dictionary", num)
	}
	if bytes.Contains(dict, []byte("/ViewerPreferences")) {
		return nil, fmt.Errorf("render: print scaling: the catalog already has viewer preferences")
	}
	var out bytes.Buffer
	out.Grow(len(pdf) + 400)
	out.Write(pdf)
	if pdf[len(pdf)-1] != '\n' {
		out.WriteByte('\n')
	}
	offset := out.Len()
	fmt.Fprintf(&out, "%d %d obj\n%s /ViewerPreferences << /PrintScaling /None >> >>\nendobj\n", num, gen, dict[:len(dict)-2])
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n%d 1\n%010d %05d n \n", num, offset, gen)
	fmt.Fprintf(&out, "trailer\n<<%s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", prevRE.ReplaceAll(trailer, nil), prev, xref)
	return out.Bytes(), nil
}

// withDPI inserts a pHYs chunk (pixels per metre, both ways) after the
// IHDR chunk of an encoded PNG, which Go's encoder does not write.
func withDPI(pngData []byte, dpi float64) []byte {
	const ihdrEnd = 8 + 4 + 4 + 13 + 4 // signature, then IHDR's length, type, data and CRC
	if len(pngData) < ihdrEnd || string(pngData[12:16]) != "IHDR" {
		return pngData
	}
	ppm := uint32(math.Round(dpi / 0.0254))
	chunk := make([]byte, 0, 21)
	chunk = binary.BigEndian.AppendUint32(chunk, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = append(chunk, 1) // the unit is the metre
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := make([]byte, 0, len(pngData)+len(chunk))
	out = append(out, pngData[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, pngData[ihdrEnd:]...)
}
