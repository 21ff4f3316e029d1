package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DeskPlace is where a handout at the registration desk is recorded.
const DeskPlace = "报到处"

// GiveDue records a badge scanned at the registration desk (报到处): every
// item attendee is due and has not collected is handed over now, and
// answered Given; those collected before are answered with when and
// where. Each item is recorded once (the handouts' primary key), and each
// handout audited with who scanned it.
func (db *DB) GiveDue(ctx context.Context, attendee int64, actor string, now time.Time) ([]GiveResult, error) {
	out := []GiveResult{}
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		out = out[:0]
		w := &matTx{ctx: ctx, tx: tx}
		if err := mayCollect(ctx, tx, attendee); err != nil {
			return Change{}, err
		}
		rows, err := tx.QueryContext(ctx, `SELECT i.id, i.code, i.name, i.name_en, coalesce(h.at, ''), coalesce(h.place, '')
			FROM material_due d JOIN material_items i ON i.id = d.item_id
			LEFT JOIN material_handouts h ON h.item_id = i.id AND h.attendee_id = d.attendee_id
			WHERE d.attendee_id = ? ORDER BY i.sort, i.id`, attendee)
		if err != nil {
			return Change{}, fmt.Errorf("store: desk handout: %w", err)
		}
		var give []int64
		for rows.Next() {
			var id int64
			var g GiveResult
			var at, place string
			if err := rows.Scan(&id, &g.Code, &g.Name, &g.NameEn, &at, &place); err != nil {
				rows.Close()
				return Change{}, err
			}
			if at != "" {
				t := ReadTime(at)
				g.At, g.Place = &t, place
			} else {
				g.Given = true
				give = append(give, id)
			}
			out = append(out, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return Change{}, err
		}
		if len(give) == 0 {
			return Change{}, nil
		}
		for _, id := range give {
			if err := w.exec(`INSERT INTO material_handouts (attendee_id, item_id, at, place, actor) VALUES (?, ?, ?, ?, ?)`,
				attendee, id, FormatTime(now), DeskPlace, actor); err != nil {
				return Change{}, err
			}
		}
		var names []string
		for _, g := range out {
			if g.Given {
				names = append(names, g.Name)
			}
		}
		if err := w.audit(actor, "materials.handout", fmt.Sprint(attendee),
			"报到处扫码发放 · handed at the desk by scan: "+strings.Join(names, "、")); err != nil {
			return Change{}, err
		}
		return Change{Attendees: []int64{attendee}}, nil
	})
	return out, err
}

// mayCollect says whether attendee may be handed anything: ErrNotFound for
// no such person, ErrPersonInactive for one whose registration was
// cancelled.
func mayCollect(ctx context.Context, tx *sql.Tx, attendee int64) error {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM attendees WHERE id = ?`, attendee).Scan(&status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ErrNotFound
	case err != nil:
		return fmt.Errorf("store: handout: %w", err)
	case status != "active":
		return ErrPersonInactive
	}
	return nil
}
