package importer

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"huiwu/server/internal/domain"
)

func TestCSVBasic(t *testing.T) {
	text := header +
		"张三,男,省发改委,主任,代表,138 0013 8000," + id1 + ",2\n" +
		"李四,女,省财政厅,副厅长,列席,,,1\n"
	res := parseText(t, text, Options{})
	if res.Format != "csv-utf8" || res.HeaderRow != 1 || !res.OK() {
		t.Fatalf("format %s header %d errors %s", res.Format, res.HeaderRow, dump(res.Errors))
	}
	want := domain.Attendee{Key: "id:" + id1, Name: "张三", Gender: "男", Organization: "省发改委",
		Title: "主任", Rank: 2, Category: domain.CategoryDeputy, Phone: "13800138000", IDNumber: id1}
	got := byName(res)["张三"]
	if got.Line != 2 || got.Attendee.Key != want.Key || got.Attendee.Phone != want.Phone ||
		got.Attendee.Category != want.Category || got.Attendee.Rank != 2 || got.Attendee.Title != "主任" {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if li := byName(res)["李四"]; li.Line != 3 || li.Attendee.Key != "org:李四|省财政厅" || li.Attendee.Category != domain.CategoryObserver {
		t.Fatalf("李四: %+v", li)
	}
	if res.Columns["name"] != "A" || res.Columns["id_number"] != "G" || res.Columns["rank"] != "H" {
		t.Fatalf("columns %v", res.Columns)
	}
}

func TestEncodingsAndDelimiters(t *testing.T) {
	body := "2026年全省工作会议参会人员名单\n姓名,类别,单位\n王五,代表,省委办公厅\n"
	utf16 := func(s string) []byte {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name   string
		data   []byte
		format string
	}{
		{"utf8", []byte(body), "csv-utf8"},
		{"bom", append([]byte("\xef\xbb\xbf"), body...), "csv-utf8-bom"},
		{"gbk crlf", gb18030(t, strings.ReplaceAll(body, "\n", "\r\n")), "csv-gb18030"},
		{"gbk tab", gb18030(t, strings.ReplaceAll(body, ",", "\t")), "csv-gb18030"},
		{"semicolon", []byte(strings.ReplaceAll(body, ",", ";")), "csv-utf8"},
		{"utf16 unicode text", utf16(strings.ReplaceAll(body, ",", "\t")), "csv-utf16le"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustParse(t, "名单.csv", tt.data, Options{})
			if res.Format != tt.format || res.HeaderRow != 2 || !res.OK() {
				t.Fatalf("format %s header %d errors %s", res.Format, res.HeaderRow, dump(res.Errors))
			}
			r := byName(res)["王五"]
			if r.Line != 3 || r.Attendee.Organization != "省委办公厅" || r.Attendee.Category != domain.CategoryDeputy {
				t.Fatalf("row %+v", r)
			}
		})
	}
}

func TestDelimiterChosenByHeaderLine(t *testing.T) {
	// The title line holds commas; the header is tab-delimited.
	text := "名单（一）,（二）,（三）\n姓名\t类别\t备注\n赵六\t嘉宾\t请安排,靠前\n"
	res := parseText(t, text, Options{})
	if r := byName(res)["赵六"]; r.Attendee.Notes != "请安排,靠前" || r.Attendee.Category != domain.CategoryGuest {
		t.Fatalf("row %+v, errors %s", r, dump(res.Errors))
	}
}

func TestEnglishHeaders(t *testing.T) {
	text := "Name, Gender ,ORGANIZATION,Title,Category,Mobile,ID_Number,Order,Room,Diet,Accessibility,Notes,Arrival,Departure,Delegation,Group,Ethnicity,Ref\n" +
		"John  Smith,M,British Council,Director,guest,+86 138-0013-8000,E12345678,1,１２０３,Halal,Wheelchair,,2026-03-01 09:00,2026-03-03,Foreign Guests,G1,,ref-1\n"
	res := parseText(t, text, Options{HotelVenue: "hotel"})
	if !res.OK() || len(res.Columns) != 18 {
		t.Fatalf("columns %v errors %s", res.Columns, dump(res.Errors))
	}
	a := res.Rows[0].Attendee
	if a.Name != "John Smith" || a.Gender != "男" || a.Phone != "13800138000" || a.IDNumber != "E12345678" ||
		a.Key != "ref-1" || a.Lodging == nil || *a.Lodging != (domain.Lodging{Venue: "hotel", Room: "1203"}) ||
		a.Diet != "Halal" || a.Access != "Wheelchair" || a.Arrival != "2026-03-01 09:00" || a.Group != "G1" {
		t.Fatalf("attendee %+v", a)
	}
	issueAt(t, res.Warnings, CodeIDOther, 2, "G")
}

func TestHeaderVariants(t *testing.T) {
	for _, h := range []string{"姓  名", "ＮＡＭＥ", "姓名*", "姓名（必填）", " Name ", "姓\u3000名", "full_name"} {
		res := parseText(t, h+",类别\n张三,代表\n", Options{})
		if len(res.Rows) != 1 || res.Columns["name"] != "A" {
			t.Errorf("header %q: columns %v errors %s", h, res.Columns, dump(res.Errors))
		}
	}
	for _, h := range []string{"手机号码", "电话", "phone", "Mobile", "手机（必填）"} {
		res := parseText(t, "姓名,类别,"+h+"\n张三,代表,13800138000\n", Options{})
		if res.Columns["phone"] != "C" {
			t.Errorf("header %q: columns %v", h, res.Columns)
		}
	}
}

func TestCSVRowNumbers(t *testing.T) {
	// Blank lines are rows; a quoted cell over three lines is one row.
	text := "\n姓名,类别,备注\n\n张三,代表,\"第一行\n第二行\n第三行\"\n,,\n李四,代表,\n王五,,\n"
	res := parseText(t, text, Options{})
	rows := byName(res)
	if res.HeaderRow != 2 || rows["张三"].Line != 4 || rows["李四"].Line != 6 {
		t.Fatalf("header %d rows %+v", res.HeaderRow, rows)
	}
	if rows["张三"].Attendee.Notes != "第一行\n第二行\n第三行" {
		t.Fatalf("notes %q", rows["张三"].Attendee.Notes)
	}
	issueAt(t, res.Errors, CodeMissingCategory, 7, "B")
}

func TestExcelTextTricks(t *testing.T) {
	// ="…" and a leading apostrophe are how people keep Excel off numbers.
	text := "姓名,类别,身份证号,手机\n张三,代表,=\"" + id1 + "\",'13800138000\n"
	res := parseText(t, text, Options{})
	if !res.OK() || res.Rows[0].Attendee.IDNumber != id1 || res.Rows[0].Attendee.Phone != "13800138000" {
		t.Fatalf("rows %+v errors %s", res.Rows, dump(res.Errors))
	}
}

func TestExcelSepLine(t *testing.T) {
	res := parseText(t, "sep=|\r\n姓名|类别|单位\r\n张三|代表|省委,办公厅\r\n", Options{})
	if len(res.Rows) != 1 || res.Rows[0].Line != 2 || res.Rows[0].Attendee.Organization != "省委,办公厅" || res.HeaderRow != 1 {
		t.Fatalf("rows %+v header %d errors %s", res.Rows, res.HeaderRow, dump(res.Errors))
	}
}

func TestBilingualHeaders(t *testing.T) {
	text := "姓名 Name,\"类别\nCategory\",单位/Organization,\"抵达时间\r\nArrival Time\",英文名 English,姓名拼音 Name in Pinyin\n" +
		"张三,代表,省委,3月1日,Zhang San,ZHANG San\n"
	res := parseText(t, text, Options{})
	want := map[string]string{"name": "A", "category": "B", "organization": "C", "arrival": "D"}
	if len(res.Columns) != len(want) {
		t.Fatalf("columns %v", res.Columns)
	}
	for f, col := range want {
		if res.Columns[f] != col {
			t.Errorf("%s in %q, want %q", f, res.Columns[f], col)
		}
	}
	issueAt(t, res.Warnings, CodeUnknownColumn, 1, "E")
	issueAt(t, res.Warnings, CodeUnknownColumn, 1, "F")
	if len(res.Rows) != 1 || res.Rows[0].Line != 2 {
		t.Fatalf("errors %s", dump(res.Errors))
	}
}
