package photos

import (
	"reflect"
	"testing"
)

var people = []Person{
	{ID: 1, Key: "D0001", Name: "张伟", IDNumber: "11010119900307123X"},
	{ID: 2, Key: "D0002", Name: "张伟", IDNumber: "110101199104051236"},
	{ID: 3, Key: "D0003", Name: "阿依古丽·买买提", IDNumber: "650102198805060026"},
	{ID: 4, Key: "id:110101198001011234", Name: "李娜", IDNumber: "110101198001011234"},
	{ID: 5, Key: "D0005", Name: "John Smith"},
}

// TestMatchByEachKey: a file named by 编号, 身份证号 or name finds its
// person, whatever folder it is in, in any width or case; a name two
// people share is ambiguous unless the file also gives a 编号.
func TestMatchByEachKey(t *testing.T) {
	for _, c := range []struct {
		file  string
		want  int64 // attendee id, 0: none
		by    string
		cands []int64
	}{
		{"D0003.jpg", 3, ByKey, nil},
		{"照片/二组/d0003.JPG", 3, ByKey, nil},
		{"Ｄ０００３.png", 3, ByKey, nil},
		{"11010119900307123x.jpg", 1, ByIDNumber, nil},
		{"110101198001011234.jpeg", 4, ByIDNumber, nil}, // also its key, derived from the ID number
		{"李娜.jpg", 4, ByName, nil},
		{"阿依古丽・买买提.jpg", 3, ByName, nil}, // a katakana middle dot
		{"john smith.png", 5, ByName, nil},
		{"张 伟.jpg", 0, "", []int64{1, 2}},
		{"张伟.jpg", 0, "", []int64{1, 2}},
		{"张伟_D0002.jpg", 2, ByKey, nil},
		{"D0001 张伟.jpg", 1, ByKey, nil},
		{"D0001_李娜.jpg", 0, "", []int64{1, 4}},
		{"王芳.jpg", 0, "", nil},
		{"D9999.jpg", 0, "", nil},
		{"李娜_会议.jpg", 4, ByName, nil},
	} {
		r := Match(people, []string{c.file})[0]
		var got int64
		if r.Person >= 0 {
			got = people[r.Person].ID
		}
		var cands []int64
		for _, i := range r.Candidates {
			cands = append(cands, people[i].ID)
		}
		if got != c.want || r.By != c.by || !reflect.DeepEqual(cands, c.cands) {
			t.Errorf("%s: person %d by %q candidates %v, want %d by %q candidates %v", c.file, got, r.By, cands, c.want, c.by, c.cands)
		}
	}
}
