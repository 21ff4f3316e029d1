package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// ErrConflict is returned when the attendee changed between reading and
// writing (another desk saved first); the form should be reloaded.
var ErrConflict = errors.New("desk: the attendee was changed meanwhile")

// Edit applies a partial update — the JSON fields present in patch, named
// as in Form — to attendee id, checked as the importer checks a row, in one
// transaction with an audit row naming what changed. It answers the fields
// that changed (none when the patch changed nothing).
func Edit(ctx context.Context, db *store.DB, cat *store.Catalog, id int64, patch []byte, actor string) ([]string, error) {
	cur, stamp, err := db.AttendeeForEdit(ctx, id)
	if err != nil {
		return nil, err
	}
	form := formOf(cur)
	dec := json.NewDecoder(strings.NewReader(string(patch)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&form); err != nil {
		return nil, &InvalidError{Fields: []FieldError{{Field: "", Code: "bad_json",
			Message: "请求内容无法识别：" + err.Error(), MessageEn: "cannot read the request: " + err.Error()}}}
	}
	if form.Room != "" {
		return nil, &InvalidError{Fields: []FieldError{{Field: "room", Code: "room_not_editable",
			Message: "房间请在住宿安排中修改", MessageEn: "change rooms through lodging, not here"}}}
	}
	if form.Rank <= 0 {
		// An empty 排序 would make the importer number the row 1.
		form.Rank = cur.Rank
	}
	if strings.Contains(form.IDNumber, "*") {
		// A masked number came back from a card view: keep the stored one.
		form.IDNumber = cur.IDNumber
	}
	a, err := check(form, cur.Key, cat)
	if err != nil {
		return nil, err
	}
	changed := diff(cur, &a)
	if len(changed) == 0 {
		return nil, nil
	}
	sessions := make([]string, 0, len(cat.SessionList))
	for _, s := range cat.SessionList {
		sessions = append(sessions, s.ID)
	}
	err = db.EditAttendee(ctx, store.AttendeeEdit{ID: id, Stamp: stamp, Attendee: &a,
		Detail: describe(cur, &a, changed), Sessions: sessions, Actor: actor})
	switch {
	case errors.Is(err, store.ErrEditConflict):
		return nil, ErrConflict
	case errors.Is(err, store.ErrUnknownGroup):
		return nil, &InvalidError{Fields: []FieldError{{Field: "group", Code: "unknown_group",
			Message: fmt.Sprintf("没有名为“%s”的分组", a.Group), MessageEn: fmt.Sprintf("there is no group %q", a.Group)}}}
	}
	return changed, err
}

// values lists an attendee's editable fields by Form name.
func values(a store.Attendee) map[string]string {
	return map[string]string{"name": a.Name, "gender": a.Gender, "ethnicity": a.Ethnicity, "organization": a.Organization,
		"title": a.Title, "rank": fmt.Sprint(a.Rank), "category": a.Category, "delegation": a.Delegation, "group": a.Group,
		"phone": a.Phone, "id_number": a.IDNumber, "diet": a.Diet, "access": a.Access, "notes": a.Notes,
		"arrival": a.Arrival, "departure": a.Departure}
}

func asStored(a *domain.Attendee) store.Attendee {
	return store.Attendee{Name: a.Name, Gender: a.Gender, Ethnicity: a.Ethnicity, Organization: a.Organization,
		Title: a.Title, Rank: a.Rank, Category: a.Category, Delegation: a.Delegation, Group: a.Group, Phone: a.Phone,
		IDNumber: a.IDNumber, Diet: a.Diet, Access: a.Access, Notes: a.Notes, Arrival: a.Arrival, Departure: a.Departure}
}

// diff names the fields that differ, in Form order.
func diff(cur store.Attendee, a *domain.Attendee) []string {
	old, now := values(cur), values(asStored(a))
	var out []string
	for _, c := range columns {
		if c.value != nil && old[c.field] != now[c.field] {
			out = append(out, c.field)
		}
	}
	return out
}

// describe words the change for the audit log. Personal numbers are not
// copied into it: the log says that they changed, not to what.
func describe(cur store.Attendee, a *domain.Attendee, changed []string) string {
	old, now := values(cur), values(asStored(a))
	parts := make([]string, len(changed))
	for i, f := range changed {
		if f == "id_number" || f == "phone" {
			parts[i] = f + " changed"
			continue
		}
		parts[i] = fmt.Sprintf("%s: %q → %q", f, old[f], now[f])
	}
	return strings.Join(parts, "; ")
}
