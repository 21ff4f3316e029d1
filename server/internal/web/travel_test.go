package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"testing"

	"huiwu/server/internal/testkit"
)

type legView struct {
	ID         int64  `json:"id"`
	Mode       string `json:"mode"`
	Number     string `json:"number"`
	Station    string `json:"station"`
	Date       string `json:"date"`
	Time       string `json:"time"`
	Companions int    `json:"companions"`
	Ticket     string `json:"ticket"`
	TicketNo   string `json:"ticket_no"`
	Source     string `json:"source"`
	UpdatedAt  string `json:"updated_at"`
}

type travelView struct {
	Arrival   *legView `json:"arrival"`
	Departure *legView `json:"departure"`
	Stations  []struct {
		Name   string `json:"name"`
		NameEn string `json:"name_en"`
	} `json:"stations"`
}

type fieldsError struct {
	Error struct {
		Code    string `json:"code"`
		Details struct {
			Fields []struct {
				Field     string `json:"field"`
				Code      string `json:"code"`
				Message   string `json:"message"`
				MessageEn string `json:"message_en"`
			} `json:"fields"`
		} `json:"details"`
	} `json:"error"`
}

// TestTravelAPI (issue 12.1): the desk card reads an attendee's travel
// and changes it; every field's problem comes back at once, by field, in
// Chinese and English with a stable code, and nothing is stored then.
func TestTravelAPI(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	logistics := testkit.UserToken(t, srv, "logistics")
	var id int64
	srv.App.DB.ForTest().R.QueryRow(`SELECT attendee_id FROM travel_legs WHERE direction = 'arrival' AND mode = 'flight'
		AND attendee_id IN (SELECT attendee_id FROM travel_legs WHERE direction = 'departure' AND ticket = 'needed')
		ORDER BY attendee_id LIMIT 1`).Scan(&id)
	var tv travelView
	if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/travel", id), logistics, nil, &tv); st != 200 ||
		tv.Arrival == nil || tv.Arrival.Mode != "flight" || tv.Arrival.Station != "云州国际机场" || tv.Departure == nil ||
		tv.Departure.Ticket != "needed" || len(tv.Stations) != 2 || tv.Stations[0].NameEn == "" {
		t.Fatalf("GET travel: HTTP %d %+v %+v %+v", st, tv, tv.Arrival, tv.Departure)
	}
	before := tv.Arrival.ID
	year := srv.App.Engine.Catalog().Event.StartsOn[:4]

	put := map[string]any{"arrival": map[string]any{"mode": "train", "number": "g1234", "station": "云州南", "date": "3月5日",
		"time": "下午3点20", "companions": 2}}
	if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/travel", id), logistics, put, &tv); st != 200 {
		t.Fatalf("PUT travel: HTTP %d", st)
	}
	a := tv.Arrival
	if a == nil || a.ID != before || a.Mode != "train" || a.Number != "G1234" || a.Station != "云州南站" || a.Date != year+"-03-05" ||
		a.Time != "15:20" || a.Companions != 2 || a.Source != "desk" || tv.Departure == nil {
		t.Errorf("after PUT: %+v", a)
	}

	var bad fieldsError
	put = map[string]any{
		"arrival":   map[string]any{"mode": "flight", "number": "G12", "date": "2月30日", "time": "2点", "companions": 30, "ticket": "needed"},
		"departure": map[string]any{"time": "18:00", "ticket_no": "票"},
	}
	if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/travel", id), testkit.AdminToken, put, &bad); st != 422 || bad.Error.Code != "invalid_fields" {
		t.Fatalf("invalid PUT: HTTP %d %+v", st, bad)
	}
	got := map[string]string{}
	for _, f := range bad.Error.Details.Fields {
		got[f.Field] = f.Code
		if f.Message == "" || f.MessageEn == "" {
			t.Errorf("field %s without words: %+v", f.Field, f)
		}
	}
	for field, code := range map[string]string{"arrival.number": "travel_mode_conflict", "arrival.date": "travel_bad_date",
		"arrival.time": "travel_ambiguous_time", "arrival.companions": "travel_bad_companions", "arrival.ticket": "travel_ticket_on_arrival",
		"departure.time": "travel_time_without_date", "departure.ticket_no": "travel_bad_ticket_no"} {
		if got[field] != code {
			t.Errorf("%s: %q, want %q (all: %v)", field, got[field], code, got)
		}
	}
	srv.Call("GET", fmt.Sprintf("/attendees/%d/travel", id), logistics, nil, &tv)
	if tv.Arrival.Number != "G1234" {
		t.Errorf("an invalid PUT stored something: %+v", tv.Arrival)
	}

	// null clears a direction; a field the form does not have is refused.
	if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/travel", id), logistics, map[string]any{"departure": nil}, &tv); st != 200 ||
		tv.Departure != nil || tv.Arrival == nil {
		t.Errorf("clearing the departure: HTTP %d %+v", st, tv.Departure)
	}
	if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/travel", id), logistics, map[string]any{"arrival": map[string]any{"flight": "CA1"}}, nil); st != 400 {
		t.Errorf("an unknown field: HTTP %d", st)
	}
	if st := srv.Call("GET", "/attendees/999999/travel", logistics, nil, nil); st != 404 {
		t.Errorf("an unknown attendee: HTTP %d", st)
	}
}

// TestImportTravelThroughTheAPI: a list's travel columns, through POST
// /import: a station under another spelling is the demo's, a new one is
// named in a warning, a date without a year is in the event's year, and
// the same list again leaves the legs as they were.
func TestImportTravelThroughTheAPI(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	csv := "姓名,单位,类别,手机,抵达方式,抵达航班车次,抵达站点,抵达日期,抵达时间,随行人数,返程时间,是否代订,票号\n" +
		"行程甲,某局,嘉宾,13800138001,航班,CA1234,云州机场,3月5日,14:05,1,3月6日 CA1235 19:00,需代订,\n" +
		"行程乙,某厅,嘉宾,13800138002,,,,,3.5 D2345 9点半 江阳东站,,自行安排,,\n"
	upload := func() (int, map[string]any) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "名单.csv")
		fw.Write([]byte(csv))
		mw.Close()
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	st, out := upload()
	if st != 200 {
		t.Fatalf("import: HTTP %d %v", st, out)
	}
	var codes []string
	for _, w := range out["warnings"].([]any) {
		w := w.(map[string]any)
		codes = append(codes, fmt.Sprint(w["code"], "@", w["column"], w["row"]))
	}
	if !slices.Contains(codes, "travel_new_station@I3") || len(codes) != 1 {
		t.Errorf("warnings %v, want the new station 江阳东站 at I3 only", codes)
	}
	travel := func(name string) travelView {
		var id int64
		srv.App.DB.ForTest().R.QueryRow(`SELECT id FROM attendees WHERE name = ?`, name).Scan(&id)
		var tv travelView
		if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/travel", id), testkit.AdminToken, nil, &tv); st != 200 {
			t.Fatalf("travel of %s: HTTP %d", name, st)
		}
		return tv
	}
	jia, yi := travel("行程甲"), travel("行程乙")
	year := srv.App.Engine.Catalog().Event.StartsOn[:4]
	if a, d := jia.Arrival, jia.Departure; a == nil || a.Station != "云州国际机场" || a.Date != year+"-03-05" || a.Time != "14:05" ||
		a.Companions != 1 || d == nil || d.Number != "CA1235" || d.Ticket != "needed" || d.Companions != 1 {
		t.Errorf("行程甲: %+v %+v", a, d)
	}
	if a, d := yi.Arrival, yi.Departure; a == nil || a.Station != "江阳东站" || a.Time != "09:30" || d == nil || d.Ticket != "self" {
		t.Errorf("行程乙: %+v %+v", a, d)
	}
	if st, out = upload(); st != 200 {
		t.Fatalf("again: HTTP %d %v", st, out)
	}
	if again := travel("行程甲"); *again.Arrival != *jia.Arrival || *again.Departure != *jia.Departure {
		t.Errorf("the same list again changed the legs: %+v → %+v", jia.Arrival, again.Arrival)
	}
}
