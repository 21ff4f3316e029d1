package testkit

// Kiosks and the servers the kiosk's tests need: one without an event, one
// that goes away and comes back.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"testing"
	"time"

	"huiwu/server/internal/app"
)

// ServiceWorkerList answers the quoted paths of the JavaScript array named
// name in sw, the kiosk's service worker: what it caches for offline use.
func ServiceWorkerList(t *testing.T, sw, name string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?s)const ` + name + ` = \[(.*?)\];`).FindStringSubmatch(sw)
	if m == nil {
		t.Fatalf("sw.js has no %s list", name)
	}
	var out []string
	for _, q := range regexp.MustCompile(`'([^']+)'`).FindAllStringSubmatch(m[1], -1) {
		out = append(out, q[1])
	}
	return out
}

// Caller makes API calls as Server.Call does: a Server, a Bare or a
// Restartable server.
type Caller interface {
	Call(method, path, token string, body, out any) int
}

// NewKiosk registers a kiosk at checkpoint and answers its pairing code.
func NewKiosk(t *testing.T, srv Caller, name, checkpoint string) (id, code string) {
	t.Helper()
	var p struct {
		Code   string `json:"pairing_code"`
		Device struct {
			ID string `json:"id"`
		} `json:"device"`
	}
	if st := srv.Call("POST", "/devices", AdminToken, map[string]string{"name": name, "kind": "kiosk", "checkpoint": checkpoint}, &p); st != 201 {
		t.Fatalf("create device: HTTP %d", st)
	}
	return p.Device.ID, p.Code
}

// PairedKiosk creates a kiosk at checkpoint and pairs it, answering its id
// and device token.
func PairedKiosk(t *testing.T, srv *Server, checkpoint string) (string, string) {
	t.Helper()
	id, code := NewKiosk(t, srv, "测试机 "+checkpoint, checkpoint)
	var p struct {
		Token string `json:"token"`
	}
	if st := srv.Call("POST", "/pair", "", map[string]string{"code": code}, &p); st != 200 || p.Token == "" {
		t.Fatalf("pair: HTTP %d", st)
	}
	return id, p.Token
}

// Restartable is a server whose process can be stopped and started again
// on the same data directory and address, as a venue's server is after a
// power cut.
type Restartable struct {
	T    *testing.T
	Dir  string
	Addr string
	App  *app.App
	done chan error
	// BeforeServe, if set, runs once the server is up and before it
	// answers anyone: what the desk did while a kiosk was away.
	BeforeServe func(*app.App)
}

// Start starts the server on Dir, at Addr once it has one (Dir must be set,
// and T).
func (r *Restartable) Start() {
	r.T.Helper()
	a, err := app.Start(context.Background(), onDB(r.T, app.Config{DataDir: r.Dir, AdminToken: AdminToken, Demo: true}))
	if err != nil {
		r.T.Fatal(err)
	}
	addr := r.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		a.Close()
		r.T.Fatal(err)
	}
	r.Addr, r.App, r.done = ln.Addr().String(), a, make(chan error, 1)
	if r.BeforeServe != nil {
		r.BeforeServe(a)
		r.BeforeServe = nil
	}
	scannerReady()
	go func() { r.done <- a.Serve(ln) }()
}

// Stop stops the server as a power cut would end it, if it runs.
func (r *Restartable) Stop() {
	r.T.Helper()
	if r.App == nil {
		return
	}
	if err := r.App.Close(); err != nil {
		r.T.Errorf("close: %v", err)
	}
	<-r.done
	r.App = nil
}

// Call is Server.Call for this server.
func (r *Restartable) Call(method, path, token string, body, out any) int {
	r.T.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, "http://"+r.Addr+"/api/v1"+path, bytes.NewReader(b))
	if err != nil {
		r.T.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		r.T.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			r.T.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}
