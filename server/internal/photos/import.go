package photos

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"huiwu/server/internal/mask"
	"huiwu/server/internal/store"
)

// Report is what an import of a ZIP of photos found, the same whether it
// was a dry run or stored: every file is in exactly one list.
type Report struct {
	DryRun bool `json:"dry_run"`
	Files  int  `json:"files"`  // files looked at (system files aside)
	Stored int  `json:"stored"` // photos stored (0 in a dry run)
	// Skipped counts the files systems leave in a ZIP (__MACOSX, .DS_Store).
	Skipped    int         `json:"skipped"`
	Matched    []Matched   `json:"matched"`
	Unmatched  []FileRef   `json:"unmatched"`
	Ambiguous  []Ambiguous `json:"ambiguous"`
	Duplicates []Duplicate `json:"duplicates"`
	Bad        []Bad       `json:"bad"`
}

// Who names an attendee in a report: enough for the desk to tell people
// apart, never their ID number. Key is the 编号 when the list gave one
// (not a key Huiwu derived from an ID number or phone).
type Who struct {
	AttendeeID   int64  `json:"attendee_id"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
	Key          string `json:"key,omitempty"`
}

// Matched is a file that names one person; Replaces says the person has a
// photo that storing this one replaces.
type Matched struct {
	File string `json:"file"`
	Who
	By       string `json:"by"`
	Replaces bool   `json:"replaces"`
}

// FileRef is a file that names no one.
type FileRef struct {
	File string `json:"file"`
}

// Ambiguous is a file whose name fits several people (a name two people
// share): rename it to the person's 编号.
type Ambiguous struct {
	File       string `json:"file"`
	Candidates []Who  `json:"candidates"`
}

// Duplicate is one person named by several files: none is stored until
// one is left.
type Duplicate struct {
	Who
	Files []string `json:"files"`
}

// Bad is a file that is no usable photo, and why.
type Bad struct {
	File    string  `json:"file"`
	Code    string  `json:"code"`
	Message Message `json:"message"`
}

// Message is a sentence in Chinese and English.
type Message struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// Import reads a ZIP of photo files, matches them to the active
// attendees and answers the report. Unless dry, it stores every matched
// photo in one transaction, audited with actor and how many. A ZIP that
// cannot be read at all is an error (*Problem) and nothing is stored.
func Import(ctx context.Context, db *store.DB, data []byte, dry bool, actor string) (*Report, error) {
	files, skipped, err := readZip(data)
	if err != nil {
		return nil, err
	}
	return importEntries(ctx, db, zipBatch, files, skipped, dry, actor)
}

// batch names what the photos came in, in the problems about all of them
// and in the audit: a ZIP, or files sent one by one (ReadFiles).
type batch struct {
	code   string // the problems' code prefix: zip_, files_
	zh, en string
}

var (
	zipBatch   = batch{"zip_", "压缩包", "the ZIP"}
	filesBatch = batch{"files_", "所选文件", "the files chosen"}
)

// importEntries matches and (unless dry) stores the files of one batch.
func importEntries(ctx context.Context, db *store.DB, b batch, files []entry, skipped int, dry bool, actor string) (*Report, error) {
	if len(files) == 0 {
		return nil, problem(b.code+"no_photos", b.zh+"里没有照片文件", b.en+" holds no photo files")
	}
	rows, err := db.PhotoPeople(ctx)
	if err != nil {
		return nil, err
	}
	people := make([]Person, len(rows))
	for i, r := range rows {
		people[i] = Person{ID: r.ID, Key: r.Key, Name: r.Name, IDNumber: r.IDNumber, Organization: r.Organization, HasPhoto: r.HasPhoto}
	}
	rep := &Report{DryRun: dry, Files: len(files), Skipped: skipped,
		Matched: []Matched{}, Unmatched: []FileRef{}, Ambiguous: []Ambiguous{}, Duplicates: []Duplicate{}, Bad: []Bad{}}

	var pixels int64
	for _, e := range files {
		if e.bad == nil {
			pixels += declaredPixels(e.data)
		}
	}
	if pixels > MaxZipPixels {
		return nil, problem(b.code+"too_many_pixels",
			fmt.Sprintf("%s内照片的像素总数过多（上限 %d 亿），请分成几批或先缩小照片", b.zh, MaxZipPixels/100_000_000),
			fmt.Sprintf("the photos in %s have too many pixels in all (at most %d MP); split them or shrink them", b.en, MaxZipPixels/1_000_000))
	}
	// A file that is no usable photo is bad whatever its name; the rest
	// are matched by name.
	var good []entry
	var normal []Photo
	for _, e := range files {
		p, bad := Photo{}, e.bad
		if bad == nil {
			var err error
			if p, err = Normalize(e.data); err != nil {
				pr, ok := err.(*Problem)
				if !ok {
					return nil, err
				}
				bad = pr
			}
		}
		if bad != nil {
			rep.Bad = append(rep.Bad, Bad{File: maskFile(e.name, false), Code: bad.Code, Message: Message{bad.Zh, bad.En}})
			continue
		}
		good = append(good, e)
		normal = append(normal, p)
	}
	names := make([]string, len(good))
	for i, e := range good {
		names[i] = e.name
	}
	results := Match(people, names)
	byPerson := map[int][]int{} // person → indexes into good
	var order []int
	for i, r := range results {
		switch {
		case r.Person >= 0:
			if byPerson[r.Person] == nil {
				order = append(order, r.Person)
			}
			byPerson[r.Person] = append(byPerson[r.Person], i)
		case len(r.Candidates) > 0:
			a := Ambiguous{File: maskFile(r.File, false)}
			for _, c := range r.Candidates {
				a.Candidates = append(a.Candidates, who(people[c]))
			}
			rep.Ambiguous = append(rep.Ambiguous, a)
		default:
			rep.Unmatched = append(rep.Unmatched, FileRef{File: maskFile(r.File, false)})
		}
	}
	var puts []store.PhotoPut
	replaced := 0
	for _, pi := range order {
		idx := byPerson[pi]
		if len(idx) > 1 {
			d := Duplicate{Who: who(people[pi])}
			for _, i := range idx {
				d.Files = append(d.Files, maskFile(results[i].File, results[i].By == ByIDNumber))
			}
			rep.Duplicates = append(rep.Duplicates, d)
			continue
		}
		i := idx[0]
		rep.Matched = append(rep.Matched, Matched{File: maskFile(results[i].File, results[i].By == ByIDNumber),
			Who: who(people[pi]), By: results[i].By, Replaces: people[pi].HasPhoto})
		if people[pi].HasPhoto {
			replaced++
		}
		puts = append(puts, store.PhotoPut{Attendee: people[pi].ID, JPEG: normal[i].JPEG, Width: normal[i].Width, Height: normal[i].Height})
	}
	if dry || len(puts) == 0 {
		return rep, nil
	}
	detail := fmt.Sprintf("导入照片 %d 张（替换 %d 张），%s内文件 %d 个 / stored %d photos (%d replaced) of %d files",
		len(puts), replaced, b.zh, len(files), len(puts), replaced, len(files))
	if err := db.PutPhotos(ctx, puts, actor, detail); err != nil {
		return nil, err
	}
	rep.Stored = len(puts)
	return rep, nil
}

func who(p Person) Who {
	w := Who{AttendeeID: p.ID, Name: p.Name, Organization: p.Organization}
	if k := p.Key; k != "" && !strings.HasPrefix(k, "id:") && !strings.HasPrefix(k, "tel:") && !strings.HasPrefix(k, "org:") {
		w.Key = maskIDs(k)
	}
	return w
}

// idRun is what may be a resident ID number (15 or 18 characters, the
// last perhaps X) inside a file name.
var idRun = regexp.MustCompile(`[0-9]{17}[0-9Xx]|[0-9]{15}`)

func maskIDs(s string) string {
	return idRun.ReplaceAllStringFunc(s, mask.IDNumber)
}

// maskFile is a file's name as a report shows it: any run that may be an
// ID number masked, and when the name matched by 身份证号 (a passport
// number, say) the whole stem.
func maskFile(file string, byID bool) string {
	if byID {
		stem := Stem(file)
		if i := strings.LastIndex(file, stem); i >= 0 && stem != "" {
			return file[:i] + mask.IDNumber(stem) + file[i+len(stem):]
		}
	}
	return maskIDs(file)
}
