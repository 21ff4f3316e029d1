package importer

import (
	"testing"
)

func TestKeys(t *testing.T) {
	tests := []struct {
		name, header, row, key string
	}{
		{"key column wins", "编号,姓名,类别,身份证号,手机", "A-001,张三,代表," + id1 + ",13800138000", "A-001"},
		{"exported key round-trips", "key,姓名,类别,身份证号", "id:" + id2 + ",张三,代表," + id1, "id:" + id2},
		{"full-width key folded", "编号,姓名,类别", "Ａ００１,张三,代表", "A001"},
		{"ID number", "编号,姓名,类别,身份证号,手机", ",张三,代表," + id1 + ",13800138000", "id:" + id1},
		{"lower-case x", "姓名,类别,身份证号", "张三,代表,11010519491231002x", "id:" + id1},
		{"name and phone", "姓名,类别,手机,单位", "张三,代表,+86 138 0013 8000,省委", "tel:张三|13800138000"},
		{"name and organisation", "姓名,类别,单位", "张　三,代表,省委办公厅", "org:张三|省委办公厅"},
		{"name alone", "姓名,类别", "张三,代表", "org:张三|"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseText(t, tt.header+"\n"+tt.row+"\n", Options{})
			if len(res.Rows) != 1 || res.Rows[0].Attendee.Key != tt.key {
				t.Fatalf("rows %+v errors %s; want key %q", res.Rows, dump(res.Errors), tt.key)
			}
		})
	}
}

// TestReimportSameKeys: an edited file (new title, phone fixed, rows
// reordered) yields the same keys, so the store updates instead of adding.
func TestReimportSameKeys(t *testing.T) {
	first := parseText(t, header+
		"张三,男,省委,主任,代表,13800138000,,\n"+
		"李四,女,省政府,秘书长,代表,,"+id3+",\n", Options{})
	second := parseText(t, header+
		"李四,女,省政府,副秘书长,代表,13900139000,"+id3+",\n"+
		"张三,男,省委,主任,代表,138-0013-8000,,\n", Options{})
	keys := func(res *Result) map[string]string {
		m := map[string]string{}
		for _, r := range res.Rows {
			m[r.Attendee.Name] = r.Attendee.Key
		}
		return m
	}
	a, b := keys(first), keys(second)
	if len(a) != 2 || a["张三"] != b["张三"] || a["李四"] != b["李四"] {
		t.Fatalf("keys changed: %v → %v", a, b)
	}
}

func TestDuplicates(t *testing.T) {
	text := header +
		"张三,男,省委,主任,代表,13800138000,,\n" + // 2
		"张三,男,省委,主任,代表,138 0013 8000,,\n" + // 3: same after normalising → dropped
		"李四,女,省政府,秘书长,代表,," + id3 + ",\n" + // 4
		"李四,女,省政府,副秘书长,代表,," + id3 + ",\n" + // 5: same ID, different data → error
		"王五,男,省人大,主任,代表,,,\n" + // 6
		"王五,男,省人大,主任,代表,,,\n" // 7: identical
	res := parseText(t, text, Options{})
	is := issueAt(t, res.Warnings, CodeDuplicateRow, 3, "A")
	if is.Message != "与第 2 行完全相同，已忽略" {
		t.Errorf("message %q", is.Message)
	}
	is = issueAt(t, res.Errors, CodeDuplicateKey, 5, "G")
	if is.MessageEn == "" || !contains(is.Message, "第 4 行") || !contains(is.MessageEn, "row 4") {
		t.Errorf("duplicate_key does not name row 4: %+v", is)
	}
	issueAt(t, res.Warnings, CodeDuplicateRow, 7, "A")
	if len(res.Rows) != 3 || res.ErrorCount != 1 {
		t.Fatalf("rows %+v errors %s", res.Rows, dump(res.Errors))
	}
	for _, r := range res.Rows {
		if r.Line != 2 && r.Line != 4 && r.Line != 6 {
			t.Errorf("kept row %d; the first of each pair should stay", r.Line)
		}
	}
}

func TestDuplicateIDUnderOtherKey(t *testing.T) {
	text := "编号,姓名,类别,身份证号\nA1,张三,代表," + id1 + "\nA2,张三,代表," + id1 + "\n"
	res := parseText(t, text, Options{})
	is := issueAt(t, res.Errors, CodeDuplicateIDNumber, 3, "D")
	if !contains(is.Message, "第 2 行") {
		t.Errorf("message %q", is.Message)
	}
}

func TestHeaderProblems(t *testing.T) {
	text := "序号,姓名,类别,电话,手机,,备注\n1,张三,代表,13800138000,13900139000,多余,\n2,,,,,,\n合计 2 人,,,,,,\n"
	res := parseText(t, text, Options{})
	is := issueAt(t, res.Warnings, CodeUnknownColumn, 1, "A")
	if is.Header != "序号" {
		t.Errorf("header %q", is.Header)
	}
	is = issueAt(t, res.Errors, CodeDuplicateColumn, 1, "E")
	if !contains(is.Message, "D列") {
		t.Errorf("duplicate_column does not name D: %q", is.Message)
	}
	issueAt(t, res.Warnings, CodeUnnamedColumn, 2, "F")
	issueAt(t, res.Warnings, CodeIgnoredRow, 3, "B")
	issueAt(t, res.Warnings, CodeIgnoredRow, 4, "B")
	if len(res.Rows) != 1 || res.Rows[0].Attendee.Phone != "13800138000" {
		t.Fatalf("rows %+v", res.Rows)
	}

	res = parseText(t, "姓名,单位\n张三,省委\n", Options{})
	is = issueAt(t, res.Errors, CodeMissingColumn, 1, "")
	if is.Header != "类别" || res.ErrorCount != 1 {
		t.Fatalf("missing_column %+v, errors %s", is, dump(res.Errors))
	}
}

func TestNoHeader(t *testing.T) {
	for name, text := range map[string]string{
		"no name column": "单位,类别\n省委,代表\n",
		"header too low": "标题\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n姓名,类别\n张三,代表\n",
		"empty":          "",
		"only blanks":    "\n\n , ,\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("x.csv", stringsReader(text), Options{})
			wantFileError(t, err, CodeNoHeader)
		})
	}
}
