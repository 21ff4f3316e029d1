package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/domain"
)

var update = flag.Bool("update", false, "rewrite testdata/event.sha256")

// fixedNow is the now of the golden hash: 18:07 in Shanghai.
var fixedNow = time.Date(2026, 3, 5, 10, 7, 0, 0, time.UTC)

// jsonHash is the SHA-256 of the event's JSON. Marshalling these plain types
// cannot fail, so it panics rather than take a *testing.T, and goroutines
// may call it.
func jsonHash(ev domain.EventData) string {
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestDeterministic(t *testing.T) {
	a, b := Generate(fixedNow), Generate(fixedNow.In(time.FixedZone("X", -5*3600)))
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same now differ")
	}
	ha, hb := jsonHash(a), jsonHash(b)
	if ha != hb {
		t.Fatalf("JSON hashes differ: %s %s", ha, hb)
	}
	// The golden hash catches what two runs in one process cannot: map
	// order leaking in, or a different result on another machine.
	golden := filepath.Join("testdata", "event.sha256")
	if *update {
		if err := os.WriteFile(golden, []byte(ha+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got := strings.TrimSpace(string(want)); got != ha {
		t.Errorf("event JSON hash %s, golden %s; if the change is intended, run go test -update", ha, got)
	}
}

func TestConcurrentGenerate(t *testing.T) {
	want := jsonHash(Generate(fixedNow))
	got := make(chan string)
	for range 4 {
		go func() { got <- jsonHash(Generate(fixedNow)) }()
	}
	for range 4 {
		select {
		case h := <-got:
			if h != want {
				t.Errorf("concurrent run hash %s, want %s", h, want)
			}
		case <-time.After(time.Minute):
			t.Fatal("Generate did not return")
		}
	}
}

func TestNamesStayPutAcrossDays(t *testing.T) {
	a, b := Generate(fixedNow), Generate(fixedNow.AddDate(0, 1, 3).Add(7*time.Hour))
	for i := range a.Attendees {
		x, y := a.Attendees[i], b.Attendees[i]
		if x.Key != y.Key || x.Name != y.Name || x.Organization != y.Organization || x.Phone != y.Phone {
			t.Fatalf("attendee %d changes with the date: %s %s / %s %s", i, x.Key, x.Name, y.Key, y.Name)
		}
	}
}

func TestCounts(t *testing.T) {
	ev := Generate(fixedNow)
	want := map[string][2]int{ // category → [min, max]
		domain.CategoryDeputy:   {420, 440},
		domain.CategoryObserver: {55, 65},
		domain.CategoryGuest:    {25, 35},
		domain.CategoryStaff:    {45, 55},
		domain.CategoryPress:    {25, 35},
	}
	got := map[string]int{}
	perDelegation := map[string]int{}
	for _, a := range ev.Attendees {
		got[a.Category]++
		if a.Category == domain.CategoryDeputy {
			perDelegation[a.Delegation]++
		} else if a.Delegation != "" {
			t.Errorf("%s %s is not a deputy but in delegation %s", a.Key, a.Name, a.Delegation)
		}
	}
	for c, r := range want {
		if got[c] < r[0] || got[c] > r[1] {
			t.Errorf("%d %s, want %d–%d", got[c], c, r[0], r[1])
		}
	}
	if len(ev.Delegations) != 8 || len(perDelegation) != 8 {
		t.Errorf("%d delegations, %d with deputies; want 8", len(ev.Delegations), len(perDelegation))
	}
	for d, n := range perDelegation {
		if n < 30 {
			t.Errorf("%s has only %d deputies", d, n)
		}
	}
	if n := len(ev.Attendees); n < 570 || n > 630 {
		t.Errorf("%d attendees, want about 600", n)
	}
	diets, access := 0, 0
	for _, a := range ev.Attendees {
		if a.Diet != "" {
			diets++
		}
		if a.Access != "" {
			access++
		}
	}
	if diets < 20 || diets > 45 || access < 3 || access > 10 {
		t.Errorf("%d diets (want about 5%%), %d accessibility needs (want a few)", diets, access)
	}
}

func TestCategories(t *testing.T) {
	ev := Generate(fixedNow)
	voting := 0
	for _, c := range ev.Categories {
		if c.Voting {
			voting++
			if c.Code != domain.CategoryDeputy {
				t.Errorf("%s votes", c.Code)
			}
		}
		if len(c.Color) != 7 || c.Color[0] != '#' || c.Name == "" || c.NameEn == "" {
			t.Errorf("category %+v lacks a colour or a word", c)
		}
	}
	if len(ev.Categories) != 5 || voting != 1 {
		t.Errorf("%d categories, %d voting; want 5 and 1", len(ev.Categories), voting)
	}
}

func TestSpecialNames(t *testing.T) {
	ev := Generate(fixedNow)
	count := map[string]int{}
	byName := map[string]domain.Attendee{}
	for _, a := range ev.Attendees {
		count[a.Name]++
		byName[a.Name] = a
	}
	exactly := map[string]int{
		"刘䶮": 1, "王喆": 1, "张堃": 1, "陶喆": 1, "李犇": 1, "赵淼": 1, "𠮷田健一": 1,
		"Anna Müller": 1, "José García": 1, "John Smith": 1, "王伟": 2,
	}
	for name, n := range exactly {
		if count[name] != n {
			t.Errorf("%q appears %d times, want %d", name, count[name], n)
		}
	}
	if !strings.ContainsRune(byName["𠮷田健一"].Name, 0x20BB7) || !strings.ContainsRune(byName["刘䶮"].Name, 0x4DAE) {
		t.Error("the rare characters did not survive")
	}
	dotted, halal := 0, 0
	for _, a := range ev.Attendees {
		if strings.ContainsRune(a.Name, '·') {
			dotted++
			if a.Ethnicity == "" || a.Ethnicity == "汉族" {
				t.Errorf("%s has ethnicity %q", a.Name, a.Ethnicity)
			}
		}
		if a.Ethnicity == "回族" || a.Ethnicity == "维吾尔族" {
			halal++
			if a.Diet != "清真" {
				t.Errorf("%s (%s) has diet %q, want 清真", a.Name, a.Ethnicity, a.Diet)
			}
		}
		if strings.ContainsAny(a.Name, "•・") {
			t.Errorf("%s uses a look-alike of the middle dot U+00B7", a.Name)
		}
	}
	if dotted < 4 || dotted > 6 || halal < 3 {
		t.Errorf("%d names with ·, %d Hui/Uyghur; want 4–6 and some", dotted, halal)
	}
	// Names are unique but for the deliberate 同名同姓 pair.
	for name, n := range count {
		if n > 1 && name != "王伟" {
			t.Errorf("%q appears %d times", name, n)
		}
	}
}

func TestIDNumbersAndPhones(t *testing.T) {
	ev := Generate(fixedNow)
	ids, phones, x := map[string]bool{}, map[string]bool{}, 0
	for _, a := range ev.Attendees {
		if len(a.Phone) != 11 || strings.Trim(a.Phone, "0123456789") != "" || a.Phone[0] != '1' ||
			!strings.Contains("35789", a.Phone[1:2]) || phones[a.Phone] {
			t.Errorf("%s phone %q is not a distinct mainland mobile", a.Key, a.Phone)
		}
		phones[a.Phone] = true
		if a.IDNumber == "" {
			if !strings.HasPrefix(a.Notes, "外籍") {
				t.Errorf("%s %s has no ID number", a.Key, a.Name)
			}
			continue
		}
		if !validIDNumber(a.IDNumber) || ids[a.IDNumber] {
			t.Errorf("%s ID %s is invalid or repeated", a.Key, a.IDNumber)
		}
		ids[a.IDNumber] = true
		if a.IDNumber[17] == 'X' {
			x++
		}
		birth, err := time.Parse("20060102", a.IDNumber[6:14])
		if age := fixedNow.Year() - birth.Year(); err != nil || age < 18 || age > 80 {
			t.Errorf("%s ID %s: birth date %v, age %d", a.Key, a.IDNumber, err, age)
		}
		if male := (a.IDNumber[16]-'0')%2 == 1; male != (a.Gender == "男") {
			t.Errorf("%s ID %s: the 17th digit does not match gender %s", a.Key, a.IDNumber, a.Gender)
		}
	}
	if x == 0 {
		t.Error("no ID number ends in X; the check character X goes untested")
	}
}

func TestValidIDNumber(t *testing.T) {
	for id, want := range map[string]bool{
		"11010519491231002X": true, // the example of GB 11643-1999
		"110105194912310021": false,
		"11010519491231002x": false, // lower-case x is not written on the card
		"440524188001010014": true,
		"4405241880010100":   false,
	} {
		if got := validIDNumber(id); got != want {
			t.Errorf("validIDNumber(%s) = %v, want %v", id, got, want)
		}
	}
}

// validIDNumber checks the GB 11643 check character from the standard's own
// definition, not from the generator's table: weight 2^(n-1) mod 11 for the
// n-th character counted from the right, and the check character makes the
// weighted sum 1 modulo 11 (X standing for 10).
func validIDNumber(s string) bool {
	if len(s) != 18 || strings.Trim(s[:17], "0123456789") != "" {
		return false
	}
	sum := 0
	for i := range 18 {
		v := int(s[i] - '0')
		if i == 17 && s[i] == 'X' {
			v = 10
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
		w := 1
		for range 17 - i {
			w = w * 2 % 11
		}
		sum += v * w
	}
	return sum%11 == 1
}
