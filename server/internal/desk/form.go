// Package desk is what the registration desk (报到处) changes by hand:
// editing an attendee, registering a walk-in, and the attendee card that
// gathers everything the desk may see about one person. Typed-in values are
// checked by the same importer that checks an uploaded list, so a phone or
// ID number the importer would refuse is refused here too, with the same
// words.
package desk

import (
	"fmt"
	"net/http"
	"strconv"

	"huiwu/server/internal/apierr"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/importer"
	"huiwu/server/internal/store"
)

// Form is an attendee as the desk types it.
type Form struct {
	Name         string `json:"name"`
	Gender       string `json:"gender"`
	Ethnicity    string `json:"ethnicity"`
	Organization string `json:"organization"`
	Title        string `json:"title"`
	Rank         int    `json:"rank"`
	Category     string `json:"category"`
	Delegation   string `json:"delegation"`
	Group        string `json:"group"`
	Phone        string `json:"phone"`
	IDNumber     string `json:"id_number"`
	Diet         string `json:"diet"`
	Access       string `json:"access"`
	Notes        string `json:"notes"`
	Arrival      string `json:"arrival"`
	Departure    string `json:"departure"`
	// Room is a hotel room for a walk-in; editing leaves lodging alone.
	Room string `json:"room,omitempty"`
}

// FieldError is a problem with one field of a Form.
type FieldError struct {
	Field     string `json:"field"` // the Form's JSON name, e.g. "phone"
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// InvalidError lists every problem of a Form; nothing was stored.
type InvalidError struct{ Fields []FieldError }

func (e *InvalidError) Error() string {
	return fmt.Sprintf("desk: %d invalid fields, first %s: %s", len(e.Fields), e.Fields[0].Field, e.Fields[0].MessageEn)
}

// The desk's refusals are apierr.Errors: the API answers them as they say.
var (
	_ apierr.Detailed = (*InvalidError)(nil)
	_ apierr.Detailed = (*DuplicateError)(nil)
)

// HTTPStatus implements apierr.Error: the form cannot be processed.
func (e *InvalidError) HTTPStatus() int { return http.StatusUnprocessableEntity }

// ErrorCode implements apierr.Error.
func (e *InvalidError) ErrorCode() string { return "invalid_fields" }

// Text implements apierr.Error with the first problem; the others are in
// the details.
func (e *InvalidError) Text() (zh, en string) {
	return "填写的内容有误：" + e.Fields[0].Message, "some fields are invalid: " + e.Fields[0].MessageEn
}

// ErrorDetails implements apierr.Detailed: every field's problem, for the
// form to mark each field.
func (e *InvalidError) ErrorDetails() any { return map[string]any{"fields": e.Fields} }

// HTTPStatus implements apierr.Error: the walk-in is on the list already.
func (e *DuplicateError) HTTPStatus() int { return http.StatusConflict }

// ErrorCode implements apierr.Error.
func (e *DuplicateError) ErrorCode() string { return "already_registered" }

// Text implements apierr.Error.
func (e *DuplicateError) Text() (zh, en string) {
	return "此人已在名单中，请直接查找", "this person is already on the list; look them up"
}

// ErrorDetails implements apierr.Detailed: whom to open instead.
func (e *DuplicateError) ErrorDetails() any { return map[string]any{"attendee_id": e.ID} }

// formOf is the form holding an attendee's current values.
func formOf(a store.Attendee) Form {
	return Form{Name: a.Name, Gender: a.Gender, Ethnicity: a.Ethnicity, Organization: a.Organization, Title: a.Title,
		Rank: a.Rank, Category: a.Category, Delegation: a.Delegation, Group: a.Group, Phone: a.Phone,
		IDNumber: a.IDNumber, Diet: a.Diet, Access: a.Access, Notes: a.Notes, Arrival: a.Arrival, Departure: a.Departure}
}

// columns are the header words the importer knows, with the Form field
// each one carries.
var columns = []struct {
	header, field string
	value         func(*Form) string
}{
	{"编号", "key", nil},
	{"姓名", "name", func(f *Form) string { return f.Name }},
	{"性别", "gender", func(f *Form) string { return f.Gender }},
	{"民族", "ethnicity", func(f *Form) string { return f.Ethnicity }},
	{"单位", "organization", func(f *Form) string { return f.Organization }},
	{"职务", "title", func(f *Form) string { return f.Title }},
	{"排序", "rank", func(f *Form) string {
		if f.Rank <= 0 {
			return ""
		}
		return strconv.Itoa(f.Rank)
	}},
	{"类别", "category", func(f *Form) string { return f.Category }},
	{"代表团", "delegation", func(f *Form) string { return f.Delegation }},
	{"分组", "group", func(f *Form) string { return f.Group }},
	{"手机", "phone", func(f *Form) string { return f.Phone }},
	{"身份证号", "id_number", func(f *Form) string { return f.IDNumber }},
	{"饮食", "diet", func(f *Form) string { return f.Diet }},
	{"无障碍", "access", func(f *Form) string { return f.Access }},
	{"备注", "notes", func(f *Form) string { return f.Notes }},
	{"抵达时间", "arrival", func(f *Form) string { return f.Arrival }},
	{"返程时间", "departure", func(f *Form) string { return f.Departure }},
	{"房号", "room", func(f *Form) string { return f.Room }},
}

// check runs the form through the importer's row check and answers the
// attendee as an import would store it. key is the attendee's key when
// editing ("" lets the importer derive one, as for a new row).
func check(f Form, key string, cat *store.Catalog) (domain.Attendee, error) {
	head := make([]string, len(columns))
	row := make([]string, len(columns))
	for i, c := range columns {
		head[i] = c.header
		if c.value != nil {
			row[i] = c.value(&f)
		} else {
			row[i] = key
		}
	}
	opts := importer.Options{}
	for _, k := range cat.Categories {
		opts.Categories = append(opts.Categories, k)
	}
	for _, v := range cat.Venues {
		if v.Kind == domain.VenueHotel {
			opts.HotelVenue = v.Code
			break
		}
	}
	res, err := importer.CheckRow(head, row, opts)
	if err != nil {
		return domain.Attendee{}, err
	}
	if !res.OK() || len(res.Rows) != 1 {
		bad := &InvalidError{}
		for _, is := range res.Errors {
			field := "name"
			if col := colIndex(is.Column); col >= 0 && col < len(columns) {
				field = columns[col].field
			}
			bad.Fields = append(bad.Fields, FieldError{Field: field, Code: is.Code, Message: is.Message, MessageEn: is.MessageEn})
		}
		if len(bad.Fields) == 0 {
			bad.Fields = []FieldError{{Field: "name", Code: "empty", Message: "没有可登记的内容", MessageEn: "nothing to register"}}
		}
		return domain.Attendee{}, bad
	}
	return res.Rows[0].Attendee, nil
}

// colIndex turns a column letter ("A", "K") into a zero-based index.
func colIndex(letter string) int {
	n := 0
	for _, r := range letter {
		if r < 'A' || r > 'Z' {
			return -1
		}
		n = n*26 + int(r-'A'+1)
	}
	return n - 1
}
