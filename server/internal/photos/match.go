package photos

import (
	"path"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Person is an attendee as matching sees them.
type Person struct {
	ID           int64
	Key          string // the 编号 (import key)
	Name         string
	IDNumber     string
	Organization string
	HasPhoto     bool
}

// How a file name matched.
const (
	ByKey      = "key"       // 编号
	ByIDNumber = "id_number" // 身份证号
	ByName     = "name"      // 姓名
)

// Result is what one file name matched: one person (Person ≥ 0, By
// how), several (Candidates: a name that people share, or a name whose
// parts name different people), or no one.
type Result struct {
	File       string
	Person     int // index into the people given, -1 for none
	By         string
	Candidates []int
}

// Match matches each file name to people. A name's stem (the file name
// without its folders and extension) is tried whole, then its parts
// between _ - + and spaces (D0001_张伟.jpg): each as a 编号, a 身份证号
// or a 姓名, in that order. Width, case and the look-alikes of the middle
// dot (·) are folded; spaces inside Chinese names are dropped.
func Match(people []Person, files []string) []Result {
	idx := newIndex(people)
	out := make([]Result, len(files))
	for i, f := range files {
		out[i] = idx.match(f)
	}
	return out
}

type index struct {
	byKey, byID, byName map[string][]int
}

func newIndex(people []Person) *index {
	x := &index{byKey: map[string][]int{}, byID: map[string][]int{}, byName: map[string][]int{}}
	for i, p := range people {
		if k := fold(p.Key); k != "" {
			x.byKey[k] = append(x.byKey[k], i)
		}
		if id := fold(p.IDNumber); id != "" {
			x.byID[id] = append(x.byID[id], i)
		}
		if n := foldName(p.Name); n != "" {
			x.byName[n] = append(x.byName[n], i)
		}
	}
	return x
}

// Stem is a file's name without its folders and extension.
func Stem(file string) string {
	base := path.Base(strings.ReplaceAll(file, "\\", "/"))
	return strings.TrimSpace(strings.TrimSuffix(base, path.Ext(base)))
}

func (x *index) match(file string) Result {
	stem := Stem(file)
	if who, by := x.lookup(stem); len(who) > 0 {
		return result(file, who, by)
	}
	parts := strings.FieldsFunc(stem, func(r rune) bool { return r == '_' || r == '-' || r == '+' || unicode.IsSpace(r) })
	if len(parts) < 2 {
		return Result{File: file, Person: -1}
	}
	// A unique 编号 or 身份证号 among the parts decides, when every other
	// part that names someone could be the same person (张伟_D0001 with
	// two 张伟); otherwise the parts must name one person between them.
	for _, part := range parts {
		if who, how := x.lookup(part); len(who) == 1 && how != ByName && agrees(x, parts, who[0]) {
			return Result{File: file, Person: who[0], By: how}
		}
	}
	var found []int
	by := ""
	seen := map[int]bool{}
	for _, part := range parts {
		who, how := x.lookup(part)
		if by == "" {
			by = how
		}
		for _, i := range who {
			if !seen[i] {
				seen[i] = true
				found = append(found, i)
			}
		}
	}
	return result(file, found, by)
}

// agrees reports whether every part that names someone names person
// among others.
func agrees(x *index, parts []string, person int) bool {
	for _, part := range parts {
		who, _ := x.lookup(part)
		if len(who) == 0 {
			continue
		}
		in := false
		for _, i := range who {
			in = in || i == person
		}
		if !in {
			return false
		}
	}
	return true
}

func result(file string, who []int, by string) Result {
	switch len(who) {
	case 0:
		return Result{File: file, Person: -1}
	case 1:
		return Result{File: file, Person: who[0], By: by}
	}
	return Result{File: file, Person: -1, Candidates: who}
}

// lookup tries s as a 编号, a 身份证号, a name.
func (x *index) lookup(s string) ([]int, string) {
	if who := x.byKey[fold(s)]; len(who) > 0 {
		return who, ByKey
	}
	if who := x.byID[fold(s)]; len(who) > 0 {
		return who, ByIDNumber
	}
	if who := x.byName[foldName(s)]; len(who) > 0 {
		return who, ByName
	}
	return nil, ""
}

// fold is a 编号 or 身份证号 compared: half width, trimmed, upper case
// (d0001 is D0001, an ID number's x is X).
func fold(s string) string {
	return strings.ToUpper(strings.TrimSpace(width.Narrow.String(s)))
}

// foldName is a name compared, as the importer normalises names: half
// width, every middle-dot look-alike as U+00B7, and no spaces when it
// holds Chinese characters.
func foldName(s string) string {
	s = strings.TrimSpace(width.Narrow.String(s))
	han := false
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han = true
		}
	}
	for _, r := range s {
		switch {
		case strings.ContainsRune("・･•‧⋅∙．.", r):
			r = '·'
		case unicode.IsSpace(r) && han:
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
