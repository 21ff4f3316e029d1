package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/faces"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// fakeJPEG stands in for a stored photo: the handlers send the bytes as
// they are.
var fakeJPEG = []byte{0xff, 0xd8, 0xff, 0xe0, 'h', 'u', 'i', 'w', 'u', 0xff, 0xd9}

// withFace gives a person a photo, a recorded consent and a reference, as
// the desk would.
func withFace(t *testing.T, srv *testkit.Server, id int64) {
	t.Helper()
	ctx, db := context.Background(), srv.App.DB
	if err := db.PutPhotos(ctx, []store.PhotoPut{{Attendee: id, JPEG: fakeJPEG, Width: 600, Height: 800}}, "test", "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetFaceConsent(ctx, id, true, "test"); err != nil {
		t.Fatal(err)
	}
	ph, err := db.Photo(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	ref := make([]byte, faces.RefLen)
	ref[0] = 127
	if err := db.PutFaceRef(ctx, id, faces.Model, ref, ph.At, "test"); err != nil {
		t.Fatal(err)
	}
}

// raw makes an API request and answers the status, content type and body.
func raw(t *testing.T, srv *testkit.Server, method, path, token string, body any) (int, string, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, srv.URL+"/api/v1"+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func errorCode(b []byte) string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(b, &e)
	return e.Error.Code
}

// TestDeviceFaceSettings: a kiosk learns from GET /device whether the
// event verifies faces and what its checkpoint does: the demo's east door
// shows photos and checks faces in advise mode; its dining hall neither.
func TestDeviceFaceSettings(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	type self struct {
		Checkpoint struct {
			PhotoCheck bool   `json:"photo_check"`
			Face       string `json:"face"`
		} `json:"checkpoint"`
		Event struct {
			FaceVerification bool `json:"face_verification"`
		} `json:"event"`
	}
	for cp, want := range map[string][2]any{"hall-east": {true, "advise"}, "dining1": {false, "off"}} {
		_, tok := testkit.PairedKiosk(t, srv, cp)
		var got self
		if st := srv.Call("GET", "/device", tok, nil, &got); st != 200 {
			t.Fatalf("GET /device: HTTP %d", st)
		}
		if !got.Event.FaceVerification || got.Checkpoint.PhotoCheck != want[0] || got.Checkpoint.Face != want[1] {
			t.Errorf("%s: %+v, want photo_check %v face %v", cp, got, want[0], want[1])
		}
	}
}

// TestFaceAlertToUshers (issue 15.4): a face that does not match at the
// east door (advise) lets the person in, stores the check, and calls the
// ushers: the alert on the faces topic and in GET /faces/alerts with the
// person's photo while it is open; resolved, it closes and its photo goes.
// A face check that cannot be one is refused with a code; the desk cannot
// send one.
func TestFaceAlertToUshers(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	usher := userTokenFor(t, srv, "usher")
	who := testkit.Seated(t, srv, 1)[0][0].(int64)
	withFace(t, srv, who)

	u := strings.Replace(srv.URL, "http", "ws", 1) + "/ws?topics=faces"
	if c, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + kiosk}}); err == nil {
		c.Close()
		t.Error("a kiosk follows the faces topic")
	} else if resp == nil || resp.StatusCode != 403 {
		t.Errorf("a kiosk on the faces topic: %v %v", err, resp)
	}
	// Nor does a screen, the chair or logistics staff (issue 15.3: no
	// photo, and no alert, on their views).
	for _, role := range []string{"screen", "chair", "logistics"} {
		if c, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + userTokenFor(t, srv, role)}}); err == nil {
			c.Close()
			t.Errorf("%s follows the faces topic", role)
		} else if resp == nil || resp.StatusCode != 403 {
			t.Errorf("%s on the faces topic: %v %v", role, err, resp)
		}
	}
	ws, _, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + usher}})
	if err != nil {
		t.Fatalf("an usher on the faces topic: %v", err)
	}
	defer ws.Close()
	type message struct {
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	read := func() message {
		t.Helper()
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		var m message
		if err := ws.ReadJSON(&m); err != nil {
			t.Fatalf("faces topic: %v", err)
		}
		return m
	}
	if m := read(); m.Type != "snapshot" || !strings.Contains(string(m.Data), `"alerts":[]`) {
		t.Fatalf("snapshot %s %s", m.Type, m.Data)
	}

	tok := testkit.CredentialOf(t, srv, who)
	for _, bad := range []map[string]any{
		{"result": "maybe", "distance": 0.3},
		{"result": "fail", "distance": 3},
		{"result": "fail"},
		{"result": "noface", "distance": 0.1},
	} {
		st, _, b := raw(t, srv, "POST", "/checkins", kiosk, map[string]any{"token": tok, "scan_id": "bad", "face": bad})
		if st != 400 || errorCode(b) != "face_invalid" {
			t.Errorf("face %v: HTTP %d %s", bad, st, b)
		}
	}
	if st, _, b := raw(t, srv, "POST", "/checkins", testkit.AdminToken, map[string]any{"token": tok, "checkpoint": "hall-east",
		"scan_id": "desk-1", "face": map[string]any{"result": "pass", "distance": 0.1}}); st != 400 || errorCode(b) != "face_not_kiosk" {
		t.Errorf("the desk sent a face check: HTTP %d %s", st, b)
	}

	var res struct {
		Status string `json:"status"`
		Face   struct {
			Result  string `json:"result"`
			Refused bool   `json:"refused"`
		} `json:"face"`
	}
	if st := srv.Call("POST", "/checkins", kiosk, map[string]any{"token": tok, "scan_id": "face-1",
		"face": map[string]any{"result": "fail", "distance": 0.58}}, &res); st != 200 || res.Status != "ok" || res.Face.Result != "fail" || res.Face.Refused {
		t.Fatalf("advise, mismatch: HTTP %d %+v", st, res)
	}
	m := read()
	var live struct {
		ID       int64  `json:"id"`
		Attendee int64  `json:"attendee_id"`
		Name     string `json:"name"`
		Result   string `json:"result"`
		Door     string `json:"door"`
		Device   string `json:"device_name"`
		PhotoURL string `json:"photo_url"`
	}
	if err := json.Unmarshal(m.Data, &live); err != nil || m.Type != "delta" || live.Attendee != who || live.Result != "fail" ||
		live.Door != "东门" || live.Device == "" || live.Name == "" || live.PhotoURL == "" {
		t.Fatalf("alert %s %s", m.Type, m.Data)
	}
	if strings.Contains(string(m.Data), "distance") || strings.Contains(string(m.Data), "vector") {
		t.Errorf("the alert carries more than it needs: %s", m.Data)
	}

	var list struct {
		Items []struct {
			ID       int64  `json:"id"`
			PhotoURL string `json:"photo_url"`
		} `json:"items"`
	}
	if st := srv.Call("GET", "/faces/alerts", usher, nil, &list); st != 200 || len(list.Items) != 1 || list.Items[0].ID != live.ID {
		t.Fatalf("alerts: HTTP %d %+v", st, list)
	}
	photo := strings.TrimPrefix(list.Items[0].PhotoURL, "/api/v1")
	if st, ctype, b := raw(t, srv, "GET", photo, usher, nil); st != 200 || ctype != "image/jpeg" || !bytes.Equal(b, fakeJPEG) {
		t.Fatalf("alert photo: HTTP %d %s", st, ctype)
	}
	if st, _, _ := raw(t, srv, "GET", photo, kiosk, nil); st != 403 {
		t.Errorf("a kiosk fetched an alert's photo: HTTP %d", st)
	}
	if st := srv.Call("POST", fmt.Sprintf("/faces/alerts/%d/resolve", live.ID), usher, nil, nil); st != 200 {
		t.Fatalf("resolve: HTTP %d", st)
	}
	if m := read(); !strings.Contains(string(m.Data), `"resolved_at"`) || strings.Contains(string(m.Data), "photo_url") {
		t.Errorf("resolved alert on the topic: %s", m.Data)
	}
	if st, _, b := raw(t, srv, "GET", photo, usher, nil); st != 404 || errorCode(b) != "no_open_alert" {
		t.Errorf("photo of a resolved alert: HTTP %d %s", st, b)
	}
	if st := srv.Call("POST", fmt.Sprintf("/faces/alerts/%d/resolve", live.ID), usher, nil, nil); st != 404 {
		t.Errorf("resolved twice: HTTP %d", st)
	}
	if st := srv.Call("GET", "/faces/alerts", usher, nil, &list); st != 200 || len(list.Items) != 0 {
		t.Errorf("after resolving: %+v", list)
	}
}

// TestGlanceCheckPhotos (issue 15.3): a kiosk at a photo-check checkpoint
// gets the photo of the badge it read, and no other kiosk does; an usher
// sees the photos of the last scans at the photo-check doors of a venue
// and of no other scan.
func TestGlanceCheckPhotos(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	_, east := testkit.PairedKiosk(t, srv, "hall-east")
	_, west := testkit.PairedKiosk(t, srv, "hall-west")
	_, dining := testkit.PairedKiosk(t, srv, "dining1")
	usher := userTokenFor(t, srv, "usher")
	people := testkit.Seated(t, srv, 2)
	who, other := people[0][0].(int64), people[1][0].(int64)
	withFace(t, srv, who)
	tok := testkit.CredentialOf(t, srv, who)

	if st, ctype, b := raw(t, srv, "POST", "/kiosk/photo", east, map[string]string{"token": tok}); st != 200 || ctype != "image/jpeg" || !bytes.Equal(b, fakeJPEG) {
		t.Fatalf("glance photo: HTTP %d %s", st, ctype)
	}
	for _, tc := range []struct {
		name, kiosk, token string
		status             int
		code               string
	}{
		{"no photo check here", dining, tok, 403, "photo_check_off"},
		{"no photo check at the west door", west, tok, 403, "photo_check_off"},
		{"not a badge", east, "https://example.com/", 403, "badge_invalid"},
		{"no photo", east, testkit.CredentialOf(t, srv, other), 404, "no_photo"},
		{"the usher is no kiosk", usher, tok, 403, "forbidden"},
	} {
		if st, _, b := raw(t, srv, "POST", "/kiosk/photo", tc.kiosk, map[string]string{"token": tc.token}); st != tc.status || errorCode(b) != tc.code {
			t.Errorf("%s: HTTP %d %s, want %d %s", tc.name, st, b, tc.status, tc.code)
		}
	}

	// Scans at the east door (photo check) and the west door (none).
	srv.Call("POST", "/checkins", west, map[string]any{"token": testkit.CredentialOf(t, srv, other), "scan_id": "w-1"}, nil)
	srv.Call("POST", "/checkins", east, map[string]any{"token": tok, "scan_id": "e-1"}, nil)
	var recent struct {
		Items []struct {
			ID         int64  `json:"id"`
			Attendee   int64  `json:"attendee_id"`
			Checkpoint string `json:"checkpoint"`
			PhotoURL   string `json:"photo_url"`
		} `json:"items"`
	}
	if st := srv.Call("GET", "/usher/recent?venue=hall", usher, nil, &recent); st != 200 || len(recent.Items) != 1 ||
		recent.Items[0].Attendee != who || recent.Items[0].Checkpoint != "hall-east" || recent.Items[0].PhotoURL == "" {
		t.Fatalf("recent: HTTP %d %+v", st, recent)
	}
	photo := strings.TrimPrefix(recent.Items[0].PhotoURL, "/api/v1")
	if st, ctype, _ := raw(t, srv, "GET", photo, usher, nil); st != 200 || ctype != "image/jpeg" {
		t.Fatalf("recent photo: HTTP %d %s", st, ctype)
	}
	if st, _, _ := raw(t, srv, "GET", photo, east, nil); st != 403 {
		t.Errorf("a kiosk fetched a recent scan's photo: HTTP %d", st)
	}
	older := fmt.Sprintf("/usher/recent/%d/photo.jpg?venue=hall", recent.Items[0].ID-1)
	if st, _, b := raw(t, srv, "GET", older, usher, nil); st != 404 || errorCode(b) != "not_recent" {
		t.Errorf("a scan not at a photo-check door: HTTP %d %s", st, b)
	}
	// Ten more scans push it out of the recent ones.
	for i := range recentCount {
		srv.Call("POST", "/checkins", east, map[string]any{"token": testkit.CredentialOf(t, srv, other), "scan_id": fmt.Sprint("e-more-", i)}, nil)
	}
	if st, _, b := raw(t, srv, "GET", photo, usher, nil); st != 404 || errorCode(b) != "not_recent" {
		t.Errorf("an old scan's photo: HTTP %d %s", st, b)
	}
	if st := srv.Call("GET", "/usher/recent?venue=nowhere", usher, nil, nil); st != 404 {
		t.Errorf("unknown venue: HTTP %d", st)
	}
}

// glancePhotoRoutes are the photo routes of the glance check and the face
// alerts: a kiosk at a photo-check door, or an usher, may read them (the
// other photo routes are the desk's alone: TestPhotoRoutesDeskOnly).
var glancePhotoRoutes = map[string]bool{
	"POST /api/v1/kiosk/photo":               true,
	"GET /api/v1/faces/alerts/:id/photo.jpg": true,
	"GET /api/v1/usher/recent/:id/photo.jpg": true,
}

// TestGlanceRoutesRoles: every glance and face-alert route refuses a
// screen, the chair and logistics staff; the ushers' routes refuse a
// kiosk, and the kiosk's photo refuses an usher. The photo routes among
// them are exactly glancePhotoRoutes.
func TestGlanceRoutesRoles(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	usher := userTokenFor(t, srv, "usher")
	others := map[string]string{"screen": userTokenFor(t, srv, "screen"), "chair": userTokenFor(t, srv, "chair"),
		"logistics": userTokenFor(t, srv, "logistics")}
	routes := map[string]string{ // route → the role, beside the desk, it is for
		"POST /kiosk/photo": "kiosk", "GET /faces/alerts": "usher", "GET /faces/alerts/1/photo.jpg": "usher",
		"POST /faces/alerts/1/resolve": "usher", "GET /usher/recent?venue=hall": "usher", "GET /usher/recent/1/photo.jpg?venue=hall": "usher",
	}
	for r, role := range routes {
		method, path, _ := strings.Cut(r, " ")
		refused := map[string]string{"kiosk": kiosk, "usher": usher}
		delete(refused, role)
		for name, tok := range others {
			refused[name] = tok
		}
		for name, tok := range refused {
			if st := srv.Call(method, path, tok, map[string]any{}, nil); st != 403 {
				t.Errorf("%s as %s: HTTP %d, want 403", r, name, st)
			}
		}
	}
	n := 0
	for _, r := range srv.App.HTTP.GetRoutes(true) {
		if glancePhotoRoutes[r.Method+" "+r.Path] {
			n++
		}
	}
	if n != len(glancePhotoRoutes) {
		t.Errorf("%d of the %d glance photo routes are mounted", n, len(glancePhotoRoutes))
	}
}

// recentCount is how many scans back an usher may glance (web's recentScans).
const recentCount = 10
