package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// formType is what `curl -d` says a body is, whatever it holds.
const formType = "application/x-www-form-urlencoded"

// answer is a reply as a test reads it: status, error code and details,
// and the body.
type answer struct {
	Status  int
	Code    string
	Details json.RawMessage
	Body    []byte
}

// curlSend makes a request to the server's root (path includes /api/v1 where
// it belongs) with body labelled contentType, the way curl sends it: an
// Authorization header when token is set, an Origin when origin is.
func curlSend(t *testing.T, srv *testkit.Server, method, path, token, contentType, body string, origin bool) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if origin {
		req.Header.Set("Origin", srv.URL)
	}
	req.Header.Set("User-Agent", "curl/8.5.0")
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct {
		Error struct {
			Code    string          `json:"code"`
			Details json.RawMessage `json:"details"`
		} `json:"error"`
	}
	_ = json.Unmarshal(b, &e)
	return answer{Status: resp.StatusCode, Code: e.Error.Code, Details: e.Error.Details, Body: b}
}

// withField adds "name": 1 to a JSON object.
func withField(body, name string) string {
	return strings.TrimSuffix(body, "}") + fmt.Sprintf(`,%q:1}`, name)
}

// TestJSONBodyWhateverContentType posts a JSON body labelled as a form (as
// `curl -d` labels it) to every endpoint that takes JSON, and expects it
// read as JSON: the request does what it asks. The same body with a field
// the endpoint does not know is refused first (400 unknown_field, naming
// it) and changes nothing.
func TestJSONBodyWhateverContentType(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	admin := testkit.AdminToken
	var seats []struct {
		Seat       string `json:"seat"`
		AttendeeID int64  `json:"attendee_id"`
	}
	if st := srv.Call("GET", "/sessions/opening/seats", admin, nil, &seats); st != 200 {
		t.Fatalf("seats: HTTP %d", st)
	}
	var taken []struct {
		seat string
		id   int64
	}
	for _, s := range seats {
		if s.AttendeeID != 0 && len(taken) < 3 {
			taken = append(taken, struct {
				seat string
				id   int64
			}{s.Seat, s.AttendeeID})
		}
	}
	if len(taken) < 3 {
		t.Fatalf("the demo's opening has %d seated people", len(taken))
	}
	var rules, venue json.RawMessage
	srv.Call("GET", "/sessions/opening/seating/rules", admin, nil, &rules)
	srv.Call("GET", "/venues/hall", admin, nil, &venue)

	// Values later steps need, filled in as the table runs.
	var devID, pairingCode, deviceToken, userID, claim, kioskCode string

	steps := []struct {
		name         string
		method, path string
		token        string
		origin       bool
		body         func() string
		status       int
		after        func(b []byte) // reads what later steps need, or checks the change
	}{
		{name: "create a device", method: "POST", path: "/api/v1/devices", token: admin, status: 201,
			body: func() string { return `{"name":"东门9号","kind":"kiosk","checkpoint":"hall-east"}` },
			after: func(b []byte) {
				var p struct {
					Code   string              `json:"pairing_code"`
					Device struct{ ID string } `json:"device"`
				}
				json.Unmarshal(b, &p)
				devID, pairingCode = p.Device.ID, p.Code
			}},
		{name: "pair with the desk's code", method: "POST", path: "/api/v1/pair", status: 200,
			body: func() string { return `{"code":"` + pairingCode + `"}` },
			after: func(b []byte) {
				var p struct{ Token string }
				json.Unmarshal(b, &p)
				deviceToken = p.Token
			}},
		{name: "move the device", method: "PATCH", path: "/api/v1/devices/{dev}", token: admin, status: 200,
			body: func() string { return `{"checkpoint":"dining1"}` },
			after: func(b []byte) {
				if !strings.Contains(string(b), `"checkpoint":"dining1"`) {
					t.Errorf("move the device answered %s", b)
				}
			}},
		{name: "rename the device", method: "PATCH", path: "/api/v1/devices/{dev}", token: admin, status: 200,
			body: func() string { return `{"name":"一号餐厅1号"}` }},
		{name: "heartbeat", method: "POST", path: "/api/v1/device/status", token: "{device}", status: 204,
			body: func() string { return `{"queued":3,"offline":false}` }},
		{name: "revoke the device", method: "POST", path: "/api/v1/devices/{dev}/revoke", token: admin, status: 204,
			body: func() string { return `{"reason":"设备丢失"}` }},
		{name: "kiosk asks for a code", method: "POST", path: "/kiosk/pair/request", status: 201,
			body: func() string { return `{}` },
			after: func(b []byte) {
				var p struct{ Code, Claim string }
				json.Unmarshal(b, &p)
				kioskCode, claim = p.Code, p.Claim
			}},
		{name: "kiosk polls before the claim", method: "POST", path: "/kiosk/pair/poll", status: 202,
			body: func() string { return `{"claim":"` + claim + `"}` }},
		{name: "desk claims the kiosk", method: "POST", path: "/api/v1/devices/claim", token: admin, status: 201,
			body: func() string {
				return `{"code":"` + kioskCode + `","name":"东门1号","kind":"kiosk","checkpoint":"hall-east"}`
			}},
		{name: "kiosk collects its token", method: "POST", path: "/kiosk/pair/poll", status: 200,
			body: func() string { return `{"claim":"` + claim + `"}` }},
		{name: "reissue a badge", method: "POST", path: "/api/v1/attendees/1/credential", token: admin, status: 200,
			body: func() string { return `{"reason":"证件遗失"}` }},
		{name: "per-person exception", method: "PUT", path: fmt.Sprintf("/api/v1/attendees/%d/exceptions", taken[2].id), token: admin, status: 200,
			body: func() string { return `{"kind":"session","ref":"opening","mode":"exclude","reason":"外出公务"}` }},
		{name: "hall layout preview", method: "POST", path: "/api/v1/event/layout", token: admin, status: 200,
			body: func() string {
				return `{"code":"h","name":"H","sections":[{"code":"A","rows":2,"seats":3,"numbering":"ltr"}]}`
			}},
		{name: "walk-in", method: "POST", path: "/api/v1/attendees", token: admin, status: 201,
			body: func() string { return `{"name":"王小明","category":"deputy","organization":"市工商局"}` }},
		{name: "seating rules", method: "PUT", path: "/api/v1/sessions/opening/seating/rules", token: admin, status: 200,
			body: func() string { return string(rules) }},
		{name: "pin a seat", method: "POST", path: "/api/v1/sessions/opening/seats/" + taken[0].seat + "/pin", token: admin, status: 200,
			body: func() string { return fmt.Sprintf(`{"attendee_id":%d}`, taken[0].id) }},
		{name: "swap two seats", method: "POST", path: "/api/v1/sessions/opening/seats/swap", token: admin, status: 200,
			body: func() string { return fmt.Sprintf(`{"a":%q,"b":%q}`, taken[0].seat, taken[1].seat) }},
		{name: "venue import", method: "POST", path: "/api/v1/venues", token: admin, status: 200,
			body: func() string { return string(venue) }},
		{name: "leave", method: "POST", path: "/api/v1/sessions/opening/leaves", token: admin, status: 201,
			body: func() string { return fmt.Sprintf(`{"attendee_id":%d,"reason":"病假"}`, taken[1].id) }},
		{name: "a scan", method: "POST", path: "/api/v1/checkins", token: admin, status: 200,
			body: func() string {
				return fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":"form-1"}`, testkit.CredentialOf(t, srv, 11))
			}},
		{name: "a batch of scans", method: "POST", path: "/api/v1/checkins/batch", token: admin, status: 200,
			body: func() string {
				return fmt.Sprintf(`{"scans":[{"token":%q,"checkpoint":"hall-east","scan_id":"form-2"}]}`, testkit.CredentialOf(t, srv, 12))
			}},
		{name: "create a staff account", method: "POST", path: "/api/v1/users", token: admin, status: 201,
			body: func() string {
				return `{"login":"wangf","name":"王芳","role":"desk","password":"长城-2026-desk"}`
			},
			after: func(b []byte) {
				var u struct{ ID int64 }
				json.Unmarshal(b, &u)
				userID = fmt.Sprint(u.ID)
			}},
		{name: "change a role", method: "PATCH", path: "/api/v1/users/{user}", token: admin, status: 200,
			body: func() string { return `{"role":"usher"}` },
			after: func(b []byte) {
				if !strings.Contains(string(b), `"role":"usher"`) {
					t.Errorf("change a role answered %s", b)
				}
			}},
		{name: "reset a password", method: "POST", path: "/api/v1/users/{user}/password", token: admin, status: 204,
			body: func() string { return `{"password":"黄河-2026-desk"}` }},
		{name: "sign in", method: "POST", path: "/login", origin: true, status: 200,
			body: func() string { return `{"login":"wangf","password":"黄河-2026-desk"}` }},
	}
	for _, s := range steps {
		path := strings.NewReplacer("{dev}", devID, "{user}", userID).Replace(s.path)
		token := strings.ReplaceAll(s.token, "{device}", deviceToken)
		body := s.body()
		// The same request with a field the endpoint does not know.
		if s.method != "POST" || s.path != "/kiosk/pair/request" {
			bad := curlSend(t, srv, s.method, path, token, formType, withField(body, "colour"), s.origin)
			if bad.Status != 400 || bad.Code != "unknown_field" || !strings.Contains(string(bad.Body), "colour") {
				t.Errorf("%s with an unknown field: HTTP %d %s, want 400 unknown_field naming it", s.name, bad.Status, bad.Body)
			}
		}
		got := curlSend(t, srv, s.method, path, token, formType, body, s.origin)
		if got.Status != s.status {
			t.Fatalf("%s (%s %s as a form): HTTP %d %s, want %d", s.name, s.method, path, got.Status, got.Body, s.status)
		}
		if s.after != nil {
			s.after(got.Body)
		}
	}
}

// TestNothingToChangeRefused: a PATCH that names no field the endpoint
// changes is refused, never answered 200 as if it had changed something.
func TestNothingToChangeRefused(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	id, _ := testkit.NewKiosk(t, srv, "东门3号", "hall-east")
	var u struct{ ID int64 }
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"login": "lina", "name": "李娜", "role": "desk", "password": "长城-2026-desk"}, &u); st != 201 {
		t.Fatalf("create account: HTTP %d", st)
	}
	for _, path := range []string{"/api/v1/devices/" + id, fmt.Sprintf("/api/v1/users/%d", u.ID)} {
		for _, body := range []string{`{}`, ``, `name=x`, `{"name":"x"} {"name":"y"}`} {
			got := curlSend(t, srv, "PATCH", path, testkit.AdminToken, "application/json", body, false)
			if got.Status != 400 {
				t.Errorf("PATCH %s %q: HTTP %d %s, want 400", path, body, got.Status, got.Body)
			}
		}
	}
}

// TestPollWithoutClaim: a poll that names no claim is a bad request, not
// an expired code (the kiosk would drop a code that is still good).
func TestPollWithoutClaim(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	for _, body := range []string{`{}`, ``, `claim=hwc_x`} {
		got := curlSend(t, srv, "POST", "/kiosk/pair/poll", "", formType, body, false)
		if got.Status != 400 {
			t.Errorf("poll %q: HTTP %d %s, want 400", body, got.Status, got.Body)
		}
	}
}
