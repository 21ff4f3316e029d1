package logistics

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"huiwu/server/internal/domain"
)

// codes lists the problems' codes, errors first marked with "!".
func codes(ps []*Problem) []string {
	var out []string
	for _, p := range ps {
		c := p.Code
		if !p.Warn {
			c = "!" + c
		}
		out = append(out, c)
	}
	return out
}

// TestParseTrip reads travel as people write it on a list or at the desk.
func TestParseTrip(t *testing.T) {
	for _, tc := range []struct {
		text string
		dep  bool
		want domain.Trip
		// problems are the codes expected, "!" before an error's.
		problems []string
	}{
		{text: "3月4日 CA1234 14:05 首都机场",
			want: domain.Trip{Mode: "flight", Number: "CA1234", Station: "首都机场", StationKind: "airport", Date: "2026-03-04", Time: "14:05"}},
		{text: "G123 北京南站 3/4 9:30",
			want: domain.Trip{Mode: "train", Number: "G123", Station: "北京南站", StationKind: "rail", Date: "2026-03-04", Time: "09:30"}},
		{text: "2026-03-04 下午2点05 3U8888 云江机场 随行1人",
			want: domain.Trip{Mode: "flight", Number: "3U8888", Station: "云江机场", StationKind: "airport", Date: "2026-03-04", Time: "14:05", Companions: 1}},
		{text: "3.4 乘D2345次 14点 抵达江阳站",
			want: domain.Trip{Mode: "train", Number: "D2345", Station: "江阳站", StationKind: "rail", Date: "2026-03-04", Time: "14:00"}},
		{text: "2026年3月5日晚上8点半 K1234 江阳站，随行两人",
			want: domain.Trip{Mode: "train", Number: "K1234", Station: "江阳站", StationKind: "rail", Date: "2026-03-05", Time: "20:30", Companions: 2}},
		{text: "三月四日 Z12 上午10:15 到达云江站",
			want: domain.Trip{Mode: "train", Number: "Z12", Station: "云江站", StationKind: "rail", Date: "2026-03-04", Time: "10:15"}},
		{text: "T8次 3月4日 07:40",
			want: domain.Trip{Mode: "train", Number: "T8", Date: "2026-03-04", Time: "07:40"}},
		{text: "ca 1234 3月4日 14:05", // lower case, a space after the airline
			want: domain.Trip{Mode: "flight", Number: "CA1234", Date: "2026-03-04", Time: "14:05"}},
		{text: "3月4日 自驾，约10点到",
			want: domain.Trip{Mode: "car", Date: "2026-03-04", Time: "10:00"}},
		{text: "驾车",
			want: domain.Trip{Mode: "car"}},
		{text: "自驾 随行 3 人",
			want: domain.Trip{Mode: "car", Companions: 3}},
		{text: "１４：０５ ＣＡ１２３４", // full width, as some keyboards type it
			want: domain.Trip{Mode: "flight", Number: "CA1234", Time: "14:05"}},
		{text: "3月4日 乘CA1234航班 14:05抵达首都机场T3，需接机",
			want: domain.Trip{Mode: "flight", Number: "CA1234", Station: "首都机场", StationKind: "airport", Date: "2026-03-04", Time: "14:05", Notes: "T3"}},
		{text: "3月4日 随代表团集体乘大巴抵达",
			want: domain.Trip{Mode: "other", Date: "2026-03-04"}},
		{text: "3月6日 G124 17:00 江阳南站 需代订", dep: true,
			want: domain.Trip{Mode: "train", Number: "G124", Station: "江阳南站", StationKind: "rail", Date: "2026-03-06", Time: "17:00", Ticket: "needed"}},
		{text: "3月6日 MU5102 19:30 已订 票号 781-2345678901", dep: true,
			want: domain.Trip{Mode: "flight", Number: "MU5102", Date: "2026-03-06", Time: "19:30", Ticket: "booked", TicketNo: "781-2345678901"}},
		{text: "会后自驾返回", dep: true,
			want: domain.Trip{Mode: "car"}},
		{text: "自行安排", dep: true,
			want: domain.Trip{Ticket: "self"}},
		{text: "1461次 3月4日 06:10 江阳站",
			want: domain.Trip{Mode: "train", Number: "1461", Station: "江阳站", StationKind: "rail", Date: "2026-03-04", Time: "06:10"}},
		{text: "于都站 G1234",
			want: domain.Trip{Mode: "train", Number: "G1234", Station: "于都站", StationKind: "rail"}},
		{text: "Arriving 3/4 14:05 CA1234 Yunjiang Airport",
			want: domain.Trip{Mode: "flight", Number: "CA1234", Station: "Yunjiang Airport", StationKind: "airport", Date: "2026-03-04", Time: "14:05"}},
		{text: "PEK CA1234",
			want: domain.Trip{Mode: "flight", Number: "CA1234", Station: "PEK", StationKind: "airport"}},

		// Unclear: a warning, and what is unclear is left out.
		{text: "3月4日 2点 G123",
			want:     domain.Trip{Mode: "train", Number: "G123", Date: "2026-03-04"},
			problems: []string{"travel_ambiguous_time"}},
		{text: "3月4日下午到",
			want:     domain.Trip{Date: "2026-03-04", Notes: "下午"},
			problems: []string{"travel_ambiguous_time"}},
		{text: "G123 9.30",
			want:     domain.Trip{Mode: "train", Number: "G123", Date: "2026-09-30"},
			problems: []string{"travel_ambiguous_date"}},
		{text: "明天 CA1234",
			want:     domain.Trip{Mode: "flight", Number: "CA1234", Notes: "明天"},
			problems: []string{"travel_relative_date"}},
		{text: "CA1234 转 MU5678 3月4日 18:20", // a connection: the flight that lands here
			want:     domain.Trip{Mode: "flight", Number: "MU5678", Date: "2026-03-04", Time: "18:20"},
			problems: []string{"travel_several"}},
		{text: "CA1234 转 MU5678", dep: true, // leaving, the first flight is ours
			want:     domain.Trip{Mode: "flight", Number: "CA1234"},
			problems: []string{"travel_several"}},
		{text: "CA1234 08:00-10:30",
			want:     domain.Trip{Mode: "flight", Number: "CA1234", Time: "10:30"},
			problems: []string{"travel_several"}},
		{text: "G123 高铁 江阳机场",
			want:     domain.Trip{Mode: "train", Number: "G123", Station: "江阳机场", StationKind: "airport"},
			problems: []string{"travel_mode_conflict"}},
		{text: "3月4日 航班待定",
			want:     domain.Trip{Mode: "flight", Date: "2026-03-04"},
			problems: []string{"travel_undecided"}},
		{text: "待定",
			problems: []string{"travel_undecided"}},
		{text: "3月4日 G123 坐在第三节车厢",
			want:     domain.Trip{Mode: "train", Number: "G123", Date: "2026-03-04", Notes: "第三节车厢"},
			problems: []string{"travel_partly_read"}},
		{text: "3月4日 机场",
			want:     domain.Trip{Mode: "flight", Date: "2026-03-04", Station: "机场", StationKind: "airport"},
			problems: []string{"travel_vague_station"}},

		// Wrong: an error.
		{text: "随便什么时候", problems: []string{"!travel_unreadable"}},
		{text: "xyz", problems: []string{"!travel_unreadable"}},
		{text: "2月30日 CA1234", want: domain.Trip{Mode: "flight", Number: "CA1234"}, problems: []string{"!travel_bad_date"}},
		{text: "13月4日", problems: []string{"!travel_bad_date"}},
		{text: "3月4日 25:00", want: domain.Trip{Date: "2026-03-04"}, problems: []string{"!travel_bad_time"}},
		{text: "随行30人 自驾", want: domain.Trip{Mode: "car"}, problems: []string{"!travel_bad_companions"}},
		{text: strings.Repeat("3月4日 ", 70), problems: []string{"!travel_too_long"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got, ps := ParseTrip(tc.text, ParseOptions{Year: 2026, Departure: tc.dep})
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if c := codes(ps); !slices.Equal(c, tc.problems) {
				t.Errorf("problems %v, want %v", c, tc.problems)
			}
			for _, p := range ps {
				if p.Message == "" || p.MessageEn == "" || strings.ContainsAny(p.MessageEn, "上下午点") && !strings.Contains(p.MessageEn, "\"") {
					t.Errorf("problem %s: %q / %q", p.Code, p.Message, p.MessageEn)
				}
			}
		})
	}
}

// TestParseCells reads the structured columns one cell at a time.
func TestParseCells(t *testing.T) {
	for _, tc := range []struct {
		kind, in, want string
		code           string // "" none; "!" before an error's
	}{
		{"date", "2026-03-04", "2026-03-04", ""},
		{"date", "2026/3/4", "2026-03-04", ""},
		{"date", "2026.3.4", "2026-03-04", ""},
		{"date", "2026年3月4日", "2026-03-04", ""},
		{"date", "3月4日", "2026-03-04", ""},
		{"date", "3月4号", "2026-03-04", ""},
		{"date", "三月四日", "2026-03-04", ""},
		{"date", "3.4", "2026-03-04", ""},
		{"date", "3/4", "2026-03-04", ""},
		{"date", "03-04", "2026-03-04", ""},
		{"date", "2027-01-02", "2027-01-02", ""},
		{"date", "2月29日", "", "!travel_bad_date"}, // 2026 is no leap year
		{"date", "下周", "", "!travel_bad_date"},
		{"date", "3月4日 3月5日", "", "!travel_bad_date"},
		{"time", "14:05", "14:05", ""},
		{"time", "14:05:00", "14:05", ""},
		{"time", "下午2点05", "14:05", ""},
		{"time", "下午2点05分", "14:05", ""},
		{"time", "下午两点半", "14:30", ""},
		{"time", "14点", "14:00", ""},
		{"time", "14时05分", "14:05", ""},
		{"time", "晚上8点", "20:00", ""},
		{"time", "中午12点", "12:00", ""},
		{"time", "凌晨1:20", "01:20", ""},
		{"time", "9点一刻", "09:15", ""},
		{"time", "2点", "", "travel_ambiguous_time"},
		{"time", "下午", "", "travel_ambiguous_time"},
		{"time", "24:30", "", "!travel_bad_time"},
		{"time", "14:65", "", "!travel_bad_time"},
		{"time", "尽快", "", "!travel_bad_time"},
		{"mode", "航班", "flight", ""},
		{"mode", "飞机", "flight", ""},
		{"mode", "高铁", "train", ""},
		{"mode", "动车", "train", ""},
		{"mode", "火车", "train", ""},
		{"mode", "自驾", "car", ""},
		{"mode", "驾车", "car", ""},
		{"mode", "Car", "car", ""},
		{"mode", "flight", "flight", ""},
		{"mode", "其他", "other", ""},
		{"mode", "大巴", "other", ""},
		{"mode", "骑马", "", "!travel_bad_mode"},
		{"number", "CA1234", "flight CA1234", ""},
		{"number", "ca1234", "flight CA1234", ""},
		{"number", "3U8888", "flight 3U8888", ""},
		{"number", "MU 5101", "flight MU5101", ""},
		{"number", "G123", "train G123", ""},
		{"number", "G123次", "train G123", ""},
		{"number", "D2345", "train D2345", ""},
		{"number", "K1234", "train K1234", ""},
		{"number", "Z12", "train Z12", ""},
		{"number", "T8", "train T8", ""},
		{"number", "1461次", "train 1461", ""},
		{"number", "CA1234航班", "flight CA1234", ""},
		{"number", "CA12", "", "!travel_bad_number"},
		{"number", "G123 G125", "", "!travel_bad_number"},
		{"number", "高铁", "", "!travel_bad_number"},
		{"companions", "2", "2", ""},
		{"companions", "2.0", "2", ""},
		{"companions", "2人", "2", ""},
		{"companions", "两人", "2", ""},
		{"companions", "随行1人", "1", ""},
		{"companions", "无", "0", ""},
		{"companions", "21", "", "!travel_bad_companions"},
		{"companions", "-1", "", "!travel_bad_companions"},
		{"companions", "一些", "", "!travel_bad_companions"},
		{"ticket", "需代订", "needed", ""},
		{"ticket", "是", "needed", ""},
		{"ticket", "已订", "booked", ""},
		{"ticket", "已出票", "booked", ""},
		{"ticket", "自行安排", "self", ""},
		{"ticket", "否", "self", ""},
		{"ticket", "booked", "booked", ""},
		{"ticket", "看情况", "", "!travel_bad_ticket"},
		{"ticket_no", "781-2345678901", "781-2345678901", ""},
		{"ticket_no", "e 123 456 789", "E123456789", ""},
		{"ticket_no", "票", "", "!travel_bad_ticket_no"},
	} {
		t.Run(tc.kind+" "+tc.in, func(t *testing.T) {
			var got string
			var p *Problem
			switch tc.kind {
			case "date":
				got, p = ParseDate(tc.in, 2026)
			case "time":
				got, p = ParseClock(tc.in)
			case "mode":
				got, p = ParseMode(tc.in)
			case "number":
				var mode, num string
				mode, num, p = ParseNumber(tc.in)
				got = strings.TrimSpace(mode + " " + num)
			case "companions":
				var n int
				n, p = ParseCompanions(tc.in)
				if p == nil {
					got = strconv.Itoa(n)
				}
			case "ticket":
				got, p = ParseTicket(tc.in)
			case "ticket_no":
				got, p = ParseTicketNo(tc.in)
			}
			code := ""
			if p != nil {
				code = p.Code
				if !p.Warn {
					code = "!" + code
				}
				if p.Message == "" || p.MessageEn == "" {
					t.Errorf("problem without words: %+v", p)
				}
			}
			if got != tc.want || code != tc.code {
				t.Errorf("got %q %q, want %q %q", got, code, tc.want, tc.code)
			}
		})
	}
}

// TestFormatTrip: what FormatTrip writes, ParseTrip reads back.
func TestFormatTrip(t *testing.T) {
	for _, tr := range []domain.Trip{
		{Mode: "flight", Number: "CA1234", Station: "江阳机场", StationKind: "airport", Date: "2026-03-04", Time: "14:05", Companions: 2},
		{Mode: "car", Date: "2026-03-04"},
		{Mode: "train", Station: "云江站", StationKind: "rail", Date: "2026-03-06", Ticket: "needed"},
		{Mode: "train", Number: "G124", Date: "2026-03-06", Time: "17:00", Ticket: "booked", TicketNo: "E123456789"},
	} {
		s := FormatTrip(tr)
		got, ps := ParseTrip(s, ParseOptions{Year: 2026, Departure: true})
		if got != tr || len(ps) > 0 {
			t.Errorf("%q read back as %+v %v, want %+v", s, got, codes(ps), tr)
		}
	}
}
