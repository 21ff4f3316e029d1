package logistics

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"huiwu/server/internal/domain"
)

// Reading travel as people write it (issue 12): a list's 抵达时间 cell
// "3月4日 CA1234 14:05 首都机场", the desk's "G123 北京南站 3/4 9:30",
// "自驾", "随行1人". What is unclear is a warning and is left out (an hour
// without 上午/下午 that could be either) or taken with a word on how (of
// two times, one); what cannot be read at all, or cannot be true (2月30日,
// 25:00), is an error.

var (
	reCompanions = regexp.MustCompile(`(?:随行|随员|陪同|携带|携|带|另有)(?:人员|人数|家属)?\s*:?\s*(` + cnNum + `)\s*(?:人|名|位)?|(` + cnNum + `)\s*(?:人|名|位)\s*(?:随行|陪同)`)
	reTicketNoIn = regexp.MustCompile(`(?:票号|TICKET\s*NO\.?|TICKET)\s*:?\s*([A-Z0-9][A-Z0-9-]{4,29})`)
	reRelative   = regexp.MustCompile(`明天|后天|今天|次日|前一天|前一日|当天|当日|会前|周[一二三四五六日天]|星期[一二三四五六日天]`)
	reUndecided  = regexp.MustCompile(`待定|未定|不详|未知|另行通知|另告|TBD|TBA`)
	reStation    = regexp.MustCompile(`\p{Han}*?(?:国际机场|机场|站)`)
	reStationEn  = regexp.MustCompile(`\b([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*)\s+(?:International Airport|Airport|Railway Station|Train Station|Station)\b`)
	reIATA       = regexp.MustCompile(`\b[A-Z]{3}\b`)
	reTerminal   = regexp.MustCompile(`机场\s*(T[1-9])\b|\b(T[1-9])\s*航站楼|([1-9一二三四五])号航站楼`)
)

// MaxText is the longest text ParseTrip reads, in characters: a list's
// cell holds at most 200; anything much longer is no travel plan.
const MaxText = 300

// verbs are what people write before a station's name: 抵达江阳机场,
// 乘G123次至北京南站. One character is taken off only if a name of two
// remains (于都站 stays 于都站).
var (
	verbs      = []string{"飞抵", "抵达", "到达", "乘坐", "前往", "返回", "离开", "出发", "航班", "经由"}
	shortVerbs = []string{"次", "乘", "坐", "到", "至", "抵", "从", "由", "在", "于", "经", "去", "往", "赴"}
	notStation = []string{"接站", "送站", "到站", "出站", "进站", "本站"}
	vagueNames = []string{"站", "机场", "国际机场", "车站", "火车站", "高铁站", "动车站", "汽车站"}
)

// fillers are the words a travel sentence is held together with; what is
// left once they and everything read are out goes to the notes.
var fillers = func() []string {
	w := strings.Fields(`乘坐 乘 坐 抵达 到达 飞抵 抵 到 达 至 于 由 从 在 经 返程 返回 返 回 离开 离会 离 出发 发车 起飞
		落地 降落 约 大约 预计 左右 前后 次 号 航班 班次 需接机 需接站 需送机 需送站 接机 接站 送机 送站 需要 需 会后 会议结束后 结束后
		散会后 日期 时间 随代表团 代表团 随团 集体 一同 一起 统一 安排 请 人员 人 名 位 的 和 与 及 再 转 转乘 中转 经停
		ARRIVING ARRIVES ARRIVE ARRIVAL DEPARTING DEPARTS DEPART DEPARTURE LEAVING LEAVES LEAVE BY AT ON VIA FROM TO THE AND WITH
		PICK UP PICKUP NEED NEEDS`)
	sort.Slice(w, func(i, j int) bool { return len(w[i]) > len(w[j]) })
	return w
}()

// ParseTrip reads an arrival or a departure written as text. The answer
// holds what the text says clearly; each problem says what was unclear
// (Warn) or wrong. A text with an error should be kept as text only.
func ParseTrip(text string, o ParseOptions) (domain.Trip, []*Problem) {
	var t domain.Trip
	v := normalize(text)
	if v == "" {
		return t, nil
	}
	if n := utf8.RuneCountInString(v); n > MaxText {
		return t, []*Problem{problem(CodeTooLong, fmt.Sprintf("内容过长（%d 字），不像是行程；最多 %d 字", n, MaxText),
			fmt.Sprintf("too long (%d characters) for travel; at most %d", n, MaxText))}
	}
	if o.Year == 0 {
		o.Year = time.Now().Year()
	}
	p := &tripParser{v: v, u: upperASCII(v), o: o}
	p.read(&t)
	return t, p.problems
}

// tripParser reads one text: each finder takes what it reads out of u
// (spaces keep the byte offsets), so that the next does not read it again
// and the leftover is what nobody understood.
type tripParser struct {
	v, u     string
	o        ParseOptions
	problems []*Problem
	notes    []string
	read1    bool // something was read
}

func (p *tripParser) add(pr *Problem) {
	if pr != nil {
		p.problems = append(p.problems, pr)
	}
}

func (p *tripParser) blank(at, end int) {
	p.u = blankOut(p.u, [][2]int{{at, end}})
	p.read1 = true
}

// pick chooses one of n things found in text order: an arrival means the
// last (the flight that lands here), a departure the first.
func (p *tripParser) pick(n int) int {
	if p.o.Departure {
		return 0
	}
	return n - 1
}

func (p *tripParser) several(what, whatEn string, all []string, took string) {
	if len(slices.Compact(slices.Clone(all))) < 2 {
		return
	}
	p.add(warning(CodeSeveral, fmt.Sprintf("写了多个%s（%s），取了 %s", what, strings.Join(all, "、"), took),
		fmt.Sprintf("several %s (%s); %s was taken", whatEn, strings.Join(all, ", "), took)))
}

func (p *tripParser) read(t *domain.Trip) {
	p.terminal()
	p.ticketNo(t)
	p.undecided()
	f := dateFinder{year: p.o.Year}
	f.find(p.u)
	p.u = blankOut(p.u, f.spans)
	p.read1 = p.read1 || len(f.spans) > 0
	p.clock(t)
	numMode := p.number(t)
	f.spans = nil
	f.findShort(p.u)
	p.u = blankOut(p.u, f.spans)
	p.read1 = p.read1 || len(f.spans) > 0
	p.dates(t, &f)
	p.companions(t)
	p.words(t)
	p.station(t)
	p.mode(t, numMode)
	if t.TicketNo != "" && t.Ticket == "" {
		t.Ticket = TicketBooked
	}
	if !p.read1 {
		p.problems = append([]*Problem{problem(CodeUnreadable,
			fmt.Sprintf("“%s”中读不出日期、时间、航班车次、站点或交通方式", truncate(p.v, 30)),
			fmt.Sprintf("no date, time, flight or train, station or mode can be read in %q", truncate(p.v, 30)))}, p.problems...)
		return
	}
	p.leftover()
	t.Notes = strings.Join(p.notes, " ")
}

// terminal takes 机场T3 and T2航站楼 out (a T3 is no train), into the
// notes: the pickup needs it, the station is the airport.
func (p *tripParser) terminal() {
	for _, m := range reTerminal.FindAllStringSubmatchIndex(p.u, -1) {
		switch {
		case m[2] >= 0:
			p.notes = append(p.notes, p.u[m[2]:m[3]])
			p.blank(m[2], m[3])
		default:
			p.notes = append(p.notes, strings.TrimSpace(p.u[m[0]:m[1]]))
			p.blank(m[0], m[1])
		}
	}
}

func (p *tripParser) ticketNo(t *domain.Trip) {
	if m := reTicketNoIn.FindStringSubmatchIndex(p.u); m != nil {
		t.TicketNo = p.u[m[2]:m[3]]
		p.blank(m[0], m[1])
	}
}

func (p *tripParser) undecided() {
	if m := reUndecided.FindStringIndex(p.u); m != nil {
		p.add(warning(CodeUndecided, fmt.Sprintf("写着“%s”，待定的部分未填", p.u[m[0]:m[1]]),
			fmt.Sprintf("says %q: what is undecided is left out", p.u[m[0]:m[1]])))
		for _, m := range reUndecided.FindAllStringIndex(p.u, -1) {
			p.blank(m[0], m[1])
		}
	}
}

func (p *tripParser) clock(t *domain.Trip) {
	var good []string
	for _, c := range findClocks(p.u) {
		p.blank(c.at, c.end)
		switch {
		case c.bad != nil:
			p.add(c.bad)
		case c.vague != nil:
			p.add(c.vague)
		default:
			good = append(good, c.hm)
		}
	}
	if len(good) > 0 {
		t.Time = good[p.pick(len(good))]
		p.several("时间", "times", good, t.Time)
	}
	// 下午 with no hour: the time stays empty, the word goes to the notes.
	for _, m := range rePeriodOf.FindAllStringIndex(p.u, -1) {
		w := p.u[m[0]:m[1]]
		p.blank(m[0], m[1])
		if t.Time == "" {
			p.notes = append(p.notes, w)
			p.add(warning(CodeAmbiguousTime, fmt.Sprintf("只写了“%s”，没有钟点；时间未填", w),
				fmt.Sprintf("only %q, no hour; the time is left out", w)))
		}
	}
}

func (p *tripParser) number(t *domain.Trip) string {
	fs, modes := numbers(p.u)
	if len(fs) == 0 {
		return ""
	}
	var all []string
	for _, f := range fs {
		p.blank(f.at, f.end)
		all = append(all, f.text)
	}
	// numbers lists them by kind; text order is what pick means.
	order := make([]int, len(fs))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return fs[order[a]].at < fs[order[b]].at })
	i := order[p.pick(len(order))]
	t.Number = fs[i].text
	sorted := make([]string, len(order))
	for k, j := range order {
		sorted[k] = all[j]
	}
	p.several("航班车次", "flight or train numbers", sorted, t.Number)
	return modes[i]
}

func (p *tripParser) dates(t *domain.Trip, f *dateFinder) {
	if f.bad != nil {
		p.add(f.bad)
	}
	p.add(f.warn)
	if len(f.dates) == 0 {
		if m := reRelative.FindStringIndex(p.u); m != nil {
			w := p.u[m[0]:m[1]]
			p.notes = append(p.notes, w)
			p.add(warning(CodeRelativeDate, fmt.Sprintf("“%s”不是确切日期，日期未填", w),
				fmt.Sprintf("%q is no exact date; the date is left out", w)))
		}
	}
	for _, m := range reRelative.FindAllStringIndex(p.u, -1) {
		p.blank(m[0], m[1])
	}
	if len(f.dates) == 0 {
		return
	}
	p.read1 = true
	sort.SliceStable(f.dates, func(a, b int) bool { return f.dates[a].at < f.dates[b].at })
	var all []string
	for _, d := range f.dates {
		all = append(all, d.date)
	}
	t.Date = all[p.pick(len(all))]
	p.several("日期", "dates", all, t.Date)
}

func (p *tripParser) companions(t *domain.Trip) {
	for i, m := range reCompanions.FindAllStringSubmatchIndex(p.u, -1) {
		s := sub(p.u, m, 1) + sub(p.u, m, 2)
		n, ok := number(s)
		p.blank(m[0], m[1])
		switch {
		case !ok || n > MaxCompanions:
			p.add(problem(CodeBadCompanions, fmt.Sprintf("随行人数应为 0 到 %d，这里是“%s”", MaxCompanions, s),
				fmt.Sprintf("companions must be 0 to %d, not %q", MaxCompanions, s)))
		case i == 0:
			t.Companions = n
		case n != t.Companions:
			p.add(warning(CodeSeveral, fmt.Sprintf("写了多个随行人数，取了 %d", t.Companions),
				fmt.Sprintf("several counts of companions; %d was taken", t.Companions)))
		}
	}
}

// words reads the words of mode and ticket: 自驾, 航班, 高铁, 需代订, 已订.
func (p *tripParser) words(t *domain.Trip) {
	for _, w := range ticketWords {
		if !strings.Contains(p.u, w.word) || (w.ticket == TicketSelf && !hasHan(w.word)) || w.word == "BOOK FOR ME" {
			continue
		}
		if t.Ticket == "" {
			t.Ticket = w.ticket
		}
		for i := strings.Index(p.u, w.word); i >= 0; i = strings.Index(p.u, w.word) {
			p.blank(i, i+len(w.word))
		}
	}
	if t.Ticket == TicketNeeded && t.TicketNo != "" {
		p.add(warning(CodeTicketConflict, "写着需代订，却有票号：按已订处理", "says the ticket is needed, yet gives its number: taken as booked"))
		t.Ticket = TicketBooked
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// station reads where: a name ending in 机场 or 站 (verbs before it taken
// off), an English "... Airport" or "... Station", or an airport's code.
func (p *tripParser) station(t *domain.Trip) {
	type cand struct {
		at, end int
		name    string
	}
	var cs []cand
	for _, m := range reStation.FindAllStringIndex(p.u, -1) {
		name := stripVerbs(p.u[m[0]:m[1]])
		if slices.ContainsFunc(notStation, func(s string) bool { return strings.HasSuffix(name, s) }) {
			p.blank(m[0], m[1])
			continue
		}
		cs = append(cs, cand{m[0], m[1], name})
	}
	// English names are read from the text as written, not upper-cased.
	orig := p.v
	for _, m := range reStationEn.FindAllStringIndex(orig, -1) {
		if strings.TrimSpace(p.u[m[0]:m[1]]) == "" {
			continue // read already
		}
		name := orig[m[0]:m[1]]
		for _, w := range []string{"Arriving", "Arrive", "Arrival", "Depart", "Leaving", "At", "To", "From", "Via", "By"} {
			name = strings.TrimPrefix(name, w+" ")
		}
		cs = append(cs, cand{m[0], m[1], name})
	}
	if len(cs) == 0 {
		for _, m := range reIATA.FindAllStringIndex(orig, -1) {
			if strings.TrimSpace(p.u[m[0]:m[1]]) == "" || slices.Contains(fillers, orig[m[0]:m[1]]) {
				continue
			}
			cs = append(cs, cand{m[0], m[1], orig[m[0]:m[1]]})
		}
	}
	if len(cs) == 0 {
		return
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].at < cs[b].at })
	var all []string
	for _, c := range cs {
		p.blank(c.at, c.end)
		all = append(all, c.name)
	}
	t.Station = all[p.pick(len(all))]
	t.StationKind = StationKind(t.Station)
	p.several("站点", "stations", all, t.Station)
	if slices.Contains(vagueNames, t.Station) {
		p.add(warning(CodeVagueStation, fmt.Sprintf("只写了“%s”，请写明是哪个%s", t.Station, t.Station),
			fmt.Sprintf("only %q: which one?", t.Station)))
	}
}

// stripVerbs takes the verbs off the front of a station's name.
func stripVerbs(name string) string {
	for changed := true; changed; {
		changed = false
		for _, w := range verbs {
			if rest, ok := strings.CutPrefix(name, w); ok && utf8.RuneCountInString(rest) >= 2 {
				name, changed = rest, true
			}
		}
		for _, w := range shortVerbs {
			if rest, ok := strings.CutPrefix(name, w); ok && utf8.RuneCountInString(rest) >= 3 {
				name, changed = rest, true
			}
		}
	}
	return name
}

// mode decides how: the number says it first, then a word (自驾, 高铁),
// then the station (an airport means a flight). A word that says
// otherwise than the number is a warning.
func (p *tripParser) mode(t *domain.Trip, numMode string) {
	var said []string
	for _, w := range modeWords {
		if !hasHan(w.word) && !slices.Contains([]string{"FLIGHT", "TRAIN", "SELF-DRIVE", "SELF DRIVE"}, w.word) {
			continue // CAR, AIR, BUS … are too short to find inside a sentence
		}
		if strings.Contains(p.u, w.word) {
			said = append(said, w.mode)
			for i := strings.Index(p.u, w.word); i >= 0; i = strings.Index(p.u, w.word) {
				p.blank(i, i+len(w.word))
			}
		}
	}
	said = slices.Compact(said)
	byStation := map[string]string{KindAirport: ModeFlight, KindRail: ModeTrain}[t.StationKind]
	switch {
	case numMode != "":
		t.Mode = numMode
		for _, m := range said {
			if m != numMode && m != ModeOther {
				p.add(modeConflict(t.Number, m))
				break
			}
		}
		if byStation != "" && byStation != numMode {
			p.add(warning(CodeModeConflict, fmt.Sprintf("%s 是%s，站点“%s”却是%s", t.Number, modeZh[numMode], t.Station, kindZh[t.StationKind]),
				fmt.Sprintf("%s is a %s number, yet %q is an %s", t.Number, numMode, t.Station, t.StationKind)))
		}
	case len(said) > 0:
		t.Mode = said[0]
		if byStation != "" && !slices.Contains(said, byStation) && t.Mode != ModeOther {
			p.add(warning(CodeModeConflict, fmt.Sprintf("写着%s，站点“%s”却是%s", modeZh[t.Mode], t.Station, kindZh[t.StationKind]),
				fmt.Sprintf("says %s, yet %q is an %s", t.Mode, t.Station, t.StationKind)))
		}
	default:
		t.Mode = byStation
	}
}

var (
	modeZh = map[string]string{ModeFlight: "航班", ModeTrain: "火车", ModeCar: "自驾", ModeOther: "其他"}
	kindZh = map[string]string{KindAirport: "机场", KindRail: "火车站", KindRoad: "汽车站", KindOther: "其他"}
)

func modeConflict(number, said string) *Problem {
	return warning(CodeModeConflict, fmt.Sprintf("%s 与“%s”不符，按 %s 读取", number, modeZh[said], number),
		fmt.Sprintf("%s does not match %q; read as %s", number, said, number))
}

// leftover is what nobody read: the fillers go, the rest is kept as notes
// with a warning.
func (p *tripParser) leftover() {
	rest := p.u
	for _, w := range fillers {
		rest = strings.ReplaceAll(rest, w, " ")
	}
	var words []string
	for _, w := range strings.FieldsFunc(rest, isFiller) {
		// What is left is shown as written, not upper-cased.
		if i := strings.Index(p.u, w); i >= 0 && strings.EqualFold(p.v[i:i+len(w)], w) {
			w = p.v[i : i+len(w)]
		}
		words = append(words, w)
	}
	if len(words) == 0 {
		return
	}
	left := strings.Join(words, " ")
	p.notes = append(p.notes, left)
	p.add(warning(CodePartlyRead, fmt.Sprintf("“%s”未能识别，已记入备注", truncate(left, 30)),
		fmt.Sprintf("%q was not understood; kept as a note", truncate(left, 30))))
}

// FormatTrip writes a trip as ParseTrip reads it back: "2026-03-04 14:05
// CA1234 江阳机场 随行1人", for a card, a sheet or a list's cell.
func FormatTrip(t domain.Trip) string {
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	add(t.Date)
	add(t.Time)
	add(t.Number)
	if t.Number == "" {
		add(modeZh[t.Mode])
	}
	add(t.Station)
	if t.Companions > 0 {
		add(fmt.Sprintf("随行%d人", t.Companions))
	}
	switch t.Ticket {
	case TicketNeeded:
		add("需代订")
	case TicketSelf:
		add("自行安排")
	case TicketBooked:
		if t.TicketNo == "" {
			add("已订")
		}
	}
	if t.TicketNo != "" {
		add("票号 " + t.TicketNo)
	}
	return strings.Join(out, " ")
}
