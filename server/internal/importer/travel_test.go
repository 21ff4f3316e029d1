package importer

import (
	"testing"
	"time"

	"huiwu/server/internal/domain"
)

// TestTravelColumns (issue 12.1): the structured travel columns under
// Chinese headers, the free text read where it is clear, and the problems
// at their row and column.
func TestTravelColumns(t *testing.T) {
	text := "姓名,类别,抵达方式,抵达航班/车次,抵达站点,抵达日期,抵达时间,随行人数,返程时间,是否代订,票号\n" +
		// 2: everything structured, a time alone in 抵达时间
		"甲,代表,航班,CA1234,江阳机场,3月4日,14:05,1,3月6日 G124 17:00 江阳南站,需代订,\n" +
		// 3: only free text, as lists have always had it
		"乙,代表,,,,,3.4 G123 下午2点05 江阳南站 随行两人,,会后自驾返回,,\n" +
		// 4: a booked ticket: its number says so
		"丙,代表,,D2345,,2026-03-04,9:30,,,,E123456789\n" +
		// 5: free text that cannot be read is kept as text, with a warning
		"丁,代表,自驾,,,,随团统一安排见附件,,待定,,\n" +
		// 6: structured cells that cannot be read are errors
		"戊,代表,骑马,CA12,,2月30日,,三十,,看情况,\n" +
		// 7: ambiguous: a warning, the hour left out; cells and text disagree
		"己,代表,,G125,,3月4日,3月5日 2点,,,,\n"
	res := parseText(t, text, Options{Year: 2026})
	want := map[string][2]*domain.Trip{
		"甲": {{Mode: "flight", Number: "CA1234", Station: "江阳机场", StationKind: "airport", Date: "2026-03-04", Time: "14:05", Companions: 1},
			{Mode: "train", Number: "G124", Station: "江阳南站", StationKind: "rail", Date: "2026-03-06", Time: "17:00", Companions: 1, Ticket: "needed"}},
		"乙": {{Mode: "train", Number: "G123", Station: "江阳南站", StationKind: "rail", Date: "2026-03-04", Time: "14:05", Companions: 2},
			{Mode: "car", Companions: 2}},
		"丙": {{Mode: "train", Number: "D2345", Date: "2026-03-04", Time: "09:30"},
			{Ticket: "booked", TicketNo: "E123456789"}},
		"丁": {{Mode: "car"}, nil},
		"己": {{Mode: "train", Number: "G125", Date: "2026-03-04"}, nil},
	}
	got := byName(res)
	for name, w := range want {
		a, ok := got[name]
		if !ok {
			t.Errorf("%s was not imported", name)
			continue
		}
		for i, tr := range []*domain.Trip{a.Attendee.ArrivalTrip, a.Attendee.DepartureTrip} {
			switch {
			case (tr == nil) != (w[i] == nil):
				t.Errorf("%s trip %d: %+v, want %+v", name, i, tr, w[i])
			case tr != nil && *tr != *w[i]:
				t.Errorf("%s trip %d:\n got  %+v\n want %+v", name, i, *tr, *w[i])
			}
		}
	}
	if a := got["丁"].Attendee; a.Arrival != "随团统一安排见附件" || a.Departure != "待定" {
		t.Errorf("丁's text: %q %q", a.Arrival, a.Departure)
	}
	if _, ok := got["戊"]; ok {
		t.Error("戊, with unreadable cells, was imported")
	}
	issueAt(t, res.Warnings, "travel_kept_as_text", 5, "G")
	issueAt(t, res.Warnings, "travel_undecided", 5, "I")
	issueAt(t, res.Errors, "travel_bad_mode", 6, "C")
	issueAt(t, res.Errors, "travel_bad_number", 6, "D")
	issueAt(t, res.Errors, "travel_bad_date", 6, "F")
	issueAt(t, res.Errors, "travel_bad_companions", 6, "H")
	issueAt(t, res.Errors, "travel_bad_ticket", 6, "J")
	issueAt(t, res.Warnings, "travel_ambiguous_time", 7, "G")
	issueAt(t, res.Warnings, "travel_cells_disagree", 7, "F")
	if res.ErrorCount != 5 {
		t.Errorf("%d errors, want 5: %s", res.ErrorCount, dump(res.Errors))
	}
	for f, col := range map[string]string{"arrival_mode": "C", "arrival_number": "D", "arrival_station": "E", "arrival_date": "F",
		"arrival": "G", "companions": "H", "departure": "I", "ticket": "J", "ticket_no": "K"} {
		if res.Columns[f] != col {
			t.Errorf("column %s: %q, want %s", f, res.Columns[f], col)
		}
	}
}

// TestTravelHeadersEnglish: the English headers and their synonyms, a
// bilingual cell, and an XLSX whose date and time cells are Excel's own.
func TestTravelHeadersEnglish(t *testing.T) {
	rows := [][]any{
		{"Name", "Category", "Arrival by", "Flight/Train", "Pickup station", "Arrival date", "Arrival time", "Companions",
			"返程航班 Departure flight", "Departure station", "Return date", "Ticket booking", "Ticket No."},
		{"Anna Smith", "Guest", "flight", "mu5101", "Yunjiang Airport", time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), "08:40", 2,
			"MU5102", "Yunjiang Airport", "2026/3/6", "booked", "781-2345678901"},
	}
	res := mustParse(t, "list.xlsx", xlsxOf(t, rows), Options{Year: 2026})
	for f, col := range map[string]string{"arrival_mode": "C", "arrival_number": "D", "arrival_station": "E", "arrival_date": "F",
		"arrival": "G", "companions": "H", "departure_number": "I", "departure_station": "J", "departure_date": "K",
		"ticket": "L", "ticket_no": "M"} {
		if res.Columns[f] != col {
			t.Errorf("column %s: %q, want %s (%v)", f, res.Columns[f], col, res.Columns)
		}
	}
	if len(res.Rows) != 1 {
		t.Fatalf("rows: %d, errors %s", len(res.Rows), dump(res.Errors))
	}
	a := res.Rows[0].Attendee
	if w := (domain.Trip{Mode: "flight", Number: "MU5101", Station: "Yunjiang Airport", StationKind: "airport", Date: "2026-03-04", Time: "08:40", Companions: 2}); a.ArrivalTrip == nil || *a.ArrivalTrip != w {
		t.Errorf("arrival %+v, want %+v", a.ArrivalTrip, w)
	}
	if w := (domain.Trip{Mode: "flight", Number: "MU5102", Station: "Yunjiang Airport", StationKind: "airport", Date: "2026-03-06", Companions: 2, Ticket: "booked", TicketNo: "781-2345678901"}); a.DepartureTrip == nil || *a.DepartureTrip != w {
		t.Errorf("departure %+v, want %+v", a.DepartureTrip, w)
	}
	if res.WarningCount != 0 {
		t.Errorf("warnings: %s", dump(res.Warnings))
	}
}
