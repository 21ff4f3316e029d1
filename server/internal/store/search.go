package store

import (
	"context"
	"database/sql"
	"fmt"
)

// SearchKeys derives the forms of a name that attendee search matches: the
// full pinyin without tones ("zhangwei") and the initials ("zw"). The desk's
// edit form writes them beside a changed name so that a renamed attendee is
// found by the new name's initials at once, exactly as an imported one is.
func SearchKeys(name string) (full, initials string) { return searchKeys(name) }

// refreshSearchKeys brings every attendee's stored search keys up to what
// this build derives (a newer reading table gives 𠮷 "ji" where an older
// build kept the character): opening a database written before then finds
// such names by pinyin at once. Only rows that differ are written.
func refreshSearchKeys(ctx context.Context, w *sql.DB) error {
	rows, err := w.QueryContext(ctx, `SELECT id, name, pinyin, initials FROM attendees`)
	if err != nil {
		return fmt.Errorf("store: search keys: %w", err)
	}
	type stale struct {
		id             int64
		full, initials string
	}
	var todo []stale
	for rows.Next() {
		var id int64
		var name, full, initials string
		if err := rows.Scan(&id, &name, &full, &initials); err != nil {
			rows.Close()
			return fmt.Errorf("store: search keys: %w", err)
		}
		if f, in := searchKeys(name); f != full || in != initials {
			todo = append(todo, stale{id, f, in})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(todo) == 0 {
		return err
	}
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: search keys: %w", err)
	}
	defer tx.Rollback()
	for _, s := range todo {
		if _, err := tx.ExecContext(ctx, `UPDATE attendees SET pinyin = ?, initials = ? WHERE id = ?`, s.full, s.initials, s.id); err != nil {
			return fmt.Errorf("store: search keys: %w", err)
		}
	}
	return tx.Commit()
}
