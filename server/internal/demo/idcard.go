package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"huiwu/server/internal/domain"
)

// idWeights are the GB 11643-1999 weights of the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheck returns the GB 11643 check character for the first 17 digits of a
// resident ID number: the weighted sum modulo 11 indexes "10X98765432".
func idCheck(first17 string) byte {
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

// ageRange is the span of ages drawn per category.
var ageRange = map[string][2]int{
	domain.CategoryDeputy:   {30, 60},
	domain.CategoryObserver: {45, 59},
	domain.CategoryGuest:    {45, 72},
	domain.CategoryStaff:    {24, 52},
	domain.CategoryPress:    {23, 50},
}

// assignIDs gives everybody but foreigners an ID number: region code, birth
// date (ages counted from the event's year, so names and codes stay the same
// from day to day), a sequence number whose parity is the gender (odd for
// men) and the check character. The draws per person are the same whatever
// the year, so the stream never shifts.
func assignIDs(l *lists, ps []*person, year int) {
	r := stream(streamIDs)
	used := map[string]bool{}
	for _, p := range ps {
		if p.foreign {
			continue
		}
		region := regionCode(r, l, p)
		ages := ageRange[p.cat]
		if p.presidium {
			ages = [2]int{50, 62}
		}
		age := ages[0] + r.IntN(ages[1]-ages[0]+1)
		day := r.IntN(365)
		birth := time.Date(year-age, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day)
		for {
			seq := r.IntN(499)*2 + 2 // even: women
			if p.gender == "男" {
				seq--
			}
			first := fmt.Sprintf("%s%s%03d", region, birth.Format("20060102"), seq)
			id := first + string(idCheck(first))
			if !used[id] {
				used[id] = true
				p.idNumber = id
				break
			}
		}
	}
}

// regionCode is where the person was registered at birth: mostly a county of
// their home city, else anywhere in the province, sometimes another province.
func regionCode(r *rand.Rand, l *lists, p *person) string {
	home, anyCity, other := r.IntN(100), r.IntN(len(l.delegations)), r.IntN(len(l.otherRegion))
	county := r.IntN(16)
	if p.region != "" {
		return p.region
	}
	d := l.delegations[anyCity]
	if p.city >= 0 && home < 85 {
		d = l.delegations[p.city]
	} else if home >= 90 {
		return l.otherRegion[other]
	}
	return d.counties[county%len(d.counties)].code
}

// mobilePrefixes are the three-digit prefixes of mainland mobile numbers.
var mobilePrefixes = []string{
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159",
	"173", "175", "176", "177", "178",
	"180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
	"191", "193", "195", "198", "199",
}

// assignPhones gives everybody a distinct 11-digit mobile number.
func assignPhones(ps []*person) {
	r := stream(streamPhones)
	used := map[string]bool{}
	for _, p := range ps {
		for p.phone == "" || used[p.phone] {
			p.phone = fmt.Sprintf("%s%08d", mobilePrefixes[r.IntN(len(mobilePrefixes))], r.IntN(100_000_000))
		}
		used[p.phone] = true
	}
}

// assignTravel writes free-text arrival and departure plans for about one in
// five of the people who come from out of town, as the desk would type them.
func assignTravel(l *lists, ps []*person, day1, day2 time.Time) {
	r := stream(streamTravel)
	host := l.delegations[0].short
	d1, d2 := chineseDate(day1), chineseDate(day2)
	for _, p := range ps {
		x, train, flight, hh, mm := r.IntN(100), r.IntN(900)+100, r.IntN(9000)+1000, r.IntN(2), r.IntN(60)
		airline := []string{"CZ", "MU", "CA", "HU", "3U"}[r.IntN(5)]
		if p.local || (x >= 20 && !p.foreign) {
			continue
		}
		// plan is the same journey as structured data (travel.go).
		switch {
		case p.foreign:
			p.arrival = fmt.Sprintf("%s 乘%s%d航班 %02d:%02d抵达%s机场，需接机", d1, airline, flight, 6+hh, mm, host)
			p.departure = fmt.Sprintf("%s 乘%s%d航班 %02d:%02d离开", d2, airline, flight+1, 19+hh, mm)
			p.plan = &travelPlan{mode: "flight", number: fmt.Sprint(airline, flight), at: 6*60 + hh*60 + mm,
				back: fmt.Sprint(airline, flight+1), backAt: 19*60 + hh*60 + mm}
		case x < 10 || p.city < 0 || p.cat != domain.CategoryDeputy:
			p.arrival = fmt.Sprintf("%s 乘G%d次 %02d:%02d抵达%s南站", d1, train, 6+hh, mm, host)
			p.departure = fmt.Sprintf("%s 会后乘G%d次 %02d:%02d返程", d2, train+1, 17+hh, mm)
			p.plan = &travelPlan{mode: "train", number: fmt.Sprint("G", train), at: 6*60 + hh*60 + mm,
				back: fmt.Sprint("G", train+1), backAt: 17*60 + hh*60 + mm}
		case x < 15:
			p.arrival = fmt.Sprintf("%s 自驾，约%02d:%02d到达", d1, 6+hh, mm)
			p.departure = "会后自驾返回"
			p.plan = &travelPlan{mode: "car", at: 6*60 + hh*60 + mm, backAt: -1}
		default:
			p.arrival = fmt.Sprintf("%s 随代表团集体乘大巴抵达", d1)
			p.departure = "会后随代表团集体返回"
			p.plan = &travelPlan{mode: "other", at: -1, backAt: -1}
		}
	}
}

func chineseDate(t time.Time) string { return fmt.Sprintf("%d月%d日", t.Month(), t.Day()) }
