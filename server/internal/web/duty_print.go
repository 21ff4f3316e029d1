package web

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/badge/render"
	"huiwu/server/internal/exports"
	"huiwu/server/internal/store"
)

// The printed duty room: the 值班表 (who is on duty where, each day, with
// the hours nobody is), the 值班记录 (the log of a day or a shift with its
// follow-ups and handovers) and the same log as a workbook.

var dutyRosterColumns = []render.ListColumn{
	{Head: "时间", Width: 30, Align: render.Center},
	{Head: "地点", Width: 34},
	{Head: "值班人员", Width: 40, Wrap: true},
	{Head: "联系电话", Width: 40, Wrap: true},
	{Head: "备注", Width: 36, Wrap: true},
}

var dutyLogColumns = []render.ListColumn{
	{Head: "序号", Width: 10, Align: render.Center},
	{Head: "时间", Width: 16, Align: render.Center},
	{Head: "类别", Width: 18, Align: render.Center},
	{Head: "来电/来访人", Width: 44, Wrap: true},
	{Head: "电话", Width: 28},
	{Head: "内容", Width: 72},
	{Head: "转交", Width: 22, Wrap: true},
	{Head: "记录人", Width: 22, Wrap: true},
	{Head: "办理情况", Width: 35},
}

// dutyChunk is how much text a line of the log's content column holds on
// paper at the list's type size; longer text goes on in the rows beneath.
const dutyChunk = 20

func (s *Server) printedAt() string {
	return time.Now().In(s.catalog().Location).Format("2006-01-02 15:04")
}

// dutyDayWords words a day as 3月5日（星期四）.
func dutyDayWords(t time.Time) string {
	return fmt.Sprintf("%d月%d日（星期%s）", t.Month(), t.Day(), []string{"日", "一", "二", "三", "四", "五", "六"}[t.Weekday()])
}

// dutyRosterSheet is the 值班表 of from–until.
func (s *Server) dutyRosterSheet(c *fiber.Ctx) (*render.ListSheet, error) {
	from, until, err := s.dutyRange(c)
	if err != nil {
		return nil, err
	}
	ctx, cat := c.UserContext(), s.catalog()
	loc := cat.Location
	shifts, err := s.DB.DutyShifts(ctx, from, until)
	if err != nil {
		return nil, err
	}
	around, err := s.dutyAround(ctx, from, until)
	if err != nil {
		return nil, err
	}
	places, err := s.DB.DutyPlaces(ctx)
	if err != nil {
		return nil, err
	}
	sheet := &render.ListSheet{Title: "值班表", Columns: dutyRosterColumns, Printed: s.printedAt(), Lines: []string{cat.Event.Name}}
	last := until.Add(-time.Minute).In(loc)
	span := dutyDayWords(from.In(loc))
	if last.Format(time.DateOnly) != from.In(loc).Format(time.DateOnly) {
		span += " 至 " + dutyDayWords(last)
	}
	sheet.Lines = append(sheet.Lines, span)
	var main store.DutyPlace
	for _, p := range places {
		if p.Phone != "" {
			sheet.Lines[len(sheet.Lines)-1] += "　" + p.Name + "电话 " + p.Phone
		}
		if p.Main {
			main = p
		}
	}
	hm := func(t, day time.Time) string {
		t = t.In(loc)
		if d := t.Format(time.DateOnly); d != day.Format(time.DateOnly) {
			if t.Equal(day.AddDate(0, 0, 1)) {
				return "24:00"
			}
			return t.Format("01-02 15:04")
		}
		return t.Format("15:04")
	}
	for day := from.In(loc); day.Before(until); day = day.AddDate(0, 0, 1) {
		end := day.AddDate(0, 0, 1)
		sec := render.ListSection{Heading: dutyDayWords(day)}
		type row struct {
			at    time.Time
			cells []string
		}
		var rows []row
		for _, x := range shifts {
			if !x.StartsAt.Before(end) || !x.EndsAt.After(day) || x.StartsAt.Before(day) && day.After(from.In(loc)) {
				continue // a shift from the day before is on that day's page
			}
			names, phones := make([]string, len(x.People)), make([]string, len(x.People))
			for i, p := range x.People {
				names[i] = p.Name
				if p.Lead {
					names[i] += "（带班）"
				}
				phones[i] = p.Phone
			}
			note := x.Notes
			if x.OverlapReason != "" {
				note = strings.TrimSpace(note + " 重叠：" + x.OverlapReason)
			}
			rows = append(rows, row{x.StartsAt, []string{hm(x.StartsAt, day) + "–" + hm(x.EndsAt, day), x.Place,
				strings.Join(names, "、"), strings.Join(phones, "、"), note}})
		}
		if main.ID != 0 {
			gaps := dutyHoles(around, main.ID, day, end)
			rostered := len(gaps) > 0 || slices.ContainsFunc(shifts, func(x store.DutyShift) bool {
				return x.PlaceID == main.ID && x.StartsAt.Before(end) && x.EndsAt.After(day)
			})
			switch {
			case !rostered:
				sec.Note = main.Name + "本日未排班"
			case len(gaps) > 0:
				sec.Note = fmt.Sprintf("%s有 %d 段无人值班", main.Name, len(gaps))
				for _, g := range gaps {
					rows = append(rows, row{g[0], []string{hm(g[0], day) + "–" + hm(g[1], day), main.Name, "（无人值班）", "", ""}})
				}
			}
		}
		for i := 1; i < len(rows); i++ { // in time order; few rows
			for j := i; j > 0 && rows[j].at.Before(rows[j-1].at); j-- {
				rows[j], rows[j-1] = rows[j-1], rows[j]
			}
		}
		for _, r := range rows {
			sec.Rows = append(sec.Rows, r.cells)
		}
		sheet.Sections = append(sheet.Sections, sec)
	}
	return sheet, nil
}

// dutyLogSheet is the 值班记录 of ?day= (or from–until) or of ?shift=;
// split puts long text on the rows beneath (paper), else one cell holds it.
func (s *Server) dutyLogSheet(c *fiber.Ctx, split bool) (*render.ListSheet, string, error) {
	ctx, cat := c.UserContext(), s.catalog()
	loc := cat.Location
	f, err := s.dutyFilter(c)
	if err != nil {
		return nil, "", err
	}
	sheet := &render.ListSheet{Title: "值班记录", Columns: dutyLogColumns, Landscape: true, Printed: s.printedAt(), Lines: []string{cat.Event.Name}}
	name := "值班记录"
	var handovers []store.DutyHandover
	switch {
	case f.Shift != 0:
		sh, err := s.DB.DutyShift(ctx, f.Shift)
		if err != nil {
			return nil, "", dutyError(err)
		}
		people := make([]string, len(sh.People))
		for i, p := range sh.People {
			people[i] = p.Name
		}
		when := sh.StartsAt.In(loc).Format("1月2日 15:04") + "–" + sh.EndsAt.In(loc).Format("1月2日 15:04")
		sheet.Lines = append(sheet.Lines, fmt.Sprintf("班次：%s %s　值班人员：%s", sh.Place, when, strings.Join(people, "、")))
		name += "-" + sh.StartsAt.In(loc).Format("0102-1504")
		all, err := s.DB.DutyHandovers(ctx, sh.PlaceID, 200)
		if err != nil {
			return nil, "", err
		}
		for _, h := range all {
			if h.FromShift == sh.ID || h.ToShift == sh.ID {
				handovers = append(handovers, h)
			}
		}
	case !f.From.IsZero():
		span := dutyDayWords(f.From.In(loc))
		if d := f.Until.Add(-time.Minute).In(loc); d.Format(time.DateOnly) != f.From.In(loc).Format(time.DateOnly) {
			span += " 至 " + dutyDayWords(d)
		}
		sheet.Lines = append(sheet.Lines, "日期："+span)
		name += "-" + f.From.In(loc).Format(time.DateOnly)
		all, err := s.DB.DutyHandovers(ctx, f.Place, 200)
		if err != nil {
			return nil, "", err
		}
		for _, h := range all {
			if !h.OfferedAt.Before(f.From) && h.OfferedAt.Before(f.Until) {
				handovers = append(handovers, h)
			}
		}
	default:
		sheet.Lines = append(sheet.Lines, "全部记录")
	}
	list, err := s.DB.DutyEntries(ctx, f)
	if err != nil {
		return nil, "", err
	}
	counts := map[string]int{}
	open := 0
	for _, e := range list {
		counts[e.Kind]++
		if e.State == store.DutyOpen {
			open++
		}
	}
	sheet.Lines = append(sheet.Lines, fmt.Sprintf("共 %d 条：来电 %d，来访 %d，信息传递 %d，其他 %d；待办 %d，已办 %d",
		len(list), counts["call"], counts["visit"], counts["message"], counts["other"], open, len(list)-open))
	short := func(t time.Time) string { return t.In(loc).Format("01-02 15:04") }
	var sec *render.ListSection
	for i, e := range list {
		day := dutyDayWords(e.At.In(loc))
		if sec == nil || sec.Heading != day {
			sheet.Sections = append(sheet.Sections, render.ListSection{Heading: day})
			sec = &sheet.Sections[len(sheet.Sections)-1]
		}
		from := strings.TrimSpace(e.FromUnit + " " + e.FromName)
		follow := "待办"
		if e.State == store.DutyDone {
			follow = fmt.Sprintf("已办（%s %s）：%s", e.ClosedBy, short(e.ClosedAt), e.Outcome)
		} else if e.CarriedOver {
			follow = "待办（已移交）"
		}
		content, corrected := e.Content, ""
		if e.Version > 1 {
			corrected = fmt.Sprintf("〔第 %d 版：%s %s 更正，%s〕", e.Version, e.WrittenBy, short(e.WrittenAt), e.Reason)
			content += corrected
		}
		first := []string{fmt.Sprint(i + 1), e.At.In(loc).Format("15:04"), store.DutyKindNames[e.Kind], from, e.FromPhone,
			content, e.ToWhom, e.CreatedBy, follow}
		if !split {
			sec.Rows = append(sec.Rows, first)
			continue
		}
		// On paper the content goes on in the rows beneath, then the
		// correction and what was done; the follow-up column says when and
		// by whom.
		parts := dutyChunks(e.Content, dutyChunk)
		if corrected != "" {
			parts = append(parts, dutyChunks(corrected, dutyChunk)...)
		}
		more := []string{follow}
		if e.State == store.DutyDone {
			more = []string{"已办 " + short(e.ClosedAt), e.ClosedBy}
			parts = append(parts, dutyChunks("→ 办理："+e.Outcome, dutyChunk)...)
		}
		first[5], first[8] = parts[0], more[0]
		sec.Rows = append(sec.Rows, first)
		for k := 1; k < max(len(parts), len(more)); k++ {
			row := make([]string, len(dutyLogColumns))
			if k < len(parts) {
				row[5] = parts[k]
			}
			if k < len(more) {
				row[8] = more[k]
			}
			sec.Rows = append(sec.Rows, row)
		}
	}
	if len(handovers) > 0 {
		hs := render.ListSection{Heading: "交接班"}
		for _, h := range handovers {
			taken := []string{"待接班"}
			if !h.AcceptedAt.IsZero() {
				taken = []string{"接班 " + short(h.AcceptedAt), h.AcceptedBy}
			}
			lines := []string{fmt.Sprintf("移交待办 %d 项", len(h.Items))}
			for _, it := range h.Items {
				lines = append(lines, "· "+it.At.In(loc).Format("15:04")+" "+dutyChunks(it.Content, dutyChunk-8)[0])
			}
			if h.Note != "" {
				lines = append(lines, "交班说明："+h.Note)
			}
			row := []string{"", h.OfferedAt.In(loc).Format("15:04"), "交接班", h.Place, "", strings.Join(lines, "；"), "", h.OfferedBy,
				strings.Join(taken, " ")}
			if !split {
				hs.Rows = append(hs.Rows, row)
				continue
			}
			var parts []string
			for _, l := range lines {
				parts = append(parts, dutyChunks(l, dutyChunk)...)
			}
			row[5], row[8] = parts[0], taken[0]
			hs.Rows = append(hs.Rows, row)
			for k := 1; k < max(len(parts), len(taken)); k++ {
				r := make([]string, len(dutyLogColumns))
				if k < len(parts) {
					r[5] = parts[k]
				}
				if k < len(taken) {
					r[8] = taken[k]
				}
				hs.Rows = append(hs.Rows, r)
			}
		}
		sheet.Sections = append(sheet.Sections, hs)
	}
	return sheet, name, nil
}

// dutyChunks cuts s into pieces of at most n characters (one empty piece for
// an empty s).
func dutyChunks(s string, n int) []string {
	r := []rune(s)
	if len(r) <= n {
		return []string{s}
	}
	var out []string
	for len(r) > n {
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	return append(out, string(r))
}

func (s *Server) handleDutyRosterPDF(c *fiber.Ctx) error {
	sheet, err := s.dutyRosterSheet(c)
	if err != nil {
		return err
	}
	return sendList(c, sheet, "值班表", "duty-roster", false)
}

func (s *Server) handleDutyLogPDF(c *fiber.Ctx) error {
	sheet, name, err := s.dutyLogSheet(c, true)
	if err != nil {
		return err
	}
	return sendList(c, sheet, name, "duty-log", false)
}

func (s *Server) handleDutyLogXLSX(c *fiber.Ctx) error {
	sheet, name, err := s.dutyLogSheet(c, false)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := exports.WriteListXLSX(&buf, sheet); err != nil {
		return err
	}
	return sendFile(c, name+".xlsx", "duty-log.xlsx", xlsxType, buf.Bytes())
}

func dutyLater(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func dutyEarlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
