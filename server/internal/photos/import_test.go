package photos

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"hash/crc32"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"huiwu/server/internal/demo"
	"huiwu/server/internal/store"
)

// demoDB is a database in a temporary directory with the demo event
// loaded, opened as the server opens it. (testkit would be the usual
// way, but it starts the whole server, which imports this package.)
func demoDB(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Load(ctx, db, time.Now()); err != nil {
		t.Fatal(err)
	}
	return db
}

// zipFile is one file to put in a test ZIP; gbk writes its name in GBK
// without the UTF-8 flag, as Windows' own ZIP tool does.
type zipFile struct {
	name string
	data []byte
	gbk  bool
}

func makeZip(t testing.TB, files ...zipFile) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate}
		if f.gbk {
			n, err := simplifiedchinese.GBK.NewEncoder().String(f.name)
			if err != nil {
				t.Fatal(err)
			}
			h.Name, h.NonUTF8 = n, true
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// uniqueNamed answers n active demo people whose names no one else has
// and who have an ID number.
func uniqueNamed(t *testing.T, db *store.DB, n int) []store.PhotoPerson {
	t.Helper()
	all, err := db.PhotoPeople(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, p := range all {
		count[p.Name]++
	}
	var out []store.PhotoPerson
	for _, p := range all {
		if count[p.Name] == 1 && p.IDNumber != "" && !strings.HasPrefix(p.Key, "id:") && len(out) < n {
			out = append(out, p)
		}
	}
	if len(out) < n {
		t.Fatalf("the demo has %d people with unique names, want %d", len(out), n)
	}
	return out
}

func photoCount(t *testing.T, db *store.DB) int {
	t.Helper()
	n, err := db.PhotoCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportReport: a ZIP of files named by 编号, 身份证号 and name (one
// in GBK, in folders) is reported file by file: matched, unmatched,
// ambiguous (a name two people share), duplicates (two files for one
// person) and bad files, the ID numbers masked. The dry run stores
// nothing; the import stores the matched photos only, audited.
func TestImportReport(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	ps := uniqueNamed(t, db, 6)
	byKey, byID, byName, dup, twinA, twinB := ps[0], ps[1], ps[2], ps[3], ps[4], ps[5]
	// Two people of one name.
	if _, err := db.ForTest().W.Exec(`UPDATE attendees SET name = ? WHERE id = ?`, twinA.Name, twinB.ID); err != nil {
		t.Fatal(err)
	}
	photo := encodeJPEG(t, halves(600, 800, true))
	data := makeZip(t,
		zipFile{name: byKey.Key + ".jpg", data: photo},
		zipFile{name: "二组/" + byID.IDNumber + ".JPG", data: photo},
		zipFile{name: "二组/" + byName.Name + ".jpeg", data: photo, gbk: true},
		zipFile{name: dup.Key + ".jpg", data: photo},
		zipFile{name: "补/" + dup.Name + ".png", data: encodePNG(t, halves(300, 400, true))},
		zipFile{name: twinA.Name + ".jpg", data: photo},
		zipFile{name: "查无此人.jpg", data: photo},
		zipFile{name: "名单说明.txt", data: []byte("照片")},
		zipFile{name: "坏的.jpg", data: photo[:1500]},
		zipFile{name: "__MACOSX/._" + byKey.Key + ".jpg", data: []byte{0, 5, 22, 7}},
		zipFile{name: "二组/", data: nil},
	)

	for _, dry := range []bool{true, false} {
		rep, err := Import(ctx, db, data, dry, "报到处小王")
		if err != nil {
			t.Fatal(err)
		}
		var matched []string
		for _, m := range rep.Matched {
			matched = append(matched, m.Name+"←"+m.File+" by "+m.By)
		}
		sort.Strings(matched)
		want := []string{
			byKey.Name + "←" + byKey.Key + ".jpg by key",
			byID.Name + "←二组/" + maskIDs(byID.IDNumber) + ".JPG by id_number",
			byName.Name + "←二组/" + byName.Name + ".jpeg by name",
		}
		sort.Strings(want)
		if strings.Join(matched, "\n") != strings.Join(want, "\n") {
			t.Errorf("dry %v: matched\n%s\nwant\n%s", dry, strings.Join(matched, "\n"), strings.Join(want, "\n"))
		}
		if len(rep.Unmatched) != 1 || rep.Unmatched[0].File != "查无此人.jpg" {
			t.Errorf("unmatched %+v", rep.Unmatched)
		}
		if len(rep.Ambiguous) != 1 || rep.Ambiguous[0].File != twinA.Name+".jpg" || len(rep.Ambiguous[0].Candidates) != 2 {
			t.Errorf("ambiguous %+v", rep.Ambiguous)
		}
		if len(rep.Duplicates) != 1 || rep.Duplicates[0].AttendeeID != dup.ID || len(rep.Duplicates[0].Files) != 2 {
			t.Errorf("duplicates %+v", rep.Duplicates)
		}
		bad := map[string]string{}
		for _, b := range rep.Bad {
			bad[b.File] = b.Code
			if b.Message.Zh == "" || b.Message.En == "" {
				t.Errorf("bad %s without its message", b.File)
			}
		}
		if len(bad) != 2 || bad["名单说明.txt"] != "not_photo" || bad["坏的.jpg"] != "photo_unreadable" {
			t.Errorf("bad %v", bad)
		}
		if rep.Files != 9 || rep.Skipped != 1 {
			t.Errorf("files %d skipped %d, want 9 and 1", rep.Files, rep.Skipped)
		}
		js, _ := json.Marshal(rep)
		if bytes.Contains(js, []byte(byID.IDNumber)) {
			t.Errorf("the report shows an ID number in full: %s", js)
		}
		if dry {
			if n := photoCount(t, db); n != 0 || rep.Stored != 0 {
				t.Fatalf("the dry run stored %d photos (says %d)", n, rep.Stored)
			}
			continue
		}
		if n := photoCount(t, db); n != 3 || rep.Stored != 3 {
			t.Fatalf("stored %d photos (says %d), want the 3 matched", n, rep.Stored)
		}
	}
	for _, p := range []store.PhotoPerson{byKey, byID, byName} {
		got, err := db.Photo(ctx, p.ID)
		if err != nil || !bytes.HasPrefix(got.JPEG, []byte{0xFF, 0xD8}) {
			t.Errorf("%s: no photo stored: %v", p.Name, err)
		}
	}
	if _, err := db.Photo(ctx, dup.ID); err != store.ErrNotFound {
		t.Errorf("a duplicate's photo was stored: %v", err)
	}
	var actor, detail string
	if err := db.ForTest().R.QueryRow(`SELECT actor, detail FROM audit WHERE action = 'photo.import'`).Scan(&actor, &detail); err != nil {
		t.Fatal(err)
	}
	if actor != "报到处小王" || !strings.Contains(detail, "stored 3 photos") {
		t.Errorf("audited %q %q", actor, detail)
	}
	// Again: the three now replace what they had.
	rep, err := Import(ctx, db, data, true, "报到处小王")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range rep.Matched {
		if !m.Replaces {
			t.Errorf("%s: a second import does not say it replaces the photo", m.Name)
		}
	}
}

// rawEntry writes an entry whose header says what declared says,
// whatever the data: a forged ZIP.
func rawEntry(t *testing.T, zw *zip.Writer, name string, data []byte, declared uint64) {
	t.Helper()
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(len(data)), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
}

// TestBadZip: a ZIP that cannot be taken is refused as a whole with a
// clear code, and nothing is stored; a lying entry is a bad file.
func TestBadZip(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	p := uniqueNamed(t, db, 1)[0]
	photo := encodeJPEG(t, halves(300, 400, true))

	bomb := func() []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		rawEntry(t, zw, p.Key+".jpg", photo, 1<<40)
		zw.Close()
		return b.Bytes()
	}
	many := func() []byte {
		var files []zipFile
		for i := 0; i <= MaxEntries; i++ {
			files = append(files, zipFile{name: strings.Repeat("x", 1+i%7) + string(rune('a'+i%26)) + ".jpg"})
		}
		return makeZip(t, files...)
	}
	// Small PNGs each declaring 20 MP: within the budget of one photo,
	// over that of one ZIP.
	var heavy []zipFile
	for i := range MaxZipPixels/20_000_000 + 1 {
		heavy = append(heavy, zipFile{name: strings.Repeat("p", i+1) + ".png", data: pngHeader(5000, 4000)})
	}
	for _, c := range []struct {
		name string
		data []byte
		code string
	}{
		{"pixels over the ZIP's budget", makeZip(t, heavy...), "zip_too_many_pixels"},
		{"not a zip", []byte("PK\x03\x04 not really"), "not_zip"},
		{"an xlsx's text", []byte("编号,姓名\nD0001,张伟\n"), "not_zip"},
		{"declares a terabyte", bomb(), "zip_too_large"},
		{"too many entries", many(), "zip_too_many_files"},
		{"only system files", makeZip(t, zipFile{name: ".DS_Store", data: []byte{1}}), "zip_no_photos"},
	} {
		_, err := Import(ctx, db, c.data, false, "desk")
		pr, ok := err.(*Problem)
		if !ok || pr.Code != c.code || pr.Zh == "" || pr.En == "" {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	// An entry that unpacks to more than it declares.
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	rawEntry(t, zw, p.Key+".jpg", photo, 100)
	zw.Close()
	rep, err := Import(ctx, db, b.Bytes(), false, "desk")
	if err != nil || len(rep.Bad) != 1 || rep.Bad[0].Code != "photo_damaged" || len(rep.Matched) != 0 {
		t.Errorf("lying entry: %+v %v", rep, err)
	}
	if n := photoCount(t, db); n != 0 {
		t.Errorf("stored %d photos from bad ZIPs", n)
	}
}
