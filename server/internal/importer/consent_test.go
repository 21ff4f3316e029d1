package importer

import "testing"

// TestFaceConsentColumn (issue 15.6): the 人脸核验同意 column's usual
// answers, an empty cell as "not asked", and anything else an error at
// its row and column that keeps the row out: a consent to biometrics is
// never guessed.
func TestFaceConsentColumn(t *testing.T) {
	text := "姓名,类别,人脸核验同意,单位\n" +
		"甲,代表,是,\n" + // 2
		"乙,代表,否,\n" + // 3
		"丙,代表,同意,\n" + // 4
		"丁,代表,不同意,\n" + // 5
		"戊,代表,Yes,\n" + // 6
		"己,代表,no,\n" + // 7
		"庚,代表,1,\n" + // 8
		"辛,代表,0,\n" + // 9
		"壬,代表,,\n" + // 10
		"癸,代表,看情况,\n" + // 11
		"子,代表,1.0,\n" // 12
	res := parseText(t, text, Options{})
	got := byName(res)
	yes, no := true, false
	for name, want := range map[string]*bool{"甲": &yes, "乙": &no, "丙": &yes, "丁": &no, "戊": &yes, "己": &no,
		"庚": &yes, "辛": &no, "壬": nil, "子": &yes} {
		r, ok := got[name]
		if !ok {
			t.Errorf("%s was not imported: %s", name, dump(res.Errors))
			continue
		}
		c := r.Attendee.FaceConsent
		if (c == nil) != (want == nil) || c != nil && *c != *want {
			t.Errorf("%s: consent %v, want %v", name, c, want)
		}
	}
	if _, ok := got["癸"]; ok {
		t.Error("癸's unreadable answer was imported")
	}
	if is := issueAt(t, res.Errors, CodeBadConsent, 11, "C"); is.Header != "人脸核验同意" || is.Message == "" || is.MessageEn == "" {
		t.Errorf("the issue %+v", is)
	}
	if res.Columns["face_consent"] != "C" {
		t.Errorf("columns %v", res.Columns)
	}
}

// TestFaceConsentHeaders: the column under its other names, in English
// too; without it nobody's consent is set.
func TestFaceConsentHeaders(t *testing.T) {
	for _, h := range []string{"人脸核验同意", "同意人脸核验", "刷脸同意", "人脸识别同意", "face_consent", "Face consent", "人脸核验同意 Face consent"} {
		res := parseText(t, "姓名,类别,"+h+"\n甲,代表,是\n", Options{})
		if len(res.Rows) != 1 || res.Rows[0].Attendee.FaceConsent == nil || !*res.Rows[0].Attendee.FaceConsent {
			t.Errorf("header %q: rows %+v, errors %s, warnings %s", h, res.Rows, dump(res.Errors), dump(res.Warnings))
		}
	}
	res := parseText(t, "姓名,类别\n甲,代表\n", Options{})
	if len(res.Rows) != 1 || res.Rows[0].Attendee.FaceConsent != nil {
		t.Errorf("without the column: %+v", res.Rows)
	}
}
