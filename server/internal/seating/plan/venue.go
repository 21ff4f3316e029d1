package plan

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/seating"
	"huiwu/server/internal/seating/chart"
	"huiwu/server/internal/store"
)

// Venue is a venue as the desk exports and imports it (JSON): a hall with
// its seats, a dining hall with its tables. It is a view of domain.Venue
// that leaves out a hotel's rooms, which come with the event definition:
// an import naming rooms is refused as an unknown field.
type Venue struct {
	Code     string               `json:"code"`
	Name     string               `json:"name"`
	NameEn   string               `json:"name_en"`
	Kind     domain.VenueKind     `json:"kind"`
	Capacity int                  `json:"capacity"`
	Doors    []string             `json:"doors"`
	Seats    []domain.Seat        `json:"seats"`
	Tables   []domain.DiningTable `json:"tables,omitempty"`
}

// ImportResult says what an import changed.
type ImportResult struct {
	Created bool `json:"created"`
	Added   int  `json:"added"`
	Updated int  `json:"updated"`
	Removed int  `json:"removed"`
}

// ExportVenue reads a venue with its seats and tables.
func ExportVenue(ctx context.Context, db *store.DB, code string) (Venue, error) {
	p, err := db.VenuePlan(ctx, code)
	v := Venue{Code: p.Code, Name: p.Name, NameEn: p.NameEn, Kind: p.Kind, Capacity: p.Capacity, Doors: p.Doors,
		Seats: p.Seats, Tables: p.Tables}
	if v.Seats == nil { // the export always lists seats, [] for none
		v.Seats = []domain.Seat{}
	}
	return v, err
}

// checkVenue refuses a venue the store could not hold consistently.
func checkVenue(v Venue) error {
	bad := func(zh, en string) error {
		return &Error{"bad_venue", "会场数据有误：" + zh, "invalid venue: " + en}
	}
	if v.Code == "" || v.Name == "" {
		return bad("缺少 code 或 name", "code and name are required")
	}
	if !v.Kind.Valid() {
		return bad("kind 应为 hall/room/dining/hotel", "kind must be hall, room, dining or hotel")
	}
	seen := map[string]bool{}
	for i, s := range v.Seats {
		switch {
		case s.Label == "" || s.Section == "":
			return bad(fmt.Sprintf("第%d个座位缺少 seat 或 section", i+1), fmt.Sprintf("seat %d has no label or section", i+1))
		case seen[s.Label]:
			return bad("座位重复："+s.Label, "duplicate seat "+s.Label)
		case !s.Kind.Valid():
			return bad(s.Label+" 的 kind 无效", "seat "+s.Label+": unknown kind "+string(s.Kind))
		}
		seen[s.Label] = true
	}
	return nil
}

// ImportVenue creates the venue or updates the one with its code: seats
// are matched by label, new ones added, missing ones removed — unless a
// session still seats someone there, in which case nothing is stored and
// the error names the seats. The catalog is read again (store.Change.Catalog)
// before it returns.
func ImportVenue(ctx context.Context, db *store.DB, v Venue, actor string) (ImportResult, error) {
	if v.Kind == "" {
		v.Kind = domain.VenueHall
	}
	if err := checkVenue(v); err != nil {
		return ImportResult{}, err
	}
	if v.Doors == nil {
		v.Doors = []string{}
	}
	if v.Capacity == 0 {
		v.Capacity = len(v.Seats)
	}
	m, err := db.ImportVenue(ctx, domain.Venue{Code: v.Code, Name: v.Name, NameEn: v.NameEn, Kind: v.Kind,
		Capacity: v.Capacity, Doors: v.Doors, Seats: v.Seats, Tables: v.Tables}, actor)
	return ImportResult(m), venueRefusal(err)
}

// ErrSeatsInUse is returned by an import that would remove seats someone
// is assigned to.
type ErrSeatsInUse struct{ Labels []string }

func (e *ErrSeatsInUse) Error() string { return "seats in use: " + strings.Join(e.Labels, ", ") }

// venueRefusal words the store's refusals of a venue import for the desk.
func venueRefusal(err error) error {
	var inUse *store.SeatsInUseError
	var label *store.SeatLabelError
	var table *store.TableError
	switch {
	case errors.As(err, &inUse):
		return &ErrSeatsInUse{Labels: inUse.Labels}
	case errors.As(err, &label):
		return &Error{"bad_venue", "座位编号与其他区重复：" + label.Label, "seat label used by another section: " + label.Label}
	case errors.As(err, &table):
		return &Error{"bad_venue", fmt.Sprintf("会场数据有误：桌号 %d 重复", table.Number), fmt.Sprintf("invalid venue: table %d twice", table.Number)}
	}
	return err
}

// ErrNoBanquetHall refuses a 桌次图 of a meal none of whose dining halls
// has tables.
var ErrNoBanquetHall = &Error{"no_tables", "该餐次没有安排桌次的餐厅", "no dining hall of this meal has tables"}

// Banquets reads the 桌次图 of one meal, one plan per dining hall: the hall
// coded venue, or, when venue is "", every hall with tables where the meal
// has tickets (before anyone has a ticket, every hall with tables), in the
// venues' order. Guests sit at each table in rank order.
func Banquets(ctx context.Context, db *store.DB, cat *store.Catalog, meal *domain.Meal, venue string,
	honour seating.Honour, paper chart.Paper) ([]chart.Banquet, error) {
	var halls []store.Venue
	if venue != "" {
		v, ok := cat.Venues[venue]
		if !ok || v.Kind != domain.VenueDining {
			return nil, &Error{"bad_venue", "没有这个餐厅：" + venue, "no dining hall " + venue}
		}
		halls = append(halls, v)
	} else {
		ids, err := db.BanquetHalls(ctx, meal.ID)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			halls = append(halls, cat.Venues[cat.VenueByID[id]])
		}
		if len(halls) == 0 {
			return nil, ErrNoBanquetHall
		}
	}
	plans := make([]chart.Banquet, 0, len(halls))
	for _, v := range halls {
		tables, err := db.BanquetTables(ctx, meal.ID, v.ID)
		if err != nil {
			return nil, err
		}
		p := chart.Banquet{Event: cat.Event.Name, Title: meal.Name + " · " + v.Name, Honour: honour, Paper: paper}
		for _, t := range tables {
			p.Tables = append(p.Tables, chart.BanquetTable(t))
		}
		plans = append(plans, p)
	}
	return plans, nil
}
