package desk

import (
	"context"
	"errors"
	"fmt"

	"huiwu/server/internal/store"
)

// DuplicateError is returned when a walk-in is already on the list (the
// same ID number, or the same name with the same phone or organisation).
type DuplicateError struct{ ID int64 }

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("desk: already registered as attendee %d", e.ID)
}

// Register adds a walk-in. It goes through the same store import as a
// list, so the newcomer is entitled to what an imported newcomer would be
// (every plenary unless press, their group's sessions) and gets the room
// typed in; without a 排序 they are put after everyone else.
func Register(ctx context.Context, db *store.DB, cat *store.Catalog, f Form, actor string) (int64, error) {
	if f.Rank <= 0 {
		rank, err := db.NextRank(ctx)
		if err != nil {
			return 0, err
		}
		f.Rank = rank
	}
	if f.Category == "" {
		return 0, &InvalidError{Fields: []FieldError{{Field: "category", Code: "missing_category",
			Message: "请选择类别", MessageEn: "choose a category"}}}
	}
	a, err := check(f, "", cat)
	if err != nil {
		return 0, err
	}
	id, err := db.AttendeeIDByKey(ctx, a.Key)
	if err == nil {
		return 0, &DuplicateError{ID: id}
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	if a.IDNumber != "" {
		id, err = db.AttendeeIDByIDNumber(ctx, a.IDNumber)
		if err == nil {
			return 0, &DuplicateError{ID: id}
		} else if !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
	}
	fields := map[string]bool{}
	for _, c := range columns {
		fields[c.field] = true
	}
	sum, err := db.ImportAttendees(ctx, []store.ImportRow{{Line: 2, Attendee: a}}, fields, false, actor)
	var re *store.RowError
	if errors.As(err, &re) {
		field := re.Field
		return 0, &InvalidError{Fields: []FieldError{{Field: field, Code: "rejected",
			Message: "无法保存：" + re.Err.Error(), MessageEn: "cannot be stored: " + re.Err.Error()}}}
	}
	if err != nil {
		return 0, err
	}
	id, err = db.AttendeeIDByKey(ctx, a.Key)
	if err != nil {
		return 0, err
	}
	if sum.Created != 1 {
		// Registered by another desk between our look-up and the import.
		return 0, &DuplicateError{ID: id}
	}
	return id, nil
}
