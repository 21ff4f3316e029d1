package main

import "testing"

// TestOutcome: how one decoder's texts for one frame are judged, above all
// that a text not in the frame is wrong even beside the right one.
func TestOutcome(t *testing.T) {
	single := item{Text: "ours", Texts: []string{"ours"}, Labelled: true}
	two := item{Text: "ours", Texts: []string{"ours", "poster"}, Labelled: true}
	none := item{Labelled: true}
	for _, tt := range []struct {
		name  string
		it    item
		texts []string
		want  string
	}{
		{"right", single, []string{"ours"}, outOK},
		{"nothing", single, nil, outFail},
		{"misread", single, []string{"ourz"}, outWrong},
		{"both codes", two, []string{"poster", "ours"}, outOK},
		{"the other code only", two, []string{"poster"}, outOther},
		{"right beside a misread", two, []string{"ours", "junk"}, outWrong},
		{"no code, nothing read", none, nil, outOK},
		{"no code, something read", none, []string{"x"}, outWrong},
		{"unlabelled", item{}, []string{"x"}, outDecoded},
		{"unlabelled, nothing", item{}, nil, outFail},
	} {
		if got := outcome(tt.it, tt.texts); got != tt.want {
			t.Errorf("%s: outcome = %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestZXingLines: ZXingReader -1 prints a line per code; -bytes would run
// two codes' texts together.
func TestZXingLines(t *testing.T) {
	out := "/d/two 1.jpg QRCode \"https://rd.yj.cn/p/x\"\n/d/two 1.jpg QRCode \"HW1:ABC\"\n"
	got := zxingLines("/d/two 1.jpg", out)
	if len(got) != 2 || got[0] != "https://rd.yj.cn/p/x" || got[1] != "HW1:ABC" {
		t.Errorf("zxingLines = %q", got)
	}
	if got := zxingLines("/d/a.jpg", "/d/a.jpg None\n"); len(got) != 0 {
		t.Errorf("no code: %q", got)
	}
}
