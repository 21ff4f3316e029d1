package importer

import (
	"fmt"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/logistics"
)

// Travel (issue 12). A list may give the arrival and the departure in
// structured columns (抵达方式, 抵达航班车次, 抵达站点, 抵达日期, 随行人数;
// 返程…, 是否代订, 票号), in the free-text 抵达时间 / 返程时间 columns
// ("3月4日 CA1234 14:05 首都机场", or just "14:05"), or both: the free text
// is read first, and a structured cell says the last word (a warning when
// the two disagree). A structured cell that cannot be read is an error of
// its row and column; free text that cannot be read is kept as text only,
// with a warning, as every list before issue 12 had it.

// tripColumns are the columns of one direction; the departure's alone has
// a ticket.
type tripColumns struct {
	text, mode, number, station, date, companions field
	ticket, ticketNo                              field
	departure                                     bool
}

var (
	arrivalColumns = tripColumns{text: fArrival, mode: fArrMode, number: fArrNumber, station: fArrStation,
		date: fArrDate, companions: fCompanions, ticket: -1, ticketNo: -1}
	departureColumns = tripColumns{text: fDeparture, mode: fDepMode, number: fDepNumber, station: fDepStation,
		date: fDepDate, companions: fDepCompanions, ticket: fTicket, ticketNo: fTicketNo, departure: true}
)

// travel reads the row's arrival and departure; the free text stays in
// Attendee.Arrival and Departure as written.
func (s *rowState) travel() {
	a := &s.a
	a.ArrivalTrip = s.trip(arrivalColumns, a.Arrival)
	a.DepartureTrip = s.trip(departureColumns, a.Departure)
	// One 随行人数 column counts those who come and go with the person.
	if d := a.DepartureTrip; d != nil && s.b.cols.at[fDepCompanions] < 0 && a.ArrivalTrip != nil && d.Companions == 0 {
		d.Companions = a.ArrivalTrip.Companions
	}
}

// fromProblem words a parser's problem as the importer's.
func fromProblem(p *logistics.Problem) *problem {
	if p == nil {
		return nil
	}
	return &problem{code: p.Code, zh: p.Message, en: p.MessageEn, warn: p.Warn}
}

// trip reads one direction: nil when the row says nothing of it.
func (s *rowState) trip(c tripColumns, text string) *domain.Trip {
	var t, said domain.Trip
	year := s.b.opts.Year
	if text != "" {
		ft, ps := logistics.ParseTrip(text, logistics.ParseOptions{Year: year, Departure: c.departure})
		if logistics.HasError(ps) {
			first := ps[0]
			for _, p := range ps {
				if !p.Warn {
					first = p
					break
				}
			}
			s.report(c.text, warnOf(logistics.CodeKeptAsText,
				fmt.Sprintf("未能读作行程（%s），只保留原文", first.Message),
				fmt.Sprintf("not read as travel (%s); kept as text only", first.MessageEn)))
		} else {
			for _, p := range ps {
				s.report(c.text, fromProblem(p))
			}
			t, said = ft, ft
		}
	}
	disagree := func(f field, was, now string) {
		if was != "" && was != now {
			s.report(f, warnOf(logistics.CodeCellsDisagree,
				fmt.Sprintf("与“%s”列写的“%s”不同，按本列“%s”", fieldInfo[c.text].zh, was, now),
				fmt.Sprintf("differs from %q in the %s column; %q taken", was, fieldInfo[c.text].en, now)))
		}
	}
	var p *logistics.Problem
	modeCell := ""
	if v := s.take(c.mode, oneLine); v != "" {
		if modeCell, p = logistics.ParseMode(v); p == nil {
			disagree(c.mode, said.Mode, modeCell)
			t.Mode = modeCell
		}
		s.report(c.mode, fromProblem(p))
	}
	if v := s.take(c.number, oneLine); v != "" {
		mode, num, p := logistics.ParseNumber(v)
		s.report(c.number, fromProblem(p))
		if p == nil {
			disagree(c.number, said.Number, num)
			t.Number, t.Mode = num, mode
			if modeCell != "" && modeCell != mode && modeCell != logistics.ModeOther {
				s.report(c.number, warnOf(logistics.CodeModeConflict,
					fmt.Sprintf("%s 与“%s”列不符，按 %s 读取", num, fieldInfo[c.mode].zh, num),
					fmt.Sprintf("%s does not match the %s column; read as %s", num, fieldInfo[c.mode].en, num)))
			}
		}
	}
	stationFrom := c.text
	if v := s.take(c.station, oneLine); v != "" {
		disagree(c.station, said.Station, v)
		t.Station, t.StationKind, stationFrom = v, logistics.StationKind(v), c.station
		if t.Mode == "" && t.Number == "" {
			t.Mode = map[string]string{logistics.KindAirport: logistics.ModeFlight, logistics.KindRail: logistics.ModeTrain}[t.StationKind]
		}
	}
	if known := s.b.opts.KnownStation; t.Station != "" && known != nil && !known(t.Station) && !s.b.newStations[t.Station] {
		s.b.newStations[t.Station] = true
		s.report(stationFrom, warnOf(CodeNewStation,
			fmt.Sprintf("“%s”不是已有的站点，导入时将新建；如果是已有站点的另一种写法，请导入后在站点中合并", t.Station),
			fmt.Sprintf("%q is not a known station and will be added; if it is another spelling of one, merge them after the import", t.Station)))
	}
	if v := s.take(c.date, oneLine); v != "" {
		var d string
		if d, p = logistics.ParseDate(v, year); p == nil {
			disagree(c.date, said.Date, d)
			t.Date = d
		}
		s.report(c.date, fromProblem(p))
	}
	if v := s.take(c.companions, folded); v != "" {
		var n int
		if n, p = logistics.ParseCompanions(v); p == nil {
			if said.Companions != 0 && said.Companions != n {
				disagree(c.companions, fmt.Sprint(said.Companions), fmt.Sprint(n))
			}
			t.Companions = n
		}
		s.report(c.companions, fromProblem(p))
	}
	if c.ticket >= 0 {
		s.ticket(c, &t)
	}
	if t == (domain.Trip{}) {
		return nil
	}
	return &t
}

// ticket reads a departure's 是否代订 and 票号: a number means booked.
func (s *rowState) ticket(c tripColumns, t *domain.Trip) {
	if v := s.take(c.ticket, oneLine); v != "" {
		tk, p := logistics.ParseTicket(v)
		s.report(c.ticket, fromProblem(p))
		if p == nil {
			t.Ticket = tk
		}
	}
	if v := s.take(c.ticketNo, folded); v != "" {
		no, p := logistics.ParseTicketNo(v)
		s.report(c.ticketNo, fromProblem(p))
		if p != nil {
			return
		}
		t.TicketNo = no
		switch t.Ticket {
		case "":
			t.Ticket = logistics.TicketBooked
		case logistics.TicketNeeded:
			s.report(c.ticketNo, warnOf(logistics.CodeTicketConflict, "写着需代订，却有票号：按已订处理",
				"the ticket is marked as needed, yet has a number: taken as booked"))
			t.Ticket = logistics.TicketBooked
		}
	}
}
