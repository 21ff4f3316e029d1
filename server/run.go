package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/demo"
	"huiwu/server/internal/feeds"
	"huiwu/server/internal/live"
	"huiwu/server/internal/store"
	"huiwu/server/internal/web"
)

// run starts the server and blocks until ctx ends, then shuts down in
// order: stop taking requests, let answered scans finish, close the store.
func run(ctx context.Context, cfg Config) error {
	db, err := store.Open(ctx, cfg.DataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := ensureEvent(ctx, db, cfg.Demo); err != nil {
		return err
	}
	cat, err := db.Catalog(ctx)
	if err != nil {
		return err
	}
	creds, err := credentials.Open(ctx, cfg.DataDir, db, cat.Event.ID)
	if err != nil {
		return err
	}
	engine := checkin.New(db, creds.Keyring(), cat)
	hub := live.New(live.Options{})

	bg, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBackground()
	engineDone := make(chan error, 1)
	go func() { engineDone <- engine.Run(bg) }()
	go hub.Run(bg)
	feeds.Start(bg, db, hub, engine.Catalog)

	loginCode := ""
	if cfg.AdminToken == "" {
		loginCode = randomCode()
	}
	app := web.New(web.Deps{
		DB: db, Engine: engine, Creds: creds, Auth: auth.New(db, cfg.AdminToken), Hub: hub,
		Version: version, LoginCode: loginCode,
		Reload: func(ctx context.Context) error {
			c, err := db.Catalog(ctx)
			if err == nil {
				engine.SetCatalog(c)
			}
			return err
		},
	})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	slog.Info("huiwu listening", "addr", ln.Addr().String(), "event", cat.Event.ID, "name", cat.Event.Name, "data", cfg.DataDir)
	if loginCode != "" {
		fmt.Printf("\n  一次性管理员登录链接 / one-time admin login link:\n  http://%s/login?code=%s\n\n", loginHost(ln.Addr()), loginCode)
	}
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	slog.Info("huiwu stopping")
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
		slog.Warn("shutdown", "err", err)
	}
	stopBackground()
	return <-engineDone
}

// ensureEvent loads the demo event into an empty database. A fresh data
// directory always gets it (and says so); -demo on a database that already
// holds an event keeps that event.
func ensureEvent(ctx context.Context, db *store.DB, wantDemo bool) error {
	has, err := db.HasEvent(ctx)
	if err != nil {
		return err
	}
	if has {
		if wantDemo {
			slog.Info("the database already holds an event; -demo leaves it as it is")
		}
		return nil
	}
	ev := demo.Generate(time.Now())
	if err := db.LoadEvent(ctx, &ev); err != nil && !errors.Is(err, store.ErrHasEvent) {
		return err
	}
	slog.Info("loaded the demo event into the empty database", "event", ev.Event.ID, "attendees", len(ev.Attendees))
	return nil
}

func randomCode() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func loginHost(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil || host == "" || host == "::" || host == "0.0.0.0" {
		return "127.0.0.1:" + port
	}
	return net.JoinHostPort(host, port)
}
