package importer

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// fuzzOpts keeps fuzz inputs cheap while still reaching the limits.
var fuzzOpts = Options{MaxBytes: 1 << 20, MaxRows: 40, HotelVenue: "hotel"}

// checkFuzz: Parse never panics (the fuzzer catches that), a failure is a
// file-level *Error with a code and both messages, and a result obeys
// checkInvariants.
func checkFuzz(t *testing.T, res *Result, err error) {
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Code == "" || e.Message == "" || e.MessageEn == "" {
			t.Fatalf("untyped or incomplete error: %#v", err)
		}
		if res != nil {
			t.Fatal("both a result and an error")
		}
		return
	}
	checkInvariants(t, res)
	if res.HeaderRow < 1 {
		t.Fatalf("header row %d", res.HeaderRow)
	}
	for _, r := range res.Rows {
		if r.Line <= res.HeaderRow || r.Attendee.Name == "" || r.Attendee.Category == "" {
			t.Fatalf("row %+v (header %d)", r, res.HeaderRow)
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	for _, s := range []string{
		header + "张三,男,省委,主任,代表,13800138000," + id1 + ",1\n",
		"标题\n姓名\t类别\t身份证号\n李四\t列席\t1.10101E+17\n",
		"name;category;phone\n\"John  Smith\";guest;+86 138 0013 8000\n",
		"姓名,类别,备注\n\"王五\",代表,\"多行\n备注\"\n,,\n\"未闭合,代表\n",
		"\xef\xbb\xbf姓名,类别\n张三,代表\n张三,代表\n",
		deskCSV,
	} {
		f.Add([]byte(s))
	}
	f.Add(gb18030(f, deskCSV))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse("fuzz.csv", bytes.NewReader(data), fuzzOpts)
		checkFuzz(t, res, err)
	})
}

// FuzzParseXLSX builds a workbook from fuzzed cells — rows split by "\n",
// cells by "\t", a cell starting with "#" stored as a number — and then,
// with xor ≠ 0, corrupts one byte of the file, so both the cell rules and
// the zip and XML readers get exercised.
func FuzzParseXLSX(f *testing.F) {
	f.Add("姓名\t类别\t身份证号\n张三\t代表\t"+id1, uint16(0), byte(0))
	f.Add("名单\n姓名\t类别\t身份证号\t手机\n张三\t代表\t#110101199003071234\t#13800138000", uint16(0), byte(0))
	f.Add("Name\tCategory\tRank\nJohn\tguest\t#1\nJohn\tguest\t#1", uint16(300), byte(0x41))
	f.Add("姓名\t类别\n张三\t代表", uint16(1000), byte(0xff))
	f.Fuzz(func(t *testing.T, cells string, at uint16, xor byte) {
		data := fuzzWorkbook(t, cells)
		if xor != 0 {
			data[int(at)%len(data)] ^= xor
		}
		res, err := Parse("fuzz.xlsx", bytes.NewReader(data), fuzzOpts)
		checkFuzz(t, res, err)
	})
}

func fuzzWorkbook(t *testing.T, cells string) []byte {
	x := excelize.NewFile()
	defer x.Close()
	for r, line := range strings.Split(cells, "\n") {
		if r >= 50 {
			break
		}
		for c, v := range strings.Split(line, "\t") {
			if c >= 20 {
				break
			}
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var val any = v
			if n, err := strconv.ParseFloat(strings.TrimPrefix(v, "#"), 64); err == nil && strings.HasPrefix(v, "#") {
				val = n
			}
			if err := x.SetCellValue("Sheet1", ref, val); err != nil {
				t.Skip(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Skip(err)
	}
	return buf.Bytes()
}
