package logistics

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The pieces of travel as people write them, one structured cell each
// (抵达日期, 航班车次, 随行人数 …), and the finders ParseTrip (parse.go)
// reads a sentence with.

// The modes of travel (store.Leg.Mode).
const (
	ModeFlight = "flight"
	ModeTrain  = "train"
	ModeCar    = "car"
	ModeOther  = "other"
)

// The tickets of a departure (store.Leg.Ticket).
const (
	TicketNeeded = "needed" // 需代订: the secretariat books it
	TicketBooked = "booked" // 已订, with its number
	TicketSelf   = "self"   // 自行安排
)

// The kinds of station (store.Station.Kind).
const (
	KindAirport = "airport"
	KindRail    = "rail"
	KindRoad    = "road"
	KindOther   = "other"
)

// Problem codes. Errors: the value cannot be read or cannot be true.
const (
	CodeUnreadable     = "travel_unreadable"      // nothing in the text reads as travel
	CodeBadDate        = "travel_bad_date"        // not a date, or no such day (2月30日)
	CodeBadTime        = "travel_bad_time"        // not a time of day, or none such (25:00)
	CodeBadNumber      = "travel_bad_number"      // not a flight or train number
	CodeBadMode        = "travel_bad_mode"        // not 航班, 火车, 自驾 or 其他
	CodeBadCompanions  = "travel_bad_companions"  // not a count of 0 to MaxCompanions
	CodeBadTicket      = "travel_bad_ticket"      // not 需代订, 已订 or 自行安排
	CodeBadTicketNo    = "travel_bad_ticket_no"   // not a ticket number
	CodeAmbiguousTime  = "travel_ambiguous_time"  // 2点: morning or afternoon? left out
	CodeAmbiguousDate  = "travel_ambiguous_date"  // 9.30: 9月30日 or half past nine? taken as a date
	CodeRelativeDate   = "travel_relative_date"   // 明天, 会前一天: left out
	CodeSeveral        = "travel_several"         // two dates, times or numbers: one taken
	CodeModeConflict   = "travel_mode_conflict"   // a train number and 航班, or the like
	CodePartlyRead     = "travel_partly_read"     // words not understood, kept as notes
	CodeUndecided      = "travel_undecided"       // 待定: nothing taken
	CodeVagueStation   = "travel_vague_station"   // only 机场 or 火车站: which one?
	CodeKeptAsText     = "travel_kept_as_text"    // the import keeps a cell it cannot read as text only
	CodeCellsDisagree  = "travel_cells_disagree"  // a structured cell and the free text differ
	CodeTicketConflict = "travel_ticket_conflict" // 需代订 with a ticket number: taken as booked
)

// MaxCompanions is the most 随行人员 one person may bring (the store's
// check).
const MaxCompanions = 20

// Problem is what a parser found unclear (Warn) or wrong.
type Problem struct {
	Code      string
	Message   string // Chinese
	MessageEn string
	Warn      bool
}

func problem(code, zh, en string) *Problem { return &Problem{Code: code, Message: zh, MessageEn: en} }
func warning(code, zh, en string) *Problem {
	return &Problem{Code: code, Message: zh, MessageEn: en, Warn: true}
}

// ParseOptions say what a text cannot: the year of a date written without one
// (the event's), and whether the text is an arrival or a departure (of two
// times, an arrival means the later, a departure the earlier).
type ParseOptions struct {
	Year      int
	Departure bool
}

// HasError reports whether any of ps is an error rather than a warning.
func HasError(ps []*Problem) bool {
	for _, p := range ps {
		if !p.Warn {
			return true
		}
	}
	return false
}

// normalize folds full-width forms (１４：０５ → 14:05) and trims.
func normalize(s string) string {
	return strings.TrimSpace(norm.NFKC.String(s))
}

// upperASCII upper-cases ASCII letters only, so that byte offsets stay.
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// cnDigits are the Chinese numerals a date, an hour or a count is written
// with: 三月四日, 下午两点, 随行两人.
var cnDigits = map[rune]int{'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5,
	'六': 6, '七': 7, '八': 8, '九': 9}

// number reads 1–2 Arabic digits or a Chinese numeral up to 九十九.
func number(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 0
	}
	rs := []rune(s)
	if len(rs) > 3 {
		return 0, false
	}
	tens, units, seenTen := 0, 0, false
	for i, r := range rs {
		if r == '十' {
			if seenTen || i > 1 {
				return 0, false
			}
			seenTen, tens = true, max(units, 1)
			units = 0
			continue
		}
		d, ok := cnDigits[r]
		if !ok {
			return 0, false
		}
		units = units*10 + d
	}
	return tens*10 + units, true
}

const cnNum = `[0-9]{1,2}|[〇零一二两三四五六七八九十]{1,3}`

// validDay reports whether y-m-d is a day of the calendar.
func validDay(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || y < 1900 || y > 2200 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d
}

func badDate(what string) *Problem {
	return problem(CodeBadDate, fmt.Sprintf("“%s”不是有效的日期", what), fmt.Sprintf("%q is not a valid date", what))
}

func badTime(what string) *Problem {
	return problem(CodeBadTime, fmt.Sprintf("“%s”不是有效的时间", what), fmt.Sprintf("%q is not a valid time of day", what))
}

// day formats a checked date.
func day(y, m, d int, what string) (string, *Problem) {
	if !validDay(y, m, d) {
		return "", badDate(what)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), nil
}

var (
	reFullDate  = regexp.MustCompile(`([0-9]{4})\s*[年./-]\s*([0-9]{1,2})\s*[月./-]\s*([0-9]{1,2})\s*[日号]?`)
	reMonthDay  = regexp.MustCompile(`(` + cnNum + `)\s*月\s*(` + cnNum + `)\s*[日号]?`)
	reShortDate = regexp.MustCompile(`(^|[^0-9:.])([0-9]{1,2})\s*([./-])\s*([0-9]{1,2})\s*([日号])?($|[^0-9:.])`)
)

// ParseDate reads a date cell: 2026-03-04, 2026年3月4日, 2026/3/4, 3月4日,
// 三月四日, 3.4, 3/4, 03-04. A date without a year is in year.
func ParseDate(s string, year int) (string, *Problem) {
	v := normalize(s)
	if v == "" {
		return "", nil
	}
	f := dateFinder{year: year}
	f.find(v)
	f.findShort(v)
	rest := strings.Trim(blankOut(v, f.spans), " ,，、")
	switch {
	case f.bad != nil:
		return "", f.bad
	case len(f.dates) != 1 || strings.TrimFunc(rest, isFiller) != "":
		return "", badDate(truncate(s, 30))
	}
	return f.dates[0].date, f.warn
}

// dateFinder finds the dates of a text.
type dateFinder struct {
	year  int
	dates []found
	spans [][2]int
	bad   *Problem
	warn  *Problem
}

// found is a date or a number and where it is in the text.
type found struct {
	at, end    int
	date, text string
}

func (f *dateFinder) add(at, end int, date string, p *Problem) {
	f.spans = append(f.spans, [2]int{at, end})
	if p != nil {
		if f.bad == nil {
			f.bad = p
		}
		return
	}
	f.dates = append(f.dates, found{at: at, end: end, date: date})
}

func (f *dateFinder) find(v string) {
	for _, m := range reFullDate.FindAllStringSubmatchIndex(v, -1) {
		y, _ := strconv.Atoi(v[m[2]:m[3]])
		mo, _ := strconv.Atoi(v[m[4]:m[5]])
		d, _ := strconv.Atoi(v[m[6]:m[7]])
		date, p := day(y, mo, d, v[m[0]:m[1]])
		f.add(m[0], m[1], date, p)
	}
	v = blankOut(v, f.spans)
	for _, m := range reMonthDay.FindAllStringSubmatchIndex(v, -1) {
		mo, ok1 := number(v[m[2]:m[3]])
		d, ok2 := number(v[m[4]:m[5]])
		var date string
		p := badDate(v[m[0]:m[1]])
		if ok1 && ok2 {
			date, p = day(f.year, mo, d, v[m[0]:m[1]])
		}
		f.add(m[0], m[1], date, p)
	}
}

// findShort finds 3.4, 3/4 and 03-04 once times are out of the way: a
// month and a day. 9.30 might be half past nine: a warning says so.
func (f *dateFinder) findShort(v string) {
	v = blankOut(v, f.spans)
	for i := 0; i < len(v); {
		m := reShortDate.FindStringSubmatchIndex(v[i:])
		if m == nil {
			break
		}
		for k := range m {
			if m[k] >= 0 {
				m[k] += i
			}
		}
		at, end := m[4], m[9]
		if m[10] >= 0 {
			end = m[11]
		}
		mo, _ := strconv.Atoi(v[m[4]:m[5]])
		d, _ := strconv.Atoi(v[m[8]:m[9]])
		date, p := day(f.year, mo, d, v[at:end])
		if p == nil && v[m[6]:m[7]] == "." && m[10] < 0 && m[9]-m[8] == 2 && mo <= 23 && d <= 59 && f.warn == nil {
			f.warn = warning(CodeAmbiguousDate,
				fmt.Sprintf("“%s”按日期（%d月%d日）读取；如果是时间，请写成 %d:%02d", v[at:end], mo, d, mo, d),
				fmt.Sprintf("%q read as a date (%d/%d); if it is a time, write %d:%02d", v[at:end], mo, d, mo, d))
		}
		f.add(at, end, date, p)
		i = end
	}
}

var (
	rePeriod   = `(凌晨|清晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜间|夜里|晚)?\s*`
	reColon    = regexp.MustCompile(rePeriod + `([0-9]{1,2})\s*:\s*([0-9]{2})(?:\s*:\s*[0-9]{2})?`)
	reDian     = regexp.MustCompile(rePeriod + `(` + cnNum + `)\s*[点時时]\s*(半|一刻|三刻|(?:[0-9]{1,2}|[〇零一二三四五六七八九十]{1,3})\s*分?)?`)
	rePeriodOf = regexp.MustCompile(`凌晨|清晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜间|夜里`)
)

// clock is a time of day found in a text.
type clock struct {
	at, end int
	hm      string
	bad     *Problem
	vague   *Problem
}

// afternoon reports whether a period word puts an hour after noon.
func afternoon(period string, h int) int {
	switch period {
	case "下午", "傍晚", "晚上", "夜间", "夜里", "晚":
		if h < 12 {
			return h + 12
		}
	case "中午":
		if h < 6 {
			return h + 12
		}
	case "凌晨", "清晨", "早上", "早晨", "上午":
		if h == 12 && period == "凌晨" {
			return 0
		}
	}
	return h
}

// findClocks finds the times of day in v: 14:05, 14:05:00, 下午2点05,
// 下午两点半, 14点, 14时05分.
func findClocks(v string) []clock {
	var out []clock
	for _, m := range reColon.FindAllStringSubmatchIndex(v, -1) {
		c := clock{at: m[0], end: m[1]}
		period := sub(v, m, 1)
		h, _ := strconv.Atoi(sub(v, m, 2))
		mi, _ := strconv.Atoi(sub(v, m, 3))
		if h > 23 || mi > 59 {
			c.bad = badTime(v[m[0]:m[1]])
		} else {
			c.hm = fmt.Sprintf("%02d:%02d", afternoon(period, h), mi)
		}
		out = append(out, c)
	}
	rest := v
	for _, c := range out {
		rest = rest[:c.at] + strings.Repeat(" ", c.end-c.at) + rest[c.end:]
	}
	for _, m := range reDian.FindAllStringSubmatchIndex(rest, -1) {
		c := clock{at: m[0], end: m[1]}
		period := sub(rest, m, 1)
		h, ok := number(sub(rest, m, 2))
		mi, okm := 0, true
		switch minute := strings.TrimSuffix(strings.TrimSpace(sub(rest, m, 3)), "分"); minute {
		case "":
		case "半":
			mi = 30
		case "一刻":
			mi = 15
		case "三刻":
			mi = 45
		default:
			mi, okm = number(strings.TrimSpace(minute))
		}
		switch {
		case !ok || !okm || h > 24 || mi > 59 || h == 24 && mi > 0:
			c.bad = badTime(rest[m[0]:m[1]])
		case h == 24:
			c.bad = badTime(rest[m[0]:m[1]])
		case period == "" && h >= 1 && h <= 6:
			c.vague = warning(CodeAmbiguousTime,
				fmt.Sprintf("“%s”是上午还是下午？时间未填，请写成 %02d:%02d 或 %02d:%02d，或注明上午/下午", strings.TrimSpace(rest[m[0]:m[1]]), h, mi, h+12, mi),
				fmt.Sprintf("%q: morning or afternoon? The time is left out; write %02d:%02d or %02d:%02d", strings.TrimSpace(rest[m[0]:m[1]]), h, mi, h+12, mi))
		default:
			c.hm = fmt.Sprintf("%02d:%02d", afternoon(period, h), mi)
		}
		out = append(out, c)
	}
	return out
}

// sub is submatch i of m in v, "" when it did not take part.
func sub(v string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return v[m[2*i]:m[2*i+1]]
}

// ParseClock reads a time cell: 14:05, 14:05:00, 下午2点05, 14点, 下午两点半.
func ParseClock(s string) (string, *Problem) {
	v := normalize(s)
	if v == "" {
		return "", nil
	}
	cs := findClocks(v)
	if len(cs) != 1 || strings.TrimFunc(v[:cs[0].at]+v[cs[0].end:], isFiller) != "" {
		if p := rePeriodOf.FindString(v); p != "" && len(cs) == 0 && strings.TrimFunc(strings.Replace(v, p, "", 1), isFiller) == "" {
			return "", warning(CodeAmbiguousTime, fmt.Sprintf("只写了“%s”，没有钟点；时间未填", p),
				fmt.Sprintf("only %q, no hour; the time is left out", p))
		}
		return "", badTime(truncate(s, 30))
	}
	c := cs[0]
	if c.bad != nil {
		return "", c.bad
	}
	return c.hm, c.vague
}

// modeWords name a mode of travel in a text or a 方式 cell.
var modeWords = []struct {
	word, mode string
}{
	{"自行驾车", ModeCar}, {"自驾车", ModeCar}, {"自驾", ModeCar}, {"驾车", ModeCar}, {"开车", ModeCar},
	{"SELF-DRIVE", ModeCar}, {"SELF DRIVE", ModeCar}, {"DRIVING", ModeCar}, {"DRIVE", ModeCar}, {"CAR", ModeCar},
	{"航班", ModeFlight}, {"飞机", ModeFlight}, {"乘机", ModeFlight}, {"飞抵", ModeFlight}, {"接机", ModeFlight}, {"送机", ModeFlight},
	{"FLIGHT", ModeFlight}, {"PLANE", ModeFlight}, {"AIR", ModeFlight},
	{"高铁", ModeTrain}, {"动车", ModeTrain}, {"火车", ModeTrain}, {"列车", ModeTrain}, {"车次", ModeTrain},
	{"TRAIN", ModeTrain}, {"RAIL", ModeTrain},
	{"大巴", ModeOther}, {"巴士", ModeOther}, {"客车", ModeOther}, {"汽车", ModeOther}, {"派车", ModeOther},
	{"专车", ModeOther}, {"包车", ModeOther}, {"其他", ModeOther}, {"其它", ModeOther}, {"BUS", ModeOther}, {"OTHER", ModeOther},
}

// ParseMode reads a 方式 cell: 航班/飞机, 火车/高铁/动车, 自驾/驾车, 其他/大巴,
// or flight, train, car, other.
func ParseMode(s string) (string, *Problem) {
	v := upperASCII(normalize(s))
	if v == "" {
		return "", nil
	}
	for _, w := range modeWords {
		if strings.TrimFunc(strings.Replace(v, w.word, "", 1), isFiller) == "" && strings.Contains(v, w.word) {
			return w.mode, nil
		}
	}
	switch v {
	case "飞", "机", "FLY":
		return ModeFlight, nil
	case "车", "铁路":
		return ModeTrain, nil
	}
	return "", problem(CodeBadMode, fmt.Sprintf("“%s”不是交通方式，可填：航班、火车、自驾、其他", truncate(s, 20)),
		fmt.Sprintf("%q is not a mode of travel; use flight, train, car or other", truncate(s, 20)))
}

var (
	reAlnum      = regexp.MustCompile(`[A-Z0-9]+`)
	reSpacedFlt  = regexp.MustCompile(`(^|[^A-Z0-9])([A-Z]{2}|[A-Z][0-9]|[0-9][A-Z]) ([0-9]{3,4})($|[^A-Z0-9])`)
	reDigitTrain = regexp.MustCompile(`([0-9]{4})\s*次`)
)

// numberOf says what an ASCII token is: a train (G123, D2345, K1234, Z12,
// T8) or a flight (CA1234, 3U8888, MU5101).
func numberOf(tok string) string {
	if len(tok) >= 2 && len(tok) <= 5 && strings.ContainsRune("GDCKTZYLS", rune(tok[0])) && allDigits(tok[1:]) {
		return ModeTrain
	}
	if (len(tok) == 5 || len(tok) == 6) && allDigits(tok[2:]) && (letter(tok[0]) || letter(tok[1])) {
		return ModeFlight
	}
	return ""
}

func letter(c byte) bool { return c >= 'A' && c <= 'Z' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// numbers finds flight and train numbers in u (upper case).
func numbers(u string) (out []found, modes []string) {
	for _, m := range reSpacedFlt.FindAllStringSubmatchIndex(u, -1) {
		if tok := u[m[4]:m[5]] + u[m[6]:m[7]]; numberOf(tok) == ModeFlight {
			out = append(out, found{at: m[4], end: m[7], text: tok})
			modes = append(modes, ModeFlight)
		}
	}
	taken := func(at int) bool {
		for _, f := range out {
			if at >= f.at && at < f.end {
				return true
			}
		}
		return false
	}
	for _, m := range reAlnum.FindAllStringIndex(u, -1) {
		if taken(m[0]) {
			continue
		}
		if mode := numberOf(u[m[0]:m[1]]); mode != "" {
			out = append(out, found{at: m[0], end: m[1], text: u[m[0]:m[1]]})
			modes = append(modes, mode)
		}
	}
	for _, m := range reDigitTrain.FindAllStringSubmatchIndex(u, -1) {
		if taken(m[2]) {
			continue
		}
		out = append(out, found{at: m[2], end: m[1], text: u[m[2]:m[3]]})
		modes = append(modes, ModeTrain)
	}
	return out, modes
}

// ParseNumber reads a 航班/车次 cell: CA1234, ca 1234, 3U8888, G123, G123次,
// D2345, K1234, 1461次. It answers the mode the number says too.
func ParseNumber(s string) (mode, num string, p *Problem) {
	v := upperASCII(normalize(s))
	if v == "" {
		return "", "", nil
	}
	fs, modes := numbers(v)
	if len(fs) == 1 {
		rest := v[:fs[0].at] + v[fs[0].end:]
		rest = strings.NewReplacer("航班", "", "次", "", "车次", "", "FLIGHT", "", "TRAIN", "", "NO", "").Replace(rest)
		if strings.TrimFunc(rest, isFiller) == "" {
			return modes[0], fs[0].text, nil
		}
	}
	return "", "", problem(CodeBadNumber,
		fmt.Sprintf("“%s”不是航班号或车次（如 CA1234、3U8888、G123、D2345、K1234）", truncate(s, 20)),
		fmt.Sprintf("%q is not a flight or train number (e.g. CA1234, 3U8888, G123, D2345, K1234)", truncate(s, 20)))
}

var reCount = regexp.MustCompile(`^(?:随行|随员|陪同|家属)?(?:人员|人数)?\s*(` + cnNum + `)\s*(?:人|名|位)?$`)

// ParseCompanions reads a 随行人数 cell: 2, 2人, 两人, 随行2人, 无.
func ParseCompanions(s string) (int, *Problem) {
	v := normalize(s)
	switch v {
	case "", "无", "没有", "否", "-", "—", "/", "NONE", "none", "None", "0人":
		return 0, nil
	}
	if i := strings.IndexByte(v, '.'); i > 0 && strings.Trim(v[i+1:], "0") == "" { // Excel's 2.0
		v = v[:i]
	}
	if m := reCount.FindStringSubmatch(v); m != nil {
		if n, ok := number(m[1]); ok && n <= MaxCompanions {
			return n, nil
		}
	}
	return 0, problem(CodeBadCompanions,
		fmt.Sprintf("随行人数应为 0 到 %d 的整数，这里是“%s”", MaxCompanions, truncate(s, 20)),
		fmt.Sprintf("companions must be a whole number from 0 to %d, not %q", MaxCompanions, truncate(s, 20)))
}

// ticketWords name what happens to a departure's ticket.
var ticketWords = []struct {
	word, ticket string
}{
	{"需代订", TicketNeeded}, {"需要代订", TicketNeeded}, {"请代订", TicketNeeded}, {"代订", TicketNeeded},
	{"需订票", TicketNeeded}, {"需购票", TicketNeeded}, {"NEEDED", TicketNeeded}, {"BOOK FOR ME", TicketNeeded},
	{"已订票", TicketBooked}, {"已订", TicketBooked}, {"已购票", TicketBooked}, {"已购", TicketBooked}, {"已出票", TicketBooked},
	{"BOOKED", TicketBooked},
	{"自行安排", TicketSelf}, {"自行购票", TicketSelf}, {"自行订票", TicketSelf}, {"自订", TicketSelf}, {"自理", TicketSelf},
	{"SELF", TicketSelf}, {"OWN", TicketSelf},
}

// ParseTicket reads a 是否代订 cell: 需代订 (是, 需要), 已订 (已购, 已出票),
// 自行安排 (否, 自理), or needed, booked, self.
func ParseTicket(s string) (string, *Problem) {
	v := upperASCII(normalize(s))
	switch v {
	case "":
		return "", nil
	case "是", "需要", "要", "Y", "YES":
		return TicketNeeded, nil
	case "否", "不需要", "不要", "N", "NO":
		return TicketSelf, nil
	}
	for _, w := range ticketWords {
		if strings.Contains(v, w.word) && strings.TrimFunc(strings.Replace(v, w.word, "", 1), isFiller) == "" {
			return w.ticket, nil
		}
	}
	return "", problem(CodeBadTicket, fmt.Sprintf("“%s”无法识别，可填：需代订、已订、自行安排", truncate(s, 20)),
		fmt.Sprintf("%q is not understood; use 需代订 (needed), 已订 (booked) or 自行安排 (self)", truncate(s, 20)))
}

var reTicketNo = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{4,29}$`)

// ParseTicketNo reads a 票号 cell: letters, digits and dashes (an
// e-ticket's 781-2345678901, a train ticket's E123456789).
func ParseTicketNo(s string) (string, *Problem) {
	v := strings.ReplaceAll(upperASCII(normalize(s)), " ", "")
	if v == "" {
		return "", nil
	}
	if !reTicketNo.MatchString(v) {
		return "", problem(CodeBadTicketNo, fmt.Sprintf("“%s”不是票号（字母、数字和短横线，5–30 位）", truncate(s, 20)),
			fmt.Sprintf("%q is not a ticket number (5–30 letters, digits and dashes)", truncate(s, 20)))
	}
	return v, nil
}

// StationKind guesses what a station's name says it is.
func StationKind(name string) string {
	u := upperASCII(normalize(name))
	switch {
	case strings.Contains(u, "机场") || strings.Contains(u, "航站楼") || strings.Contains(u, "AIRPORT") || isIATA(u):
		return KindAirport
	case strings.Contains(u, "汽车站") || strings.Contains(u, "客运站") || strings.Contains(u, "服务区") || strings.Contains(u, "BUS"):
		return KindRoad
	case strings.HasSuffix(u, "站") || strings.Contains(u, "STATION") || strings.Contains(u, "RAILWAY"):
		return KindRail
	}
	return KindOther
}

func isIATA(u string) bool {
	return len(u) == 3 && letter(u[0]) && letter(u[1]) && letter(u[2])
}

// isFiller is a rune that says nothing: spaces and punctuation.
func isFiller(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// blankOut replaces the spans of v with spaces, keeping byte offsets.
func blankOut(v string, spans [][2]int) string {
	b := []byte(v)
	for _, s := range spans {
		for i := s[0]; i < s[1] && i < len(b); i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
