package notices

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"huiwu/server/internal/store"
)

// FieldError is one thing wrong with an answer, by field, in Chinese and
// English.
type FieldError struct {
	Field string `json:"field"`
	Zh    string `json:"zh"`
	En    string `json:"en"`
}

// InvalidError lists what is wrong with an answer; nothing is kept.
type InvalidError struct{ Fields []FieldError }

func (e *InvalidError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.En
	}
	return "notices: " + strings.Join(parts, "; ")
}

// Limits on what a unit may write, in characters.
const (
	maxName   = 40
	maxShort  = 60
	maxReason = 200
	maxNeed   = 100
)

var (
	phonePattern  = regexp.MustCompile(`^\+?[0-9][0-9 -]{4,19}$`)
	numberPattern = regexp.MustCompile(`^[A-Za-z0-9]{0,12}$`)
	timePattern   = regexp.MustCompile(`^([01]?[0-9]|2[0-3]):[0-5][0-9]$`)
)

// Modes are the ways to travel a unit may name.
var Modes = []string{"flight", "train", "car", "other"}

// Check tidies a (spaces trimmed, what the desk does not ask for and what
// the answer does not need dropped) and answers what is wrong with it.
func Check(a *store.ReplyAnswer, s store.NoticeSettings) error {
	var errs []FieldError
	bad := func(field, zh, en string) { errs = append(errs, FieldError{field, zh, en}) }
	text := func(field string, v *string, max int, zhName, enName string) {
		*v = strings.TrimSpace(*v)
		if !utf8.ValidString(*v) || strings.ContainsAny(*v, "\x00\r\n\t") {
			bad(field, zhName+"含有无法识别的字符", enName+" has characters that cannot be read")
		} else if utf8.RuneCountInString(*v) > max {
			bad(field, fmt.Sprintf("%s最多 %d 个字", zhName, max), fmt.Sprintf("%s: at most %d characters", enName, max))
		}
	}
	text("reason", &a.Reason, maxReason, "原因", "reason")
	text("diet", &a.Diet, maxNeed, "饮食要求", "diet")
	text("room", &a.Room, maxNeed, "住宿需求", "room needs")
	switch a.Status {
	case store.AnswerConfirm:
		a.Reason, a.Substitute = "", nil
	case store.AnswerDecline:
		a.Substitute, a.Arrival, a.Departure, a.Diet, a.Room = nil, nil, nil, "", ""
	case store.AnswerSubstitute:
		a.Reason = ""
		p := a.Substitute
		if p == nil {
			p = &store.ReplyPerson{}
			a.Substitute = p
		}
		text("substitute.name", &p.Name, maxName, "代会人姓名", "substitute's name")
		text("substitute.title", &p.Title, maxShort, "代会人职务", "substitute's title")
		text("substitute.phone", &p.Phone, 20, "代会人手机", "substitute's phone")
		text("substitute.id_number", &p.IDNumber, 20, "代会人证件号", "substitute's ID number")
		p.Gender = strings.TrimSpace(p.Gender)
		if p.Name == "" {
			bad("substitute.name", "代会请填写代会人姓名", "a substitute needs a name")
		}
		if p.Phone != "" && !phonePattern.MatchString(p.Phone) {
			bad("substitute.phone", "代会人手机号码格式不对", "the substitute's phone is not a phone number")
		}
		if p.Gender != "" && p.Gender != "男" && p.Gender != "女" {
			bad("substitute.gender", "性别请填“男”或“女”", "gender is 男 or 女")
		}
	default:
		bad("status", "请选择：参加、代会或不参加", "choose confirm, substitute or decline")
	}
	if !s.AskTravel {
		a.Arrival, a.Departure = nil, nil
	}
	if !s.AskDiet {
		a.Diet = ""
	}
	if !s.AskRoom {
		a.Room = ""
	}
	a.Arrival = checkTrip(a.Arrival, "arrival", "抵达", bad)
	a.Departure = checkTrip(a.Departure, "departure", "返程", bad)
	if len(errs) > 0 {
		return &InvalidError{Fields: errs}
	}
	return nil
}

// checkTrip tidies a journey; one that says nothing is none.
func checkTrip(t *store.ReplyTrip, field, zh string, bad func(field, zh, en string)) *store.ReplyTrip {
	if t == nil {
		return nil
	}
	for _, v := range []*string{&t.Mode, &t.Number, &t.Station, &t.Date, &t.Time} {
		*v = strings.TrimSpace(*v)
	}
	t.Number = strings.ToUpper(t.Number)
	if *t == (store.ReplyTrip{}) {
		return nil
	}
	known := t.Mode == ""
	for _, m := range Modes {
		known = known || t.Mode == m
	}
	if !known {
		bad(field+".mode", zh+"方式请选择飞机、火车、汽车或其他", "mode is flight, train, car or other")
	}
	if !numberPattern.MatchString(t.Number) {
		bad(field+".number", zh+"航班或车次只能有字母和数字（如 CA1234、G123）", "a flight or train number is letters and digits (CA1234, G123)")
	}
	if utf8.RuneCountInString(t.Station) > maxShort || strings.ContainsAny(t.Station, "\x00\r\n\t") {
		bad(field+".station", fmt.Sprintf("%s站点最多 %d 个字", zh, maxShort), fmt.Sprintf("station: at most %d characters", maxShort))
	}
	if t.Date != "" {
		if _, err := time.Parse(time.DateOnly, t.Date); err != nil {
			bad(field+".date", zh+"日期请写成 2026-03-05", "the date is written 2026-03-05")
		}
	}
	if t.Time != "" {
		if !timePattern.MatchString(t.Time) {
			bad(field+".time", zh+"时间请写成 08:30", "the time is written 08:30")
		} else if len(t.Time) == 4 {
			t.Time = "0" + t.Time
		}
	}
	if t.Companions < 0 || t.Companions > 20 {
		bad(field+".companions", "随行人员 0 至 20 人", "companions: 0 to 20")
	}
	return t
}
