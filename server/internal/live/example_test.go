package live_test

import (
	"context"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"huiwu/server/internal/live"
)

// The server wires the hub once: providers answer snapshots from the
// database, the store's commit hook publishes deltas, and Fiber mounts the
// websocket through the adaptor.
func Example() {
	ctx := context.Background()
	hub := live.New(live.Options{})
	hub.Provide("attendance", func(ctx context.Context, topic string) (any, error) {
		return map[string]int{"S1": 287}, nil // every session's counts
	})
	hub.Provide("seats", func(ctx context.Context, topic string) (any, error) {
		session := topic[len("seats:"):]
		return []string{session + ":A-5-12"}, nil // that session's seat map
	})
	go hub.Run(ctx)

	// After a check-in commits:
	hub.Publish("attendance", map[string]any{"session_id": "S1", "present": 288})

	app := fiber.New()
	app.Get("/ws", adaptor.HTTPHandler(hub.Handler(func(r *http.Request) (func(string) bool, error) {
		// Check r's token here; return an error for 401 (live.ErrForbidden for 403).
		return func(topic string) bool { return topic == "attendance" }, nil
	})))
	// app.Listen(":8080")
}
