// Package app assembles a running Huiwu server from its parts: store,
// event, signing key, check-in engine, live hub and feeds, and the HTTP app.
// The huiwu command and the tests start servers the same way, through Start.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/attendance"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/demo"
	"huiwu/server/internal/feeds"
	"huiwu/server/internal/live"
	"huiwu/server/internal/store"
	"huiwu/server/internal/web"
)

// Config is what a server needs to start.
type Config struct {
	DataDir string
	// DBURL is a PostgreSQL URL (postgres://…) several servers share; ""
	// keeps SQLite in DataDir (store.Config).
	DBURL      string
	AdminToken string // "" prints a one-time link that creates the first admin
	Demo       bool   // load the demo event into an empty database
	// DemoTime is the moment the demo event is generated for, when a fresh
	// database gets it; zero means now.
	DemoTime time.Time
	Version  string
	// MasterKey (HUIWU_KEY) or MasterKeyFile (-key-file) opens the signing
	// key sealed in the database; with neither, SQLite keeps one in
	// DATA/master.key and PostgreSQL refuses to start (credentials.Config).
	MasterKey     string
	MasterKeyFile string
	// Peers are the other servers' base URLs, comma-separated (-peers):
	// kiosks paired here fail over to them (web.ParsePeers).
	Peers string
	// Now is the clock the server's own timed work goes by (the face data
	// retention, retention.go); time.Now when nil. Tests move it.
	Now func() time.Time
}

// App is a started server.
type App struct {
	DB     *store.DB
	Engine *checkin.Engine
	Hub    *live.Hub
	Creds  *credentials.Service
	Auth   *auth.Service
	HTTP   *fiber.App
	// LoginCode is the code of the login link printed at start: without an
	// admin token it creates the first admin account, once; with one it
	// signs a browser in with that token while the server runs.
	LoginCode string

	stopBackground context.CancelFunc
	engineDone     chan error
	now            func() time.Time
}

// Start opens the data directory (loading the demo event into an empty
// database when asked) and starts the background parts. Serve it, then
// Close.
func Start(ctx context.Context, cfg Config) (*App, error) {
	db, err := store.Open(ctx, store.Config{Dir: cfg.DataDir, URL: cfg.DBURL})
	if err != nil {
		return nil, err
	}
	a, err := start(ctx, db, cfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func start(ctx context.Context, db *store.DB, cfg Config) (*App, error) {
	peers, err := web.ParsePeers(cfg.Peers)
	if err != nil {
		return nil, err
	}
	if err := EnsureEvent(ctx, db, cfg.Demo, cfg.DemoTime); err != nil {
		return nil, err
	}
	cat, err := db.Catalog(ctx)
	if errors.Is(err, store.ErrNotFound) {
		// No event yet: the server runs and the desk sets one up (PUT
		// /api/v1/event); everything reads the empty catalog until then.
		cat, err = store.EmptyCatalog(), nil
	}
	if err != nil {
		return nil, err
	}
	a := &App{DB: db, Auth: auth.New(db, cfg.AdminToken), Hub: live.New(live.Options{CheckOrigin: web.SocketOrigins(peers)}),
		engineDone: make(chan error, 1), now: cfg.Now}
	if a.now == nil {
		a.now = time.Now
	}
	keys := credentials.Config{DataDir: cfg.DataDir, Key: cfg.MasterKey, KeyFile: cfg.MasterKeyFile}
	creds, err := credentials.Open(ctx, keys, db, func() string { return a.Engine.Catalog().Event.ID })
	if err != nil {
		return nil, err
	}
	a.Creds = creds
	a.Engine = checkin.New(db, creds.Keyring(), cat)
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	a.stopBackground = stop
	// The catalog is read again after every change that says it changed,
	// before the followers registered after it (the tracker's recount, the
	// feeds) hear of the change and before the writer's Write returns, so
	// that they and the writer's answer see the new sessions.
	db.FollowCatalog(a.Engine.SetCatalog)
	go func() { a.engineDone <- a.Engine.Run(bg) }()
	go a.Hub.Run(bg)
	counts, err := attendance.NewTracker(ctx, db, a.Engine.Catalog)
	if err != nil {
		stop()
		<-a.engineDone
		return nil, err
	}
	go counts.Run(bg)
	if _, err := feeds.Start(bg, db, a.Hub, a.Engine.Catalog, counts); err != nil {
		stop()
		<-a.engineDone
		return nil, err
	}
	// On PostgreSQL, the changes other servers commit reach this one's
	// listeners and followers (registered above) from here on, those
	// committed since the store opened first.
	if err := db.Listen(bg); err != nil {
		stop()
		<-a.engineDone
		return nil, err
	}
	// Face data past its retention goes before anyone is answered; a
	// failure is logged and tried again within the hour, not fatal.
	if _, err := a.PurgeDueFaces(ctx); err != nil {
		slog.Error("face data retention", "err", err)
	}
	go a.keepRetention(bg)

	a.LoginCode = randomCode()
	a.HTTP = web.New(web.Deps{
		DB: db, Engine: a.Engine, Creds: creds, Auth: a.Auth, Hub: a.Hub, Attendance: counts,
		Version: cfg.Version, LoginCode: a.LoginCode, AdminToken: cfg.AdminToken, Peers: peers,
	})
	return a, nil
}

// Serve answers HTTP on ln until Close.
func (a *App) Serve(ln net.Listener) error { return a.HTTP.Listener(ln) }

// Close stops taking requests, lets scans in flight finish (their answers
// are durable), stops the background parts and closes the store.
func (a *App) Close() error {
	errHTTP := a.HTTP.ShutdownWithTimeout(10 * time.Second)
	a.stopBackground()
	errEngine := <-a.engineDone
	return errors.Join(errHTTP, errEngine, a.DB.Close())
}

// EnsureEvent loads the demo event into an empty database when wantDemo;
// without it an empty database stays empty until the desk sets up a
// meeting. A database that already holds an event keeps it either way.
func EnsureEvent(ctx context.Context, db *store.DB, wantDemo bool, at time.Time) error {
	has, err := db.HasEvent(ctx)
	if err != nil {
		return err
	}
	switch {
	case has && wantDemo:
		slog.Info("the database already holds an event; -demo leaves it as it is")
		return nil
	case has:
		return nil
	case !wantDemo:
		slog.Info("no meeting is set up yet: open /desk (会议设置) or PUT /api/v1/event")
		return nil
	}
	if at.IsZero() {
		at = time.Now()
	}
	ev, err := demo.Load(ctx, db, at)
	if err != nil {
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
