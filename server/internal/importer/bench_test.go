package importer

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var benchHeader = []string{"编号", "姓名", "性别", "民族", "工作单位", "职务", "排序", "类别", "代表团", "分组",
	"手机", "身份证号", "房号", "饮食要求", "备注"}

// benchRow is a plausible row i with a valid, unique ID number.
func benchRow(i int) []string {
	first17 := fmt.Sprintf("110101%04d%02d%02d%03d", 1950+i/1000, 1+i%12, 1+i%28, i%1000)
	id := first17 + string(idCheckDigit(first17))
	return []string{
		fmt.Sprintf("D%05d", i), fmt.Sprintf("代表%d号", i), []string{"男", "女"}[i%2], "汉族",
		fmt.Sprintf("某某市第%d人民医院", i%97), "院长", fmt.Sprint(i + 1), "代表",
		fmt.Sprintf("第%d代表团", i%14), fmt.Sprintf("第%d组", i%30),
		fmt.Sprintf("139%08d", i), id, fmt.Sprint(1000 + i%800), "", "",
	}
}

func benchCSV(n int) []byte {
	var b strings.Builder
	b.WriteString(strings.Join(benchHeader, ",") + "\r\n")
	for i := range n {
		b.WriteString(strings.Join(benchRow(i), ",") + "\r\n")
	}
	return []byte(b.String())
}

func benchXLSX(b testing.TB, n int) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	row := func(i int, cells []string) {
		vals := make([]any, len(cells))
		for j, c := range cells {
			vals[j] = c
		}
		ref, _ := excelize.CoordinatesToCellName(1, i)
		if err := sw.SetRow(ref, vals); err != nil {
			b.Fatal(err)
		}
	}
	row(1, benchHeader)
	for i := range n {
		row(i+2, benchRow(i))
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func benchParse(b *testing.B, name string, data []byte, n int) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse(name, bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Rows) != n || res.ErrorCount != 0 {
			b.Fatalf("%d rows, errors %s", len(res.Rows), dump(res.Errors))
		}
	}
}

func BenchmarkParseCSV10k(b *testing.B) { benchParse(b, "list.csv", benchCSV(10_000), 10_000) }

func BenchmarkParseXLSX10k(b *testing.B) {
	benchParse(b, "list.xlsx", benchXLSX(b, 10_000), 10_000)
}
