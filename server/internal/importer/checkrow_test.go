package importer_test

import (
	"testing"

	"huiwu/server/internal/importer"
)

// TestCheckRow: one row checked as a list's row would be (the desk's form):
// the attendee as an import stores it, values with the characters a CSV
// must quote kept as typed, and an error at its column.
func TestCheckRow(t *testing.T) {
	head := []string{"编号", "姓名", "类别", "手机", "备注"}
	notes := "靠过道, \"轮椅\"\n需要协助"
	res, err := importer.CheckRow(head, []string{"", "张三", "代表", "13800000000", notes}, importer.Options{})
	if err != nil || !res.OK() || len(res.Rows) != 1 {
		t.Fatalf("a good row: %v %+v", err, res)
	}
	if a := res.Rows[0].Attendee; a.Name != "张三" || a.Notes != notes || a.Phone != "13800000000" {
		t.Fatalf("stored as %+v", a)
	}
	res, err = importer.CheckRow(head, []string{"", "李四", "代表", "12345", ""}, importer.Options{})
	if err != nil || res.OK() || len(res.Errors) != 1 || res.Errors[0].Column != "D" {
		t.Fatalf("a bad phone: %v %+v", err, res)
	}
}
