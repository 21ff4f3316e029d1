package demo

import (
	"fmt"
	"time"

	"huiwu/server/internal/domain"
)

// shanghai is the event's zone. Loaded once, so every time.Time of the demo
// shares one *Location and two runs compare equal with reflect.DeepEqual.
// China has kept UTC+8 without daylight saving since 1991, so the fixed zone
// is an exact stand-in on a machine without tzdata.
var shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}()

// The demo's timeline.
//
// A newcomer starts the server at any hour and should be able to scan a
// badge at once: at a hall door (the opening meeting's doors are open and it
// has not started, so the scan is `ok`, not late) and at a dining hall (a
// meal is being served). So the two-day programme is written below in the
// clock times a real congress would use ("nominal" times) and then shifted as
// a whole so that the opening meeting's doors opened a quarter of an hour
// before now. Every gap and the order of everything are realistic; the clock
// labels are not: started at 15:00, breakfast is served from 13:30 and the
// opening meeting starts at 16:00. Day 2 is exactly 24 hours after day 1.
// Event.StartsOn and the meals' Date are the date of now in Asia/Shanghai and
// the day after — the nominal days — even when the shifted times cross
// midnight.
const (
	openingDoors = 7*time.Hour + 45*time.Minute // nominal time the opening meeting's doors open
	doorsLead    = 15 * time.Minute             // doors opened this long before now (at least)
)

// nominal is a time of the programme: day 1 or 2, hours and minutes.
type nominal struct{ day, h, m int }

type sessionPlan struct {
	id, name, nameEn string
	kind             domain.SessionKind
	venue, group     string
	opens, starts    nominal
	ends, closes     nominal
	quorum           domain.Quorum
	rule, honour     string
}

// plenaries need more than half of all deputies; the closing meeting votes on
// the resolutions and needs two thirds. Groups count against their 应到.
var (
	halfOfMembers     = domain.Quorum{Base: "members", Num: 1, Den: 2, Strict: true}
	twoThirdsMembers  = domain.Quorum{Base: "members", Num: 2, Den: 3}
	halfOfGroupExpect = domain.Quorum{Base: "expected", Num: 1, Den: 2, Strict: true}
)

// sessionPlans is the programme. The first entry must open at openingDoors.
var sessionPlans = []sessionPlan{
	{"opening", "开幕大会", "Opening Meeting", domain.SessionPlenary, "hall", "",
		nominal{1, 7, 45}, nominal{1, 9, 0}, nominal{1, 11, 30}, nominal{1, 12, 0}, halfOfMembers, "odd", "left"},
	{"group-1", "第一组分组讨论", "Group 1 Discussion", domain.SessionGroup, "room1", "第一组",
		nominal{1, 14, 0}, nominal{1, 14, 30}, nominal{1, 17, 30}, nominal{1, 18, 0}, halfOfGroupExpect, "", ""},
	{"group-2", "第二组分组讨论", "Group 2 Discussion", domain.SessionGroup, "room2", "第二组",
		nominal{1, 14, 0}, nominal{1, 14, 30}, nominal{1, 17, 30}, nominal{1, 18, 0}, halfOfGroupExpect, "", ""},
	{"plenary-2", "第二次全体会议", "Second Plenary Meeting", domain.SessionPlenary, "hall", "",
		nominal{2, 8, 0}, nominal{2, 9, 0}, nominal{2, 11, 30}, nominal{2, 12, 0}, halfOfMembers, "even-a", "left"},
	{"closing", "闭幕大会", "Closing Meeting", domain.SessionPlenary, "hall", "",
		nominal{2, 14, 30}, nominal{2, 15, 0}, nominal{2, 17, 0}, nominal{2, 17, 30}, twoThirdsMembers, "odd", "left"},
}

type mealPlan struct {
	slot          domain.MealSlot
	name          string
	opens, closes nominal // per day; day is ignored
}

// mealPlans are served on both days in both dining halls. Day 1's breakfast
// (06:30–09:00) holds now, which falls at 08:00–08:05 nominal.
var mealPlans = []mealPlan{
	{domain.Breakfast, "早餐", nominal{0, 6, 30}, nominal{0, 9, 0}},
	{domain.Lunch, "午餐", nominal{0, 11, 45}, nominal{0, 13, 30}},
	{domain.Dinner, "晚餐", nominal{0, 17, 45}, nominal{0, 20, 0}},
}

var dayNames = []string{"", "第一天", "第二天"}

// timeline maps nominal times onto the real clock.
type timeline struct {
	base       time.Time // where nominal day 1 00:00 falls
	day1, day2 time.Time // the nominal dates, midnight in Shanghai
}

// Key names the demo event that Generate(now) makes: two moments with the
// same key generate the same event, byte for byte. Tests use it to load
// the demo once and copy the database.
func Key(now time.Time) string {
	t := newTimeline(now)
	return t.base.UTC().Format(time.RFC3339) + "/" + t.day1.Format(time.DateOnly)
}

func newTimeline(now time.Time) timeline {
	now = now.In(shanghai)
	// Truncate works on absolute time; UTC+8 is a whole number of
	// five-minute steps, so the result reads :00, :05 … on a Shanghai clock.
	opens := now.Add(-doorsLead).Truncate(5 * time.Minute)
	y, m, d := now.Date()
	day1 := time.Date(y, m, d, 0, 0, 0, 0, shanghai)
	return timeline{base: opens.Add(-openingDoors), day1: day1, day2: day1.AddDate(0, 0, 1)}
}

func (t timeline) at(n nominal, day int) time.Time {
	return t.base.Add(time.Duration(day-1)*24*time.Hour + time.Duration(n.h)*time.Hour + time.Duration(n.m)*time.Minute)
}

func (t timeline) date(day int) string {
	if day == 1 {
		return t.day1.Format(time.DateOnly)
	}
	return t.day2.Format(time.DateOnly)
}

func (t timeline) sessions() []domain.Session {
	var out []domain.Session
	for i, p := range sessionPlans {
		out = append(out, domain.Session{
			ID: p.id, Name: p.name, NameEn: p.nameEn, Kind: p.kind, Venue: p.venue, Group: p.group,
			OpensAt: t.at(p.opens, p.opens.day), StartsAt: t.at(p.starts, p.starts.day),
			EndsAt: t.at(p.ends, p.ends.day), ClosesAt: t.at(p.closes, p.closes.day),
			Quorum: p.quorum, PresidiumRule: p.rule, Honour: p.honour, Sort: i + 1,
		})
	}
	return out
}

func (t timeline) meals() []domain.Meal {
	var out []domain.Meal
	for day := 1; day <= 2; day++ {
		for _, p := range mealPlans {
			out = append(out, domain.Meal{
				ID: fmt.Sprintf("d%d-%s", day, p.slot), Date: t.date(day), Slot: p.slot,
				Name: dayNames[day] + p.name, OpensAt: t.at(p.opens, day), ClosesAt: t.at(p.closes, day),
			})
		}
	}
	return out
}
