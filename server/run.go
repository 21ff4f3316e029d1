package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // served only with -pprof
	"os"

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
	a, err := app.Start(ctx, app.Config{DataDir: cfg.DataDir, DBURL: cfg.DBURL, AdminToken: cfg.AdminToken, Demo: cfg.Demo, Version: version, Peers: cfg.Peers,
		MasterKey: cfg.Key, MasterKeyFile: cfg.KeyFile})
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
	printLinks(cfg, ln.Addr(), a.LoginCode)
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

// printLinks tells whoever started the server where to go: the start page
// and a login link. Without an admin token the link creates the first
// admin account, once; with one it signs a browser in with that token and
// opens the desk, as often as needed while the server runs.
func printLinks(cfg Config, addr net.Addr, code string) {
	out := cfg.Out
	if out == nil {
		out = os.Stdout
	}
	host := loginHost(addr)
	fmt.Fprintf(out, "\n  首页 / start page: http://%s/\n", host)
	if cfg.AdminToken != "" {
		fmt.Fprintf(out, "  报到处（以管理员令牌登录）/ the desk, signed in with the admin token:\n  http://%s/login?code=%s\n\n", host, code)
		return
	}
	fmt.Fprintf(out, "  一次性管理员登录链接 / one-time admin login link:\n  http://%s/login?code=%s\n\n", host, code)
}

func loginHost(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil || host == "" || host == "::" || host == "0.0.0.0" {
		return "127.0.0.1:" + port
	}
	return net.JoinHostPort(host, port)
}
