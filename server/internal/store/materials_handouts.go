package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Handouts (资料发放, issue 13.2): who was handed what, when and where;
// the desk's lists of who has not collected what; the counts per item for
// the stockroom. A scan hands items out inside the check-in engine's
// transaction (checkin/handout.go); the desk's hand entry and the demo's
// go through here. Either way an item is recorded once per person: the
// table's key is (attendee, item).

// ItemCount is one item's figures for the stockroom.
type ItemCount struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	NameEn      string   `json:"name_en,omitempty"`
	Stock       *int     `json:"stock"`        // entered by the desk; nil when not
	BeforeStart bool     `json:"before_start"` // to be collected before the meeting starts
	Points      []string `json:"points"`
	Due         int      `json:"due"`   // 应发: active people due it
	Given       int      `json:"given"` // 已发: handed out, to anyone
	Left        int      `json:"left"`  // 待发: due and not yet handed
	// Short is how many the stock lacks for those still to collect it
	// (stock − given < left); 0 when it suffices or no stock is entered.
	Short int `json:"short"`
}

// ItemTally is an item's figures for the meeting summary.
type ItemTally struct {
	Item, ItemEn string
	Due, Given   int
}

// ItemCounts are the figures for every item, in the items' order.
func (db *DB) ItemCounts(ctx context.Context) ([]ItemCount, error) {
	points, err := db.itemPoints(ctx)
	if err != nil {
		return nil, err
	}
	return readAll(ctx, db.r, "item counts", func(r interface{ Scan(...any) error }) (ItemCount, error) {
		var c ItemCount
		var id int64
		var stock sql.NullInt64
		var givenDue int
		err := r.Scan(&id, &c.Code, &c.Name, &c.NameEn, &stock, &c.BeforeStart, &c.Due, &c.Given, &givenDue)
		c.Left = c.Due - givenDue
		if stock.Valid {
			n := int(stock.Int64)
			c.Stock = &n
			c.Short = max(0, c.Left-(n-c.Given))
		}
		c.Points = points[id]
		if c.Points == nil {
			c.Points = []string{}
		}
		return c, err
	}, `WITH per AS (SELECT d.item_id, count(*) AS due, count(h.item_id) AS got FROM material_due d
			LEFT JOIN material_handouts h ON h.attendee_id = d.attendee_id AND h.item_id = d.item_id GROUP BY d.item_id),
		given AS (SELECT item_id, count(*) AS n FROM material_handouts GROUP BY item_id)
		SELECT i.id, i.code, i.name, i.name_en, i.stock, i.before_start, coalesce(per.due, 0), coalesce(given.n, 0), coalesce(per.got, 0)
		FROM material_items i LEFT JOIN per ON per.item_id = i.id LEFT JOIN given ON given.item_id = i.id
		ORDER BY i.sort, i.id`)
}

func (db *DB) itemPoints(ctx context.Context) (map[int64][]string, error) {
	out := map[int64][]string{}
	err := eachRow(ctx, db.r, `SELECT item_id, checkpoint FROM material_points ORDER BY checkpoint`, func(r scanner) error {
		var id int64
		var cp string
		if err := r.Scan(&id, &cp); err != nil {
			return err
		}
		out[id] = append(out[id], cp)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: item points: %w", err)
	}
	return out, nil
}

// MaterialsSummary is what the meeting summary reports of materials: per
// item, how many were due and how many handed out.
func (db *DB) MaterialsSummary(ctx context.Context) ([]ItemTally, error) {
	counts, err := db.ItemCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ItemTally, len(counts))
	for i, c := range counts {
		out[i] = ItemTally{Item: c.Name, ItemEn: c.NameEn, Due: c.Due, Given: c.Given}
	}
	return out, nil
}

// Holding is one item a person is due, and whether and where they got it.
type Holding struct {
	Code   string     `json:"code"`
	Name   string     `json:"name"`
	NameEn string     `json:"name_en,omitempty"`
	Given  bool       `json:"given"`
	At     *time.Time `json:"at,omitempty"`
	Place  string     `json:"place,omitempty"`  // the checkpoint's name, or 报到处
	Manual bool       `json:"manual,omitempty"` // entered by hand at the desk
}

// Owed is one person and the items they are due.
type Owed struct {
	AttendeeID   int64     `json:"attendee_id"`
	Name         string    `json:"name"`
	Organization string    `json:"organization"`
	Category     string    `json:"category"`
	Delegation   string    `json:"delegation"`
	Items        []Holding `json:"items"`
}

// Missing are the items of o not yet given.
func (o Owed) Missing() []Holding {
	var out []Holding
	for _, h := range o.Items {
		if !h.Given {
			out = append(out, h)
		}
	}
	return out
}

// OwedFilter narrows the desk's list.
type OwedFilter struct {
	Item        string // only people due this item (code); with Missing, who lack it
	Delegation  string
	Q           string // name, pinyin, initials or organisation
	Attendee    int64
	Missing     bool // only people who lack something (the item, with Item)
	BeforeStart bool // only items to be collected before the start
	Limit       int  // 0: all
}

// MaterialsOwed lists people due items, in delegation and rank order,
// each with every item they are due and what they have collected.
func (db *DB) MaterialsOwed(ctx context.Context, f OwedFilter) ([]Owed, error) {
	var where []string
	var args []any
	if f.Delegation != "" {
		where, args = append(where, "coalesce(dg.name, '') = ?"), append(args, f.Delegation)
	}
	if f.Attendee != 0 {
		where, args = append(where, "a.id = ?"), append(args, f.Attendee)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(q)) + "%"
		where = append(where, `(a.name LIKE ? ESCAPE '\' OR a.pinyin LIKE ? ESCAPE '\' OR a.initials LIKE ? ESCAPE '\'
			OR a.organization LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like)
	}
	if f.BeforeStart {
		where = append(where, "i.before_start = 1")
	}
	q := `SELECT a.id, a.name, a.organization, a.category, coalesce(dg.name, ''), i.code, i.name, i.name_en,
			h.at IS NOT NULL, coalesce(h.at, ''), coalesce(h.place, ''), coalesce(h.manual, 0)
		FROM material_due d JOIN attendees a ON a.id = d.attendee_id
		JOIN material_items i ON i.id = d.item_id
		LEFT JOIN delegations dg ON dg.id = a.delegation_id
		LEFT JOIN material_handouts h ON h.attendee_id = d.attendee_id AND h.item_id = d.item_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY coalesce(dg.sort, 1e9), coalesce(dg.name, ''), a.rank, a.id, i.sort, i.id`
	var out []Owed
	err := eachRow(ctx, db.r, q, func(r scanner) error {
		var o Owed
		var h Holding
		var at string
		if err := r.Scan(&o.AttendeeID, &o.Name, &o.Organization, &o.Category, &o.Delegation, &h.Code, &h.Name, &h.NameEn,
			&h.Given, &at, &h.Place, &h.Manual); err != nil {
			return err
		}
		if at != "" {
			t := ReadTime(at)
			h.At = &t
		}
		if n := len(out); n > 0 && out[n-1].AttendeeID == o.AttendeeID {
			out[n-1].Items = append(out[n-1].Items, h)
			return nil
		}
		o.Items = []Holding{h}
		out = append(out, o)
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("store: materials owed: %w", err)
	}
	kept := []Owed{}
	for _, o := range out {
		if f.Item != "" && !slices.ContainsFunc(o.Items, func(h Holding) bool { return h.Code == f.Item && (!f.Missing || !h.Given) }) {
			continue
		}
		if f.Missing && f.Item == "" && len(o.Missing()) == 0 {
			continue
		}
		kept = append(kept, o)
		if f.Limit > 0 && len(kept) == f.Limit {
			break
		}
	}
	return kept, nil
}

// GiveResult is what became of one item of a hand entry.
type GiveResult struct {
	Code   string     `json:"code"`
	Name   string     `json:"name"`
	NameEn string     `json:"name_en,omitempty"`
	Given  bool       `json:"given"`           // recorded now
	At     *time.Time `json:"at,omitempty"`    // already: when
	Place  string     `json:"place,omitempty"` // already: where
}

// GiveByHand records that the desk handed items (codes) to attendee, for
// someone without a badge: each item once, the others answered with when
// and where they were collected. An item the person is not due needs a
// reason (ErrNotDue without one). Audited per item, with who and why.
func (db *DB) GiveByHand(ctx context.Context, attendee int64, items []string, reason, actor string, now time.Time) ([]GiveResult, error) {
	reason = strings.TrimSpace(reason)
	if len(items) == 0 {
		return nil, ErrNothingToGive
	}
	if len(items) > 100 || len([]rune(reason)) > 200 {
		return nil, fmt.Errorf("%w: too many items or too long a reason", ErrBadMaterials)
	}
	var out []GiveResult
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		w := &matTx{ctx: ctx, tx: tx}
		if err := mayCollect(ctx, tx, attendee); err != nil {
			return Change{}, err
		}
		at := FormatTime(now)
		for _, code := range items {
			var id int64
			var g GiveResult
			var due bool
			var hAt, place string
			err := tx.QueryRowContext(ctx, `SELECT i.id, i.code, i.name, i.name_en,
					EXISTS (SELECT 1 FROM material_due d WHERE d.attendee_id = ?2 AND d.item_id = i.id),
					coalesce(h.at, ''), coalesce(h.place, '')
				FROM material_items i LEFT JOIN material_handouts h ON h.item_id = i.id AND h.attendee_id = ?2
				WHERE i.code = ?1`, code, attendee).Scan(&id, &g.Code, &g.Name, &g.NameEn, &due, &hAt, &place)
			if errors.Is(err, sql.ErrNoRows) {
				return Change{}, fmt.Errorf("%w: %s", ErrNoSuchItem, code)
			} else if err != nil {
				return Change{}, fmt.Errorf("store: give: %w", err)
			}
			if hAt != "" {
				t := ReadTime(hAt)
				g.At, g.Place = &t, place
				out = append(out, g)
				continue
			}
			if !due && reason == "" {
				return Change{}, fmt.Errorf("%w: %s", ErrNotDue, g.Name)
			}
			if err := w.exec(`INSERT INTO material_handouts (attendee_id, item_id, at, place, actor, manual, reason)
				VALUES (?, ?, ?, '报到处', ?, 1, ?)`, attendee, id, at, actor, reason); err != nil {
				return Change{}, err
			}
			detail := fmt.Sprintf("报到处手工登记发放 %s · handed %s at the desk", g.Name, g.Code)
			if !due {
				detail += "（不在应发名单 · not due）"
			}
			if reason != "" {
				detail += "：" + reason
			}
			if err := w.audit(actor, "materials.handout", fmt.Sprint(attendee), detail); err != nil {
				return Change{}, err
			}
			g.Given = true
			out = append(out, g)
		}
		return Change{Attendees: []int64{attendee}}, nil
	})
	return out, err
}

// Handout is one recorded handout, as the demo lays them down.
type Handout struct {
	Attendee   int64
	Item       string // code
	At         time.Time
	Checkpoint string // code; "" at the desk
	Place      string
}

// LoadHandouts records handouts in one transaction (the demo's); one
// already recorded is left as it is.
func (db *DB) LoadHandouts(ctx context.Context, hs []Handout, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		w := &matTx{ctx: ctx, tx: tx}
		for _, h := range hs {
			if err := w.exec(`INSERT INTO material_handouts (attendee_id, item_id, at, checkpoint, place, actor, manual)
				SELECT ?, id, ?, ?, ?, ?, ? FROM material_items WHERE code = ?
				ON CONFLICT DO NOTHING`, h.Attendee, FormatTime(h.At), h.Checkpoint, h.Place, actor, flag(h.Checkpoint == ""), h.Item); err != nil {
				return Change{}, err
			}
		}
		return Change{}, nil
	})
}

// MaterialsDelegations are the delegations' names in their order, for the
// desk's filter and the 签收表 by delegation.
func (db *DB) MaterialsDelegations(ctx context.Context) ([]string, error) {
	return readAll(ctx, db.r, "delegations", func(r interface{ Scan(...any) error }) (string, error) {
		var s string
		return s, r.Scan(&s)
	}, `SELECT name FROM delegations ORDER BY sort, name`)
}

// PointItems are the items a scan at checkpoint hands out, in the items'
// order (the kiosk's offline cache names them).
func (db *DB) PointItems(ctx context.Context, checkpoint string) ([]MaterialItem, error) {
	return readAll(ctx, db.r, "point items", func(r interface{ Scan(...any) error }) (MaterialItem, error) {
		var it MaterialItem
		return it, r.Scan(&it.Code, &it.Name, &it.NameEn)
	}, `SELECT i.code, i.name, i.name_en FROM material_points p JOIN material_items i ON i.id = p.item_id
		WHERE p.checkpoint = ? ORDER BY i.sort, i.id`, checkpoint)
}

// ErrNotHandedOut is an undo of a handout that was never recorded.
var ErrNotHandedOut = errors.New("store: the item was not handed out to the person")

// UndoHandout deletes the record that attendee was handed item (code), for
// a record made in error (the wrong person ticked, the item not in fact
// handed over). A reason is required; the audit keeps what was undone.
func (db *DB) UndoHandout(ctx context.Context, attendee int64, code, reason, actor string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fmt.Errorf("%w: a reason is required to undo a handout", ErrBadMaterials)
	}
	if len([]rune(reason)) > 200 {
		return fmt.Errorf("%w: the reason is longer than 200 characters", ErrBadMaterials)
	}
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		w := &matTx{ctx: ctx, tx: tx}
		var at, place, name string
		err := tx.QueryRowContext(ctx, `DELETE FROM material_handouts
			WHERE attendee_id = ? AND item_id = (SELECT id FROM material_items WHERE code = ?)
			RETURNING at, place, (SELECT name FROM material_items WHERE code = ?)`, attendee, code, code).Scan(&at, &place, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, fmt.Errorf("%w: %s", ErrNotHandedOut, code)
		} else if err != nil {
			return Change{}, fmt.Errorf("store: undo handout: %w", err)
		}
		return Change{Attendees: []int64{attendee}}, w.audit(actor, "materials.undo", fmt.Sprint(attendee),
			fmt.Sprintf("撤销发放 %s（原记 %s %s）：%s · handout of %s undone", name, at, place, reason, code))
	})
}
