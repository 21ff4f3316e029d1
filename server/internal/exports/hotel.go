package exports

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"huiwu/badge/render"
	"huiwu/server/internal/store"
)

// The hotel's sheets (issue 12.5): the 住宿登记表 of a night, room by room
// and floor by floor with the empty rooms in their place, and 清退客房, who
// has not checked out. Each is a render.ListSheet, printed as a PDF by
// badge/render and written as a workbook by WriteListXLSX, so that the
// paper and the spreadsheet say the same.

// guestStates are the words for a guest's state on the night.
var guestStates = map[string]string{
	store.GuestExpected: "未入住", store.GuestIn: "已入住", store.GuestOut: "已退房", store.GuestMoved: "已换房",
}

var registerColumns = []render.ListColumn{
	{Head: "序号", Width: 10, Align: render.Center},
	{Head: "房号", Width: 22, Align: render.Center},
	{Head: "床位", Width: 10, Align: render.Center},
	{Head: "姓名", Width: 26, Wrap: true},
	{Head: "性别", Width: 10, Align: render.Center},
	{Head: "单位", Width: 38},
	{Head: "住宿日期", Width: 24, Align: render.Center},
	{Head: "状态", Width: 14, Align: render.Center},
	{Head: "备注", Width: 26},
}

// RoomRegister is the 住宿登记表 of the board's night n: the night's
// figures under the title, then each floor's rooms in the hotel's order —
// a line per guest, and a line per run of empty rooms.
func RoomRegister(event string, b *store.RoomBoard, n int, printed string) *render.ListSheet {
	night, t := b.Nights[n], b.Totals[n]
	rate := 0
	if t.Rooms > 0 {
		rate = (t.Occupied*100 + t.Rooms/2) / t.Rooms
	}
	figures := fmt.Sprintf("客房 %d 间：已住 %d 间，空房 %d 间，入住率 %d%%；床位 %d 张，住宿 %d 人，已入住 %d 人",
		t.Rooms, t.Occupied, t.Empty, rate, t.Beds, t.Heads, t.CheckedIn)
	if t.Over > 0 {
		figures += fmt.Sprintf("；超员 %d 间", t.Over)
	}
	s := &render.ListSheet{Title: b.Name + " 住宿登记表 " + shortDay(night), Columns: registerColumns, Printed: printed,
		Lines: []string{event, "入住日期：" + chineseNight(night), figures}}
	no := 0
	var sec *render.ListSection
	var empty []string
	flush := func() {
		if len(empty) == 0 {
			return
		}
		rooms := empty[0]
		if len(empty) > 1 {
			rooms += "–" + empty[len(empty)-1]
		}
		sec.Rows = append(sec.Rows, []string{"", rooms, "", fmt.Sprintf("空房 %d 间", len(empty)), "", "", "", "", ""})
		empty = nil
	}
	floors := map[string]*[2]int{} // floor → occupied, empty
	for _, r := range b.Rooms {
		f := floor(r.Room)
		if sec == nil || sec.Heading != f {
			if sec != nil {
				flush()
			}
			s.Sections = append(s.Sections, render.ListSection{Heading: f})
			sec = &s.Sections[len(s.Sections)-1]
			floors[f] = &[2]int{}
		}
		guests := r.Nights[n].Guests
		if len(guests) == 0 {
			if r.Listed {
				empty = append(empty, r.Room)
				floors[f][1]++
			}
			continue
		}
		flush()
		floors[f][0]++
		for _, g := range guests {
			no++
			sec.Rows = append(sec.Rows, []string{fmt.Sprint(no), r.Room, beds(r), g.Name, g.Gender, guestUnit(g),
				shortDay(g.CheckIn) + "–" + shortDay(g.CheckOut), guestStates[g.State], guestNote(g, r, r.Nights[n].Heads)})
		}
	}
	if sec != nil {
		flush()
	}
	for i := range s.Sections {
		c := floors[s.Sections[i].Heading]
		s.Sections[i].Note = fmt.Sprintf("已住 %d 间　空房 %d 间", c[0], c[1])
	}
	return s
}

func beds(r store.BoardRoom) string {
	if !r.Listed {
		return "?"
	}
	return fmt.Sprint(r.Beds)
}

func guestUnit(g store.Guest) string {
	if g.Delegation != "" && g.Organization != "" {
		return g.Delegation + " · " + g.Organization
	}
	return g.Delegation + g.Organization
}

// guestNote says what the desk must know about a guest in a room: the
// companions, a temporary room for the stranded, a room over its beds or
// not in the hotel's list.
func guestNote(g store.Guest, r store.BoardRoom, heads int) string {
	var notes []string
	if g.Companions > 0 {
		notes = append(notes, fmt.Sprintf("随行 %d 人", g.Companions))
	}
	switch {
	case g.Temporary:
		notes = append(notes, "滞留·临时")
	case g.Stranded:
		notes = append(notes, "滞留")
	}
	if !r.Listed {
		notes = append(notes, "房号不在酒店客房表")
	} else if heads > r.Beds {
		notes = append(notes, "超员")
	}
	return strings.Join(notes, "；")
}

// floor names the floor of a room numbered like 0801 or 1203 (all but its
// last two digits); rooms numbered otherwise are all 客房.
func floor(room string) string {
	if len(room) < 3 || strings.IndexFunc(room, func(r rune) bool { return !unicode.IsDigit(r) }) >= 0 {
		return "客房"
	}
	return strings.TrimLeft(room[:len(room)-2], "0") + " 层"
}

// chineseNight is a night as 2026年12月1日（周二）夜.
func chineseNight(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return fmt.Sprintf("%d年%d月%d日（周%s）夜", t.Year(), t.Month(), t.Day(), []string{"日", "一", "二", "三", "四", "五", "六"}[t.Weekday()])
}

// shortDay is a date as 12-01.
func shortDay(d string) string {
	if len(d) == len(time.DateOnly) {
		return d[5:]
	}
	return d
}

var clearanceColumns = []render.ListColumn{
	{Head: "序号", Width: 10, Align: render.Center},
	{Head: "房号", Width: 16, Align: render.Center},
	{Head: "姓名", Width: 26, Wrap: true},
	{Head: "单位", Width: 40},
	{Head: "离店日期", Width: 18, Align: render.Center},
	{Head: "返程", Width: 38},
	{Head: "入住时间", Width: 20, Align: render.Center},
	{Head: "备注", Width: 12},
}

// Clearance is 清退客房: for each hotel, who is checked in and has not
// checked out, with the day they are due to leave and their departure.
// hotels names the hotels by code, stations the stations by id.
func Clearance(event string, stays []store.Stay, hotels map[string]string, stations map[int64]string, by string,
	loc *time.Location, printed string) *render.ListSheet {
	line := "全部未退房人员"
	if by != "" {
		line = "应于 " + by + " 及以前离店、尚未退房的人员"
	}
	s := &render.ListSheet{Title: "清退客房名单", Columns: clearanceColumns, Printed: printed,
		Lines: []string{event, line + fmt.Sprintf("，共 %d 人", len(stays))}}
	var sec *render.ListSection
	for i, st := range stays {
		if sec == nil || sec.Heading != hotels[st.Hotel] {
			s.Sections = append(s.Sections, render.ListSection{Heading: hotels[st.Hotel]})
			sec = &s.Sections[len(s.Sections)-1]
		}
		in := ""
		if st.CheckedInAt != nil {
			in = st.CheckedInAt.In(loc).Format("01-02 15:04")
		}
		note := ""
		if st.Stranded {
			note = "滞留"
		}
		sec.Rows = append(sec.Rows, []string{fmt.Sprint(i + 1), st.Room, st.Name, guestUnit(store.Guest{Organization: st.Organization,
			Delegation: st.Delegation}), shortDay(st.CheckOut), departure(st.Departure, stations, loc), in, note})
	}
	for i := range s.Sections {
		s.Sections[i].Note = fmt.Sprintf("%d 人", len(s.Sections[i].Rows))
	}
	return s
}

// departure words a departure leg: CA1234 首都机场 12-03 14:05.
func departure(l *store.Leg, stations map[int64]string, loc *time.Location) string {
	if l == nil {
		return "未登记"
	}
	parts := []string{l.Number, stations[l.StationID]}
	switch {
	case l.At != nil:
		parts = append(parts, l.At.In(loc).Format("01-02 15:04"))
	case l.OnDate != "":
		parts = append(parts, shortDay(l.OnDate))
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}
