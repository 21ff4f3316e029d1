package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // served only with -pprof

	"huiwu/server/internal/app"
)

// run starts the server and blocks until ctx ends, then shuts down in
// order: stop taking requests, let answered scans finish, close the store.
func run(ctx context.Context, cfg Config) error {
	if cfg.PprofAddr != "" {
		go func() {
			// The default mux carries net/http/pprof's handlers.
			slog.Info("profiler listening", "addr", cfg.PprofAddr, "err", http.ListenAndServe(cfg.PprofAddr, nil))
		}()
	}
	a, err := app.Start(ctx, app.Config{DataDir: cfg.DataDir, AdminToken: cfg.AdminToken, Demo: cfg.Demo, Version: version})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		a.Close()
		return err
	}
	cat := a.Engine.Catalog()
	slog.Info("huiwu listening", "addr", ln.Addr().String(), "event", cat.Event.ID, "name", cat.Event.Name, "data", cfg.DataDir)
	if a.LoginCode != "" {
		fmt.Printf("\n  一次性管理员登录链接 / one-time admin login link:\n  http://%s/login?code=%s\n\n", loginHost(ln.Addr()), a.LoginCode)
	}
	served := make(chan error, 1)
	go func() { served <- a.Serve(ln) }()
	select {
	case err := <-served:
		a.Close()
		return err
	case <-ctx.Done():
	}
	slog.Info("huiwu stopping")
	return a.Close()
}

func loginHost(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil || host == "" || host == "::" || host == "0.0.0.0" {
		return "127.0.0.1:" + port
	}
	return net.JoinHostPort(host, port)
}
