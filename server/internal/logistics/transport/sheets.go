package transport

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"huiwu/badge/render"
	"huiwu/server/internal/store"
)

// The printed sheets: the 接站一览表 (送站一览表 for departures) of one
// station for the people working there, and a driver's 派车单 of one
// vehicle's runs in a day. Both come as a render.ListSheet, printed as a
// PDF or written as an XLSX. An attendee's phone is on them only where
// the desk lets drivers have it (store.DriverPhones); ID numbers never
// are. The contact a driver calls is the secretariat's transport desk
// (store.TransportContact), printed at the head of every sheet; a station
// sheet lists each vehicle's driver and phone beside its group.

// Paper is what every sheet's head needs.
type Paper struct {
	Event   string
	Loc     *time.Location
	Printed time.Time
}

var stateWords = map[string]string{"picked_up": "已接", "missed": "未到", "changed": "改签", "departed": "已送站"}

var kindWords = map[string]string{"car": "轿车", "van": "商务车", "bus": "大客车"}

func chineseDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

func (p Paper) clock(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.In(p.Loc).Format("15:04")
}

func (p Paper) contact(c store.TransportContact) string {
	if c.Name == "" && c.Phone == "" {
		return "会务组联系人：未设置"
	}
	return strings.TrimSpace("会务组联系人：" + c.Name + " " + c.Phone)
}

func vehicleName(v store.Vehicle) string {
	if v.Plate != "" {
		return v.Plate
	}
	return v.Code
}

func headcount(people, companions int) string {
	if companions == 0 {
		return fmt.Sprintf("%d 人", people)
	}
	return fmt.Sprintf("%d 人（随行 %d 人）", people, companions)
}

// StationSheet is the day's groups at station q.Station with the vehicles
// sent for them.
func StationSheet(ctx context.Context, db *store.DB, p Paper, q Query) (*render.ListSheet, error) {
	d, err := read(ctx, db, p.Loc, q, p.Printed)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(d.stations, func(s store.Station) bool { return s.ID == q.Station })
	if i < 0 || q.Station == 0 {
		return nil, store.ErrNotFound
	}
	runs, err := d.runs(ctx, db)
	if err != nil {
		return nil, err
	}
	vehicles, phones, contact, err := people(ctx, db)
	if err != nil {
		return nil, err
	}
	byRun := map[int64]store.Vehicle{}
	for _, r := range runs {
		byRun[r.ID] = vehicles[r.VehicleID]
	}
	title, when := "接站一览表", "抵达"
	if d.q.Direction == store.Departure {
		title, when = "送站一览表", "出发"
	}
	total, comp := 0, 0
	for _, g := range d.groups {
		total, comp = total+g.People, comp+g.Companions
	}
	summary := fmt.Sprintf("%s　每组 %d 分钟　共 %s", chineseDate(d.q.Date), int(d.q.Window/time.Minute), headcount(total, comp))
	if d.self > 0 {
		summary += fmt.Sprintf("　自驾 %d 人", d.self)
	}
	if d.own > 0 {
		summary += fmt.Sprintf("　自行前往 %d 人", d.own)
	}
	s := &render.ListSheet{Title: d.stations[i].Name + " " + title, Lines: []string{p.Event, summary, p.contact(contact)},
		Columns: []render.ListColumn{{Head: "序号", Width: 10, Align: render.Center}, {Head: "姓名", Width: 28, Wrap: true},
			{Head: "单位", Width: 40}, {Head: "航班/车次", Width: 20, Align: render.Center}, {Head: when, Width: 14, Align: render.Center},
			{Head: "随行", Width: 10, Align: render.Center}, {Head: "车辆", Width: 24}, {Head: "电话", Width: 24},
			{Head: "备注", Width: 10, Align: render.Center}},
		Printed: p.Printed.In(p.Loc).Format("2006-01-02 15:04")}
	n := 0
	for _, g := range d.groups {
		sec := render.ListSection{Heading: "时间未定　" + headcount(g.People, g.Companions)}
		switch {
		case g.From != nil && g.From.Equal(*g.To):
			sec.Heading = p.clock(g.From) + "　" + headcount(g.People, g.Companions)
		case g.From != nil:
			sec.Heading = p.clock(g.From) + "–" + p.clock(g.To) + "　" + headcount(g.People, g.Companions)
		}
		var sent []string
		for _, id := range g.Runs {
			v := byRun[id]
			sent = append(sent, strings.TrimSpace(vehicleName(v)+" "+v.Driver+" "+v.DriverPhone))
		}
		if g.Unseated > 0 {
			sent = append(sent, fmt.Sprintf("待派车 %d 座", g.Unseated))
		}
		sec.Note = strings.Join(sent, "；")
		for _, r := range g.Riders {
			n++
			car := ""
			if r.RunID != 0 {
				car = vehicleName(byRun[r.RunID])
			}
			sec.Rows = append(sec.Rows, []string{fmt.Sprint(n), r.Name, r.Organization, r.Number, p.clock(r.At),
				companions(r.Companions), car, phones[r.AttendeeID], stateWords[r.State]})
		}
		s.Sections = append(s.Sections, sec)
	}
	return s, nil
}

func companions(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

// people reads the vehicles by id, the phones drivers may have, and the
// drivers' contact.
func people(ctx context.Context, db *store.DB) (map[int64]store.Vehicle, map[int64]string, store.TransportContact, error) {
	var contact store.TransportContact
	list, err := db.Vehicles(ctx)
	if err != nil {
		return nil, nil, contact, err
	}
	vehicles := map[int64]store.Vehicle{}
	for _, v := range list {
		vehicles[v.ID] = v
	}
	phones, err := db.DriverPhones(ctx)
	if err != nil {
		return nil, nil, contact, err
	}
	contact, err = db.TransportContact(ctx)
	return vehicles, phones, contact, err
}

// VehicleSheet is a driver's 派车单: the runs of vehicle id that start on
// date (both directions), each with its passengers.
func VehicleSheet(ctx context.Context, db *store.DB, p Paper, id int64, date string) (*render.ListSheet, error) {
	start, err := time.ParseInLocation(time.DateOnly, date, p.Loc)
	if err != nil {
		return nil, ErrBadQuery
	}
	vehicles, phones, contact, err := people(ctx, db)
	if err != nil {
		return nil, err
	}
	v, ok := vehicles[id]
	if !ok {
		return nil, store.ErrNotFound
	}
	runs, err := db.Runs(ctx, store.RunFilter{VehicleID: id, From: start, To: start.AddDate(0, 0, 1)})
	if err != nil {
		return nil, err
	}
	rows, err := db.TravelRows(ctx, store.LegFilter{})
	if err != nil {
		return nil, err
	}
	legs := map[int64]store.TravelRow{}
	for _, r := range rows {
		legs[r.ID] = r
	}
	stations, err := db.Stations(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, s := range stations {
		names[s.ID] = s.Name
	}
	car := fmt.Sprintf("车辆 %s（%s %d 座）", vehicleName(v), kindWords[v.Kind], v.Seats)
	if v.Plate != "" && v.Code != "" {
		car = fmt.Sprintf("车辆 %s　%s（%s %d 座）", v.Code, v.Plate, kindWords[v.Kind], v.Seats)
	}
	s := &render.ListSheet{Title: "司机派车单", Lines: []string{p.Event,
		strings.TrimSpace(car + "　司机 " + v.Driver + " " + v.DriverPhone),
		chineseDate(date) + "　" + p.contact(contact)},
		Columns: []render.ListColumn{{Head: "序号", Width: 10, Align: render.Center}, {Head: "姓名", Width: 30, Wrap: true},
			{Head: "航班/车次", Width: 24, Align: render.Center}, {Head: "时间", Width: 16, Align: render.Center},
			{Head: "随行", Width: 12, Align: render.Center}, {Head: "电话", Width: 30}, {Head: "单位", Width: 58}},
		Printed: p.Printed.In(p.Loc).Format("2006-01-02 15:04")}
	for _, r := range runs {
		sec := render.ListSection{Heading: p.clock(&r.At) + "　" + names[r.StationID] + "　接站"}
		if r.Direction == store.Departure {
			sec.Heading = p.clock(&r.At) + " 出发　" + names[r.StationID] + "　送站"
		}
		people, comp := 0, 0
		for _, id := range r.Legs {
			l, ok := legs[id]
			if !ok {
				continue // an attendee cancelled since: nobody to meet
			}
			people, comp = people+1, comp+l.Companions
			sec.Rows = append(sec.Rows, []string{fmt.Sprint(people), l.Name, l.Number, p.clock(l.At), companions(l.Companions),
				phones[l.AttendeeID], l.Organization})
		}
		sec.Note = fmt.Sprintf("乘客 %s　共 %d / %d 座", headcount(people, comp), r.Seats, v.Seats)
		s.Sections = append(s.Sections, sec)
	}
	return s, nil
}
