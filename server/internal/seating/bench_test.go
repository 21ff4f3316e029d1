package seating

import (
	"fmt"
	"testing"

	"huiwu/server/internal/domain"
)

// bigHall is a 3,000-seat hall: 60 rows of 50 on the floor (a few reserved,
// blocked and wheelchair seats among them) and two presidium rows of 15
// and 17, with 2,900 people in 35 delegations, 32 of them on the presidium.
func bigHall() Input {
	var seats []Seat
	for r, n := range []int{15, 17} {
		for i := range n {
			seats = append(seats, Seat{ID: int64(len(seats) + 1), Seat: domain.Seat{Label: fmt.Sprintf("P-%d-%02d", r+1, i+1),
				Section: "presidium", Row: r + 1, Number: i + 1, Kind: domain.SeatPresidium, X: float64(i), Y: -float64(r)}})
		}
	}
	for r := 1; r <= 60; r++ {
		for c := 1; c <= 50; c++ {
			k := domain.SeatNormal
			switch {
			case r == 1 && c <= 4:
				k = domain.SeatReserved
			case r == 30 && c == 25:
				k = domain.SeatBlocked
			case r == 20 && c == 50:
				k = domain.SeatWheelchair
			}
			seats = append(seats, Seat{ID: int64(len(seats) + 1), Seat: domain.Seat{Label: fmt.Sprintf("F-%d-%d", r, c),
				Section: string(rune('A' + (c-1)/17)), Row: r, Number: c, Kind: k, X: float64(c), Y: float64(r)}})
		}
	}
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华")
	in := Input{Rules: DefaultRules()}
	in.Rules.Order = ByStrokes
	for i := range 2900 {
		p := Person{ID: int64(i + 1), Rank: i + 1, Category: "deputy",
			Name:       string([]rune{surnames[i%len(surnames)], given[i%len(given)], given[(i/7)%len(given)]}),
			Delegation: fmt.Sprint("团", i%35), DelegationSort: i % 35, Wheelchair: i%1000 == 999}
		if i%10 == 9 {
			p.Category = "observer"
		}
		if i < 32 {
			in.Rules.PresidiumIDs = append(in.Rules.PresidiumIDs, p.ID)
		}
		in.People = append(in.People, p)
	}
	in.Seats = seats
	in.Pins = map[int64]int64{2900: 3000, 2899: 2999}
	return in
}

// BenchmarkArrange3000 arranges the whole 3,000-seat hall by surname
// strokes with delegations as blocks.
func BenchmarkArrange3000(b *testing.B) {
	in := bigHall()
	if res := Arrange(in); res.Report.Seated != 2900 {
		b.Fatalf("seated %d of 2900: %+v", res.Report.Seated, res.Report.OverCapacity)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		Arrange(in)
	}
}
