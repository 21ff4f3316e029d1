package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/faces"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// testFaceRef is a reference as face.js sends it, for a direction drawn
// from seed; moved is the same face moved by a little.
func testFaceRef(seed uint64, moved float64) []byte {
	r := rand.New(rand.NewPCG(seed, 3))
	v := make([]float64, faces.RefLen)
	for i := range v {
		v[i] = r.NormFloat64()
	}
	if moved > 0 {
		m := rand.New(rand.NewPCG(seed+1000, 4))
		for i := range v {
			v[i] += moved * m.NormFloat64()
		}
	}
	var n float64
	for _, x := range v {
		n += x * x
	}
	out := make([]byte, faces.RefLen)
	for i := range v {
		out[i] = byte(int8(math.Round(127 * v[i] / math.Sqrt(n))))
	}
	return out
}

// facePerson gives attendee number i of the list (in list order) a
// stored photo, and answers their id and the photo's time.
func facePerson(t *testing.T, srv *testkit.Server, i int, mark string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	ps, err := srv.App.DB.PhotoPeople(ctx)
	if err != nil || len(ps) <= i {
		t.Fatal(err)
	}
	jpg := append([]byte("\xff\xd8\xff\xe0"), []byte(strings.Repeat(mark, 40))...)
	if err := srv.App.DB.PutPhotos(ctx, []store.PhotoPut{{Attendee: ps[i].ID, JPEG: append(jpg, 0xff, 0xd9), Width: 600, Height: 800}}, "测试", "test"); err != nil {
		t.Fatal(err)
	}
	p, err := srv.App.DB.Photo(ctx, ps[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	return ps[i].ID, store.FormatTime(p.At)
}

// TestFaceAPI (issue 15.5–15.6): the desk records consent, computes the
// pending references, finds a person by their face among the five most
// similar, and deletes on request; every refusal has its code.
func TestFaceAPI(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	a, aAt := facePerson(t, srv, 0, "a")
	b, bAt := facePerson(t, srv, 1, "b")
	path := func(id int64, what string) string { return fmt.Sprintf("/attendees/%d/%s", id, what) }
	var e apiErr

	if st := srv.Call("PUT", path(a, "consent"), testkit.AdminToken, map[string]any{}, &e); st != 400 || e.Error.Code != "face_consent_missing" {
		t.Fatalf("consent without an answer: HTTP %d %s", st, e.Error.Code)
	}
	if st := srv.Call("PUT", path(999999, "consent"), testkit.AdminToken, map[string]any{"face": true}, nil); st != 404 {
		t.Fatalf("consent of nobody: HTTP %d", st)
	}
	var c struct {
		Face *bool  `json:"face"`
		By   string `json:"by"`
		At   string `json:"at"`
	}
	if st := srv.Call("PUT", path(a, "consent"), testkit.AdminToken, map[string]any{"face": true}, &c); st != 200 || c.Face == nil || !*c.Face || c.By == "" || c.At == "" {
		t.Fatalf("consent: HTTP %d %+v", st, c)
	}
	srv.Call("PUT", path(b, "consent"), testkit.AdminToken, map[string]any{"face": true}, nil)

	var pending struct {
		Items []struct {
			ID      int64  `json:"id"`
			PhotoAt string `json:"photo_at"`
		} `json:"items"`
	}
	if st := srv.Call("GET", "/faces/pending?model="+faces.Model, testkit.AdminToken, nil, &pending); st != 200 || len(pending.Items) != 2 ||
		pending.Items[0].ID != a || pending.Items[0].PhotoAt != aAt {
		t.Fatalf("pending: HTTP %d %+v, want %d at %s first", st, pending, a, aAt)
	}
	ref := func(id int64, seed uint64, at string) map[string]any {
		return map[string]any{"model": faces.Model, "ref": faces.EncodeRef(testFaceRef(seed, 0)), "photo_at": at}
	}
	bad := ref(a, 1, aAt)
	bad["ref"] = base64.StdEncoding.EncodeToString(make([]byte, faces.RefLen))
	if st := srv.Call("PUT", path(a, "face"), testkit.AdminToken, bad, &e); st != 400 || e.Error.Code != "face_ref_invalid" {
		t.Errorf("a zero reference: HTTP %d %s", st, e.Error.Code)
	}
	bad["ref"] = strings.Repeat("A", 4000)
	if st := srv.Call("PUT", path(a, "face"), testkit.AdminToken, bad, &e); st != 400 || e.Error.Code != "face_ref_invalid" {
		t.Errorf("a long reference: HTTP %d %s", st, e.Error.Code)
	}
	if st := srv.Call("PUT", path(a, "face"), testkit.AdminToken, ref(a, 1, bAt), &e); st != 409 || e.Error.Code != "face_photo_changed" {
		t.Errorf("another photo's time: HTTP %d %s", st, e.Error.Code)
	}
	other := ref(a, 1, aAt)
	other["model"] = "bad model!"
	if st := srv.Call("PUT", path(a, "face"), testkit.AdminToken, other, &e); st != 400 || e.Error.Code != "face_model_invalid" {
		t.Errorf("a bad model name: HTTP %d %s", st, e.Error.Code)
	}
	if st := srv.Call("PUT", path(a, "face"), testkit.AdminToken, ref(a, 1, aAt), nil); st != 204 {
		t.Fatalf("reference of a: HTTP %d", st)
	}
	if st := srv.Call("PUT", path(b, "face"), testkit.AdminToken, ref(b, 2, bAt), nil); st != 204 {
		t.Fatalf("reference of b: HTTP %d", st)
	}
	srv.Call("PUT", path(b, "consent"), testkit.AdminToken, map[string]any{"face": false}, nil)
	if st := srv.Call("PUT", path(b, "face"), testkit.AdminToken, ref(b, 2, bAt), &e); st != 409 || e.Error.Code != "face_no_consent" {
		t.Errorf("after b withdrew: HTTP %d %s", st, e.Error.Code)
	}
	if st := srv.Call("GET", "/faces/pending", testkit.AdminToken, nil, &pending); st != 200 || len(pending.Items) != 0 {
		t.Errorf("pending after: %+v", pending)
	}

	// The card says what is stored, never the data.
	var card struct {
		Photo bool `json:"photo"`
		Face  struct {
			Consent *bool  `json:"consent"`
			By      string `json:"by"`
			At      string `json:"at"`
			Ref     bool   `json:"ref"`
		} `json:"face"`
	}
	if st := srv.Call("GET", path(a, "card"), testkit.AdminToken, nil, &card); st != 200 || !card.Photo || card.Face.Consent == nil ||
		!*card.Face.Consent || card.Face.By == "" || card.Face.At == "" || !card.Face.Ref {
		t.Errorf("a's card: HTTP %d %+v", st, card)
	}
	nobody, _ := srv.App.DB.PhotoPeople(context.Background())
	card.Face.Consent, card.Photo = new(bool), true
	if st := srv.Call("GET", path(nobody[5].ID, "card"), testkit.AdminToken, nil, &card); st != 200 || card.Photo || card.Face.Consent != nil || card.Face.Ref {
		t.Errorf("an unasked person's card: %+v", card)
	}

	// 忘带证件: a's face, taken again, finds a first; b withdrew, so is not
	// among the matches at all.
	var found struct {
		Matches []struct {
			ID           int64   `json:"id"`
			Name         string  `json:"name"`
			Organization string  `json:"organization"`
			Delegation   string  `json:"delegation"`
			Category     string  `json:"category"`
			Distance     float64 `json:"distance"`
		} `json:"matches"`
	}
	q := faces.EncodeRef(testFaceRef(1, 0.3))
	if st := srv.Call("POST", "/faces/search", testkit.AdminToken, map[string]any{"model": faces.Model, "ref": q}, &found); st != 200 ||
		len(found.Matches) != 1 || found.Matches[0].ID != a || found.Matches[0].Name == "" || found.Matches[0].Category == "" ||
		found.Matches[0].Distance > 0.2 {
		t.Fatalf("search: HTTP %d %+v", st, found)
	}
	if st := srv.Call("POST", "/faces/search", testkit.AdminToken, map[string]any{"model": "other-1", "ref": q}, &found); st != 200 || len(found.Matches) != 0 {
		t.Errorf("search of another model: %+v", found)
	}
	var detail string
	srv.App.DB.ForTest().R.QueryRow(`SELECT group_concat(detail, '|') FROM audit WHERE action = 'face.search'`).Scan(&detail)
	if !strings.Contains(detail, fmt.Sprint(a)) || strings.Contains(detail, q[100:140]) || len(detail) > 400 {
		t.Errorf("the search's audit: %q", detail)
	}

	var status map[string]any
	if st := srv.Call("GET", "/faces/status", testkit.AdminToken, nil, &status); st != 200 || status["model"] != faces.Model ||
		status["consented"] != 1.0 || status["refused"] != 1.0 || status["photos"] != 2.0 || status["refs"] != 1.0 || status["pending"] != 0.0 {
		t.Errorf("status: HTTP %d %v", st, status)
	}

	if st := srv.Call("DELETE", path(a, "face"), testkit.AdminToken, nil, nil); st != 204 {
		t.Errorf("delete a's reference: HTTP %d", st)
	}
	if st := srv.Call("DELETE", path(a, "face"), testkit.AdminToken, nil, &e); st != 404 || e.Error.Code != "no_face_ref" {
		t.Errorf("again: HTTP %d %s", st, e.Error.Code)
	}
	if st := srv.Call("DELETE", path(a, "biometrics"), testkit.AdminToken, nil, nil); st != 204 {
		t.Errorf("delete a's biometrics: HTTP %d", st)
	}
	if st, _, _ := testkit.PhotoGet(t, srv, "GET", path(a, "photo.jpg"), testkit.AdminToken); st != 404 {
		t.Errorf("a's photo after deletion on request: HTTP %d", st)
	}

	desk := testkit.UserToken(t, srv, "desk")
	if st := srv.Call("POST", "/faces/purge", desk, nil, nil); st != 403 {
		t.Errorf("purge by the desk: HTTP %d", st)
	}
	var purged map[string]any
	if st := srv.Call("POST", "/faces/purge", testkit.AdminToken, nil, &purged); st != 200 {
		t.Fatalf("purge: HTTP %d", st)
	}
	srv.Call("GET", "/faces/status", testkit.AdminToken, nil, &status)
	if status["consented"] != 0.0 || status["refused"] != 0.0 || status["photos"] != 0.0 {
		t.Errorf("after the purge: %v", status)
	}
}

// TestFaceRoutesDeskOnly: every face route refuses an usher, a screen,
// the chair, logistics staff and a kiosk.
func TestFaceRoutesDeskOnly(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	refused := map[string]string{"usher": userTokenFor(t, srv, "usher"), "screen": userTokenFor(t, srv, "screen"),
		"chair": userTokenFor(t, srv, "chair"), "logistics": userTokenFor(t, srv, "logistics"), "kiosk": kiosk}
	id, at := facePerson(t, srv, 0, "x")
	body := map[string]any{"face": true, "model": faces.Model, "ref": faces.EncodeRef(testFaceRef(1, 0)), "photo_at": at}
	for _, r := range []string{"PUT /attendees/%d/consent", "GET /faces/pending", "PUT /attendees/%d/face", "DELETE /attendees/%d/face",
		"DELETE /attendees/%d/biometrics", "POST /faces/search", "GET /faces/status", "POST /faces/purge"} {
		method, p, _ := strings.Cut(r, " ")
		if strings.Contains(p, "%d") {
			p = fmt.Sprintf(p, id)
		}
		for role, tok := range refused {
			if st := srv.Call(method, p, tok, body, nil); st != 403 {
				t.Errorf("%s %s as %s: HTTP %d, want 403", method, p, role, st)
			}
		}
	}
}

// TestFaceBodyLimit: a reference's body is small; a large one is refused
// before it is read.
func TestFaceBodyLimit(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	id, at := facePerson(t, srv, 0, "x")
	big := map[string]any{"model": faces.Model, "ref": strings.Repeat("A", 8<<10), "photo_at": at}
	var e apiErr
	for _, p := range []string{fmt.Sprintf("PUT /attendees/%d/face", id), "POST /faces/search"} {
		method, path, _ := strings.Cut(p, " ")
		if st := srv.Call(method, path, testkit.AdminToken, big, &e); st != 413 {
			t.Errorf("%s with 8 KB: HTTP %d %s, want 413", p, st, e.Error.Code)
		}
	}
}

// TestImportFaceConsent: the list's 人脸核验同意 column through POST
// /import: recorded by the importing user; a person's answer at the desk
// stands, with a warning at the row and column.
func TestImportFaceConsent(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	ps, _ := srv.App.DB.PhotoPeople(context.Background())
	var e apiErr
	if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/consent", ps[1].ID), testkit.AdminToken, map[string]any{"face": false}, &e); st != 200 {
		t.Fatalf("desk consent: HTTP %d %s", st, e.Error.Code)
	}
	var cat string
	srv.App.DB.ForTest().R.QueryRow(`SELECT category FROM attendees WHERE id = ?`, ps[0].ID).Scan(&cat)
	csv := "编号,姓名,类别,人脸核验同意\n" + ps[0].Key + "," + ps[0].Name + ",代表,是\n" + ps[1].Key + "," + ps[1].Name + ",代表,是\n"
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", "名单.csv")
	part.Write([]byte(csv))
	w.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/import", &body)
	req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !regexp.MustCompile(`"row":3,"column":"D","header":"人脸核验同意","code":"face_consent_kept"`).Match(b) {
		t.Fatalf("import: HTTP %d %s", resp.StatusCode, b)
	}
	for i, want := range []string{"1 import " + "admin", "0 desk "} {
		var got string
		srv.App.DB.ForTest().R.QueryRow(`SELECT consent || ' ' || source || ' ' || actor FROM face_consents WHERE attendee_id = ?`, ps[i].ID).Scan(&got)
		if !strings.HasPrefix(got, want) {
			t.Errorf("%s's consent %q, want %q…", ps[i].Name, got, want)
		}
	}
}

// TestFaceDataReachesNoOtherAnswer (issue 15.6): with a person's photo,
// consent and reference stored, and the desk having searched with their
// face, no answer to an usher, a screen, the chair, logistics staff or a
// kiosk carries any of it; no export the desk takes does (the archive's
// ZIP opened, and the files in it); nor does the log.
func TestFaceDataReachesNoOtherAnswer(t *testing.T) {
	var logged bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prev)

	srv := testkit.ServeAt(t, time.Now().Add(-5*time.Hour))
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	roles := map[string]string{"usher": userTokenFor(t, srv, "usher"), "screen": userTokenFor(t, srv, "screen"),
		"chair": userTokenFor(t, srv, "chair"), "logistics": userTokenFor(t, srv, "logistics"), "kiosk": kiosk}
	id, at := facePerson(t, srv, 0, "P")
	ctx := context.Background()
	const recorder = "同意记录员甲"
	if _, err := srv.App.DB.SetFaceConsent(ctx, id, true, recorder); err != nil {
		t.Fatal(err)
	}
	ref := testFaceRef(9, 0)
	if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/face", id), testkit.AdminToken,
		map[string]any{"model": faces.Model, "ref": faces.EncodeRef(ref), "photo_at": at}, nil); st != 204 {
		t.Fatalf("reference: HTTP %d", st)
	}
	srv.Call("POST", "/faces/search", testkit.AdminToken, map[string]any{"model": faces.Model, "ref": faces.EncodeRef(ref)}, nil)
	photo, _ := srv.App.DB.Photo(ctx, id)
	enc := faces.EncodeRef(ref)
	traces := map[string][]byte{
		"the reference (base64)": []byte(enc[600:640]),
		"the reference (bytes)":  ref[300:340],
		"the photo (bytes)":      photo.JPEG[10:40],
		"the photo (base64)":     []byte(base64.StdEncoding.EncodeToString(photo.JPEG)[12:40]),
	}
	carries := func(body []byte) string {
		for what, tr := range traces {
			if bytes.Contains(body, tr) {
				return what
			}
		}
		return ""
	}
	type route struct{ method, path string }
	var gets []route
	seen := map[string]bool{}
	for _, r := range srv.App.HTTP.GetRoutes(true) {
		if r.Method != "GET" || !strings.HasPrefix(r.Path, "/api/v1") || seen[r.Path] {
			continue
		}
		seen[r.Path] = true
		p := regexp.MustCompile(`:[a-z_]+`).ReplaceAllString(strings.TrimPrefix(r.Path, "/api/v1"), fmt.Sprint(id))
		gets = append(gets, route{r.Method, p})
	}
	if len(gets) < 40 {
		t.Fatalf("%d GET routes", len(gets))
	}
	for role, tok := range roles {
		for _, r := range gets {
			_, _, body := testkit.PhotoGet(t, srv, r.method, r.path, tok)
			for _, b := range unpacked(body) {
				if what := carries(b); what != "" {
					t.Errorf("GET %s as %s carries %s", r.path, role, what)
				}
				if bytes.Contains(b, []byte(recorder)) {
					t.Errorf("GET %s as %s carries the consent record", r.path, role)
				}
			}
		}
	}
	// The desk: every answer but the photo itself and the badge (which
	// prints it), and the card (which says who recorded the consent).
	exports := 0
	for _, r := range gets {
		if strings.Contains(r.path, "photo") || strings.HasPrefix(r.path, "/badges") {
			continue
		}
		st, _, body := testkit.PhotoGet(t, srv, r.method, r.path, testkit.AdminToken)
		if strings.HasPrefix(r.path, "/exports") && st == 200 {
			exports++
		}
		for _, b := range unpacked(body) {
			if what := carries(b); what != "" {
				t.Errorf("GET %s as the desk carries %s", r.path, what)
			}
			if bytes.Contains(b, []byte(recorder)) && !strings.HasSuffix(r.path, "/card") {
				t.Errorf("GET %s as the desk carries the consent record", r.path)
			}
		}
	}
	if exports < 4 {
		t.Errorf("only %d exports answered", exports)
	}
	if what := carries(logged.Bytes()); what != "" {
		t.Errorf("the log carries %s", what)
	}
}

// unpacked is body, and when it is a ZIP (an archive, an XLSX) every file
// in it, and in the ZIPs in it.
func unpacked(body []byte) [][]byte {
	out := [][]byte{body}
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return out
	}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(rc, 64<<20))
		rc.Close()
		out = append(out, unpacked(b)...)
	}
	return out
}

// TestFaceSearchFive (issue 15.5): with eight people's references, the
// desk's search answers five, the person searched for first and the rest
// in order of distance, for a person to confirm; nothing is decided (no
// check-in, no print).
func TestFaceSearchFive(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var ids []int64
	for i := range 8 {
		id, at := facePerson(t, srv, i, fmt.Sprint(i))
		if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/consent", id), testkit.AdminToken, map[string]bool{"face": true}, nil); st != 200 {
			t.Fatalf("consent of %d: HTTP %d", id, st)
		}
		if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/face", id), testkit.AdminToken,
			map[string]any{"model": faces.Model, "ref": faces.EncodeRef(testFaceRef(uint64(100+i), 0)), "photo_at": at}, nil); st != 204 {
			t.Fatalf("reference of %d: HTTP %d", id, st)
		}
		ids = append(ids, id)
	}
	var scans int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM scans`).Scan(&scans)
	var found struct {
		Matches []struct {
			ID       int64   `json:"id"`
			Distance float64 `json:"distance"`
		} `json:"matches"`
	}
	q := faces.EncodeRef(testFaceRef(103, 0.3))
	if st := srv.Call("POST", "/faces/search", testkit.AdminToken, map[string]any{"model": faces.Model, "ref": q}, &found); st != 200 {
		t.Fatalf("search: HTTP %d", st)
	}
	if len(found.Matches) != 5 || found.Matches[0].ID != ids[3] {
		t.Fatalf("search: %+v, want five with %d first", found.Matches, ids[3])
	}
	for i := 1; i < len(found.Matches); i++ {
		if found.Matches[i].Distance < found.Matches[i-1].Distance {
			t.Errorf("not nearest first: %+v", found.Matches)
		}
	}
	var after int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM scans`).Scan(&after)
	if after != scans {
		t.Errorf("the search recorded a scan: %d scans, were %d", after, scans)
	}
}
