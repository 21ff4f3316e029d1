package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Materials (资料发放, issue 13.2): the items and kits the secretariat
// hands out, who is due what, and where a scan hands an item over. The
// tables are in schema_materials.go; handouts and the desk's lists in
// materials_handouts.go.

// Errors of the materials configuration and of handouts.
var (
	ErrBadMaterials   = errors.New("store: bad materials configuration")
	ErrItemHandedOut  = errors.New("store: the item has been handed out")
	ErrNoSuchItem     = errors.New("store: no such item")
	ErrNotDue         = errors.New("store: the person is not due the item")
	ErrNothingToGive  = errors.New("store: no items chosen")
	ErrPersonInactive = errors.New("store: the person's registration is cancelled")
)

// MaterialItem is one thing handed out.
type MaterialItem struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en,omitempty"`
	// Stock is what the stockroom has entered; nil when it has not.
	Stock *int `json:"stock"`
	// BeforeStart items are to be in people's hands before the first
	// session starts (代表证, 文件袋): the readiness board lists who lacks
	// them from then on.
	BeforeStart bool `json:"before_start"`
	// Points are the checkpoints whose scan hands the item out.
	Points []string `json:"points"`
	// Grants say who is due the item on its own (outside a kit).
	Grants []Grant `json:"grants"`
}

// MaterialKit is items handed out as one (代表资料袋).
type MaterialKit struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	NameEn string   `json:"name_en,omitempty"`
	Items  []string `json:"items"`
	Grants []Grant  `json:"grants"`
}

// Grant is who is due a kit or an item: the attendees for whom every
// condition given holds; none given means everyone.
type Grant struct {
	Category   string `json:"category,omitempty"`
	Delegation string `json:"delegation,omitempty"`
	AttendeeID int64  `json:"attendee_id,omitempty"`
}

// Materials is the whole configuration, as GET and PUT /materials/config
// carry it.
type Materials struct {
	Items []MaterialItem `json:"items"`
	Kits  []MaterialKit  `json:"kits"`
}

// check trims the configuration's text and reports the first thing wrong
// with it that needs no database.
func (m *Materials) check() error {
	bad := func(f string, a ...any) error { return fmt.Errorf("%w: "+f, append([]any{ErrBadMaterials}, a...)...) }
	text := func(what string, s *string, max int, need bool) error {
		*s = strings.TrimSpace(*s)
		if need && *s == "" {
			return bad("%s is empty", what)
		}
		if utf8.RuneCountInString(*s) > max {
			return bad("%s %q is longer than %d characters", what, *s, max)
		}
		return nil
	}
	if len(m.Items) > 100 || len(m.Kits) > 100 {
		return bad("at most 100 items and 100 kits")
	}
	items := map[string]bool{}
	for i := range m.Items {
		it := &m.Items[i]
		if err := errors.Join(text("item code", &it.Code, 32, true), text("item name", &it.Name, 40, true),
			text("item English name", &it.NameEn, 80, false)); err != nil {
			return err
		}
		if items[it.Code] {
			return bad("item code %q twice", it.Code)
		}
		items[it.Code] = true
		if it.Stock != nil && (*it.Stock < 0 || *it.Stock > 1_000_000) {
			return bad("stock of %s is %d (0 to 1,000,000)", it.Code, *it.Stock)
		}
	}
	kits := map[string]bool{}
	for i := range m.Kits {
		k := &m.Kits[i]
		if err := errors.Join(text("kit code", &k.Code, 32, true), text("kit name", &k.Name, 40, true),
			text("kit English name", &k.NameEn, 80, false)); err != nil {
			return err
		}
		if kits[k.Code] {
			return bad("kit code %q twice", k.Code)
		}
		kits[k.Code] = true
		if len(k.Items) == 0 {
			return bad("kit %s has no items", k.Code)
		}
		for _, c := range k.Items {
			if !items[c] {
				return bad("kit %s names item %q, which is not in the items", k.Code, c)
			}
		}
	}
	return nil
}

// MaterialsConfig reads the configuration: items in their order with their
// points and grants, kits with theirs.
func (db *DB) MaterialsConfig(ctx context.Context) (Materials, error) {
	m := Materials{Items: []MaterialItem{}, Kits: []MaterialKit{}}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return m, fmt.Errorf("store: materials: %w", err)
	}
	defer tx.Rollback()
	itemAt, kitAt := map[int64]int{}, map[int64]int{}
	err = eachRow(ctx, tx, `SELECT id, code, name, name_en, stock, before_start FROM material_items ORDER BY sort, id`,
		func(r scanner) error {
			var id int64
			var it MaterialItem
			var stock sql.NullInt64
			if err := r.Scan(&id, &it.Code, &it.Name, &it.NameEn, &stock, &it.BeforeStart); err != nil {
				return err
			}
			if stock.Valid {
				n := int(stock.Int64)
				it.Stock = &n
			}
			it.Points, it.Grants = []string{}, []Grant{}
			itemAt[id] = len(m.Items)
			m.Items = append(m.Items, it)
			return nil
		})
	if err != nil {
		return m, fmt.Errorf("store: materials: items: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT item_id, checkpoint FROM material_points ORDER BY checkpoint`, func(r scanner) error {
		var id int64
		var cp string
		if err := r.Scan(&id, &cp); err != nil {
			return err
		}
		it := &m.Items[itemAt[id]]
		it.Points = append(it.Points, cp)
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("store: materials: points: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT id, code, name, name_en FROM material_kits ORDER BY sort, id`, func(r scanner) error {
		var id int64
		k := MaterialKit{Items: []string{}, Grants: []Grant{}}
		if err := r.Scan(&id, &k.Code, &k.Name, &k.NameEn); err != nil {
			return err
		}
		kitAt[id] = len(m.Kits)
		m.Kits = append(m.Kits, k)
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("store: materials: kits: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT k.kit_id, i.code FROM material_kit_items k JOIN material_items i ON i.id = k.item_id
		ORDER BY i.sort, i.id`, func(r scanner) error {
		var id int64
		var code string
		if err := r.Scan(&id, &code); err != nil {
			return err
		}
		k := &m.Kits[kitAt[id]]
		k.Items = append(k.Items, code)
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("store: materials: kit items: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT kit_id, item_id, category, delegation, coalesce(attendee_id, 0) FROM material_grants ORDER BY id`,
		func(r scanner) error {
			var kit, item sql.NullInt64
			var g Grant
			if err := r.Scan(&kit, &item, &g.Category, &g.Delegation, &g.AttendeeID); err != nil {
				return err
			}
			if kit.Valid {
				k := &m.Kits[kitAt[kit.Int64]]
				k.Grants = append(k.Grants, g)
			} else {
				it := &m.Items[itemAt[item.Int64]]
				it.Grants = append(it.Grants, g)
			}
			return nil
		})
	if err != nil {
		return m, fmt.Errorf("store: materials: grants: %w", err)
	}
	return m, nil
}

// SaveMaterials replaces the configuration with m: items are matched by
// code (an item kept keeps its handouts), kits and grants are replaced.
// Removing an item someone has been handed is ErrItemHandedOut; a point,
// category, delegation or attendee that does not exist is ErrBadMaterials.
func (db *DB) SaveMaterials(ctx context.Context, m Materials, actor string) error {
	if err := m.check(); err != nil {
		return err
	}
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		w := &matTx{ctx: ctx, tx: tx}
		if err := checkMaterialRefs(w, m); err != nil {
			return Change{}, err
		}
		ids, err := readMap[string, int64](ctx, tx, "items", `SELECT code, id FROM material_items`)
		if err != nil {
			return Change{}, err
		}
		keep := map[string]bool{}
		for _, it := range m.Items {
			keep[it.Code] = true
		}
		for code, id := range ids {
			if keep[code] {
				continue
			}
			if n, err := w.count(`SELECT count(*) FROM material_handouts WHERE item_id = ?`, id); err != nil {
				return Change{}, err
			} else if n > 0 {
				return Change{}, fmt.Errorf("%w: %s (%d handed out)", ErrItemHandedOut, code, n)
			}
			if err := w.exec(`DELETE FROM material_items WHERE id = ?`, id); err != nil {
				return Change{}, err
			}
		}
		// One statement each: a driver may not run several in one call.
		for _, table := range []string{"material_kits", "material_grants", "material_points"} {
			if err := w.exec(`DELETE FROM ` + table); err != nil {
				return Change{}, err
			}
		}
		for i, it := range m.Items {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO material_items (code, name, name_en, stock, before_start, sort)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, stock = excluded.stock,
					before_start = excluded.before_start, sort = excluded.sort
				RETURNING id`, it.Code, it.Name, it.NameEn, it.Stock, flag(it.BeforeStart), i+1).Scan(&id)
			if err != nil {
				return Change{}, fmt.Errorf("store: item %s: %w", it.Code, err)
			}
			ids[it.Code] = id
			for _, cp := range it.Points {
				if err := w.exec(`INSERT INTO material_points (item_id, checkpoint) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, cp); err != nil {
					return Change{}, err
				}
			}
			for _, g := range it.Grants {
				if err := w.exec(`INSERT INTO material_grants (item_id, category, delegation, attendee_id) VALUES (?, ?, ?, ?)`,
					id, g.Category, g.Delegation, nullID(g.AttendeeID)); err != nil {
					return Change{}, err
				}
			}
		}
		for i, k := range m.Kits {
			var kid int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO material_kits (code, name, name_en, sort) VALUES (?, ?, ?, ?) RETURNING id`,
				k.Code, k.Name, k.NameEn, i+1).Scan(&kid); err != nil {
				return Change{}, fmt.Errorf("store: kit %s: %w", k.Code, err)
			}
			for _, c := range k.Items {
				if err := w.exec(`INSERT INTO material_kit_items (kit_id, item_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, kid, ids[c]); err != nil {
					return Change{}, err
				}
			}
			for _, g := range k.Grants {
				if err := w.exec(`INSERT INTO material_grants (kit_id, category, delegation, attendee_id) VALUES (?, ?, ?, ?)`,
					kid, g.Category, g.Delegation, nullID(g.AttendeeID)); err != nil {
					return Change{}, err
				}
			}
		}
		return Change{}, w.audit(actor, "materials.config", "materials",
			fmt.Sprintf("资料发放设置：%d 种物品，%d 种资料袋 · %d items, %d kits", len(m.Items), len(m.Kits), len(m.Items), len(m.Kits)))
	})
}

// checkMaterialRefs refuses points, categories, delegations and attendees
// that do not exist: a typo would otherwise make nobody due anything.
func checkMaterialRefs(w *matTx, m Materials) error {
	exists := func(q, v string, args ...any) error {
		n, err := w.count(q, args...)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: %s", ErrBadMaterials, v)
		}
		return nil
	}
	grants := func(gs []Grant, of string) error {
		for _, g := range gs {
			g.Category, g.Delegation = strings.TrimSpace(g.Category), strings.TrimSpace(g.Delegation)
			if g.Category != "" {
				if err := exists(`SELECT count(*) FROM categories WHERE code = ?`, fmt.Sprintf("%s: no category %q", of, g.Category), g.Category); err != nil {
					return err
				}
			}
			if g.Delegation != "" {
				if err := exists(`SELECT count(*) FROM delegations WHERE name = ?`, fmt.Sprintf("%s: no delegation %q", of, g.Delegation), g.Delegation); err != nil {
					return err
				}
			}
			if g.AttendeeID != 0 {
				if err := exists(`SELECT count(*) FROM attendees WHERE id = ?`, fmt.Sprintf("%s: no attendee %d", of, g.AttendeeID), g.AttendeeID); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, it := range m.Items {
		for _, cp := range it.Points {
			if err := exists(`SELECT count(*) FROM checkpoints WHERE id = ?`, fmt.Sprintf("item %s: no checkpoint %q", it.Code, cp), cp); err != nil {
				return err
			}
		}
		if err := grants(it.Grants, "item "+it.Code); err != nil {
			return err
		}
	}
	for _, k := range m.Kits {
		if err := grants(k.Grants, "kit "+k.Code); err != nil {
			return err
		}
	}
	return nil
}

// SetItemStock records the stock the stockroom counted for item code, or
// none (nil), audited.
func (db *DB) SetItemStock(ctx context.Context, code string, stock *int, actor string) error {
	if stock != nil && (*stock < 0 || *stock > 1_000_000) {
		return fmt.Errorf("%w: stock %d (0 to 1,000,000)", ErrBadMaterials, *stock)
	}
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		w := &matTx{ctx: ctx, tx: tx}
		res, err := tx.ExecContext(ctx, `UPDATE material_items SET stock = ? WHERE code = ?`, stock, code)
		if err != nil {
			return Change{}, fmt.Errorf("store: stock: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, fmt.Errorf("%w: %s", ErrNoSuchItem, code)
		}
		what := "未录入 · none"
		if stock != nil {
			what = fmt.Sprint(*stock)
		}
		return Change{}, w.audit(actor, "materials.stock", code, "库存 · stock: "+what)
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// matTx is a materials write in progress.
type matTx struct {
	ctx context.Context
	tx  *sql.Tx
}

func (w *matTx) exec(q string, args ...any) error {
	if _, err := w.tx.ExecContext(w.ctx, q, args...); err != nil {
		return fmt.Errorf("store: materials: %w", err)
	}
	return nil
}

func (w *matTx) count(q string, args ...any) (int, error) {
	var n int
	if err := w.tx.QueryRowContext(w.ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: materials: %w", err)
	}
	return n, nil
}

func (w *matTx) audit(actor, action, subject, detail string) error {
	if err := audit(w.ctx, w.tx, time.Now(), actor, action, subject, detail); err != nil {
		return fmt.Errorf("store: materials: %w", err)
	}
	return nil
}
