// Package seating arranges seats by protocol: the presidium (主席台) by rank
// under the session's rule, the floor (台下) by list order, surname strokes
// (姓氏笔画) or pinyin with 横排, 竖排 or 左右排列 fills, delegations as
// blocks, 正式代表 before 列席, wheelchair users on wheelchair seats, and
// pinned seats kept. It is pure: callers read seats and people from the
// store, call Arrange, and write the result.
//
// Seats are always indexed left to right as the AUDIENCE sees them (X grows
// to the audience's right). 以左为尊 means the leaders' own left, which is
// the audience's right.
package seating

import "huiwu/server/internal/domain"

//go:generate go run ./gen -o ../../../data/strokes/kTotalStrokes.bin

// Seat is one seat of a hall as the arrangement indexes it: the seat and
// its row id, which the assignments name.
type Seat struct {
	ID int64
	domain.Seat
}

// Person is someone to be seated.
type Person struct {
	ID             int64
	Name           string
	Pinyin         string // full pinyin, for 按拼音
	Rank           int    // published list order, 1 first
	Category       string
	Delegation     string
	DelegationSort int
	Wheelchair     bool
}

// Honour says whose side outranks: "left" (以左为尊, the leaders' own left,
// Chinese government practice) or "right" (以右为尊, foreign affairs).
type Honour string

// The honour sides.
const (
	HonourLeft  Honour = "left"
	HonourRight Honour = "right"
)

// PresidiumRule decides even rows: "odd" (the default; an even count then
// follows even-a), "even-a" (1 and 2 share the centre, 2 on 1's left hand)
// or "even-b" (1 on the centre seat to the leaders' left, 2 on 1's right).
type PresidiumRule string

// The presidium rules.
const (
	RuleOdd   PresidiumRule = "odd"
	RuleEvenA PresidiumRule = "even-a"
	RuleEvenB PresidiumRule = "even-b"
)

// Order is how floor seats follow people.
type Order string

// The floor orders.
const (
	ByList    Order = "list"    // published list order (rank)
	ByStrokes Order = "strokes" // 姓氏笔画
	ByPinyin  Order = "pinyin"  // 按拼音
)

// Fill is the path people take through the floor seats.
type Fill string

// The fills.
const (
	FillRows      Fill = "rows"      // 横排: row by row from the front, left to right
	FillColumns   Fill = "columns"   // 竖排: column by column from the left, front to back
	FillAlternate Fill = "alternate" // 左右排列: each row from its centre out, honour side first
)

// Rules are one session's arrangement settings.
type Rules struct {
	Presidium PresidiumRule `json:"presidium_rule"`
	Honour    Honour        `json:"honour"`
	// PresidiumIDs are the people on the presidium; they sit there by rank.
	PresidiumIDs []int64 `json:"presidium"`
	Order        Order   `json:"order"`
	Fill         Fill    `json:"fill"`
	// ByDelegation seats each delegation as one block, delegations in their
	// published order.
	ByDelegation bool `json:"by_delegation"`
	// Categories are seated in this order (正式代表 before 列席); people of
	// other categories get no floor seat and are not reported missing.
	Categories []string `json:"categories"`
	// Sections limits the floor to these sections; empty means all.
	Sections []string `json:"sections,omitempty"`
}

// DefaultRules seat deputies, then observers, guests and staff, by list
// order, row by row, delegations as blocks, 以左为尊. The press has its own
// area and no seat.
func DefaultRules() Rules {
	return Rules{Presidium: RuleOdd, Honour: HonourLeft, Order: ByList, Fill: FillRows, ByDelegation: true,
		Categories: []string{"deputy", "observer", "guest", "staff"}}
}
