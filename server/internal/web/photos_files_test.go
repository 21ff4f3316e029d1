package web_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"huiwu/server/internal/mask"
	"huiwu/server/internal/photos"
	"huiwu/server/internal/testkit"
)

// formFile is one part of a photo import's form.
type formFile struct {
	field, name string
	data        []byte
}

// postPhotoForm posts parts as the photo import's multipart form and
// answers the status and the body.
func postPhotoForm(t *testing.T, srv *testkit.Server, query string, parts ...formFile) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, p := range parts {
		part, err := w.CreateFormFile(p.field, p.name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(p.data)
	}
	w.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/photos/import"+query, &body)
	req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// smallJPEG is a w×h JPEG of a gradient.
func smallJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngDeclaring is a PNG's signature and header declaring w×h, no more:
// what the import's pixel budget reads before decoding anything.
func pngDeclaring(w, h uint32) []byte {
	ihdr := make([]byte, 17)
	copy(ihdr, "IHDR")
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	ihdr[12], ihdr[13] = 8, 0 // 8-bit grey
	out := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d")
	out = append(out, ihdr...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(ihdr))
}

// TestPhotoImportFilesHTTP: a folder's files sent one by one (field
// "files", named by their paths) get the same report as a ZIP of them —
// matched by 编号, 身份证号 (masked) and name, unmatched, a duplicate, a
// file that is no photo, system files skipped — stored only without
// dry_run, in one audited import.
func TestPhotoImportFilesHTTP(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	ps, _ := testkit.PhotoNamed(t, srv, 4)
	pic := smallJPEG(t, 300, 400)
	form := []formFile{
		{"files", "照片/一组/" + ps[0].Key + ".jpg", pic},
		{"files", "照片/" + ps[1].IDNumber + ".jpg", pic},
		{"files", "照片/" + ps[2].Name + ".png", pic}, // a JPEG named .png is read as what it is
		{"files", "照片/查无此人.jpg", pic},
		{"files", "照片/" + ps[3].Key + ".jpg", pic},
		{"files", "照片/备份/" + ps[3].Name + ".jpeg", pic},
		{"files", "照片/名单.txt", []byte("not a photo")},
		{"files", "照片/.DS_Store", []byte{0, 1}},
		{"files", "照片/Thumbs.db", []byte{0, 1}},
		{"note", "", []byte("a field of another name is ignored")},
	}
	var rep photos.Report
	decode := func(st int, body []byte) {
		t.Helper()
		rep = photos.Report{}
		if st != 200 || json.Unmarshal(body, &rep) != nil {
			t.Fatalf("HTTP %d %s", st, body)
		}
	}
	decode(postPhotoForm(t, srv, "?dry_run=1", form...))
	by := map[int64]string{}
	for _, m := range rep.Matched {
		by[m.AttendeeID] = m.By + " " + m.File
	}
	wantID := "照片/" + mask.IDNumber(ps[1].IDNumber) + ".jpg"
	if !rep.DryRun || rep.Files != 7 || rep.Skipped != 2 || len(rep.Matched) != 3 ||
		by[ps[0].ID] != "key 照片/一组/"+ps[0].Key+".jpg" || by[ps[1].ID] != "id_number "+wantID || by[ps[2].ID] != "name 照片/"+ps[2].Name+".png" ||
		len(rep.Unmatched) != 1 || rep.Unmatched[0].File != "照片/查无此人.jpg" ||
		len(rep.Duplicates) != 1 || rep.Duplicates[0].AttendeeID != ps[3].ID || len(rep.Duplicates[0].Files) != 2 ||
		len(rep.Bad) != 1 || rep.Bad[0].File != "照片/名单.txt" || rep.Bad[0].Code != "not_photo" || rep.Bad[0].Message.Zh == "" {
		t.Fatalf("dry run report %+v", rep)
	}
	if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 0 {
		t.Fatalf("the dry run stored %d photos", n)
	}

	decode(postPhotoForm(t, srv, "", form...))
	if rep.DryRun || rep.Stored != 3 {
		t.Fatalf("import report %+v", rep)
	}
	for i, p := range ps {
		st, _, _ := testkit.PhotoGet(t, srv, "GET", fmt.Sprintf("/attendees/%d/photo.jpg", p.ID), testkit.AdminToken)
		if want := map[bool]int{true: 200, false: 404}[i < 3]; st != want {
			t.Errorf("%s's photo: HTTP %d, want %d", p.Name, st, want)
		}
	}
	var detail string
	srv.App.DB.ForTest().R.QueryRow(`SELECT detail FROM audit WHERE action = 'photo.import'`).Scan(&detail)
	if !strings.Contains(detail, "导入照片 3 张") || !strings.Contains(detail, "所选文件内文件 7 个") {
		t.Errorf("audit detail %q", detail)
	}
}

// TestPhotoImportFilesLimits: photo files sent one by one are held to a
// ZIP's budgets — how many, their bytes in all, each file's bytes, the
// pixels they declare — and a form that mixes a ZIP with files, or holds
// only system files, is refused; nothing is stored by any of them.
func TestPhotoImportFilesLimits(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	named, _ := testkit.PhotoNamed(t, srv, 1)
	p := named[0]
	junk := func(n int) []byte { return bytes.Repeat([]byte{0xa5}, n) }

	var many, heavy []formFile
	for i := range photos.MaxEntries + 1 {
		many = append(many, formFile{"files", fmt.Sprintf("%04d.jpg", i), []byte{0xff, 0xd8}})
	}
	// PNG headers of 20 MP each: each within one photo's budget, together
	// over the batch's.
	for i := range photos.MaxZipPixels/20_000_000 + 1 {
		heavy = append(heavy, formFile{"files", fmt.Sprintf("p%d.png", i), pngDeclaring(5000, 4000)})
	}
	half := photos.MaxFilesBytes/2 + 8<<10
	for _, c := range []struct {
		name   string
		parts  []formFile
		status int
		code   string
	}{
		{"one file more than a ZIP may hold", many, 413, "files_too_many_files"},
		{"over the bytes of a ZIP in all", []formFile{{"files", "a.jpg", junk(half)}, {"files", "b.jpg", junk(half)}}, 413, "files_too_large"},
		{"over the pixels of a ZIP", heavy, 413, "files_too_many_pixels"},
		{"a ZIP and files", []formFile{{"file", "照片.zip", photoZip(t, p.Key+".jpg")}, {"files", p.Key + ".jpg", smallJPEG(t, 300, 400)}}, 400, "mixed_upload"},
		{"only system files", []formFile{{"files", ".DS_Store", []byte{1}}, {"files", "__MACOSX/._a.jpg", []byte{1}}}, 422, "files_no_photos"},
		{"no file at all", []formFile{{"note", "", []byte("x")}}, 400, "no_file"},
	} {
		st, body := postPhotoForm(t, srv, "", c.parts...)
		var e struct {
			Error struct {
				Code    string
				Message struct{ Zh, En string }
			}
		}
		json.Unmarshal(body, &e)
		if st != c.status || e.Error.Code != c.code || e.Error.Message.Zh == "" || e.Error.Message.En == "" {
			t.Errorf("%s: HTTP %d %s, want %d %s", c.name, st, body, c.status, c.code)
		}
	}

	// A file over one photo's bytes, and a file named .jpg that is no
	// JPEG: bad files of the report, and the good one beside them stored.
	var rep photos.Report
	st, body := postPhotoForm(t, srv, "", formFile{"files", "big.jpg", junk(photos.MaxFileBytes + 1)},
		formFile{"files", "坏.jpg", []byte("\xff\xd8\xff\xe0 this is not really a JPEG")}, formFile{"files", p.Key + ".jpg", smallJPEG(t, 300, 400)})
	if st != 200 || json.Unmarshal(body, &rep) != nil {
		t.Fatalf("HTTP %d %s", st, body)
	}
	bad := map[string]string{}
	for _, b := range rep.Bad {
		bad[b.File] = b.Code
		if b.Message.Zh == "" || b.Message.En == "" {
			t.Errorf("bad file %s without its reason: %+v", b.File, b)
		}
	}
	if len(rep.Bad) != 2 || bad["big.jpg"] != "photo_too_large" || bad["坏.jpg"] == "" || rep.Stored != 1 || len(rep.Matched) != 1 || rep.Matched[0].AttendeeID != p.ID {
		t.Errorf("report %+v", rep)
	}
	if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 1 {
		t.Errorf("%d photos stored, want the one good file's", n)
	}
}
