package workbook

import (
	"bytes"
	"testing"
)

// TestFaceRetentionCell: the event's face data retention has its row in
// 会议信息; it is written and read back, empty reads as left out (30
// once normalised), and a cell that is no number is refused there.
func TestFaceRetentionCell(t *testing.T) {
	def := richDefinition()
	def.Event.FaceRetentionDays = 7
	var out bytes.Buffer
	if err := Write(def, &out); err != nil {
		t.Fatal(err)
	}
	got, l, errs := Read(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if len(errs) > 0 || got.Event.FaceRetentionDays != 7 {
		t.Fatalf("read back %d (%v)", got.Event.FaceRetentionDays, errs)
	}
	pos, ok := l.Position("event.face_retention_days")
	if !ok || pos.Sheet != SheetEvent || pos.Column != "B" || pos.Header != "人脸数据保留天数" {
		t.Fatalf("event.face_retention_days at %+v (%v)", pos, ok)
	}
	cell := "B" + itoa(pos.Row)
	data := edit(t, out.Bytes(), set(SheetEvent, cell, ""))
	if got, _, errs := Read(bytes.NewReader(data), int64(len(data))); len(errs) > 0 || got.Event.FaceRetentionDays != 0 {
		t.Errorf("empty read as %d (%v)", got.Event.FaceRetentionDays, errs)
	}
	data = edit(t, out.Bytes(), set(SheetEvent, cell, "一个月"))
	if _, _, errs := Read(bytes.NewReader(data), int64(len(data))); len(errs) != 1 || errs[0].Code != CodeBadNumber {
		t.Errorf("not a number: %v", errs)
	}
}
