// Command huiwu is the Huiwu server: check-in and guidance for meetings.
//
//	go run ./server -demo -admin-token T -addr 127.0.0.1:8080 -data DIR
//	go run ./server event [-data DIR] [-dry-run] FILE.json   (or -example)
//	go run ./server import [-data DIR] [-dry-run] FILE
//	go run ./server decode FILE...
//	go run ./server backup [-data DIR] DEST
//
// main only wires: flags (with HUIWU_* environment fallbacks) into one
// Config, then run.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the event's timezone works on a venue server without zoneinfo
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Config is everything the server needs to start.
type Config struct {
	Addr       string
	DataDir    string
	Demo       bool
	AdminToken string
	// PprofAddr serves net/http/pprof there when set, for profiling under
	// load (loopback only; never on a venue network).
	PprofAddr string
	// Out is where the start page's address and the login link are
	// printed (standard output when nil).
	Out io.Writer
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "import":
			os.Exit(importCommand(os.Args[2:]))
		case "event":
			os.Exit(eventCommand(os.Args[2:]))
		case "decode":
			os.Exit(decodeCommand(os.Args[2:]))
		case "backup":
			os.Exit(backupCommand(os.Args[2:]))
		}
	}
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "huiwu:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (Config, error) {
	fs := flag.NewFlagSet("huiwu", flag.ContinueOnError)
	var cfg Config
	fs.StringVar(&cfg.Addr, "addr", env("HUIWU_ADDR", ":8080"), "listen address `host:port` (HUIWU_ADDR)")
	fs.StringVar(&cfg.DataDir, "data", env("HUIWU_DATA", "data/run"), "data `directory`: database and keys (HUIWU_DATA)")
	fs.BoolVar(&cfg.Demo, "demo", os.Getenv("HUIWU_DEMO") == "1", "load the demo event into an empty database (HUIWU_DEMO=1)")
	fs.StringVar(&cfg.AdminToken, "admin-token", os.Getenv("HUIWU_ADMIN_TOKEN"), "bearer `token` with admin rights (HUIWU_ADMIN_TOKEN)")
	fs.StringVar(&cfg.PprofAddr, "pprof", os.Getenv("HUIWU_PPROF"), "serve Go's profiler on `host:port` (HUIWU_PPROF)")
	err := fs.Parse(args)
	return cfg, err
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
