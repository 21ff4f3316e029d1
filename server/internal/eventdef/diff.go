package eventdef

import (
	"cmp"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Report says what applying a definition changes (or, for a dry run, would
// change): counts per part, each change in words, and the consequences the
// store finds (who is expected where).
type Report struct {
	Created   map[string]int `json:"created"`
	Updated   map[string]int `json:"updated"`
	Removed   map[string]int `json:"removed"`
	Unchanged bool           `json:"unchanged"`
	Warnings  []Text         `json:"warnings"`
	Changes   []Change       `json:"changes"`
	// Effects are consequences beyond the definition itself, such as a
	// session's 应到 moving when its rule changes.
	Effects []Text `json:"effects"`
}

// Change is one item of one part created, updated or removed.
type Change struct {
	Part   string   `json:"part"`
	Op     string   `json:"op"` // created, updated, removed
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	Fields []string `json:"fields,omitempty"`
	Words  Text     `json:"words"`
}

// The operations of a Change.
const (
	OpCreated = "created"
	OpUpdated = "updated"
	OpRemoved = "removed"
)

// Diff compares two normalised definitions (old may be the zero value: no
// event yet).
func Diff(old, next Definition) Report {
	r := Report{Created: map[string]int{}, Updated: map[string]int{}, Removed: map[string]int{}, Warnings: []Text{}, Changes: []Change{}, Effects: []Text{}}
	loc, err := time.LoadLocation(next.Event.Timezone)
	if err != nil {
		loc = time.UTC
	}
	d := differ{r: &r, loc: loc}
	if old.Event.ID == "" {
		d.add(PartEvent, OpCreated, next.Event.ID, next.Event.Name, nil)
	} else if f := d.fields(old.Event, next.Event); len(f) > 0 {
		d.add(PartEvent, OpUpdated, next.Event.ID, next.Event.Name, f)
	}
	diffPart(&d, PartCategories, old.Categories, next.Categories, func(c Category) (string, string) { return c.Code, c.Name })
	diffPart(&d, PartVenues, old.Venues, next.Venues, func(v Venue) (string, string) { return v.Code, v.Name })
	diffPart(&d, PartSessions, old.Sessions, next.Sessions, func(s Session) (string, string) { return s.ID, s.Name })
	diffPart(&d, PartMeals, old.Meals, next.Meals, func(m Meal) (string, string) { return m.ID, m.Name })
	diffPart(&d, PartCheckpoints, old.Checkpoints, next.Checkpoints, func(c Checkpoint) (string, string) { return c.ID, c.Name })
	r.Unchanged = len(r.Changes) == 0
	return r
}

type differ struct {
	r   *Report
	loc *time.Location
	// what holds the field-level sentences of the change being built.
	what []Text
}

func diffPart[T any](d *differ, part string, old, next []T, key func(T) (string, string)) {
	before := map[string]T{}
	for _, o := range old {
		k, _ := key(o)
		before[k] = o
	}
	seen := map[string]bool{}
	for _, n := range next {
		k, name := key(n)
		seen[k] = true
		o, ok := before[k]
		switch {
		case !ok:
			d.add(part, OpCreated, k, name, nil)
		default:
			if f := d.fields(o, n); len(f) > 0 {
				d.add(part, OpUpdated, k, name, f)
			}
		}
	}
	for _, o := range old {
		if k, name := key(o); !seen[k] {
			d.add(part, OpRemoved, k, name, nil)
		}
	}
}

// fields lists the JSON names of the fields that differ and notes each
// difference in words.
func (d *differ) fields(a, b any) []string {
	d.what = d.what[:0]
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	var out []string
	for i := range va.NumField() {
		fa, fb := va.Field(i), vb.Field(i)
		if reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			continue
		}
		name, _, _ := strings.Cut(va.Type().Field(i).Tag.Get("json"), ",")
		if name == "" { // an embedded struct such as MealHall's Rule
			name = va.Type().Field(i).Name
		}
		out = append(out, name)
		d.what = append(d.what, d.fieldWords(name, fa, fb))
	}
	return out
}

// fieldNames are the people's words for the fields a desk changes most.
var fieldNames = map[string]Text{
	"name": {"名称", "name"}, "name_en": {"英文名称", "English name"}, "kind": {"类型", "kind"},
	"venue": {"场地", "venue"}, "door": {"门", "door"}, "doors": {"门", "doors"}, "group": {"讨论组", "group"},
	"opens_at": {"开门", "doors open"}, "starts_at": {"开始", "starts"}, "ends_at": {"结束", "ends"},
	"closes_at": {"关门", "doors close"}, "expected": {"应到范围", "who is expected"}, "quorum": {"法定人数", "quorum"},
	"presidium": {"主席台", "presidium"}, "sections": {"座区", "sections"}, "seats": {"座位", "seats"},
	"tables": {"餐桌", "tables"}, "rooms": {"客房", "rooms"}, "capacity": {"容量", "capacity"},
	"halls": {"供餐餐厅", "dining halls"}, "date": {"日期", "date"}, "slot": {"餐别", "slot"},
	"session": {"场次", "session"}, "meal": {"餐次", "meal"}, "color": {"颜色", "colour"}, "voting": {"表决权", "voting"},
	"timezone": {"时区", "timezone"}, "starts_on": {"首日", "first day"},
	"absent_from":       {"缺席起算", "absent from"},
	"face_verification": {"人脸核验", "face verification"}, "face": {"人脸核验", "face check"},
	"photo_check": {"照片核对", "photo check"}, "badge_layout": {"证件版式", "badge layout"},
	"face_retention_days": {"人脸数据保留天数", "face data retention (days)"},
}

// valueWords are the people's words for the values of enumerated fields.
var valueWords = map[string]map[string]Text{
	"absent_from": {AbsentFromStart: {"开始", "the start"}, AbsentFromClose: {"关门", "the close"}},
	"face":        {FaceOff: {"关闭", "off"}, FaceAdvise: {"提示", "advise"}, FaceEnforce: {"拒绝通行", "enforce"}},
}

func (d *differ) fieldWords(name string, a, b reflect.Value) Text {
	label := fieldNames[name]
	if label.Zh == "" {
		label = Text{name, name}
	}
	if words := valueWords[name]; words != nil && a.Kind() == reflect.String && b.Kind() == reflect.String {
		wa, wb := words[a.String()], words[b.String()]
		return Text{Zh: fmt.Sprintf("%s %s → %s", label.Zh, cmp.Or(wa.Zh, a.String(), "—"), cmp.Or(wb.Zh, b.String(), "—")),
			En: fmt.Sprintf("%s %s → %s", label.En, cmp.Or(wa.En, a.String(), "—"), cmp.Or(wb.En, b.String(), "—"))}
	}
	simple := func(v reflect.Value) (string, bool) {
		switch v.Kind() {
		case reflect.String:
			s := v.String()
			if t, err := ParseTime(s); err == nil {
				return t.In(d.loc).Format("01-02 15:04"), true
			}
			if s == "" {
				return "—", true
			}
			return s, true
		case reflect.Int, reflect.Bool:
			return fmt.Sprint(v.Interface()), true
		}
		return "", false
	}
	if a.Kind() == reflect.Bool && b.Kind() == reflect.Bool {
		yes := func(v bool) Text { return map[bool]Text{true: {"是", "yes"}, false: {"否", "no"}}[v] }
		wa, wb := yes(a.Bool()), yes(b.Bool())
		return Text{Zh: fmt.Sprintf("%s %s → %s", label.Zh, wa.Zh, wb.Zh), En: fmt.Sprintf("%s %s → %s", label.En, wa.En, wb.En)}
	}
	sa, okA := simple(a)
	sb, okB := simple(b)
	if okA && okB {
		return Text{Zh: fmt.Sprintf("%s %s → %s", label.Zh, sa, sb), En: fmt.Sprintf("%s %s → %s", label.En, sa, sb)}
	}
	return Text{Zh: label.Zh + "已修改", En: label.En + " changed"}
}

var partNames = map[string]Text{
	PartEvent: {"会议", "event"}, PartCategories: {"人员类别", "category"}, PartVenues: {"场地", "venue"},
	PartSessions: {"场次", "session"}, PartMeals: {"餐次", "meal"}, PartCheckpoints: {"检查点", "checkpoint"},
}

func (d *differ) add(part, op, code, name string, fields []string) {
	switch op {
	case OpCreated:
		d.r.Created[part]++
	case OpUpdated:
		d.r.Updated[part]++
	case OpRemoved:
		d.r.Removed[part]++
	}
	pn := partNames[part]
	var w Text
	switch op {
	case OpCreated:
		w = Text{Zh: fmt.Sprintf("新增%s“%s”", pn.Zh, name), En: fmt.Sprintf("new %s %q", pn.En, name)}
	case OpRemoved:
		w = Text{Zh: fmt.Sprintf("删除%s“%s”", pn.Zh, name), En: fmt.Sprintf("%s %q removed", pn.En, name)}
	default:
		zh, en := make([]string, len(d.what)), make([]string, len(d.what))
		for i, t := range d.what {
			zh[i], en[i] = t.Zh, t.En
		}
		w = Text{Zh: fmt.Sprintf("%s“%s”：%s", pn.Zh, name, strings.Join(zh, "，")),
			En: fmt.Sprintf("%s %q: %s", pn.En, name, strings.Join(en, ", "))}
	}
	d.r.Changes = append(d.r.Changes, Change{Part: part, Op: op, Code: code, Name: name, Fields: fields, Words: w})
}
