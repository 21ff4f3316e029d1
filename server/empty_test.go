package main

import (
	"context"
	"net/http"
	"testing"

	"huiwu/server/internal/app"
)

// TestEmptyServerNeverFails asks every read endpoint and page of a server
// with no meeting set up: each answers (404 no_event, an empty list, or a
// page), never a server error.
func TestEmptyServerNeverFails(t *testing.T) {
	s := startServerWith(t, t.TempDir(), false)
	for _, path := range []string{
		"/api/v1/event", "/api/v1/event/definition", "/api/v1/event/changes", "/api/v1/event/workbook.xlsx",
		"/api/v1/event/template.xlsx", "/api/v1/sessions", "/api/v1/checkpoints", "/api/v1/attendees", "/api/v1/attendees?q=zw",
		"/api/v1/venues", "/api/v1/readiness", "/api/v1/devices", "/api/v1/kiosk/devices", "/api/v1/keys",
		"/api/v1/exports/archive.zip", "/api/v1/exports/meals.xlsx", "/api/v1/exports/rooms.xlsx", "/api/v1/exports/absentees.xlsx",
		"/api/v1/badges.pdf", "/api/v1/badges/layouts", "/api/v1/sessions/x/attendance", "/api/v1/sessions/x/seats",
		"/api/v1/health", "/desk", "/kiosk", "/usher", "/screen", "/chair", "/seating", "/",
	} {
		req, _ := http.NewRequest("GET", s.base+path, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s on an empty server: %d", path, resp.StatusCode)
		}
		if (path == "/api/v1/event" || path == "/api/v1/event/definition" || path == "/api/v1/event/workbook.xlsx") && resp.StatusCode != 404 {
			t.Errorf("GET %s on an empty server: %d, want 404 no_event", path, resp.StatusCode)
		}
	}
}

// TestDemoFlagLoadsTheDemo starts -demo on an empty directory the long way
// (the other tests copy a loaded template): the demo arrives through the
// definition, with its change in the log.
func TestDemoFlagLoadsTheDemo(t *testing.T) {
	a, err := app.Start(context.Background(), app.Config{DataDir: t.TempDir(), AdminToken: adminToken, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	cat := a.Engine.Catalog()
	if cat.Event.ID == "" || len(cat.SessionList) != 5 || len(cat.CheckpointList) != 8 {
		t.Fatalf("demo catalog: event %q, %d sessions, %d checkpoints", cat.Event.ID, len(cat.SessionList), len(cat.CheckpointList))
	}
	changes, err := a.DB.DefinitionChanges(context.Background(), 5)
	if err != nil || len(changes) != 1 || changes[0].Actor != "demo" {
		t.Errorf("change log %+v %v", changes, err)
	}
}
