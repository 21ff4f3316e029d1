package workbook

import (
	"strings"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/eventdef"
)

// choice is one value of an enumerated column: the code the definition
// holds and the words a sheet may use for it. Write puts the first word;
// Read accepts any word or the code itself, whatever its case or width.
type choice struct {
	code  string
	words []string
	en    string // how the help sheet glosses it
}

type choices []choice

var (
	venueKinds = choices{
		{eventdef.KindHall, []string{"会场", "礼堂", "大会堂"}, "hall (with a seat map)"},
		{eventdef.KindRoom, []string{"会议室", "分会场"}, "meeting room"},
		{eventdef.KindDining, []string{"餐厅", "食堂"}, "dining hall"},
		{eventdef.KindHotel, []string{"酒店", "宾馆", "驻地"}, "hotel"},
	}
	sessionKinds = choices{
		{eventdef.SessionPlenary, []string{"全体会议", "大会", "全会", "全体"}, "plenary"},
		{eventdef.SessionGroup, []string{"分组讨论", "分组会议", "小组讨论", "分组"}, "group discussion"},
		{eventdef.SessionBanquet, []string{"宴会", "招待会"}, "banquet"},
	}
	slots = choices{
		{eventdef.Breakfast, []string{"早餐", "早饭", "早"}, "breakfast"},
		{eventdef.Lunch, []string{"午餐", "中餐", "午饭", "午"}, "lunch"},
		{eventdef.Dinner, []string{"晚餐", "晚饭", "晚"}, "dinner"},
	}
	checkpointKinds = choices{
		{eventdef.CheckpointEntrance, []string{"入口", "入场", "进场", "签到"}, "entrance"},
		{eventdef.CheckpointExit, []string{"出口", "离场", "退场"}, "exit"},
		{eventdef.CheckpointMeal, []string{"用餐", "就餐", "餐厅"}, "meal"},
		{eventdef.CheckpointLodging, []string{"住宿", "入住", "酒店"}, "lodging"},
	}
	numberings = choices{
		{eventdef.NumberCentre, []string{"单双号", "单双", "中间起", "center"}, "centre: from the row's centre, odd to the audience's right, even to the left"},
		{eventdef.NumberLeftRight, []string{"顺序", "顺序号", "从左到右", "左起"}, "ltr: 1… left to right as the audience sees it"},
	}
	// seatKinds are the words for domain.SeatKinds, one entry each.
	seatKinds = choices{
		{string(domain.SeatNormal), []string{"普通"}, "normal"},
		{string(domain.SeatPresidium), []string{"主席台"}, "presidium"},
		{string(domain.SeatReserved), []string{"预留"}, "reserved"},
		{string(domain.SeatBlocked), []string{"不可用", "封闭", "停用"}, "blocked"},
		{string(domain.SeatWheelchair), []string{"轮椅", "轮椅位", "无障碍"}, "wheelchair"},
	}
	quorumBases = choices{
		{"members", []string{"全体成员", "全体", "应有人数"}, "members: all who count"},
		{"expected", []string{"应到人数", "应到"}, "expected: those expected at this session"},
	}
	strictness = choices{
		{"true", []string{"超过", "过半", "过半数", "多于", "严格", "是", ">"}, "strict: present must exceed the ratio (过半数)"},
		{"false", []string{"达到", "以上", "不少于", "否", ">="}, "at least the ratio (三分之二以上)"},
	}
	presidiumRules = choices{
		{"odd", []string{"单数", "奇数"}, "odd: rank 1 in the centre"},
		{"even-a", []string{"双数甲", "双数A", "偶数甲", "偶数A"}, "even-a: 1 and 2 share the centre, 2 on 1's left hand"},
		{"even-b", []string{"双数乙", "双数B", "偶数乙", "偶数B"}, "even-b: 1 on the centre seat to the leaders' left, 2 on 1's right hand"},
	}
	honours = choices{
		{"left", []string{"以左为尊", "左"}, "left (以左为尊, government practice)"},
		{"right", []string{"以右为尊", "右"}, "right (以右为尊, foreign affairs)"},
	}
	absentFroms = choices{
		{eventdef.AbsentFromStart, []string{"开始", "开始后", "会议开始", "开会"}, "start: absent (缺席) from the start"},
		{eventdef.AbsentFromClose, []string{"关门", "关门后", "签到截止", "截止", "关闭"}, "close: not yet (未到) until check-in closes, absent (缺席) after"},
	}
	faceModes = choices{
		{eventdef.FaceOff, []string{"关闭", "关", "不核验", "否"}, "off"},
		{eventdef.FaceAdvise, []string{"提示", "提醒", "核验"}, "advise: a mismatch calls the usher"},
		{eventdef.FaceEnforce, []string{"拒绝", "拒绝通行", "强制"}, "enforce: a mismatch is refused"},
	}
	yesNo = choices{
		{"true", []string{"是", "有", "yes", "y", "1", "√", "✓", "true"}, "yes"},
		{"false", []string{"否", "无", "no", "n", "0", "×", "✗", "false"}, "no"},
	}
)

// word is what Write puts for code: its first word, or the code itself
// when it is not one of the choices (a definition that Validate would
// refuse still writes out as it stands).
func (cs choices) word(code string) string {
	for _, c := range cs {
		if c.code == code {
			return c.words[0]
		}
	}
	return code
}

// parse finds the code a cell's word stands for.
func (cs choices) parse(s string) (string, bool) {
	k := foldWord(s)
	for _, c := range cs {
		if foldWord(c.code) == k {
			return c.code, true
		}
		for _, w := range c.words {
			if foldWord(w) == k {
				return c.code, true
			}
		}
	}
	return "", false
}

// list is the choices' first words, for messages and drop-downs.
func (cs choices) list() []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.words[0]
	}
	return out
}

// foldWord makes a word comparable: width folded, lower case, no spaces.
func foldWord(s string) string {
	s = strings.ToLower(foldWidth(s))
	return strings.Map(func(r rune) rune {
		if isSpace(r) {
			return -1
		}
		return r
	}, s)
}
