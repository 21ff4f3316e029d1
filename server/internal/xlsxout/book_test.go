package xlsxout_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/xlsxout"
	"huiwu/server/internal/xlsxout/xlsxcheck"
)

func TestWidth(t *testing.T) {
	for _, c := range []struct {
		text string
		want float64
	}{
		{"张伟", 4}, {"13800138000", 11}, {"阿卜杜拉·买买提", 15}, {"（云江省）", 10}, {"Ａ1", 3}, {"短\n长一点的行", 10},
	} {
		if got := xlsxout.Width(c.text); got != c.want {
			t.Errorf("Width(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// TestBook writes a sheet the way the exports do and reads it back: it
// prints (A4, one page wide, header frozen and on every page, title and
// page numbers), its columns fit their longest cells up to the cap, wider
// text wraps in a taller row, a wide sheet turns landscape, and each value
// keeps its type — counts, percentages and times numbers with a format,
// phones, rooms and text that looks like a formula text.
func TestBook(t *testing.T) {
	b := xlsxout.New()
	sh := b.Sheet("名单/第一组", xlsxout.Page{}, xlsxout.Column{Max: 6}, xlsxout.Column{}, xlsxout.Column{Max: 20})
	sh.Title("测试 & 名单")
	sh.Line("说明")
	sh.Head("序号", "手机", "单位", "出席率", "签到", "日期", "房号", "备注")
	at := time.Date(2026, 3, 5, 8, 59, 30, 0, time.FixedZone("CST", 8*3600))
	long := "大会秘书处医疗组（云江省第一人民医院）"
	sh.Row(1, "13800138000", long, xlsxout.Percent(0.096), at, xlsxout.Date(at), "0801", "=1+1")
	sh.Row(2, "13900139000", "短", xlsxout.Percent(1), time.Time{}, xlsxout.Date{}, "1203", "@SUM(A1)")
	sh.Foot("合计", 2)
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, heads := xlsxcheck.Printed(t, buf.Bytes())
	sheet := "名单_第一组"
	if heads[sheet] != 3 {
		t.Fatalf("sheets %v, want %s with its header on row 3", heads, sheet)
	}
	hf, _ := f.GetHeaderFooter(sheet)
	if !strings.Contains(hf.OddHeader, "测试 && 名单") || !strings.Contains(hf.OddFooter, "第 &P 页 / 共 &N 页") {
		t.Errorf("page header %q footer %q", hf.OddHeader, hf.OddFooter)
	}
	if pl, _ := f.GetPageLayout(sheet); pl.Orientation == nil || *pl.Orientation != "portrait" {
		t.Errorf("a narrow sheet prints %v, want portrait", pl.Orientation)
	}
	if w, _ := f.GetColWidth(sheet, "C"); w != 20 {
		t.Errorf("单位 column %v wide, want its cap 20", w)
	}
	if h, _ := f.GetRowHeight(sheet, 4); h < 2*14 {
		t.Errorf("the row of a wrapped unit is %v pt tall", h)
	}
	for _, c := range []struct{ at, kind, format, raw string }{
		{"A4", "number", "0", "1"},
		{"B4", "text", "49", "13800138000"},
		{"D4", "number", "0.0%", "0.096"},
		{"E4", "number", "yyyy-mm-dd hh:mm", "46086.374652"},
		{"F4", "number", "yyyy-mm-dd", "46086"},
		{"G4", "text", "49", "0801"},
		{"H4", "text", "49", "=1+1"},
		{"H5", "text", "49", "@SUM(A1)"},
		{"E5", "empty", "yyyy-mm-dd hh:mm", ""},
		{"B6", "number", "0", "2"},
	} {
		kind, format, raw := xlsxcheck.Kind(t, f, sheet, c.at), xlsxcheck.Format(f, sheet, c.at), xlsxcheck.Raw(f, sheet, c.at)
		if kind != c.kind || format != c.format || !strings.HasPrefix(raw, c.raw) {
			t.Errorf("%s: %s %q %q, want %s %q %q", c.at, kind, format, raw, c.kind, c.format, c.raw)
		}
	}
	if v, _ := f.GetCellValue(sheet, "D4"); v != "9.6%" {
		t.Errorf("出席率 shows %q", v)
	}

	// Eight columns of long text do not fit portrait: the page turns.
	b = xlsxout.New()
	sh = b.Sheet("宽", xlsxout.Page{})
	sh.Head("一", "二", "三", "四", "五", "六", "七", "八")
	sh.Row(long, long, long, long, long, long, long, long)
	buf.Reset()
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, _ = xlsxcheck.Printed(t, buf.Bytes())
	if pl, _ := f.GetPageLayout("宽"); pl.Orientation == nil || *pl.Orientation != "landscape" {
		t.Errorf("a wide sheet prints %v, want landscape", pl.Orientation)
	}
}
