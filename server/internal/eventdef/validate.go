package eventdef

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"huiwu/server/internal/domain"
)

// Size limits: a definition is untrusted input.
const (
	MaxSeats    = 100_000 // per hall
	MaxItems    = 5_000   // categories, sessions, meals, checkpoints, tables, rooms per venue
	MaxVenues   = 500
	MaxTextRune = 200
)

var (
	codePattern  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	colorPattern = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
	ratioPattern = regexp.MustCompile(`^([1-9][0-9]?)/([1-9][0-9]?)$`)
)

var (
	venueKinds      = []string{KindHall, KindRoom, KindDining, KindHotel}
	sessionKinds    = []string{SessionPlenary, SessionGroup, SessionBanquet}
	slots           = []string{Breakfast, Lunch, Dinner}
	checkpointKinds = []string{CheckpointEntrance, CheckpointExit, CheckpointMeal, CheckpointLodging}
	seatKinds       = seatKindNames()
	numberings      = []string{NumberCentre, NumberLeftRight}
	quorumBases     = []string{"members", "expected"}
	presidiumRules  = []string{"odd", "even-a", "even-b"}
	honours         = []string{"left", "right"}
	absentFroms     = []string{AbsentFromStart, AbsentFromClose}
	faceModes       = []string{FaceOff, FaceAdvise, FaceEnforce}
)

// Validate checks a whole definition and returns every problem it finds,
// each with its path. A definition with none can be normalised and stored.
func Validate(d Definition) Errors {
	v := &validator{d: d, venues: map[string]*Venue{}, sessions: map[string]*Session{}, meals: map[string]*Meal{}, cats: map[string]bool{}}
	v.event()
	v.categories()
	v.venueList()
	v.sessionList()
	v.mealList()
	v.checkpointList()
	return v.errs
}

type validator struct {
	collector
	d        Definition
	loc      *time.Location
	venues   map[string]*Venue
	sessions map[string]*Session
	meals    map[string]*Meal
	cats     map[string]bool
}

func (v *validator) text(path, s, zh, en string, required bool) {
	switch {
	case strings.TrimSpace(s) == "" && required:
		v.required(path, zh, en)
	case len([]rune(s)) > MaxTextRune:
		v.add(path, CodeTooMany, fmt.Sprintf("%s过长（最多 %d 字）", zh, MaxTextRune), fmt.Sprintf("%s is too long (at most %d characters)", en, MaxTextRune))
	}
}

func (v *validator) code(path, s, zh, en string) bool {
	switch {
	case s == "":
		v.required(path, zh, en)
	case !codePattern.MatchString(s):
		v.add(path, CodeBadCode, fmt.Sprintf("%s“%s”只能由字母、数字、-、_、. 组成（最长 64 位）", zh, s),
			fmt.Sprintf("%s %q may hold only letters, digits, -, _ and . (at most 64)", en, s))
	default:
		return true
	}
	return false
}

// seatKindNames are the seat kinds as enum takes them, in domain's order.
func seatKindNames() []string {
	var out []string
	for _, k := range domain.SeatKinds() {
		out = append(out, string(k))
	}
	return out
}

func (v *validator) enum(path, s string, allowed []string) bool {
	if slices.Contains(allowed, s) {
		return true
	}
	if s == "" {
		v.add(path, CodeRequired, "缺少取值，应为 "+strings.Join(allowed, "/"), "a value is required: "+strings.Join(allowed, ", "))
		return false
	}
	v.badValue(path, s, strings.Join(allowed, "/"))
	return false
}

func (v *validator) count(path string, n, limit int) bool {
	if n > limit {
		v.add(path, CodeTooMany, fmt.Sprintf("项目过多：%d（最多 %d）", n, limit), fmt.Sprintf("too many items: %d (at most %d)", n, limit))
		return false
	}
	return true
}

func (v *validator) event() {
	e := v.d.Event
	v.code("event.id", e.ID, "会议代码", "the event id")
	v.text("event.name", e.Name, "会议名称", "the event name", true)
	v.text("event.name_en", e.NameEn, "英文名称", "the English name", false)
	if e.Timezone == "" {
		v.required("event.timezone", "时区（如 Asia/Shanghai）", "the timezone (e.g. Asia/Shanghai)")
	} else if loc, err := time.LoadLocation(e.Timezone); err != nil || strings.EqualFold(e.Timezone, "local") {
		v.add("event.timezone", CodeBadTimezone, fmt.Sprintf("未知时区“%s”（应为 IANA 名称，如 Asia/Shanghai）", e.Timezone),
			fmt.Sprintf("unknown timezone %q (use an IANA name such as Asia/Shanghai)", e.Timezone))
	} else {
		v.loc = loc
	}
	v.date("event.starts_on", e.StartsOn, "首日", "the first day")
	v.badgeLayout(e.BadgeLayout)
	if n := e.FaceRetentionDays; n < 0 || n > MaxFaceRetentionDays {
		v.add("event.face_retention_days", CodeBadValue,
			fmt.Sprintf("人脸数据保留天数应在 1–%d 之间（会议最后一天之后的天数；不填为 %d 天）", MaxFaceRetentionDays, DefaultFaceRetentionDays),
			fmt.Sprintf("face data retention must be 1–%d days after the meeting's last day (%d when left out)", MaxFaceRetentionDays, DefaultFaceRetentionDays))
	}
}

func (v *validator) date(path, s, zh, en string) {
	if s == "" {
		v.required(path, zh, en)
		return
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		v.add(path, CodeBadDate, fmt.Sprintf("日期“%s”无效，应为 YYYY-MM-DD", s), fmt.Sprintf("date %q is not valid; use YYYY-MM-DD", s))
	}
}

// ParseTime reads an RFC 3339 time, which must carry an offset.
func ParseTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339, strings.TrimSpace(s))
}

// noOffsetLayouts are the forms people write a time in without an offset:
// they get their own error, which says what is missing.
var noOffsetLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}

func (v *validator) time(path, s, zh, en string) (time.Time, bool) {
	if strings.TrimSpace(s) == "" {
		v.required(path, zh, en)
		return time.Time{}, false
	}
	t, err := ParseTime(s)
	if err == nil {
		return t, true
	}
	for _, l := range noOffsetLayouts {
		if _, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
			v.add(path, CodeNoOffset, fmt.Sprintf("%s“%s”缺少时区偏移，应写成 2026-03-05T09:00:00+08:00", zh, s),
				fmt.Sprintf("%s %q has no offset; write it as 2026-03-05T09:00:00+08:00", en, s))
			return time.Time{}, false
		}
	}
	v.add(path, CodeBadTime, fmt.Sprintf("%s“%s”无效，应为 RFC 3339 格式，如 2026-03-05T09:00:00+08:00", zh, s),
		fmt.Sprintf("%s %q is not an RFC 3339 time such as 2026-03-05T09:00:00+08:00", en, s))
	return time.Time{}, false
}

// order checks that the times named come in order (each ≤ the next, or <
// when strict), reporting at the first one out of place.
func (v *validator) order(base string, strict bool, names []string, times []time.Time, ok []bool) {
	for i := 1; i < len(times); i++ {
		if !ok[i-1] || !ok[i] {
			return
		}
		if times[i].Before(times[i-1]) || (strict && !times[i].After(times[i-1])) {
			rel := "≤"
			if strict {
				rel = "<"
			}
			v.add(base+"."+names[i], CodeWindowOrder,
				fmt.Sprintf("时间顺序不对：%s 应 %s %s", names[i-1], rel, names[i]),
				fmt.Sprintf("times out of order: %s must be %s %s", names[i-1], rel, names[i]))
			return
		}
	}
}

func (v *validator) categories() {
	v.count("categories", len(v.d.Categories), MaxItems)
	for i, c := range v.d.Categories {
		p := fmt.Sprintf("categories[%d]", i)
		if v.code(p+".code", c.Code, "类别代码", "the category code") {
			if v.cats[c.Code] {
				v.duplicate(p+".code", c.Code)
			}
			v.cats[c.Code] = true
		}
		v.text(p+".name", c.Name, "类别名称", "the category name", true)
		if c.Color != "" && !colorPattern.MatchString(c.Color) {
			v.add(p+".color", CodeBadValue, fmt.Sprintf("颜色“%s”应为 #RRGGBB", c.Color), fmt.Sprintf("colour %q must be #RRGGBB", c.Color))
		}
	}
}

func (v *validator) duplicate(path, code string) {
	v.add(path, CodeDuplicate, fmt.Sprintf("代码“%s”重复", code), fmt.Sprintf("code %q is used twice", code))
}

func (v *validator) venueList() {
	v.count("venues", len(v.d.Venues), MaxVenues)
	for i := range v.d.Venues {
		ven := &v.d.Venues[i]
		p := fmt.Sprintf("venues[%d]", i)
		if v.code(p+".code", ven.Code, "场地代码", "the venue code") {
			if v.venues[ven.Code] != nil {
				v.duplicate(p+".code", ven.Code)
			} else {
				v.venues[ven.Code] = ven
			}
		}
		v.text(p+".name", ven.Name, "场地名称", "the venue name", true)
		v.enum(p+".kind", ven.Kind, venueKinds)
		if ven.Capacity < 0 {
			v.add(p+".capacity", CodeBadValue, "容量不能为负数", "capacity cannot be negative")
		}
		doors := map[string]bool{}
		for j, d := range ven.Doors {
			dp := fmt.Sprintf("%s.doors[%d]", p, j)
			v.text(dp, d, "门的名称", "the door name", true)
			if doors[d] {
				v.add(dp, CodeDuplicate, fmt.Sprintf("门“%s”重复", d), fmt.Sprintf("door %q is listed twice", d))
			}
			doors[d] = true
		}
		v.hall(p, ven, doors)
		v.wrongPart(p+".tables", len(ven.Tables) > 0 && ven.Kind != KindDining, "餐桌只属于餐厅", "only a dining hall has tables")
		v.wrongPart(p+".rooms", len(ven.Rooms) > 0 && ven.Kind != KindHotel, "客房只属于酒店", "only a hotel has rooms")
		if v.count(p+".tables", len(ven.Tables), MaxItems) {
			seen := map[int]bool{}
			for j, t := range ven.Tables {
				tp := fmt.Sprintf("%s.tables[%d]", p, j)
				if t.Number <= 0 {
					v.add(tp+".number", CodeBadValue, "桌号应为正整数", "a table number must be positive")
				} else if seen[t.Number] {
					v.add(tp+".number", CodeDuplicate, fmt.Sprintf("桌号 %d 重复", t.Number), fmt.Sprintf("table %d is listed twice", t.Number))
				}
				seen[t.Number] = true
				if t.Seats <= 0 {
					v.add(tp+".seats", CodeBadValue, "每桌座位数应为正整数", "seats per table must be positive")
				}
			}
		}
		if v.count(p+".rooms", len(ven.Rooms), MaxItems*4) {
			seen := map[string]bool{}
			for j, r := range ven.Rooms {
				rp := fmt.Sprintf("%s.rooms[%d]", p, j)
				v.text(rp+".number", r.Number, "房号", "the room number", true)
				if seen[r.Number] {
					v.add(rp+".number", CodeDuplicate, fmt.Sprintf("房号 %s 重复", r.Number), fmt.Sprintf("room %s is listed twice", r.Number))
				}
				seen[r.Number] = true
				if r.Beds <= 0 {
					v.add(rp+".beds", CodeBadValue, "床位数应为正整数", "beds must be positive")
				}
			}
		}
	}
}

func (v *validator) wrongPart(path string, bad bool, zh, en string) {
	if bad {
		v.add(path, CodeWrongVenueKind, zh, en)
	}
}

// hall checks a venue's presidium rows, sections and seats.
func (v *validator) hall(p string, ven *Venue, doors map[string]bool) {
	hasSeats := len(ven.Presidium)+len(ven.Sections)+len(ven.Seats) > 0
	v.wrongPart(p+".seats", hasSeats && ven.Kind != KindHall, "只有会场（hall）有座位图", "only a hall has a seat map")
	total := 0
	for j, n := range ven.Presidium {
		if n <= 0 || n > 200 {
			v.add(fmt.Sprintf("%s.presidium[%d]", p, j), CodeBadValue, "主席台每排座位数应在 1–200 之间", "presidium seats per row must be 1–200")
		}
		total += max(n, 0)
	}
	codes := map[string]bool{}
	for j, s := range ven.Sections {
		sp := fmt.Sprintf("%s.sections[%d]", p, j)
		switch {
		case s.Code == "":
			v.required(sp+".code", "座区代码", "the section code")
		case strings.ContainsFunc(s.Code, unicode.IsSpace) || strings.Contains(s.Code, "-") || s.Code == PresidiumSection:
			v.add(sp+".code", CodeBadCode, fmt.Sprintf("座区代码“%s”不能含空格或“-”，也不能是 presidium", s.Code),
				fmt.Sprintf("section code %q may not contain spaces or '-' nor be 'presidium'", s.Code))
		case codes[s.Code]:
			v.duplicate(sp+".code", s.Code)
		}
		codes[s.Code] = true
		if s.Rows <= 0 || s.Rows > 500 {
			v.add(sp+".rows", CodeBadValue, "排数应在 1–500 之间", "rows must be 1–500")
		}
		if s.Seats <= 0 || s.Seats > 500 {
			v.add(sp+".seats", CodeBadValue, "每排座位数应在 1–500 之间", "seats per row must be 1–500")
		}
		if s.FirstRow < 0 {
			v.add(sp+".first_row", CodeBadValue, "起始排号不能为负数", "the first row cannot be negative")
		}
		v.enum(sp+".numbering", s.Numbering, numberings)
		v.door(sp+".door", s.Door, doors)
		total += max(s.Rows, 0) * max(s.Seats, 0)
	}
	if !v.count(p+".seats", total+len(ven.Seats), MaxSeats) {
		return
	}
	labels := map[string]bool{}
	for j, s := range ven.Seats {
		sp := fmt.Sprintf("%s.seats[%d]", p, j)
		switch {
		case s.Label == "":
			v.required(sp+".seat", "座位编号", "the seat label")
		case labels[s.Label]:
			v.add(sp+".seat", CodeDuplicate, fmt.Sprintf("座位 %s 重复", s.Label), fmt.Sprintf("seat %s is listed twice", s.Label))
		}
		labels[s.Label] = true
		if s.Section == "" {
			v.required(sp+".section", "座区", "the section")
		}
		if s.Kind != "" {
			v.enum(sp+".kind", string(s.Kind), seatKinds)
		}
		v.door(sp+".door", s.Door, doors)
	}
}

// door checks that a door, when named, is one of the venue's (when it
// lists any).
func (v *validator) door(path, d string, doors map[string]bool) {
	if d != "" && len(doors) > 0 && !doors[d] {
		v.add(path, CodeUnknownDoor, fmt.Sprintf("场地没有“%s”这个门", d), fmt.Sprintf("the venue has no door %q", d))
	}
}

func (v *validator) venue(path, code string) *Venue {
	if code == "" {
		v.required(path, "场地", "the venue")
		return nil
	}
	ven := v.venues[code]
	if ven == nil {
		v.add(path, CodeUnknownVenue, fmt.Sprintf("未知场地“%s”", code), fmt.Sprintf("unknown venue %q", code))
	}
	return ven
}

func (v *validator) rule(path string, r *Rule) {
	if r == nil {
		return
	}
	for i, c := range r.Categories {
		if !v.cats[c] {
			v.add(fmt.Sprintf("%s.categories[%d]", path, i), CodeUnknownCategory,
				fmt.Sprintf("未知人员类别“%s”", c), fmt.Sprintf("unknown category %q", c))
		}
	}
}

func (v *validator) sessionList() {
	v.count("sessions", len(v.d.Sessions), MaxItems)
	for i := range v.d.Sessions {
		s := &v.d.Sessions[i]
		p := fmt.Sprintf("sessions[%d]", i)
		if v.code(p+".id", s.ID, "场次代码", "the session id") {
			if v.sessions[s.ID] != nil {
				v.duplicate(p+".id", s.ID)
			} else {
				v.sessions[s.ID] = s
			}
		}
		v.text(p+".name", s.Name, "场次名称", "the session name", true)
		kindOK := v.enum(p+".kind", s.Kind, sessionKinds)
		if ven := v.venue(p+".venue", s.Venue); ven != nil && kindOK {
			v.sessionVenue(p+".venue", s, ven)
		}
		v.window(p, []string{"opens_at", "starts_at", "ends_at", "closes_at"}, false, s.OpensAt, s.StartsAt, s.EndsAt, s.ClosesAt)
		if s.AbsentFrom != "" {
			v.enum(p+".absent_from", s.AbsentFrom, absentFroms)
		}
		v.rule(p+".expected", s.Expected)
		if q := s.Quorum; q != nil {
			v.enum(p+".quorum.base", q.Base, quorumBases)
			if !ratioOK(q.Ratio) {
				v.add(p+".quorum.ratio", CodeBadValue, fmt.Sprintf("比例“%s”应写成 1/2、2/3 这样", q.Ratio),
					fmt.Sprintf("ratio %q must read like 1/2 or 2/3", q.Ratio))
			}
			v.rule(p+".quorum", &Rule{Categories: q.Categories})
		}
		if pr := s.Presidium; pr != nil {
			v.enum(p+".presidium.rule", pr.Rule, presidiumRules)
			v.enum(p+".presidium.honour", pr.Honour, honours)
		}
	}
}

// sessionVenue checks that the venue suits the session: a plenary needs a
// hall with seats, a banquet a dining hall or a hall, nothing meets in a
// hotel.
func (v *validator) sessionVenue(path string, s *Session, ven *Venue) {
	switch {
	case ven.Kind == KindHotel:
		v.add(path, CodeWrongVenueKind, fmt.Sprintf("场次不能安排在酒店“%s”", ven.Name), fmt.Sprintf("a session cannot be held in the hotel %q", ven.Name))
	case s.Kind == SessionPlenary && (ven.Kind != KindHall || len(Layout(*ven)) == 0):
		v.add(path, CodeNoSeats, fmt.Sprintf("全体会议需要有座位图的会场，“%s”没有座位", ven.Name),
			fmt.Sprintf("a plenary needs a hall with seats; %q has none", ven.Name))
	case s.Kind == SessionBanquet && ven.Kind != KindDining && ven.Kind != KindHall:
		v.add(path, CodeWrongVenueKind, fmt.Sprintf("宴会应安排在餐厅或会场，“%s”不是", ven.Name),
			fmt.Sprintf("a banquet belongs in a dining hall or a hall; %q is neither", ven.Name))
	case s.Kind == SessionBanquet && ven.Kind == KindDining && len(ven.Tables) == 0:
		v.add(path, CodeNoSeats, fmt.Sprintf("宴会需要餐桌，“%s”没有餐桌", ven.Name), fmt.Sprintf("a banquet needs tables; %q has none", ven.Name))
	}
}

func ratioOK(r string) bool {
	m := ratioPattern.FindStringSubmatch(r)
	if m == nil {
		return false
	}
	n, _ := strconv.Atoi(m[1])
	d, _ := strconv.Atoi(m[2])
	return n <= d
}

// window checks a run of times: each present, with an offset, in order.
func (v *validator) window(p string, names []string, strict bool, values ...string) {
	times := make([]time.Time, len(values))
	ok := make([]bool, len(values))
	for i, s := range values {
		times[i], ok[i] = v.time(p+"."+names[i], s, names[i], names[i])
	}
	v.order(p, strict, names, times, ok)
}

func (v *validator) mealList() {
	v.count("meals", len(v.d.Meals), MaxItems)
	for i := range v.d.Meals {
		m := &v.d.Meals[i]
		p := fmt.Sprintf("meals[%d]", i)
		if v.code(p+".id", m.ID, "餐次代码", "the meal id") {
			if v.meals[m.ID] != nil {
				v.duplicate(p+".id", m.ID)
			} else {
				v.meals[m.ID] = m
			}
		}
		v.text(p+".name", m.Name, "餐次名称", "the meal name", true)
		v.date(p+".date", m.Date, "用餐日期", "the meal date")
		v.enum(p+".slot", m.Slot, slots)
		v.window(p, []string{"opens_at", "closes_at"}, true, m.OpensAt, m.ClosesAt)
		if len(m.Halls) == 0 {
			v.required(p+".halls", "供餐餐厅", "at least one dining hall")
		}
		seen := map[string]bool{}
		for j, h := range m.Halls {
			hp := fmt.Sprintf("%s.halls[%d]", p, j)
			if ven := v.venue(hp+".venue", h.Venue); ven != nil && ven.Kind != KindDining {
				v.add(hp+".venue", CodeNotDiningHall, fmt.Sprintf("“%s”不是餐厅", ven.Name), fmt.Sprintf("%q is not a dining hall", ven.Name))
			}
			if h.Rule.Empty() && seen[h.Venue] {
				v.add(hp+".venue", CodeDuplicate, "同一餐厅重复列出", "the same hall is listed twice without a rule")
			}
			seen[h.Venue] = true
			v.rule(hp, &h.Rule)
		}
	}
}

func (v *validator) checkpointList() {
	v.count("checkpoints", len(v.d.Checkpoints), MaxItems)
	seen := map[string]bool{}
	for i, c := range v.d.Checkpoints {
		p := fmt.Sprintf("checkpoints[%d]", i)
		if v.code(p+".id", c.ID, "检查点代码", "the checkpoint id") {
			if seen[c.ID] {
				v.duplicate(p+".id", c.ID)
			}
			seen[c.ID] = true
		}
		v.text(p+".name", c.Name, "检查点名称", "the checkpoint name", true)
		kindOK := v.enum(p+".kind", c.Kind, checkpointKinds)
		v.checkpointFace(p, c)
		ven := v.venue(p+".venue", c.Venue)
		if ven != nil && kindOK {
			v.checkpointVenue(p, c, ven)
		}
		if ven != nil && c.Door != "" {
			doors := map[string]bool{}
			for _, d := range ven.Doors {
				doors[d] = true
			}
			v.door(p+".door", c.Door, doors)
		}
		if c.Session != "" {
			s := v.sessions[c.Session]
			switch {
			case s == nil:
				v.add(p+".session", CodeUnknownSession, fmt.Sprintf("未知场次“%s”", c.Session), fmt.Sprintf("unknown session %q", c.Session))
			case c.Kind != CheckpointEntrance && c.Kind != CheckpointExit:
				v.add(p+".session", CodeBadValue, "只有入口和出口可以指定场次", "only an entrance or exit names a session")
			case s.Venue != c.Venue:
				v.add(p+".session", CodeWrongVenue, fmt.Sprintf("场次“%s”不在这个场地举行", s.Name), fmt.Sprintf("session %q is not held at this venue", s.Name))
			}
		}
		if c.Meal != "" {
			m := v.meals[c.Meal]
			switch {
			case m == nil:
				v.add(p+".meal", CodeUnknownMeal, fmt.Sprintf("未知餐次“%s”", c.Meal), fmt.Sprintf("unknown meal %q", c.Meal))
			case c.Kind != CheckpointMeal:
				v.add(p+".meal", CodeBadValue, "只有用餐检查点可以指定餐次", "only a meal checkpoint names a meal")
			case !slices.ContainsFunc(m.Halls, func(h MealHall) bool { return h.Venue == c.Venue }):
				v.add(p+".meal", CodeWrongVenue, fmt.Sprintf("餐次“%s”不在这个餐厅供应", m.Name), fmt.Sprintf("meal %q is not served in this hall", m.Name))
			}
		}
	}
}

// checkpointFace checks the face mode (empty is off). A face check at a
// checkpoint of an event without face verification is kept but sleeps:
// the event's switch turns every face check off in one step, and turning
// it off is never refused.
func (v *validator) checkpointFace(p string, c Checkpoint) {
	if c.Face != "" {
		v.enum(p+".face", c.Face, faceModes)
	}
}

func (v *validator) checkpointVenue(p string, c Checkpoint, ven *Venue) {
	switch c.Kind {
	case CheckpointMeal:
		if ven.Kind != KindDining {
			v.add(p+".venue", CodeNotDiningHall, fmt.Sprintf("用餐检查点应设在餐厅，“%s”不是餐厅", ven.Name),
				fmt.Sprintf("a meal checkpoint belongs in a dining hall; %q is not one", ven.Name))
		}
	case CheckpointLodging:
		if ven.Kind != KindHotel {
			v.add(p+".venue", CodeWrongVenueKind, fmt.Sprintf("住宿检查点应设在酒店，“%s”不是酒店", ven.Name),
				fmt.Sprintf("a lodging checkpoint belongs in a hotel; %q is not one", ven.Name))
		}
	default:
		if ven.Kind == KindHotel {
			v.add(p+".venue", CodeWrongVenueKind, fmt.Sprintf("入口/出口不能设在酒店“%s”", ven.Name),
				fmt.Sprintf("an entrance or exit cannot be at the hotel %q", ven.Name))
		}
	}
}
