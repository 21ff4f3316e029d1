package photos

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"huiwu/server/internal/xlsxguard"
)

// Limits on a ZIP of photos, checked from its directory before anything
// is inflated (as xlsxguard does for a workbook): how many entries, and
// the bytes they declare in all. Each entry is then read through a
// limit, and Go's zip reader refuses one that inflates to more than it
// declares, so a ZIP bomb costs no more than its declared sizes.
const (
	MaxEntries  = 2000
	MaxUnpacked = 64 << 20
	// MaxZipPixels bounds the pixels of all the photos of one ZIP, as
	// their headers declare them: a few seconds of decoding. A small PNG
	// may declare 24 MP of one colour, and a ZIP of hundreds of them
	// would otherwise take minutes.
	MaxZipPixels = 600_000_000
)

// entry is one file of the ZIP: its name (folders kept, for the report)
// and its bytes, or why it could not be read.
type entry struct {
	name string
	data []byte
	bad  *Problem
}

// readZip lists the photo files of a ZIP and reads each within limits.
// Folders and the files that systems leave behind (__MACOSX, .DS_Store,
// Thumbs.db, dot files) are skipped and counted. The error is a *Problem
// about the whole ZIP.
func readZip(data []byte) (files []entry, skipped int, err error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, 0, problem("not_zip", "上传的文件不是有效的 ZIP 压缩包", "the upload is not a readable ZIP file")
	}
	if len(zr.File) > MaxEntries {
		return nil, 0, problem("zip_too_many_files",
			fmt.Sprintf("压缩包内文件过多（%d 个，上限 %d 个），请分成几个压缩包", len(zr.File), MaxEntries),
			fmt.Sprintf("the ZIP holds too many files (%d, at most %d); split it", len(zr.File), MaxEntries))
	}
	if err := xlsxguard.CheckSizes(zr, MaxUnpacked); err != nil {
		return nil, 0, problem("zip_too_large",
			fmt.Sprintf("压缩包解压后超过 %d MB，请分成几个压缩包", MaxUnpacked>>20),
			fmt.Sprintf("the ZIP unpacks to more than %d MB; split it", MaxUnpacked>>20))
	}
	for _, zf := range zr.File {
		name := entryName(zf)
		if zf.FileInfo().IsDir() || systemFile(name) {
			if !zf.FileInfo().IsDir() {
				skipped++
			}
			continue
		}
		e := entry{name: name}
		switch strings.ToLower(path.Ext(name)) {
		case ".jpg", ".jpeg", ".png":
		default:
			e.bad = notImage()
			files = append(files, e)
			continue
		}
		if zf.UncompressedSize64 > MaxFileBytes {
			e.bad = problem("photo_too_large",
				fmt.Sprintf("照片文件超过 %d MB", MaxFileBytes>>20), fmt.Sprintf("the photo file is larger than %d MB", MaxFileBytes>>20))
			files = append(files, e)
			continue
		}
		e.data, e.bad = readEntry(zf)
		files = append(files, e)
	}
	return files, skipped, nil
}

// readEntry reads one entry, at most its declared size (itself at most
// MaxFileBytes); Go's reader checks the size and checksum at its end.
func readEntry(zf *zip.File) ([]byte, *Problem) {
	damaged := problem("photo_damaged", "压缩包中的此文件已损坏", "this file in the ZIP is damaged")
	rc, err := zf.Open()
	if err != nil {
		return nil, damaged
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, int64(zf.UncompressedSize64)+1))
	if err != nil || uint64(len(b)) != zf.UncompressedSize64 {
		if errors.Is(err, zip.ErrAlgorithm) {
			return nil, problem("zip_method", "压缩包使用了不支持的压缩方式", "the ZIP uses a compression method not supported")
		}
		return nil, damaged
	}
	return b, nil
}

// entryName is an entry's path with / between folders. Windows' own ZIP
// tool on a Chinese system writes names in GBK without saying so (no
// UTF-8 flag): a name that is not UTF-8 is read as GB18030. (macOS
// writes UTF-8 without the flag, so the flag alone does not decide.)
func entryName(zf *zip.File) string { return cleanName(zf.Name) }

// cleanName is a file's path as the report shows it: GB18030 read when
// it is not UTF-8, / between folders, no leading / nor .. .
func cleanName(name string) string {
	if !utf8.ValidString(name) {
		if s, err := simplifiedchinese.GB18030.NewDecoder().String(name); err == nil {
			name = s
		}
	}
	name = strings.ReplaceAll(name, "\\", "/")
	return strings.TrimPrefix(path.Clean("/"+name), "/")
}

// systemFile is a file that a system, not a person, put in the ZIP.
func systemFile(name string) bool {
	if strings.HasPrefix(name, "__MACOSX/") {
		return true
	}
	base := path.Base(name)
	return strings.HasPrefix(base, ".") || strings.EqualFold(base, "Thumbs.db") || strings.EqualFold(base, "desktop.ini")
}
