package photos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"path"
	"strings"

	"huiwu/server/internal/store"
)

// MaxFilesBytes bounds the photo files of one upload sent one by one (a
// folder chosen in the browser), all together: the size of a ZIP, whose
// photos hardly compress.
const MaxFilesBytes = 10 << 20

// maxParts bounds the parts of one form, whatever their names: a few
// more than MaxEntries, so that a form of tiny parts costs no more than a
// ZIP of as many entries.
const maxParts = MaxEntries + 16

// Upload is what the desk sent to import: one ZIP (form field "file"), or
// photo files one by one (form field "files", the files of a folder, each
// named by its path inside it).
type Upload struct {
	ZipName string // the ZIP's name as sent
	Zip     []byte
	files   []entry // the files sent one by one, read within limits
	skipped int
	sent    bool // some "files" were sent (perhaps only system files)
}

// ErrNoUpload is a form with neither a ZIP nor photo files.
var ErrNoUpload = errors.New("photos: the form holds no file")

// ReadUpload reads a multipart form: a ZIP as field "file" (at most
// zipLimit bytes: tooLarge is answered past it), or photo files as field
// "files", under the budgets of a ZIP — MaxEntries files, MaxFilesBytes
// in all (*Problem files_too_many_files, files_too_large), each at most
// MaxFileBytes and a JPEG or PNG by its name (else a bad file of the
// report). Fields of other names are ignored. A form with both is a
// *Problem (mixed_upload).
func ReadUpload(mr *multipart.Reader, zipLimit int, tooLarge error) (*Upload, error) {
	up := &Upload{}
	var total int64
	for parts := 0; ; parts++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, problem("bad_form", "上传的表单不完整或格式有误", "the upload's form is incomplete or malformed")
		}
		if parts >= maxParts {
			return nil, tooManyFiles()
		}
		switch part.FormName() {
		case "file":
			if up.Zip != nil {
				return nil, problem("mixed_upload", "一次只能上传一个压缩包", "upload one ZIP at a time")
			}
			up.ZipName = part.FileName()
			b, err := io.ReadAll(io.LimitReader(part, int64(zipLimit)+1))
			if err != nil {
				return nil, problem("bad_form", "上传的表单不完整或格式有误", "the upload's form is incomplete or malformed")
			}
			if len(b) > zipLimit {
				return nil, tooLarge
			}
			up.Zip = b
		case "files":
			up.sent = true
			name := cleanName(fileName(part))
			if name == "" || systemFile(name) {
				n, err := io.Copy(io.Discard, part)
				if err != nil {
					return nil, problem("bad_form", "上传的表单不完整或格式有误", "the upload's form is incomplete or malformed")
				}
				total += n
				up.skipped++
				continue
			}
			if len(up.files) >= MaxEntries {
				return nil, tooManyFiles()
			}
			e, n, err := readPart(part, name)
			if err != nil {
				return nil, problem("bad_form", "上传的表单不完整或格式有误", "the upload's form is incomplete or malformed")
			}
			up.files = append(up.files, e)
			total += n
		default:
			if _, err := io.Copy(io.Discard, part); err != nil {
				return nil, problem("bad_form", "上传的表单不完整或格式有误", "the upload's form is incomplete or malformed")
			}
		}
		if total > MaxFilesBytes {
			return nil, problem("files_too_large",
				fmt.Sprintf("所选照片文件合计超过 %d MB，请分成几批导入", MaxFilesBytes>>20),
				fmt.Sprintf("the photo files chosen add up to more than %d MB; import them in several batches", MaxFilesBytes>>20))
		}
	}
	switch {
	case up.Zip != nil && up.sent:
		return nil, problem("mixed_upload", "请只上传一个压缩包，或只上传照片文件", "upload either one ZIP or photo files, not both")
	case up.Zip == nil && !up.sent:
		return nil, ErrNoUpload
	}
	return up, nil
}

func tooManyFiles() *Problem {
	return problem("files_too_many_files",
		fmt.Sprintf("所选文件过多（上限 %d 个），请分成几批导入", MaxEntries),
		fmt.Sprintf("too many files chosen (at most %d); import them in several batches", MaxEntries))
}

// readPart reads one photo file of the form: its bytes, or why not (a
// name that is no JPEG or PNG, over MaxFileBytes: the rest is read and
// dropped). n is the bytes the part held.
func readPart(part *multipart.Part, name string) (e entry, n int64, err error) {
	e = entry{name: name}
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png":
	default:
		e.bad = notImage()
		n, err = io.Copy(io.Discard, part)
		return e, n, err
	}
	b, err := io.ReadAll(io.LimitReader(part, MaxFileBytes+1))
	if err != nil {
		return e, 0, err
	}
	n = int64(len(b))
	if n > MaxFileBytes {
		rest, err := io.Copy(io.Discard, part)
		e.bad = problem("photo_too_large",
			fmt.Sprintf("照片文件超过 %d MB", MaxFileBytes>>20), fmt.Sprintf("the photo file is larger than %d MB", MaxFileBytes>>20))
		return e, n + rest, err
	}
	e.data = b
	return e, n, nil
}

// fileName is the part's file name as the browser sent it, folders kept
// (a folder's files are sent as 二组/张伟.jpg); Part.FileName would keep
// only the last element.
func fileName(part *multipart.Part) string {
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	if err != nil || params["filename"] == "" {
		return part.FileName()
	}
	return params["filename"]
}

// ImportUpload imports what ReadUpload read: the ZIP as Import does, or
// the files sent one by one the same way, with the same report.
func ImportUpload(ctx context.Context, db *store.DB, up *Upload, dry bool, actor string) (*Report, error) {
	if up.Zip != nil {
		return Import(ctx, db, up.Zip, dry, actor)
	}
	return importEntries(ctx, db, filesBatch, up.files, up.skipped, dry, actor)
}
