package eventdef_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
)

var now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func TestSmallIsValid(t *testing.T) {
	if errs := eventdef.Validate(example.Small(now)); len(errs) > 0 {
		t.Fatal(errs)
	}
}

// TestValidationNamesEveryError breaks a valid definition one way at a
// time and expects exactly that error, at that path, with words in both
// languages.
func TestValidationNamesEveryError(t *testing.T) {
	for _, tc := range []struct {
		name, path, code string
		breakIt          func(d *eventdef.Definition)
	}{
		{"unknown venue", "sessions[1].venue", eventdef.CodeUnknownVenue, func(d *eventdef.Definition) { d.Sessions[1].Venue = "room9" }},
		{"unknown category in a rule", "sessions[0].expected.categories[1]", eventdef.CodeUnknownCategory,
			func(d *eventdef.Definition) { d.Sessions[0].Expected.Categories[1] = "alien" }},
		{"unknown category in a meal hall", "meals[0].halls[0].categories[0]", eventdef.CodeUnknownCategory,
			func(d *eventdef.Definition) { d.Meals[0].Halls[0].Categories = []string{"x"} }},
		{"unknown quorum category", "sessions[0].quorum.categories[0]", eventdef.CodeUnknownCategory,
			func(d *eventdef.Definition) {
				d.Sessions[0].Quorum = &eventdef.Quorum{Base: "members", Ratio: "1/2", Categories: []string{"x"}}
			}},
		{"duplicate session", "sessions[1].id", eventdef.CodeDuplicate, func(d *eventdef.Definition) { d.Sessions[1].ID = d.Sessions[0].ID }},
		{"duplicate venue", "venues[4].code", eventdef.CodeDuplicate, func(d *eventdef.Definition) { d.Venues = append(d.Venues, d.Venues[1]) }},
		{"duplicate category", "categories[2].code", eventdef.CodeDuplicate, func(d *eventdef.Definition) { d.Categories[2].Code = "deputy" }},
		{"duplicate checkpoint", "checkpoints[2].id", eventdef.CodeDuplicate, func(d *eventdef.Definition) { d.Checkpoints[2].ID = "canteen" }},
		{"duplicate meal", "meals[1].id", eventdef.CodeDuplicate, func(d *eventdef.Definition) { d.Meals = append(d.Meals, d.Meals[0]) }},
		{"duplicate seat", "venues[0].seats[1].seat", eventdef.CodeDuplicate, func(d *eventdef.Definition) {
			d.Venues[0].Seats = []eventdef.Seat{{Label: "X-1", Section: "X"}, {Label: "X-1", Section: "X"}}
		}},
		{"starts before opens", "sessions[0].starts_at", eventdef.CodeWindowOrder, func(d *eventdef.Definition) {
			d.Sessions[0].StartsAt = d.Sessions[0].OpensAt
			d.Sessions[0].OpensAt = d.Sessions[0].EndsAt
		}},
		{"closes before ends", "sessions[1].closes_at", eventdef.CodeWindowOrder, func(d *eventdef.Definition) { d.Sessions[1].ClosesAt = d.Sessions[1].StartsAt }},
		{"meal closes when it opens", "meals[0].closes_at", eventdef.CodeWindowOrder, func(d *eventdef.Definition) { d.Meals[0].ClosesAt = d.Meals[0].OpensAt }},
		{"meal checkpoint in a hall", "checkpoints[1].venue", eventdef.CodeNotDiningHall, func(d *eventdef.Definition) { d.Checkpoints[1].Venue = "hall"; d.Checkpoints[1].Door = "" }},
		{"meal served in a meeting room", "meals[0].halls[0].venue", eventdef.CodeNotDiningHall, func(d *eventdef.Definition) { d.Meals[0].Halls[0].Venue = "room1" }},
		{"plenary in a room without seats", "sessions[0].venue", eventdef.CodeNoSeats, func(d *eventdef.Definition) { d.Sessions[0].Venue = "room1" }},
		{"plenary in a hall without seats", "sessions[0].venue", eventdef.CodeNoSeats, func(d *eventdef.Definition) { d.Venues[0].Presidium, d.Venues[0].Sections = nil, nil }},
		{"banquet without tables", "sessions[1].venue", eventdef.CodeNoSeats, func(d *eventdef.Definition) {
			d.Sessions[1].Kind, d.Sessions[1].Venue = eventdef.SessionBanquet, "canteen"
			d.Venues[2].Tables = nil
			d.Meals[0].Halls[0].Venue = "canteen"
		}},
		{"session in the hotel", "sessions[1].venue", eventdef.CodeWrongVenueKind, func(d *eventdef.Definition) { d.Sessions[1].Venue = "hotel" }},
		{"lodging desk in a hall", "checkpoints[2].venue", eventdef.CodeWrongVenueKind, func(d *eventdef.Definition) { d.Checkpoints[2].Venue = "hall"; d.Checkpoints[2].Door = "" }},
		{"time without an offset", "sessions[0].opens_at", eventdef.CodeNoOffset, func(d *eventdef.Definition) { d.Sessions[0].OpensAt = "2026-12-01T08:00:00" }},
		{"time in words", "meals[0].opens_at", eventdef.CodeBadTime, func(d *eventdef.Definition) { d.Meals[0].OpensAt = "noon" }},
		{"missing time", "sessions[1].ends_at", eventdef.CodeRequired, func(d *eventdef.Definition) { d.Sessions[1].EndsAt = "" }},
		{"unknown timezone", "event.timezone", eventdef.CodeBadTimezone, func(d *eventdef.Definition) { d.Event.Timezone = "Asia/Beijing" }},
		{"bad date", "event.starts_on", eventdef.CodeBadDate, func(d *eventdef.Definition) { d.Event.StartsOn = "2026-13-01" }},
		{"bad event id", "event.id", eventdef.CodeBadCode, func(d *eventdef.Definition) { d.Event.ID = "会议 2026" }},
		{"no name", "venues[2].name", eventdef.CodeRequired, func(d *eventdef.Definition) { d.Venues[2].Name = " " }},
		{"bad venue kind", "venues[1].kind", eventdef.CodeBadValue, func(d *eventdef.Definition) { d.Venues[1].Kind = "stadium" }},
		{"bad colour", "categories[0].color", eventdef.CodeBadValue, func(d *eventdef.Definition) { d.Categories[0].Color = "red" }},
		{"bad ratio", "sessions[0].quorum.ratio", eventdef.CodeBadValue, func(d *eventdef.Definition) { d.Sessions[0].Quorum = &eventdef.Quorum{Base: "members", Ratio: "3/2"} }},
		{"bad absent rule", "sessions[1].absent_from", eventdef.CodeBadValue, func(d *eventdef.Definition) { d.Sessions[1].AbsentFrom = "end" }},
		{"bad presidium rule", "sessions[0].presidium.rule", eventdef.CodeBadValue, func(d *eventdef.Definition) {
			d.Sessions[0].Presidium = &eventdef.Presidium{Rule: "even", Honour: "left"}
		}},
		{"unknown door", "checkpoints[0].door", eventdef.CodeUnknownDoor, func(d *eventdef.Definition) { d.Checkpoints[0].Door = "北门" }},
		{"section door unknown", "venues[0].sections[0].door", eventdef.CodeUnknownDoor, func(d *eventdef.Definition) { d.Venues[0].Sections[0].Door = "南门" }},
		{"section with no rows", "venues[0].sections[0].rows", eventdef.CodeBadValue, func(d *eventdef.Definition) { d.Venues[0].Sections[0].Rows = 0 }},
		{"bad numbering", "venues[0].sections[0].numbering", eventdef.CodeBadValue, func(d *eventdef.Definition) { d.Venues[0].Sections[0].Numbering = "odd" }},
		{"tables in a hall", "venues[0].tables", eventdef.CodeWrongVenueKind, func(d *eventdef.Definition) { d.Venues[0].Tables = []eventdef.Table{{Number: 1, Seats: 8}} }},
		{"checkpoint for an unknown session", "checkpoints[0].session", eventdef.CodeUnknownSession, func(d *eventdef.Definition) { d.Checkpoints[0].Session = "closing" }},
		{"checkpoint for a session elsewhere", "checkpoints[0].session", eventdef.CodeWrongVenue, func(d *eventdef.Definition) { d.Checkpoints[0].Session = "group" }},
		{"checkpoint for an unknown meal", "checkpoints[1].meal", eventdef.CodeUnknownMeal, func(d *eventdef.Definition) { d.Checkpoints[1].Meal = "dinner" }},
		{"too many seats", "venues[0].seats", eventdef.CodeTooMany, func(d *eventdef.Definition) {
			d.Venues[0].Sections = append(d.Venues[0].Sections, eventdef.Section{Code: "B", Rows: 500, Seats: 500, Numbering: "ltr"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := example.Small(now)
			tc.breakIt(&d)
			errs := eventdef.Validate(d)
			i := slices.IndexFunc(errs, func(e eventdef.Error) bool { return e.Path == tc.path && e.Code == tc.code })
			if i < 0 {
				t.Fatalf("want %s at %s, got %v", tc.code, tc.path, errs)
			}
			if errs[i].Message.Zh == "" || errs[i].Message.En == "" {
				t.Errorf("%s: message not in both languages: %+v", tc.path, errs[i].Message)
			}
			if len(errs) != 1 {
				t.Errorf("one fault gave %d errors: %v", len(errs), errs)
			}
		})
	}
}

func TestParseKnowsWhichPartsWereGiven(t *testing.T) {
	_, given, err := eventdef.Parse([]byte(`{"sessions":[],"checkpoints":[{"id":"x"}]}`))
	if err != nil || !given["sessions"] || !given["checkpoints"] || given["venues"] || given["event"] {
		t.Fatalf("given %v, err %v", given, err)
	}
	if _, _, err := eventdef.Parse([]byte(`{"sesions":[]}`)); err == nil {
		t.Error("a misspelt part was accepted")
	}
	_, _, err = eventdef.Parse([]byte(`{"sessions":[{"id":5}]}`))
	var errs eventdef.Errors
	if err == nil || !asErrors(err, &errs) || errs[0].Code != eventdef.CodeSyntax || errs[0].Path != "sessions.id" {
		t.Errorf("a number for an id: %v", err)
	}
}

func asErrors(err error, out *eventdef.Errors) bool {
	e, ok := err.(eventdef.Errors)
	*out = e
	return ok
}

// TestParseRefusesUnknownFields: a misspelt field anywhere — a part, a
// session's time, a quorum's ratio, a meal hall's list — is refused with
// its path, so that a PUT never answers 200 having changed nothing.
func TestParseRefusesUnknownFields(t *testing.T) {
	for _, tc := range []struct{ body, path, field string }{
		{`{"sesions":[]}`, "sesions", "sesions"},
		{`{"event":{"id":"e","nmae":"x"}}`, "event.nmae", "nmae"},
		{`{"sessions":[{"id":"a"},{"id":"b","open_at":"2026-12-01T08:00:00+08:00"}]}`, "sessions[1].open_at", "open_at"},
		{`{"sessions":[{"id":"a","quorum":{"base":"members","ration":"1/2"}}]}`, "sessions[0].quorum.ration", "ration"},
		{`{"venues":[{"code":"h","sections":[{"code":"A","row":5}]}]}`, "venues[0].sections[0].row", "row"},
		{`{"meals":[{"id":"m","halls":[{"venue":"c","category":["x"]}]}]}`, "meals[0].halls[0].category", "category"},
		{`{"checkpoints":[{"id":"c","venue":"h","sesion":"s"}]}`, "checkpoints[0].sesion", "sesion"},
	} {
		_, _, err := eventdef.Parse([]byte(tc.body))
		var errs eventdef.Errors
		if err == nil || !asErrors(err, &errs) || len(errs) != 1 {
			t.Errorf("%s: %v", tc.body, err)
			continue
		}
		e := errs[0]
		if e.Path != tc.path || e.Code != eventdef.CodeUnknownField {
			t.Errorf("%s: %s at %q, want %s at %q", tc.body, e.Code, e.Path, eventdef.CodeUnknownField, tc.path)
		}
		if !strings.Contains(e.Message.Zh, tc.field) || !strings.Contains(e.Message.En, tc.field) {
			t.Errorf("%s: the message does not name %q: %+v", tc.body, tc.field, e.Message)
		}
	}
	// The message says which field was probably meant.
	_, _, err := eventdef.Parse([]byte(`{"sessions":[{"id":"a","open_at":"x"}]}`))
	if errs, _ := err.(eventdef.Errors); len(errs) != 1 || !strings.Contains(errs[0].Message.Zh, "opens_at") || !strings.Contains(errs[0].Message.En, "did you mean \"opens_at\"") {
		t.Errorf("no suggestion: %v", err)
	}
	// Fields named in another case are what the decoder fills: not unknown.
	if _, _, err := eventdef.Parse([]byte(`{"sessions":[{"ID":"a","Opens_At":"x"}]}`)); err != nil {
		t.Errorf("a field in another case: %v", err)
	}
	// A stored definition parses back whole.
	b, _ := json.Marshal(example.Small(now))
	if _, given, err := eventdef.Parse(b); err != nil || len(given) != len(eventdef.Parts) {
		t.Errorf("the example: given %v, err %v", given, err)
	}
}

// TestAbsentFrom: a session's 缺席 rule defaults to the start, "close" is
// kept, and a change of it is said in words.
func TestAbsentFrom(t *testing.T) {
	d := example.Small(now)
	d.Sessions[1].AbsentFrom = eventdef.AbsentFromClose
	if errs := eventdef.Validate(d); len(errs) > 0 {
		t.Fatal(errs)
	}
	eventdef.Normalize(&d)
	if d.Sessions[0].AbsentFrom != eventdef.AbsentFromStart || d.Sessions[1].AbsentFrom != eventdef.AbsentFromClose {
		t.Errorf("normalised: %q, %q", d.Sessions[0].AbsentFrom, d.Sessions[1].AbsentFrom)
	}
	next := d
	next.Sessions = slices.Clone(d.Sessions)
	next.Sessions[0].AbsentFrom = eventdef.AbsentFromClose
	r := eventdef.Diff(d, next)
	if len(r.Changes) != 1 || !slices.Equal(r.Changes[0].Fields, []string{"absent_from"}) {
		t.Fatalf("changes %+v", r.Changes)
	}
	w := r.Changes[0].Words
	if !strings.Contains(w.Zh, "缺席起算 开始 → 关门") || !strings.Contains(w.En, "absent from the start → the close") {
		t.Errorf("in words: %+v", w)
	}
}
