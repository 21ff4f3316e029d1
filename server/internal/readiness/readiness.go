// Package readiness is the 会前检查 board: checks computed from the data,
// never ticked by hand, each naming who or what fails. "差不多" is what it
// is against: a check passes only when every item it covers is right.
package readiness

import (
	"context"
	"fmt"
	"slices"
	"time"

	"huiwu/server/internal/store"
)

// The states of a check.
const (
	Pass = "pass"
	Fail = "fail"
)

// MaxItems bounds the failures a check lists; Failed still counts all.
const MaxItems = 300

// Item is one thing that fails a check: an attendee, a session, a device.
type Item struct {
	Subject  string `json:"subject"` // attendee id, session id, device id…
	Name     string `json:"name"`
	Detail   string `json:"detail"`
	DetailEn string `json:"detail_en"`
}

// Check is one line of the board.
type Check struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	TitleEn string `json:"title_en"`
	Status  string `json:"status"`
	Checked int    `json:"checked"` // how many things were looked at
	Failed  int    `json:"failed"`
	Items   []Item `json:"items"`
}

func (c *Check) fail(it Item) {
	c.Failed++
	if len(c.Items) < MaxItems {
		c.Items = append(c.Items, it)
	}
}

// Report is the whole board.
type Report struct {
	At     time.Time `json:"at"`
	Ready  bool      `json:"ready"` // every check passes
	Failed int       `json:"failed"`
	Checks []Check   `json:"checks"`
}

// Options tune the checks.
type Options struct {
	// Now is the moment of the check; kiosks must have been seen within
	// SeenWithin of it (default 5 minutes) to count as online.
	Now        time.Time
	SeenWithin time.Duration
	// Only runs these checks (by ID) and no others; all when empty.
	Only []string
}

// step is one check of the board: its ID, and how it is worked out.
type step struct {
	id  string
	run func(*checker, context.Context) (Check, error)
}

// steps are the board's checks, in the order it shows them.
var steps = []step{
	{"badge_issued", (*checker).badgesIssued}, {"badge_printed", (*checker).badgesPrinted},
	{"badge_photos", (*checker).badgePhotos}, // photos.go
	{"seats", (*checker).seats}, {"presidium_cards", (*checker).presidium}, {"seat_conflicts", (*checker).seatConflicts},
	{"capacity", (*checker).capacity}, {"meals", (*checker).meals}, {"rooms", (*checker).rooms}, {"kiosks", (*checker).kiosks},
	// logistics.go
	{"arrivals_known", (*checker).arrivalsKnown}, {"arrivals_vehicle", (*checker).arrivalsMet},
	{"vehicle_capacity", (*checker).vehiclesCapacity}, {"rooms_double_booked", (*checker).roomsDoubleBooked},
	{"departure_tickets", (*checker).departureTickets},
	{"documents_returned", (*checker).copiesReturned}, {"documents_issued", (*checker).copiesIssued}, // documents.go
	{"materials_stock", (*checker).materialsStock}, {"materials_collected", (*checker).materialsCollected}, // materials.go
	{"duty_coverage", (*checker).dutyCoverage}, {"duty_follow_up", (*checker).dutyFollowUp}, // duty.go
	{"units_replied", (*checker).unitsReplied}, {"attendees_confirmed", (*checker).attendeesConfirmed}, // notices.go
	{"face_refs", (*checker).faceRefs},           // faces.go
	{"face_retention", (*checker).faceRetention}, // face_retention.go
}

type checker struct {
	db   *store.DB
	cat  *store.Catalog
	opts Options
}

// Run computes every check from committed data.
func Run(ctx context.Context, db *store.DB, cat *store.Catalog, opts Options) (*Report, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.SeenWithin == 0 {
		opts.SeenWithin = 5 * time.Minute
	}
	k := &checker{db: db, cat: cat, opts: opts}
	rep := &Report{At: opts.Now.In(cat.Location), Ready: true}
	for _, st := range steps {
		if len(opts.Only) > 0 && !slices.Contains(opts.Only, st.id) {
			continue
		}
		c, err := st.run(k, ctx)
		if err != nil {
			return nil, fmt.Errorf("readiness: %s: %w", st.id, err)
		}
		if c.ID != st.id {
			return nil, fmt.Errorf("readiness: the step listed as %s answers %s", st.id, c.ID)
		}
		c.Status = Pass
		if c.Failed > 0 {
			c.Status = Fail
			rep.Ready = false
			rep.Failed++
		}
		if c.Items == nil {
			c.Items = []Item{}
		}
		rep.Checks = append(rep.Checks, c)
	}
	return rep, nil
}

// person names an attendee in an item: name and organisation.
func person(name, org string) string {
	if org == "" {
		return name
	}
	return name + "（" + org + "）"
}
