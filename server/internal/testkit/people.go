package testkit

// Attendees, accounts and photos, through the API as the desk's people
// reach them.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"

	"huiwu/server/internal/app"
	"huiwu/server/internal/store"
)

// Seated finds n attendees with seats at the opening session, as
// (attendee id, seat label).
func Seated(t *testing.T, srv Caller, n int) [][2]any {
	t.Helper()
	var seats []struct {
		Seat     string `json:"seat"`
		Attendee int64  `json:"attendee_id"`
	}
	if st := srv.Call("GET", "/sessions/opening/seats", AdminToken, nil, &seats); st != 200 {
		t.Fatalf("seats: HTTP %d", st)
	}
	var out [][2]any
	for _, s := range seats {
		if s.Attendee != 0 && !strings.HasPrefix(s.Seat, "P") {
			out = append(out, [2]any{s.Attendee, s.Seat})
		}
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("only %d seated attendees", len(out))
	return nil
}

// CredentialOf answers the attendee's live badge token, as the admin reads
// it.
func CredentialOf(t *testing.T, srv Caller, id int64) string {
	t.Helper()
	var c struct {
		Token string `json:"token"`
	}
	if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/credential", id), AdminToken, nil, &c); st != 200 || c.Token == "" {
		t.Fatalf("credential of %d: HTTP %d", id, st)
	}
	return c.Token
}

// EmptyHanded answers an active attendee of category (id and name) who has
// been handed no material yet.
func EmptyHanded(t *testing.T, srv *Server, category string) (int64, string) {
	t.Helper()
	var id int64
	var name string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT id, name FROM attendees a WHERE status = 'active' AND category = ?
		AND NOT EXISTS (SELECT 1 FROM material_handouts h WHERE h.attendee_id = a.id) ORDER BY rank, id LIMIT 1`, category).
		Scan(&id, &name); err != nil {
		t.Fatal(err)
	}
	return id, name
}

// UserToken makes a token-only account with role and answers its token.
func UserToken(t *testing.T, srv *Server, role string) string {
	t.Helper()
	var u struct{ Token string }
	if st := srv.Call("POST", "/users", AdminToken, map[string]string{"name": "测试" + role, "role": role}, &u); st != 201 || u.Token == "" {
		t.Fatalf("create %s: HTTP %d", role, st)
	}
	return u.Token
}

// PostPhotos uploads data as the photos' ZIP and decodes the answer.
func PostPhotos(t *testing.T, srv *Server, token, query string, data []byte, out any) int {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", "照片.zip")
	part.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/photos/import"+query, &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("HTTP %d %s", resp.StatusCode, b)
		}
	}
	return resp.StatusCode
}

// PhotoGet fetches path under /api/v1 as token: status, headers, body.
func PhotoGet(t *testing.T, srv *Server, method, path, token string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// PhotoReport is what a photo import answers.
type PhotoReport struct {
	DryRun  bool `json:"dry_run"`
	Stored  int  `json:"stored"`
	Matched []struct {
		File       string `json:"file"`
		AttendeeID int64  `json:"attendee_id"`
		Name       string `json:"name"`
		By         string `json:"by"`
	} `json:"matched"`
	Unmatched []struct{ File string } `json:"unmatched"`
}

// Linked is a server started without an admin token, as a desk starts it:
// it prints a one-time login link (App.LoginCode).
type Linked struct {
	URL  string
	App  *app.App
	Stop func()
}

// ServeLinked starts a server on dir without an admin token; Stop stops it
// (once; the test's end stops it otherwise).
func ServeLinked(t *testing.T, dir string) *Linked {
	t.Helper()
	a, err := app.Start(context.Background(), onDB(t, app.Config{DataDir: dir}))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	scannerReady()
	go func() { done <- a.Serve(ln) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		if err := a.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
		<-done
	}
	t.Cleanup(stop)
	if a.LoginCode == "" {
		t.Fatal("a server without an admin token printed no login code")
	}
	return &Linked{URL: "http://" + ln.Addr().String(), App: a, Stop: stop}
}

// PhotoNamed answers n active people of srv's event a photo file can be
// named after, each with a 编号 of the list, an ID number and a name no one
// else has, and one name two active people share ("" when there is none).
// (The photos package's own tests keep a copy: testkit imports photos.)
func PhotoNamed(t *testing.T, srv *Server, n int) ([]store.PhotoPerson, string) {
	t.Helper()
	all, err := srv.App.DB.PhotoPeople(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, p := range all {
		count[p.Name]++
	}
	var out []store.PhotoPerson
	shared := ""
	for _, p := range all {
		if count[p.Name] == 1 && p.IDNumber != "" && p.Key != "" && !strings.Contains(p.Key, ":") && len(out) < n {
			out = append(out, p)
		}
		if count[p.Name] == 2 && shared == "" {
			shared = p.Name
		}
	}
	if len(out) < n {
		t.Fatalf("the event has %d people to name photos after, want %d", len(out), n)
	}
	return out, shared
}
