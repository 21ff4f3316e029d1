package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"huiwu/server/internal/eventdef"
)

// ApplyOptions say how a definition is applied.
type ApplyOptions struct {
	DryRun bool   // report what would change, store nothing
	Actor  string // who, for the audit log
}

// Conflict is a change refused because what it removes or moves is already
// in use: scans were made there, or someone sits in a seat.
type Conflict struct {
	Items []ConflictItem
}

// ConflictItem names one thing that cannot go.
type ConflictItem struct {
	Part   string        `json:"part"`
	Code   string        `json:"code"`
	Name   string        `json:"name"`
	Reason eventdef.Text `json:"reason"`
}

func (c *Conflict) Error() string {
	names := make([]string, len(c.Items))
	for i, it := range c.Items {
		names[i] = it.Part + " " + it.Code + ": " + it.Reason.En
	}
	return "in use: " + strings.Join(names, "; ")
}

// ApplyDefinition creates the event or changes it in place: the parts named
// in given are taken from next (items matched by code), the others kept.
// Everything is checked first (eventdef.Errors for bad input, *Conflict for
// removing or moving what is in use) and then stored in one transaction
// with the entitlements recomputed; on any error nothing is stored. The
// report says what changed, or with DryRun what would.
func (db *DB) ApplyDefinition(ctx context.Context, next eventdef.Definition, given eventdef.Given, opt ApplyOptions) (eventdef.Report, error) {
	var report eventdef.Report
	var sessions []string
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		cur, err := readDefinition(ctx, tx)
		has := err == nil
		if err != nil && !errors.Is(err, ErrNotFound) {
			return Change{}, err
		}
		if !has && !given[eventdef.PartEvent] {
			return Change{}, eventdef.Errors{{Path: "event", Code: eventdef.CodeNoEvent, Message: eventdef.Text{
				Zh: "尚未建立会议：第一次提交必须包含 event 部分", En: "there is no event yet: the first PUT must include the event part"}}}
		}
		merged := eventdef.Merge(cur, next, given)
		if has && merged.Event.ID != cur.Event.ID {
			return Change{}, eventdef.Errors{{Path: "event.id", Code: eventdef.CodeEventIDChanged, Message: eventdef.Text{
				Zh: fmt.Sprintf("会议代码不能修改（现为“%s”，胸卡二维码中含有它）；另一个会议请使用另一个数据目录", cur.Event.ID),
				En: fmt.Sprintf("the event id cannot change (it is %q and every badge carries it); another meeting needs another data directory", cur.Event.ID)}}}
		}
		if errs := eventdef.Validate(merged); len(errs) > 0 {
			return Change{}, errs
		}
		eventdef.Normalize(&merged)
		report = eventdef.Diff(cur, merged)
		if report.Unchanged {
			return Change{}, errDryRun
		}
		w := defWriter{ctx: ctx, tx: tx, now: FormatTime(time.Now()), cur: cur, next: merged}
		if err := w.conflicts(); err != nil {
			return Change{}, err
		}
		if err := w.write(); err != nil {
			return Change{}, fmt.Errorf("store: apply definition: %w", err)
		}
		if rulesMoved(report) {
			before, err := expectedCounts(ctx, tx, merged)
			if err != nil {
				return Change{}, err
			}
			if err := recompute(ctx, tx, nil); err != nil {
				return Change{}, fmt.Errorf("store: recompute entitlements: %w", err)
			}
			after, err := expectedCounts(ctx, tx, merged)
			if err != nil {
				return Change{}, err
			}
			report.Effects = append(report.Effects, expectedEffects(merged, before, after)...)
		}
		report.Warnings = append(report.Warnings, w.warnings...)
		if opt.DryRun {
			return Change{}, errDryRun
		}
		detail, _ := json.Marshal(report.Changes)
		if _, err := tx.ExecContext(ctx, `UPDATE event SET version = version + 1`); err != nil {
			return Change{}, err
		}
		if err := audit(ctx, tx, ReadTime(w.now), opt.Actor, "event.define", merged.Event.ID, string(detail)); err != nil {
			return Change{}, err
		}
		for _, s := range cur.Sessions {
			sessions = append(sessions, s.ID)
		}
		for _, s := range merged.Sessions {
			if !slices.Contains(sessions, s.ID) {
				sessions = append(sessions, s.ID)
			}
		}
		return Change{Recount: sessions, Definition: true}, nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return report, err
}

// rulesMoved reports whether a change can move entitlements: categories,
// venues (a hall's tables), sessions (who is expected) or meals (which hall
// serves whom). The event's name or a checkpoint's door cannot, and then
// the recompute is skipped.
func rulesMoved(r eventdef.Report) bool {
	for _, c := range r.Changes {
		switch c.Part {
		case eventdef.PartCategories, eventdef.PartVenues, eventdef.PartSessions, eventdef.PartMeals:
			return true
		}
	}
	return false
}

type defWriter struct {
	ctx       context.Context
	tx        *sql.Tx
	now       string
	cur, next eventdef.Definition
	venueID   map[string]int64
	warnings  []eventdef.Text
}

func (w *defWriter) exec(q string, args ...any) error {
	_, err := w.tx.ExecContext(w.ctx, q, args...)
	return err
}

func (w *defWriter) exists(q string, args ...any) (bool, error) {
	var has bool // a bool, as both drivers fill it (PostgreSQL's EXISTS is no integer)
	err := w.tx.QueryRowContext(w.ctx, "SELECT EXISTS ("+q+")", args...).Scan(&has)
	return has, err
}

func byCode[T any](items []T, key func(T) string) map[string]T {
	m := make(map[string]T, len(items))
	for _, it := range items {
		m[key(it)] = it
	}
	return m
}

// conflicts refuses removing or moving what is in use. It collects every
// such item so that the desk sees them all at once.
func (w *defWriter) conflicts() error {
	var c Conflict
	inUse := func(part, code, name, zh, en string) {
		c.Items = append(c.Items, ConflictItem{Part: part, Code: code, Name: name, Reason: eventdef.Text{Zh: zh, En: en}})
	}
	// scanned refuses an item with scans that goes (or moves, with the
	// words for how): what the scans recorded must keep meaning the same.
	scanned := func(part, column, code, name string, gone, moved bool, movedZh, movedEn string) error {
		if !gone && !moved {
			return nil
		}
		has, err := w.exists(`SELECT 1 FROM scans WHERE `+column+` = ?`, code)
		switch {
		case err != nil || !has:
			return err
		case gone:
			inUse(part, code, name, "已有扫码记录，不能删除", "it already has scans, so it cannot be removed")
		default:
			inUse(part, code, name, "已有扫码记录，"+movedZh, "it already has scans, so it cannot "+movedEn)
		}
		return nil
	}
	nextSessions := byCode(w.next.Sessions, func(s eventdef.Session) string { return s.ID })
	for _, s := range w.cur.Sessions {
		n, kept := nextSessions[s.ID]
		if err := scanned(eventdef.PartSessions, "session_id", s.ID, s.Name, !kept, kept && n.Venue != s.Venue,
			"不能换场地", "move to another venue"); err != nil {
			return err
		}
	}
	nextMeals := byCode(w.next.Meals, func(m eventdef.Meal) string { return m.ID })
	for _, m := range w.cur.Meals {
		_, kept := nextMeals[m.ID]
		if err := scanned(eventdef.PartMeals, "meal_id", m.ID, m.Name, !kept, false, "", ""); err != nil {
			return err
		}
	}
	nextCheckpoints := byCode(w.next.Checkpoints, func(p eventdef.Checkpoint) string { return p.ID })
	for _, p := range w.cur.Checkpoints {
		n, kept := nextCheckpoints[p.ID]
		if err := scanned(eventdef.PartCheckpoints, "checkpoint_id", p.ID, p.Name, !kept, kept && (n.Venue != p.Venue || n.Kind != p.Kind),
			"不能改到别的场地或改类型", "move to another venue or change kind"); err != nil {
			return err
		}
	}
	nextCats := byCode(w.next.Categories, func(k eventdef.Category) string { return k.Code })
	for _, k := range w.cur.Categories {
		if _, kept := nextCats[k.Code]; kept {
			continue
		}
		var n int
		if err := w.tx.QueryRowContext(w.ctx, `SELECT count(*) FROM attendees WHERE category = ?`, k.Code).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			inUse(eventdef.PartCategories, k.Code, k.Name, fmt.Sprintf("还有 %d 名人员属于该类别", n), fmt.Sprintf("%d attendees are in it", n))
		}
	}
	if err := w.seatConflicts(inUse); err != nil {
		return err
	}
	if len(c.Items) > 0 {
		return &c
	}
	return nil
}

// seatConflicts refuses removing a seat someone is assigned to, or a hotel
// where someone has a room.
func (w *defWriter) seatConflicts(inUse func(part, code, name, zh, en string)) error {
	nextVenues := byCode(w.next.Venues, func(v eventdef.Venue) string { return v.Code })
	for _, v := range w.cur.Venues {
		n, kept := nextVenues[v.Code]
		if kept && reflect.DeepEqual(n, v) {
			continue // unchanged: every seat stays
		}
		keep := map[string]bool{}
		if kept {
			for _, s := range eventdef.Layout(n) {
				keep[s.Label] = true
			}
		}
		rows, err := w.tx.QueryContext(w.ctx, `SELECT DISTINCT s.label FROM seat_assignments sa JOIN seats s ON s.id = sa.seat_id
			WHERE s.venue_id = (SELECT id FROM venues WHERE code = ?) ORDER BY s.label`, v.Code)
		if err != nil {
			return err
		}
		var taken []string
		for rows.Next() {
			var label string
			if err := rows.Scan(&label); err != nil {
				rows.Close()
				return err
			}
			if !keep[label] {
				taken = append(taken, label)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(taken) > 0 {
			list := strings.Join(taken[:min(len(taken), 10)], "、")
			if len(taken) > 10 {
				list += fmt.Sprintf(" 等 %d 个", len(taken))
			}
			inUse(eventdef.PartVenues, v.Code, v.Name, "以下座位已安排人员，不能删除："+list, "people are seated in seats it would remove: "+list)
		}
		if !kept {
			lodged, err := w.exists(`SELECT 1 FROM lodging l JOIN venues v ON v.id = l.venue_id WHERE v.code = ?`, v.Code)
			if err != nil {
				return err
			}
			if lodged {
				inUse(eventdef.PartVenues, v.Code, v.Name, "已有人员安排住在这里，不能删除", "attendees have rooms there, so it cannot be removed")
			}
		}
	}
	return nil
}

// write stores the definition: removals first (children before parents),
// then every part upserted by code in dependency order.
func (w *defWriter) write() error {
	if err := w.removeGone(); err != nil {
		return err
	}
	e := w.next.Event
	if err := w.exec(`INSERT INTO event (id, name, name_en, timezone, starts_on, created_at, face_verification, badge_layout, face_retention_days)
		VALUES (?,?,?,?,?,?,?,?,?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, timezone = excluded.timezone, starts_on = excluded.starts_on,
		face_verification = excluded.face_verification, badge_layout = excluded.badge_layout, face_retention_days = excluded.face_retention_days`,
		e.ID, e.Name, e.NameEn, e.Timezone, e.StartsOn, w.now, flag(e.FaceVerification), e.BadgeLayout, e.FaceRetentionDays); err != nil {
		return fmt.Errorf("event: %w", err)
	}
	for i, c := range w.next.Categories {
		if err := w.exec(`INSERT INTO categories (code, name, name_en, color, voting, sort) VALUES (?,?,?,?,?,?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, color = excluded.color,
			voting = excluded.voting, sort = excluded.sort`, c.Code, c.Name, c.NameEn, c.Color, flag(c.Voting), i+1); err != nil {
			return fmt.Errorf("category %s: %w", c.Code, err)
		}
	}
	if err := w.venues(); err != nil {
		return err
	}
	if err := w.sessions(); err != nil {
		return err
	}
	if err := w.meals(); err != nil {
		return err
	}
	if err := w.checkpoints(); err != nil {
		return err
	}
	return w.removeGoneVenues()
}

// removeGone deletes the items the new definition no longer has, with the
// rows that hang on them. conflicts has already refused anything in use.
func (w *defWriter) removeGone() error {
	c, n := w.cur, w.next
	for _, id := range goneCodes(ids(len(c.Checkpoints), func(i int) string { return c.Checkpoints[i].ID }),
		ids(len(n.Checkpoints), func(i int) string { return n.Checkpoints[i].ID })) {
		if err := w.exec(`UPDATE devices SET checkpoint_id = NULL WHERE checkpoint_id = ?`, id); err != nil {
			return err
		}
		if err := w.exec(`DELETE FROM checkpoints WHERE id = ?`, id); err != nil {
			return fmt.Errorf("remove checkpoint %s: %w", id, err)
		}
	}
	for _, id := range goneCodes(ids(len(c.Meals), func(i int) string { return c.Meals[i].ID }),
		ids(len(n.Meals), func(i int) string { return n.Meals[i].ID })) {
		if err := w.execAll([]string{`DELETE FROM meal_tickets WHERE meal_id = ?`, `DELETE FROM meal_halls WHERE meal_id = ?`,
			`DELETE FROM meal_redemptions WHERE meal_id = ?`, `DELETE FROM checkpoints WHERE meal_id = ?`,
			`DELETE FROM entitlement_exceptions WHERE kind = 'meal' AND ref = ?`, `DELETE FROM meals WHERE id = ?`}, id); err != nil {
			return fmt.Errorf("remove meal %s: %w", id, err)
		}
	}
	for _, id := range goneCodes(ids(len(c.Sessions), func(i int) string { return c.Sessions[i].ID }),
		ids(len(n.Sessions), func(i int) string { return n.Sessions[i].ID })) {
		if err := w.execAll([]string{`DELETE FROM session_attendees WHERE session_id = ?`, `DELETE FROM seat_assignments WHERE session_id = ?`,
			`DELETE FROM leaves WHERE session_id = ?`, `DELETE FROM presence WHERE session_id = ?`, `DELETE FROM seating_rules WHERE session_id = ?`,
			`DELETE FROM entitlement_exceptions WHERE kind = 'session' AND ref = ?`, `DELETE FROM sessions WHERE id = ?`}, id); err != nil {
			return fmt.Errorf("remove session %s: %w", id, err)
		}
	}
	return nil
}

// removeGoneVenues deletes the venues and categories the new definition no
// longer has; it runs after the sessions, meals and checkpoints that used
// them have moved.
func (w *defWriter) removeGoneVenues() error {
	c, n := w.cur, w.next
	for _, code := range goneCodes(ids(len(c.Venues), func(i int) string { return c.Venues[i].Code }),
		ids(len(n.Venues), func(i int) string { return n.Venues[i].Code })) {
		if err := w.execAll([]string{
			`DELETE FROM meal_tickets WHERE venue_id = (SELECT id FROM venues WHERE code = ?1)`,
			`DELETE FROM meal_halls WHERE venue_id = (SELECT id FROM venues WHERE code = ?1)`,
			`DELETE FROM entitlement_exceptions WHERE venue_id = (SELECT id FROM venues WHERE code = ?1)`,
			`UPDATE groups SET venue_id = NULL WHERE venue_id = (SELECT id FROM venues WHERE code = ?1)`,
			`DELETE FROM seats WHERE venue_id = (SELECT id FROM venues WHERE code = ?1)`,
			`DELETE FROM dining_tables WHERE venue_id = (SELECT id FROM venues WHERE code = ?1)`,
			`DELETE FROM hotel_rooms WHERE venue_id = (SELECT id FROM venues WHERE code = ?1)`,
			`DELETE FROM venues WHERE code = ?1`}, code); err != nil {
			return fmt.Errorf("remove venue %s: %w", code, err)
		}
	}
	for _, code := range goneCodes(ids(len(c.Categories), func(i int) string { return c.Categories[i].Code }),
		ids(len(n.Categories), func(i int) string { return n.Categories[i].Code })) {
		if err := w.exec(`DELETE FROM categories WHERE code = ?`, code); err != nil {
			return fmt.Errorf("remove category %s: %w", code, err)
		}
	}
	return nil
}

func (w *defWriter) execAll(qs []string, args ...any) error {
	for _, q := range qs {
		if err := w.exec(q, args...); err != nil {
			return err
		}
	}
	return nil
}

// goneCodes lists the codes in cur that next lacks.
func goneCodes(cur, next []string) []string {
	var out []string
	for _, c := range cur {
		if !slices.Contains(next, c) {
			out = append(out, c)
		}
	}
	return out
}

// ids lists f(0) … f(n-1).
func ids(n int, f func(int) string) []string {
	out := make([]string, n)
	for i := range n {
		out[i] = f(i)
	}
	return out
}
