package importer

import (
	"strings"
	"testing"

	"huiwu/server/internal/domain"
)

func TestCheckDigitExamples(t *testing.T) {
	for _, id := range []string{id1, id2, id3, id4} {
		if got := idCheckDigit(id); got != id[17] {
			t.Errorf("%s: check digit %c", id, got)
		}
	}
}

// TestIDNumberTraps asserts each ID trap at its exact cell: row 3 (a title
// row sits above the header) and column G, 身份证号.
func TestIDNumberTraps(t *testing.T) {
	tests := []struct {
		cell, code string
		warn       bool
		stored     string
	}{
		{cell: "1.10101E+17", code: CodeIDScientific},
		{cell: "1.10101199003071E+17", code: CodeIDScientific},
		{cell: "110101199003071234", code: CodeIDChecksum},
		{cell: "110101199003071000", code: CodeIDChecksum}, // rounded by Excel
		{cell: "11010119900307123", code: CodeIDLength},
		{cell: "1101011990030712345", code: CodeIDLength},
		{cell: "110101199013071237", code: CodeIDInvalid}, // month 13, check digit right
		{cell: "11010519491231002-", code: CodeIDInvalid},
		{cell: "110105491231002", code: CodeIDOld, warn: true, stored: "110105491231002"},
		{cell: "11010519491231002x", stored: id1},
		{cell: "１１０１０５１９４９１２３１００２ｘ", stored: id1},
		{cell: "110105 19491231 002X", stored: id1},
		{cell: "\u00a0" + id2 + "\u3000", stored: id2},
		{cell: "G12345678", code: CodeIDOther, warn: true, stored: "G12345678"},
	}
	for _, tt := range tests {
		t.Run(tt.cell, func(t *testing.T) {
			res := parseText(t, "2026年全省工作会议参会人员名单,,,,,,,\n"+header+
				"张三,男,单位,,代表,,\""+tt.cell+"\",\n", Options{})
			if tt.code != "" {
				list := res.Errors
				if tt.warn {
					list = res.Warnings
				}
				if is := issueAt(t, list, tt.code, 3, "G"); is.Header != "身份证号" {
					t.Errorf("header %q", is.Header)
				}
			}
			if tt.stored == "" {
				if len(res.Rows) != 0 {
					t.Fatalf("row with a bad ID kept: %+v", res.Rows)
				}
				return
			}
			if len(res.Rows) != 1 || res.Rows[0].Attendee.IDNumber != tt.stored ||
				res.Rows[0].Attendee.Key != "id:"+tt.stored || res.Rows[0].Line != 3 {
				t.Fatalf("rows %+v, errors %s", res.Rows, dump(res.Errors))
			}
		})
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13800138000", "13800138000"},
		{"138 0013 8000", "13800138000"},
		{"138-0013-8000", "13800138000"},
		{"+86 138 0013 8000", "13800138000"},
		{"+8613800138000", "13800138000"},
		{"008613800138000", "13800138000"},
		{"8613800138000", "13800138000"},
		{"010-12345678", "010-12345678"},
		{"01012345678", "010-12345678"},
		{"(010)12345678", "010-12345678"},
		{"0571-8888888", "0571-8888888"},
		{"057188888888", "0571-88888888"},
		{"020-87654321转123", "020-87654321-123"},
		{"+86 10 12345678", "010-12345678"},
		{"12345678", ""},
		{"1380013800", ""},
		{"23800138000", ""},
		{"1.38001E+10", ""},
		{"13800138000/13900139000", ""},
		{"电话", ""},
		{"0000000", ""},
	}
	for _, tt := range tests {
		got, p := parsePhone(folded(tt.in))
		if got != tt.want || (tt.want == "") != (p != nil) {
			t.Errorf("parsePhone(%q) = %q, %v; want %q", tt.in, got, p, tt.want)
		}
	}
}

func TestNormName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张三", "张三"},
		{" 张　三 ", "张三"},
		{"张 三\u00a0", "张三"},
		{"阿依古丽・买买提", "阿依古丽·买买提"},
		{"阿依古丽･买买提", "阿依古丽·买买提"},
		{"阿依古丽•买买提", "阿依古丽·买买提"},
		{"阿依古丽‧买买提", "阿依古丽·买买提"},
		{"阿依古丽⋅买买提", "阿依古丽·买买提"},
		{"阿依古丽.买买提", "阿依古丽·买买提"},
		{"阿依古丽 · 买买提", "阿依古丽·买买提"},
		{"John  Smith", "John Smith"},
		{"Ｊｏｈｎ　Smith", "John Smith"},
		{"J. R. R. Tolkien", "J. R. R. Tolkien"},
		{"䶮\u200b", "䶮"},
		{"王\n喆", "王喆"},
	}
	for _, tt := range tests {
		if got := normName(tt.in); got != tt.want {
			t.Errorf("normName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRowTraps(t *testing.T) {
	text := header +
		"张三,男,甲,,代表,1380013800,,\n" + // row 2: short mobile
		"李四,女,乙,,,,,\n" + // row 3: no category
		"王五,男,丙,,委员,,,\n" + // row 4: unknown category
		",男,丁,,代表,,,\n" + // row 5: no name
		"赵六,男,戊,,代表,,,第一\n" + // row 6: bad rank
		"钱七,未知,己,,Deputy,１３９００１３９０００,,０\n" // row 7: gender warning, full-width phone ok, rank 0 bad
	res := parseText(t, text, Options{})
	issueAt(t, res.Errors, CodePhoneInvalid, 2, "F")
	issueAt(t, res.Errors, CodeMissingCategory, 3, "E")
	is := issueAt(t, res.Errors, CodeUnknownCategory, 4, "E")
	if is.Header != "类别" {
		t.Errorf("header %q", is.Header)
	}
	issueAt(t, res.Errors, CodeMissingName, 5, "A")
	issueAt(t, res.Errors, CodeBadRank, 6, "H")
	issueAt(t, res.Errors, CodeBadRank, 7, "H")
	issueAt(t, res.Warnings, CodeBadGender, 7, "B")
	noIssue(t, res.Errors, CodePhoneInvalid+"x")
	if res.ErrorCount != 6 || len(res.Rows) != 0 {
		t.Fatalf("errors %s rows %+v", dump(res.Errors), res.Rows)
	}
}

func TestCategoryWords(t *testing.T) {
	cats := []domain.Category{
		{Code: "deputy", Name: "代表", NameEn: "Deputy"},
		{Code: "vip", Name: "特邀嘉宾", NameEn: "Special Guest"},
	}
	for _, cell := range []string{"deputy", "DEPUTY", "代表", " Deputy ", "代 表", "ＤＥＰＵＴＹ"} {
		res := parseText(t, "姓名,类别\n张三,"+cell+"\n", Options{Categories: cats})
		if len(res.Rows) != 1 || res.Rows[0].Attendee.Category != "deputy" {
			t.Errorf("%q: %s", cell, dump(res.Errors))
		}
	}
	for _, cell := range []string{"special guest", "特邀嘉宾", "VIP"} {
		res := parseText(t, "姓名,类别\n张三,"+cell+"\n", Options{Categories: cats})
		if len(res.Rows) != 1 || res.Rows[0].Attendee.Category != "vip" {
			t.Errorf("%q: %s", cell, dump(res.Errors))
		}
	}
	res := parseText(t, "姓名,类别\n张三,记者\n", Options{Categories: cats})
	is := issueAt(t, res.Errors, CodeUnknownCategory, 2, "B")
	if is.Message != "无法识别的类别“记者”，可填：代表、特邀嘉宾" {
		t.Errorf("message %q", is.Message)
	}
}

func TestRanks(t *testing.T) {
	// Explicit ranks are kept; the rest follow the highest, in row order.
	text := "姓名,类别,排序\n甲,代表,\n乙,代表,2\n丙,代表,\n丁,代表,1\n戊,代表,2.0\n"
	res := parseText(t, text, Options{})
	got := map[string]int{}
	for _, r := range res.Rows {
		got[r.Attendee.Name] = r.Attendee.Rank
	}
	want := map[string]int{"甲": 3, "乙": 2, "丙": 4, "丁": 1, "戊": 2}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: rank %d, want %d", k, got[k], v)
		}
	}
	issueAt(t, res.Warnings, CodeDuplicateRank, 6, "C")
}

func TestCellTooLong(t *testing.T) {
	long := string(make([]rune, 0))
	for range 201 {
		long += "长"
	}
	notes := long + long + long + long // 804 runes: fine for notes
	res := parseText(t, "姓名,类别,单位,备注\n张三,代表,"+long+","+notes+"\n李四,代表,,"+notes+notes+"\n", Options{})
	issueAt(t, res.Errors, CodeCellTooLong, 2, "C")
	issueAt(t, res.Errors, CodeCellTooLong, 3, "D")
	if res.ErrorCount != 2 {
		t.Fatalf("errors %s", dump(res.Errors))
	}
}

func TestIssuesInColumnOrder(t *testing.T) {
	// The phone (F) is checked before the category (E) and the name (A).
	res := parseText(t, header+",男,丁,,委员,1380013800,,\n", Options{})
	var cols []string
	for _, is := range res.Errors {
		cols = append(cols, is.Column)
	}
	if got := strings.Join(cols, ""); got != "AEF" {
		t.Fatalf("columns %q, want AEF: %s", got, dump(res.Errors))
	}
}

func TestIsScientific(t *testing.T) {
	for s, want := range map[string]bool{
		"1.10101E+17": true, "1.10101199003071E+17": true, "1e17": true, "1.E+17": true, "11E17": true,
		"110101199003071234": false, "E+17": false, "1.1E": false, "1.1E+-17": false, "1.1.1E+17": false,
		"G12345678E1": false, "": false,
	} {
		if got := isScientific(s); got != want {
			t.Errorf("isScientific(%q) = %v", s, got)
		}
	}
}

func TestFullWidthNumericFields(t *testing.T) {
	text := "编号,姓名,类别,排序,手机,身份证号,房号\n" +
		"ＡＢＣ１２３,张三,代表,１２,１３８\u3000００１３\u3000８０００,４４０５２４１８８００１０１００１４,Ａ座\u3000１２０３\n"
	res := parseText(t, text, Options{HotelVenue: "hotel"})
	if len(res.Rows) != 1 {
		t.Fatalf("errors %s", dump(res.Errors))
	}
	a := res.Rows[0].Attendee
	if a.Key != "ABC123" || a.Rank != 12 || a.Phone != "13800138000" || a.IDNumber != id2 || a.Lodging.Room != "A座 1203" {
		t.Fatalf("attendee %+v lodging %+v", a, a.Lodging)
	}
}
