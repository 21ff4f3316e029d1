package seating

import (
	"fmt"
	"slices"
	"testing"

	"huiwu/server/internal/domain"
)

func TestStrokesFromUnihan(t *testing.T) {
	tests := []struct {
		r    rune
		want int
	}{
		{'一', 1}, {'丁', 2}, {'王', 4}, {'刘', 6}, {'李', 7}, {'龙', 5}, {'范', 8},
		{'䶮', 9}, // Extension A
		{'𠮷', 6}, // Extension B
		{'A', 0}, {'·', 0},
	}
	for _, tt := range tests {
		if got := Strokes(tt.r); got != tt.want {
			t.Errorf("Strokes(%c) = %d, want %d", tt.r, got, tt.want)
		}
	}
}

func TestCompareStrokes(t *testing.T) {
	names := []string{"李明", "王二", "Müller", "龙飞", "丁一", "王一", "阿卜杜拉·买买提", "刘䶮", "王"}
	slices.SortStableFunc(names, CompareStrokes)
	// 丁 2, 王 4 (王 alone first, then 王一 before 王二 by the next
	// character), 龙 5 — before 李 7 though its code point is higher — 刘 6,
	// 阿 7 with 李 7 (李 U+674E before 阿 U+963F), Latin names last.
	want := []string{"丁一", "王", "王一", "王二", "龙飞", "刘䶮", "李明", "阿卜杜拉·买买提", "Müller"}
	if !slices.Equal(names, want) {
		t.Errorf("got  %v\nwant %v", names, want)
	}
}

// grid is a floor block of rows × cols normal seats, 1 m apart.
func grid(rows, cols int) []Seat {
	var out []Seat
	for r := 1; r <= rows; r++ {
		for c := 1; c <= cols; c++ {
			out = append(out, Seat{ID: int64(r*100 + c), Seat: domain.Seat{Label: fmt.Sprintf("B-%d-%d", r, c), Section: "B",
				Row: r, Number: c, Kind: domain.SeatNormal, X: float64(c), Y: float64(r)}})
		}
	}
	return out
}

func labels(res Result, seats []Seat, people []Person) []string {
	byID := map[int64]string{}
	for _, s := range seats {
		byID[s.ID] = s.Label
	}
	var out []string
	for _, p := range people {
		out = append(out, byID[res.Seats[p.ID]])
	}
	return out
}

func TestFloorFills(t *testing.T) {
	people := []Person{
		{ID: 1, Name: "赵", Rank: 1, Category: "deputy", Pinyin: "zhao"},
		{ID: 2, Name: "丁", Rank: 2, Category: "deputy", Pinyin: "ding"},
		{ID: 3, Name: "王", Rank: 3, Category: "deputy", Pinyin: "wang"},
		{ID: 4, Name: "龙", Rank: 4, Category: "deputy", Pinyin: "long"},
	}
	tests := []struct {
		name  string
		order Order
		fill  Fill
		hon   Honour
		want  []string // seats of people 1..4
	}{
		{"list rows", ByList, FillRows, HonourLeft, []string{"B-1-1", "B-1-2", "B-1-3", "B-2-1"}},
		{"list columns", ByList, FillColumns, HonourLeft, []string{"B-1-1", "B-2-1", "B-1-2", "B-2-2"}},
		// 丁 2 strokes, 王 4, 龙 5, 赵 9.
		{"strokes rows", ByStrokes, FillRows, HonourLeft, []string{"B-2-1", "B-1-1", "B-1-2", "B-1-3"}},
		// ding, long, wang, zhao.
		{"pinyin rows", ByPinyin, FillRows, HonourLeft, []string{"B-2-1", "B-1-1", "B-1-3", "B-1-2"}},
		// 左右排列 in rows of 3: centre, then the honour side (以左为尊:
		// the audience's right), then the other.
		{"list alternate left", ByList, FillAlternate, HonourLeft, []string{"B-1-2", "B-1-3", "B-1-1", "B-2-2"}},
		{"list alternate right", ByList, FillAlternate, HonourRight, []string{"B-1-2", "B-1-1", "B-1-3", "B-2-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seats := grid(2, 3)
			r := DefaultRules()
			r.Order, r.Fill, r.Honour = tt.order, tt.fill, tt.hon
			res := Arrange(Input{Seats: seats, People: people, Rules: r})
			if got := labels(res, seats, people); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// Delegations sit as blocks in their published order, each ordered by
// strokes inside; 正式代表 before 列席; press is not seated; reserved and
// blocked seats stay empty; the wheelchair user gets the wheelchair seat.
func TestFloorDelegationsCategoriesAndSpecialSeats(t *testing.T) {
	seats := grid(3, 4)
	seats[1].Kind = domain.SeatReserved    // B-1-2
	seats[2].Kind = domain.SeatBlocked     // B-1-3
	seats[11].Kind = domain.SeatWheelchair // B-3-4
	people := []Person{
		{ID: 1, Name: "赵甲", Rank: 1, Category: "observer"},
		{ID: 2, Name: "王乙", Rank: 2, Category: "deputy", Delegation: "江阳", DelegationSort: 2},
		{ID: 3, Name: "丁丙", Rank: 3, Category: "deputy", Delegation: "江阳", DelegationSort: 2},
		{ID: 4, Name: "龙丁", Rank: 4, Category: "deputy", Delegation: "云州", DelegationSort: 1},
		{ID: 5, Name: "李戊", Rank: 5, Category: "deputy", Delegation: "云州", DelegationSort: 1},
		{ID: 6, Name: "马己", Rank: 6, Category: "press"},
		{ID: 7, Name: "孙庚", Rank: 7, Category: "deputy", Delegation: "江阳", DelegationSort: 2, Wheelchair: true},
	}
	r := DefaultRules()
	r.Order = ByStrokes
	res := Arrange(Input{Seats: seats, People: people, Rules: r})
	// Fill path: B-1-1, B-1-4, B-2-1 … (B-1-2 reserved, B-1-3 blocked).
	// 云州 first: 龙 5 before 李 7; then 江阳: 丁 2 before 王 4; then the
	// observer.
	want := []string{"B-2-3", "B-2-2", "B-2-1", "B-1-1", "B-1-4", "", "B-3-4"}
	if got := labels(res, seats, people); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if !res.Report.OK || res.Report.Expected != 6 || res.Report.Seated != 6 {
		t.Errorf("report %+v", res.Report)
	}
}

// Pinned seats survive re-arrangement, even a seat the rules would give
// someone else, and nobody else is put on them.
func TestPinsKept(t *testing.T) {
	seats := grid(1, 4)
	people := []Person{{ID: 1, Rank: 1, Category: "deputy"}, {ID: 2, Rank: 2, Category: "deputy"}, {ID: 3, Rank: 3, Category: "deputy"}}
	res := Arrange(Input{Seats: seats, People: people, Rules: DefaultRules(), Pins: map[int64]int64{3: 101}})
	if got, want := labels(res, seats, people), []string{"B-1-2", "B-1-3", "B-1-1"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if !res.Pinned[3] || res.Pinned[1] {
		t.Errorf("pinned %v", res.Pinned)
	}
}

func TestValidationReport(t *testing.T) {
	seats := grid(1, 2)
	seats = append(seats, Seat{ID: 900, Seat: domain.Seat{Label: "P-1-01", Kind: domain.SeatPresidium, Section: "presidium", Row: 1}})
	people := []Person{
		{ID: 1, Name: "甲", Rank: 1, Category: "deputy"},
		{ID: 2, Name: "乙", Rank: 2, Category: "deputy"},
		{ID: 3, Name: "丙", Rank: 3, Category: "deputy"},
		{ID: 4, Name: "丁", Rank: 4, Category: "deputy"},
		{ID: 5, Name: "戊", Rank: 5, Category: "deputy"},
	}
	r := DefaultRules()
	r.PresidiumIDs = []int64{4, 5}
	res := Arrange(Input{Seats: seats, People: people, Rules: r})
	rep := res.Report
	if rep.OK || rep.Expected != 5 || rep.Seated != 3 {
		t.Fatalf("report %+v", rep)
	}
	if got := []int64{rep.Unseated[0].ID, rep.Unseated[1].ID}; !slices.Equal(got, []int64{3, 5}) {
		t.Errorf("unseated %v", rep.Unseated)
	}
	want := []Shortfall{{"presidium", 2, 1}, {"floor", 3, 2}}
	if !slices.Equal(rep.OverCapacity, want) {
		t.Errorf("over capacity %v, want %v", rep.OverCapacity, want)
	}

	// Hand edits read back from the store: one seat twice, one person twice.
	as := []Assignment{{1, 101, false}, {2, 101, false}, {3, 102, false}, {3, 900, true}}
	rep = Validate(seats, people[:3], as, DefaultRules())
	if len(rep.DoubleBooked) != 2 || rep.DoubleBooked[0].Seat != "B-1-1" || len(rep.DoubleBooked[0].People) != 2 ||
		rep.DoubleBooked[1].Person.ID != 3 || !slices.Equal(rep.DoubleBooked[1].Seats, []string{"B-1-2", "P-1-01"}) {
		t.Errorf("double bookings %+v", rep.DoubleBooked)
	}
}

func TestBanquet(t *testing.T) {
	// Main table 1 at the front centre; 2 and 3 beside it, 4 and 5 behind.
	tables := []Table{{1, 0, 0}, {2, -3, 0}, {3, 3, 0}, {4, -3, 4}, {5, 0, 4}, {6, 3, 4}}
	if got, want := TableOrder(tables, 1, HonourRight), []int{1, 2, 3, 5, 4, 6}; !slices.Equal(got, want) {
		t.Errorf("以右为尊 %v, want %v", got, want)
	}
	if got, want := TableOrder(tables, 1, HonourLeft), []int{1, 3, 2, 5, 6, 4}; !slices.Equal(got, want) {
		t.Errorf("以左为尊 %v, want %v", got, want)
	}
	if got, want := TableSeats(10, HonourRight), []int{0, 9, 1, 8, 2, 7, 3, 6, 4, 5}; !slices.Equal(got, want) {
		t.Errorf("席次 %v, want %v", got, want)
	}
	if got, want := TableSeats(5, HonourLeft), []int{0, 1, 4, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("席次 以左为尊 %v, want %v", got, want)
	}
}
