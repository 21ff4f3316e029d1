package exports

import (
	"strings"
	"testing"
	"time"
)

// TestArchiveSaysWhatItHolds: 说明.txt says the archive holds personal
// data, which, who may keep it and for how long, and what to do with the
// copy on this machine — in Chinese and in English.
func TestArchiveSaysWhatItHolds(t *testing.T) {
	a := &Archive{Event: "测试会议", Made: time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC), Actor: "desk"}
	note := a.note()
	for _, want := range []string{
		"个人信息", "姓名", "手机号", "房间号", "签到时间",
		"立卷归档", "移交", "不得", "个人电脑", "删除",
		"personal data", "names", "phone numbers", "room numbers", "hand it over", "delete",
	} {
		if !strings.Contains(note, want) {
			t.Errorf("说明.txt does not say %q:\n%s", want, note)
		}
	}
}
