// Command huiwu is the Huiwu server: check-in and guidance for meetings.
//
//	go run ./server -demo -admin-token T -addr 127.0.0.1:8080 -data DIR [-db postgres://…]
//	go run ./server event [-data DIR] [-db URL] [-dry-run] FILE.json   (or -example)
//	go run ./server import [-data DIR] [-db URL] [-dry-run] FILE
//	go run ./server decode FILE...
//	go run ./server backup [-data DIR] DEST
//	go run ./server migrate [-db URL] [-data DIR]
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
	Addr    string
	DataDir string
	// DBURL selects PostgreSQL (postgres://…), shared by several servers;
	// "" keeps SQLite in DataDir.
	DBURL      string
	Demo       bool
	AdminToken string
	// PprofAddr serves net/http/pprof there when set, for profiling under
	// load (loopback only; never on a venue network).
	PprofAddr string
	// Peers are the other servers' base URLs, comma-separated, that kiosks
	// paired here fail over to.
	Peers string
	// Key (HUIWU_KEY, never a flag: command lines are visible to every
	// user) or KeyFile (-key-file) is the master key that seals the signing
	// key in the database; SQLite without either keeps DATA/master.key.
	Key     string
	KeyFile string
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
		case "migrate":
			os.Exit(migrateCommand(os.Args[2:], os.Stdout, os.Stderr))
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
	dbFlag(fs, &cfg.DBURL)
	fs.BoolVar(&cfg.Demo, "demo", os.Getenv("HUIWU_DEMO") == "1", "load the demo event into an empty database (HUIWU_DEMO=1)")
	fs.StringVar(&cfg.AdminToken, "admin-token", os.Getenv("HUIWU_ADMIN_TOKEN"), "bearer `token` with admin rights (HUIWU_ADMIN_TOKEN)")
	fs.StringVar(&cfg.Peers, "peers", os.Getenv("HUIWU_PEERS"), "the other servers' base `URLs`, comma-separated, for kiosks to fail over to (HUIWU_PEERS)")
	fs.StringVar(&cfg.PprofAddr, "pprof", os.Getenv("HUIWU_PPROF"), "serve Go's profiler on `host:port` (HUIWU_PPROF)")
	fs.StringVar(&cfg.KeyFile, "key-file", os.Getenv("HUIWU_KEY_FILE"), "master key `file` that opens the signing key in the database (HUIWU_KEY_FILE; or the key itself in HUIWU_KEY)")
	cfg.Key = os.Getenv("HUIWU_KEY")
	err := fs.Parse(args)
	return cfg, err
}

// dbFlag defines -db, which the server and the commands that open the
// database share.
func dbFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "db", os.Getenv("HUIWU_DB"), "PostgreSQL `URL` (postgres://…) shared by several servers; none: SQLite in the data directory (HUIWU_DB)")
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
