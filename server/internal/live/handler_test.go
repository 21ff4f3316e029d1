package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gorilla/websocket"
)

// tokenAuth lets "screen" see attendance only, "usher" everything, and
// answers 403 to "banned" and 401 to anyone else.
func tokenAuth(r *http.Request) (func(string) bool, error) {
	switch r.URL.Query().Get("token") {
	case "screen":
		return func(topic string) bool { return topic == "attendance" }, nil
	case "usher":
		return func(string) bool { return true }, nil
	case "banned":
		return nil, fmt.Errorf("device revoked: %w", ErrForbidden)
	case "norules":
		return nil, nil
	}
	return nil, errors.New("no such token")
}

func TestHandlerRefusesBeforeUpgrade(t *testing.T) {
	t.Parallel()
	th := startHub(t, Options{MaxTopics: 3}, tokenAuth)
	for _, tc := range []struct {
		name, query string
		header      http.Header
		status      int
		code        string
	}{
		{"no token", "topics=attendance", nil, 401, "unauthorized"},
		{"bad token", "token=guess&topics=attendance", nil, 401, "unauthorized"},
		{"revoked device", "token=banned&topics=attendance", nil, 403, "forbidden"},
		{"topic not allowed", "token=screen&topics=attendance,seats:S1", nil, 403, "forbidden_topic"},
		{"no rules allow nothing", "token=norules&topics=attendance", nil, 403, "forbidden_topic"},
		{"unknown topic", "token=usher&topics=attendance,meals:D1", nil, 400, "unknown_topic"},
		{"no topics", "token=usher&topics=,", nil, 400, "no_topics"},
		{"bad characters", "token=usher&topics=seats:S%201", nil, 400, "bad_topic"},
		{"too long", "token=usher&topics=seats:" + strings.Repeat("9", 60), nil, 400, "bad_topic"},
		{"too many", "token=usher&topics=seats:1,seats:2,seats:3,seats:4", nil, 400, "too_many_topics"},
		{"foreign origin", "token=usher&topics=attendance", http.Header{"Origin": {"http://evil.example"}}, 403, "bad_handshake"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, resp, err := websocket.DefaultDialer.Dial(th.url(tc.query), tc.header)
			if err == nil {
				t.Fatal("upgraded; want a refusal")
			}
			if resp == nil || resp.StatusCode != tc.status {
				t.Fatalf("got %v, want HTTP %d", resp, tc.status)
			}
			var body struct {
				Code    string
				Message map[string]string
			}
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("body: %v", err)
			}
			if body.Code != tc.code || body.Message["zh"] == "" || body.Message["en"] == "" {
				t.Errorf("body %+v, want code %s with zh and en messages", body, tc.code)
			}
		})
	}
	if s := th.Stats(); s.Clients != 0 {
		t.Errorf("%d clients registered by refused requests", s.Clients)
	}

	// The same host's pages, duplicate topics and several topics parameters are fine.
	origin := http.Header{"Origin": {th.srv.URL}}
	c, _, err := websocket.DefaultDialer.Dial(th.url("token=usher&topics=seats:S1,attendance&topics=seats:S1"), origin)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got := map[string]bool{}
	for range 2 {
		got[readMsg(t, c).Topic] = true
	}
	if !got["attendance"] || !got["seats:S1"] {
		t.Errorf("snapshots for %v, want attendance and seats:S1", got)
	}
}

// The web layer mounts the handler on Fiber through the adaptor; fasthttp's
// adaptor must hand gorilla a hijackable connection for this to work.
func TestFiberAdaptorRoundTrip(t *testing.T) {
	t.Parallel()
	h := New(Options{})
	h.Provide("attendance", func(ctx context.Context, topic string) (any, error) {
		return []counts{{Session: "S1", Present: 7}}, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		h.Run(ctx)
		close(stopped)
	}()

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/ws", adaptor.HTTPHandler(h.Handler(tokenAuth)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	defer func() {
		cancel()
		<-stopped
		if err := app.ShutdownWithTimeout(wait); err != nil {
			t.Errorf("fiber shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("fiber: %v", err)
		}
	}()

	base := "ws://" + ln.Addr().String() + "/ws?"
	if _, resp, err := websocket.DefaultDialer.Dial(base+"topics=attendance", nil); err == nil || resp.StatusCode != 401 {
		t.Fatalf("without a token: %v, %v; want 401", err, resp)
	}
	c, _, err := websocket.DefaultDialer.Dial(base+"token=screen&topics=attendance", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	snap := expectSnapshot(t, c, "attendance")
	if !strings.Contains(string(snap.Data), `"present":7`) {
		t.Errorf("snapshot data %s", snap.Data)
	}
	h.Publish("attendance", counts{Session: "S1", Present: 8})
	h.Publish("attendance", counts{Session: "S1", Present: 9})
	expectDelta(t, c, "attendance", snap.Seq+1)
	expectDelta(t, c, "attendance", snap.Seq+2)
	send(t, c, fmt.Sprintf(`{"topic":"attendance","since":%d}`, snap.Seq+1))
	if p := payload(t, expectDelta(t, c, "attendance", snap.Seq+2).Data); p.Present != 9 {
		t.Errorf("replayed delta carries present=%d, want 9", p.Present)
	}
	cancel()
	expectClose(t, c, websocket.CloseGoingAway)
	select {
	case <-stopped:
	case <-time.After(wait):
		t.Fatal("hub did not stop")
	}
}
