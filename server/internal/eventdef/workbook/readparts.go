package workbook

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/eventdef"
)

// timezoneWords are names people write for a timezone that IANA spells
// otherwise.
var timezoneWords = map[string]string{"北京时间": "Asia/Shanghai", "中国标准时间": "Asia/Shanghai"}

// event reads 会议信息: a key in a row's first cell, its value in the next.
func (rd *reader) event(sheet string) {
	at := &sheetAt{name: sheet, cols: map[string]colAt{}}
	seen := map[int]int{}
	vals := make([]string, len(eventKeys))
	cells := make([]cell, len(eventKeys))
	rd.eachRow(sheet, func(line int, row []string) bool {
		if _, ok := rd.l.items["event"]; !ok {
			rd.l.item("event", line, at, "")
		}
		i := 0
		for i < len(row) && clean(row[i]) == "" {
			i++
		}
		k := eventKey(row[i])
		if k < 0 {
			return true
		}
		c := cell{sheet: sheet, line: line, col: i + 1, header: eventKeys[k].name, en: eventKeys[k].en}
		if i+1 < len(row) {
			c.raw = row[i+1]
		}
		if first, dup := seen[k]; dup {
			rd.fail(c, CodeDuplicateKey, fmt.Sprintf("“%s”已在第 %d 行给出，请删去一行", eventKeys[k].name, first),
				fmt.Sprintf("%s is already given in row %d; delete one", eventKeys[k].en, first))
			return true
		}
		seen[k] = line
		cells[k] = c
		rd.l.fields[eventKeys[k].path] = Position{Sheet: sheet, Row: line, Column: letter(i + 1), Header: eventKeys[k].name}
		return true
	})
	for k := range eventKeys {
		if _, ok := seen[k]; !ok {
			continue
		}
		c := cells[k]
		switch k {
		case eStartsOn:
			vals[k] = rd.date(c)
		case eID:
			vals[k] = rd.code(c)
		case eFaceVerification:
			vals[k] = rd.choice(c, yesNo)
		case eBadgeLayout:
			vals[k] = strings.ToLower(rd.text(c)) // CR80 as cr80
		case eFaceRetentionDays:
			rd.def.Event.FaceRetentionDays = rd.integer(c)
		default:
			vals[k] = rd.text(c)
		}
	}
	e := &rd.def.Event
	e.ID, e.Name, e.NameEn, e.StartsOn = vals[eID], vals[eName], vals[eNameEn], vals[eStartsOn]
	e.Timezone = vals[eTimezone]
	e.FaceVerification = vals[eFaceVerification] == "true"
	e.BadgeLayout = vals[eBadgeLayout]
	if tz, ok := timezoneWords[e.Timezone]; ok {
		e.Timezone = tz
	}
	if e.Timezone == "" {
		return
	}
	loc, err := time.LoadLocation(e.Timezone)
	if err != nil || strings.EqualFold(e.Timezone, "local") {
		rd.fail(cells[eTimezone], CodeBadTimezone, fmt.Sprintf("未知时区“%s”，应为 IANA 时区名，如 Asia/Shanghai", e.Timezone),
			fmt.Sprintf("unknown timezone %q; use an IANA name such as Asia/Shanghai", e.Timezone))
		return
	}
	rd.loc = loc
}

func eventKey(s string) int {
	k := foldHeader(s)
	for i, ek := range eventKeys {
		if foldHeader(ek.name) == k || foldHeader(ek.en) == k {
			return i
		}
		for _, a := range ek.aliases {
			if foldHeader(a) == k {
				return i
			}
		}
	}
	return -1
}

var bareColor = regexp.MustCompile(`^[0-9A-Fa-f]{6}$`)

func (rd *reader) categories(t *table) {
	for _, r := range t.rows {
		rd.l.item(fmt.Sprintf("categories[%d]", len(rd.def.Categories)), r.line, t.at, "")
		color := rd.code(t.cell(r, cColor))
		if bareColor.MatchString(color) {
			color = "#" + color
		}
		rd.def.Categories = append(rd.def.Categories, eventdef.Category{
			Code:   rd.code(t.cell(r, cCode)),
			Name:   rd.text(t.cell(r, cName)),
			NameEn: rd.text(t.cell(r, cNameEn)),
			Color:  color,
			Voting: rd.boolean(t.cell(r, cVoting), yesNo),
		})
	}
}

func (rd *reader) venues(t *table) {
	for _, r := range t.rows {
		i := len(rd.def.Venues)
		rd.l.item(fmt.Sprintf("venues[%d]", i), r.line, t.at, "")
		v := eventdef.Venue{
			Code:      rd.code(t.cell(r, vCode)),
			Name:      rd.text(t.cell(r, vName)),
			NameEn:    rd.text(t.cell(r, vNameEn)),
			Kind:      rd.choice(t.cell(r, vKind), venueKinds),
			Capacity:  rd.integer(t.cell(r, vCapacity)),
			Doors:     rd.list(t.cell(r, vDoors), false),
			Presidium: rd.integers(t.cell(r, vPresidium)),
		}
		if c := t.cell(r, vTables); clean(c.raw) != "" {
			tables, bad, ok := parseTables(rd.text(c))
			if !ok {
				rd.fail(c, CodeBadTables, fmt.Sprintf("“%s”看不懂：“%s”。应写成 40×10（40 桌，每桌 10 座）、51-60×8 或 61号×12，用“、”分隔", c.header, bad),
					fmt.Sprintf("%s cannot be read at %q; write 40×10 (40 tables of 10), 51-60×8 or 61号×12, separated by 、", c.en, bad))
			}
			v.Tables = tables
		}
		if _, dup := rd.venueAt[v.Code]; !dup && v.Code != "" {
			rd.venueAt[v.Code] = i
		}
		rd.def.Venues = append(rd.def.Venues, v)
	}
}

// owner finds the venue a 座区, 座位 or 住宿 row belongs to. An empty cell
// means the venue of the row above (so merged cells work); prev carries it
// from row to row.
func (rd *reader) owner(c cell, prev *string) (int, bool) {
	code := rd.code(c)
	inherited := code == ""
	if inherited {
		code = *prev
	}
	*prev = code
	if code == "" {
		rd.fail(c, CodeRequired, fmt.Sprintf("缺少“%s”：这一行属于哪个场地？", c.header), fmt.Sprintf("%s is empty: which venue is this row in?", c.en))
		return 0, false
	}
	i, ok := rd.venueAt[code]
	if !ok && !inherited {
		rd.fail(c, CodeUnknownVenue, fmt.Sprintf("“%s”不在“场地”表中", code), fmt.Sprintf("%q is not on the 场地 (venues) sheet", code))
	}
	return i, ok
}

func (rd *reader) sections(t *table) {
	prev := ""
	for _, r := range t.rows {
		vi, ok := rd.owner(t.cell(r, secVenue), &prev)
		if !ok {
			continue
		}
		v := &rd.def.Venues[vi]
		rd.l.item(fmt.Sprintf("venues[%d].sections[%d]", vi, len(v.Sections)), r.line, t.at, "")
		v.Sections = append(v.Sections, eventdef.Section{
			Code:      rd.code(t.cell(r, secCode)),
			Rows:      rd.integer(t.cell(r, secRows)),
			Seats:     rd.integer(t.cell(r, secSeats)),
			Numbering: rd.choice(t.cell(r, secNumbering), numberings),
			Door:      rd.text(t.cell(r, secDoor)),
			FirstRow:  rd.integer(t.cell(r, secFirstRow)),
		})
	}
}

func (rd *reader) seats(t *table) {
	prev := ""
	for _, r := range t.rows {
		vi, ok := rd.owner(t.cell(r, stVenue), &prev)
		if !ok {
			continue
		}
		v := &rd.def.Venues[vi]
		rd.l.item(fmt.Sprintf("venues[%d].seats[%d]", vi, len(v.Seats)), r.line, t.at, "")
		v.Seats = append(v.Seats, eventdef.Seat{
			Label:   rd.code(t.cell(r, stLabel)),
			Section: rd.code(t.cell(r, stSection)),
			Row:     rd.integer(t.cell(r, stRow)),
			Number:  rd.integer(t.cell(r, stNumber)),
			Kind:    domain.SeatKind(rd.choice(t.cell(r, stKind), seatKinds)),
			Door:    rd.text(t.cell(r, stDoor)),
			X:       rd.float(t.cell(r, stX)),
			Y:       rd.float(t.cell(r, stY)),
		})
	}
}

func (rd *reader) rooms(t *table) {
	prev := ""
	for _, r := range t.rows {
		vi, ok := rd.owner(t.cell(r, rHotel), &prev)
		if !ok {
			continue
		}
		v := &rd.def.Venues[vi]
		c := t.cell(r, rNumber)
		numbers, ok := parseRoomRun(rd.code(c))
		if !ok {
			rd.fail(c, CodeBadRoomRun, fmt.Sprintf("“%s”看不懂：连号应写成 801~820（前后位数相同，最多 %d 间）", clean(c.raw), maxRoomsPerRun),
				fmt.Sprintf("%q cannot be read: write a run as 801~820 (at most %d rooms)", clean(c.raw), maxRoomsPerRun))
			continue
		}
		beds := rd.integer(t.cell(r, rBeds))
		for _, n := range numbers {
			rd.l.item(fmt.Sprintf("venues[%d].rooms[%d]", vi, len(v.Rooms)), r.line, t.at, "")
			v.Rooms = append(v.Rooms, eventdef.Room{Number: n, Beds: beds})
		}
	}
}

func (rd *reader) sessions(t *table) {
	for _, r := range t.rows {
		rd.l.item(fmt.Sprintf("sessions[%d]", len(rd.def.Sessions)), r.line, t.at, "")
		s := eventdef.Session{
			ID:       rd.code(t.cell(r, sCode)),
			Name:     rd.text(t.cell(r, sName)),
			NameEn:   rd.text(t.cell(r, sNameEn)),
			Kind:     rd.choice(t.cell(r, sKind), sessionKinds),
			Venue:    rd.code(t.cell(r, sVenue)),
			Group:    rd.text(t.cell(r, sGroup)),
			OpensAt:  rd.time(t.cell(r, sOpens), ""),
			StartsAt: rd.time(t.cell(r, sStarts), ""),
			EndsAt:   rd.time(t.cell(r, sEnds), ""),
			ClosesAt: rd.time(t.cell(r, sCloses), ""),
			// Empty: the default, from the start.
			AbsentFrom: rd.choice(t.cell(r, sAbsentFrom), absentFroms),
		}
		exp := eventdef.Rule{
			Categories:  rd.list(t.cell(r, sExpCats), true),
			Delegations: rd.list(t.cell(r, sExpDels), false),
			Groups:      rd.list(t.cell(r, sExpGroups), false),
		}
		if !exp.Empty() {
			s.Expected = &exp
		}
		if anyGiven(t, r, sQBase, sQRatio, sQStrict, sQCats) {
			q := &eventdef.Quorum{
				Base:       rd.choice(t.cell(r, sQBase), quorumBases),
				Ratio:      strings.ReplaceAll(rd.code(t.cell(r, sQRatio)), " ", ""),
				Categories: rd.list(t.cell(r, sQCats), true),
			}
			if c := t.cell(r, sQStrict); clean(c.raw) != "" {
				q.Strict = rd.boolean(c, strictness)
			} else {
				// 过半数 is the usual 1/2 rule; 三分之二以上 (at least) the
				// usual wording of the others.
				q.Strict = q.Ratio == "1/2"
			}
			s.Quorum = q
		}
		if anyGiven(t, r, sPRule, sPHonour) {
			s.Presidium = &eventdef.Presidium{
				Rule:   rd.choice(t.cell(r, sPRule), presidiumRules),
				Honour: rd.choice(t.cell(r, sPHonour), honours),
			}
		}
		rd.def.Sessions = append(rd.def.Sessions, s)
	}
}

func anyGiven(t *table, r record, cols ...int) bool {
	for _, col := range cols {
		if clean(t.cell(r, col).raw) != "" {
			return true
		}
	}
	return false
}

// meals reads one row per meal and hall. Rows with the same 代码, or an
// empty 代码 under a meal's row, are that meal; its own cells may be left
// empty on all but one of its rows, but may not disagree.
func (rd *reader) meals(t *table) {
	byID := map[string]int{}
	cur := -1
	for _, r := range t.rows {
		id := rd.code(t.cell(r, mCode))
		mi, known := byID[id]
		switch {
		case id == "" && cur >= 0:
			mi = cur
		case id == "" || !known:
			mi = len(rd.def.Meals)
			rd.def.Meals = append(rd.def.Meals, eventdef.Meal{ID: id, Halls: []eventdef.MealHall{}})
			rd.l.item(fmt.Sprintf("meals[%d]", mi), r.line, t.at, "")
			if id != "" {
				byID[id] = mi
			}
		}
		cur = mi
		m := &rd.def.Meals[mi]
		p := fmt.Sprintf("meals[%d]", mi)
		rd.mealField(t, r, mName, p+".name", &m.Name, rd.text(t.cell(r, mName)))
		date := rd.date(t.cell(r, mDate))
		rd.mealField(t, r, mDate, p+".date", &m.Date, date)
		rd.mealField(t, r, mSlot, p+".slot", &m.Slot, rd.choice(t.cell(r, mSlot), slots))
		day := m.Date
		if date == "" && clean(t.cell(r, mDate).raw) != "" {
			day = badDay
		}
		rd.mealField(t, r, mOpens, p+".opens_at", &m.OpensAt, rd.time(t.cell(r, mOpens), day))
		rd.mealField(t, r, mCloses, p+".closes_at", &m.ClosesAt, rd.time(t.cell(r, mCloses), day))
		if !anyGiven(t, r, mHall, mCats, mDels, mGroups) {
			continue
		}
		rd.l.item(fmt.Sprintf("%s.halls[%d]", p, len(m.Halls)), r.line, t.at, hallPrefix)
		m.Halls = append(m.Halls, eventdef.MealHall{
			Venue: rd.code(t.cell(r, mHall)),
			Rule: eventdef.Rule{
				Categories:  rd.list(t.cell(r, mCats), true),
				Delegations: rd.list(t.cell(r, mDels), false),
				Groups:      rd.list(t.cell(r, mGroups), false),
			},
		})
	}
}

// mealField sets one of a meal's own values from one of its rows.
func (rd *reader) mealField(t *table, r record, col int, path string, dst *string, v string) {
	switch {
	case v == "":
	case *dst == "":
		*dst = v
		c := t.cell(r, col)
		rd.l.fields[path] = Position{Sheet: t.name, Row: r.line, Column: letter(c.col), Header: c.header}
	case *dst != v:
		c := t.cell(r, col)
		pos := rd.l.fields[path]
		rd.fail(c, CodeConflict, fmt.Sprintf("同一餐的“%s”与第 %d 行不同：同一代码的各行须一致，或留空", c.header, pos.Row),
			fmt.Sprintf("%s differs from row %d of the same meal; rows with one code must agree or leave it empty", c.en, pos.Row))
	}
}

func (rd *reader) checkpoints(t *table) {
	for _, r := range t.rows {
		rd.l.item(fmt.Sprintf("checkpoints[%d]", len(rd.def.Checkpoints)), r.line, t.at, "")
		rd.def.Checkpoints = append(rd.def.Checkpoints, eventdef.Checkpoint{
			ID:         rd.code(t.cell(r, kCode)),
			Name:       rd.text(t.cell(r, kName)),
			NameEn:     rd.text(t.cell(r, kNameEn)),
			Kind:       rd.choice(t.cell(r, kKind), checkpointKinds),
			Venue:      rd.code(t.cell(r, kVenue)),
			Door:       rd.text(t.cell(r, kDoor)),
			Session:    rd.code(t.cell(r, kSession)),
			Meal:       rd.code(t.cell(r, kMeal)),
			PhotoCheck: rd.boolean(t.cell(r, kPhotoCheck), yesNo),
			Face:       rd.choice(t.cell(r, kFace), faceModes),
		})
	}
}
