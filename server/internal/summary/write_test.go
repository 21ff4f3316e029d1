package summary_test

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "huiwu/server/internal/summary"
)

var cst = time.FixedZone("CST", 8*3600)

// The charts' colours (chart.go): bars and curves blue, refusals red.
var (
	blue = [3]float64{0.184, 0.427, 0.710}
	red  = [3]float64{0.78, 0.12, 0.12}
)

// sample is a report with every part filled, as the other parts' helpers
// will answer them.
func sample() *Report {
	day := time.Date(2026, 3, 5, 0, 0, 0, 0, cst)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	curve := []Point{}
	cum := 0
	for i, n := range []int{3, 9, 25, 60, 81, 44, 12, 4, 0, 2} {
		cum += n
		curve = append(curve, Point{At: at(8, 10+10*i), Arrived: n, Cumulative: cum})
	}
	return &Report{
		Event: "2026年全市工作会议", EventEn: "City Work Conference 2026", First: day, Last: day.AddDate(0, 0, 1),
		Made: at(42, 5), Actor: "会务组 王喆",
		Sessions: []Session{
			{Name: "开幕大会", NameEn: "Opening meeting", Plenary: true, Venue: "人民会堂", Starts: at(9, 0), Started: true,
				Expected: 200, Present: 180, OnLeave: 6, Absent: 4, Left: 10, Entered: 190, Basis: "按代表计（列席、工作人员不计）", BasisShort: "按代表计",
				Statement: "本次会议应到200人，因事因病请假6人，实到180人，符合法定人数。", StatementEn: "Expected 200, on leave 6, present 180: quorum present.",
				QuorumMet: true, Curve: curve, CurveExpected: 260},
			{Name: "第一组讨论", NameEn: "Group 1", Venue: "201会议室", Starts: at(14, 30), Started: true,
				Expected: 30, Present: 12, OnLeave: 2, Absent: 14, Left: 2, Entered: 14, Basis: "按代表计",
				Statement: "本次会议应到30人，因事因病请假2人，实到12人，不足法定人数。", StatementEn: "Expected 30, on leave 2, present 12: no quorum (16 required).",
				QuorumMet: false},
			{Name: "闭幕大会", NameEn: "Closing meeting", Plenary: true, Venue: "人民会堂", Starts: at(33, 0),
				Expected: 200, NotYet: 200, Basis: "按代表计",
				Statement: "本次会议应到200人，实到0人，不足法定人数。", StatementEn: "Expected 200, on leave 0, present 0: no quorum (101 required)."},
		},
		Meals: []Meal{
			{Meal: "3月5日午餐", Hall: "一楼餐厅", Entitled: 180, Served: 171},
			{Meal: "3月5日午餐", Hall: "清真餐厅", Entitled: 20, Served: 19},
			{Meal: "3月5日晚餐", Hall: "一楼餐厅", Entitled: 200, Served: 143},
		},
		Materials: &Materials{Items: []Item{{Name: "会议手册", Due: 260, Given: 251}, {Name: "文件袋", Due: 200, Given: 200}, {Name: "纪念品", Due: 260, Given: 120}}},
		Documents: &Documents{Docs: []Document{
			{Title: "关于2026年重点工作的报告（征求意见稿）", Number: "市委办〔2026〕3号", Classification: "秘密", Copies: 50, Issued: 48, Returned: 46, Out: 2, OutCopies: []string{"第17份 刘䶮", "第32份 𠮷田健一"}},
			{Title: "预算草案", Number: "财〔2026〕1号", Classification: "机密", Copies: 20, Issued: 20, Returned: 20},
		}},
		Duty: &Duty{Shifts: 6, Entries: 23, Open: 2, Closed: 21, ByKind: map[string]int{"call": 14, "visitor": 5, "message": 4},
			OpenItems: []DutyItem{{At: at(20, 15), Kind: "call", Summary: "省厅来电询问闭幕会时间，待回复", From: "李娜"}, {At: at(21, 40), Kind: "message", Summary: "第三组要求增加座位两个", From: "张伟"}}},
		Logistics: Logistics{
			Arrivals:   LegStates{Total: 120, PickedUp: 101, Missed: 3, Changed: 4, Expected: 12},
			Departures: LegStates{Total: 110, Out: 20, Expected: 88, Changed: 2},
			ArrivalsByHour: []Hour{{At: at(-14, 0), N: 4}, {At: at(-13, 0), N: 12}, {At: at(-12, 0), N: 20}, {At: at(-11, 0), N: 31},
				{At: at(-10, 0), N: 18}, {At: at(-9, 0), N: 9}, {At: at(-6, 0), N: 2}, {At: at(7, 0), N: 6}},
			Tickets:  map[string]int{"booked": 70, "needed": 12, "self": 28},
			Vehicles: 8, Runs: 31, RunsDone: 25, Stranded: 3,
			Nights: []Night{{Hotel: "会议中心酒店", Night: "2026-03-04", Rooms: 150, Occupied: 96, Heads: 120, CheckedIn: 118},
				{Hotel: "会议中心酒店", Night: "2026-03-05", Rooms: 150, Occupied: 131, Heads: 170, CheckedIn: 170}},
		},
		Incidents: Incidents{
			Scans:   map[string]int{"ok": 1400, "already": 57, "meal_used": 9, "not_entitled": 14, "outside_window": 3, "revoked": 2, "invalid": 1},
			Badges:  map[string]int{"遗失补办": 3, "reissued": 1},
			Devices: []Device{{Name: "东门签到机2", Kind: "kiosk", At: at(10, 12)}}, Accounts: 1,
		},
	}
}

// pdfText is the PDF read back by pdftotext, in its layout.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "s.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// pages renders the PDF at dpi into PNG images, one per page; with
// HUIWU_SHOTS set they are kept there to look at.
func pages(t *testing.T, pdf []byte, dpi int, name string) []image.Image {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed (poppler-utils)")
	}
	dir := t.TempDir()
	if shots := os.Getenv("HUIWU_SHOTS"); shots != "" {
		dir = shots
		os.MkdirAll(dir, 0o755)
	}
	in := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", fmt.Sprint(dpi), in, filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, name+"-*.png"))
	var imgs []image.Image
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	return imgs
}

func TestWriteSections(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range []string{
		"会务总结", "2026年全市工作会议", "会期：2026年3月5日至6日", "目录",
		"一、出席情况", "二、到场曲线", "三、用餐情况", "四、资料发放", "五、涉密文件清退", "六、后勤保障", "七、值班记录", "八、异常情况",
		"本次会议应到200人，因事因病请假6人，实到180人，符合法定人数。",
		"本次会议应到30人，因事因病请假2人，实到12人，不足法定人数。",
		"已用餐171/应用餐180", "已用餐143/应用餐200",
		"已发251/应发260",
		"尚未清退2份", "第17份刘䶮、第32份𠮷田健一",
		"未办结2条", "省厅来电询问闭幕会时间",
		"14次", "9次", "作废证件4张", "东门签到机2",
		"开会09:00", "累计240",
	} {
		if !strings.Contains(flat, strings.Join(strings.Fields(want), "")) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}

func TestMissingParts(t *testing.T) {
	r := sample()
	r.Materials, r.Documents, r.Duty = nil, nil, nil
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(pdfText(t, buf.Bytes())), "")
	for _, want := range []string{"资料发放模块尚未接入", "涉密文件模块尚未接入", "值班模块尚未接入"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the summary does not say %q", want)
		}
	}
}

// inked counts the pixels of img near colour c: the bars and curves are
// drawn in blue (and refused scans in red), which no text is.
func inked(img image.Image, c [3]float64) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			d := func(v uint32, w float64) float64 { return float64(v>>8) - w*255 }
			if dr, dg, db := d(r, c[0]), d(g, c[1]), d(bl, c[2]); dr*dr+dg*dg+db*db < 30*30 {
				n++
			}
		}
	}
	return n
}

// TestChartsArePictures renders the pages and finds the charts' ink: the
// attendance-rate bars, the arrival curve, the meal bars and the refused
// scans are drawn, not only written as numbers.
func TestChartsArePictures(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	imgs := pages(t, buf.Bytes(), 60, "summary-sample")
	if len(imgs) < 9 {
		t.Fatalf("%d pages, want a cover and eight sections", len(imgs))
	}
	// page 2 attendance, 3 curves, 4 meals, 9 incidents (red bars)
	for _, c := range []struct {
		page int
		col  [3]float64
		what string
	}{{2, blue, "attendance rate bars"}, {3, blue, "arrival curve"}, {4, blue, "meal bars"}, {9, red, "refused scan bars"}} {
		if n := inked(imgs[c.page-1], c.col); n < 200 {
			t.Errorf("page %d: %d pixels of chart colour, want the %s drawn", c.page, n, c.what)
		}
	}
}
