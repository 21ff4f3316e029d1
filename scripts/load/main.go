// Command load drives a Huiwu server the way a congress morning does: N
// kiosks scanning real credentials at a set rate, M websocket screens
// listening, for a set time. It reports throughput, scan latency
// (p50/p99/p99.9, measured from each scan's intended send time, so a stalled
// server cannot hide its backlog), check-in→push latency at the screens,
// errors, and dropped or out-of-order messages — beside SQLite's raw durable
// commit rate on the same disk, so every figure also stands as a ratio.
//
//	go run ./scripts/load -server http://127.0.0.1:8080 -token T \
//	    -kiosks 20 -rate 2000 -subscribers 500 -duration 60s -json /tmp/report.json
//	go run ./scripts/load -short ...   # a few seconds, for CI
//	go run ./scripts/load ... -duration 30s -import-rows 10000 -import-at 10s
//	    # a 10,000-row import while the kiosks scan: scan latency during
//	    # the import, before it and in the 10 s after it (importload.go)
//
// Several servers on one PostgreSQL database (docs/servers.md): give them
// all, comma-separated. The kiosks and the screens are dealt out over them
// in turn, and the push latency is told apart by whether the screen is on
// the server that took the check-in or on another (through the database's
// feed):
//
//	go run ./scripts/load -server http://127.0.0.1:8081,http://127.0.0.1:8082 -token T ...
//	go run ./scripts/load -table /tmp/a.json /tmp/b.json   # reports as one table
//
// scripts/load-pg runs the comparison end to end: SQLite with one server,
// PostgreSQL with one and with two, each on a fresh database, at a rate the
// machine sustains and one that saturates it (docs/servers.md, "Measuring
// several servers").
//
// Loopback only: it refuses any server address that is not on this machine.
// The report is printed and also written as JSON to -json FILE, or else to
// huiwu-load-YYYYMMDD-HHMMSS.json in the temporary directory (never into
// the checkout it runs from); it never holds the token.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"huiwu/scripts/internal/loopback"
)

// Config is one load run.
type Config struct {
	// Servers are the base URLs of the servers under load, all on one
	// database: the first also seeds the attendees and runs the import.
	Servers []string
	// Token is the admin token the run uses; it never goes into a report.
	Token       string `json:"-"`
	Kiosks      int
	Rate        float64 // scans per second, all kiosks together
	Subscribers int
	Duration    time.Duration
	Seed        int    // attendees to import first (0: use the event's)
	DiskDir     string // where to measure the raw commit rate
	// ImportRows, when not 0, imports that many new attendees ImportAt
	// into the run (importload.go).
	ImportRows int
	ImportAt   time.Duration
}

func main() {
	var cfg Config
	var jsonOut, servers string
	var short, table bool
	flag.StringVar(&servers, "server", "http://127.0.0.1:8080", "server base `URLs`, comma-separated: several servers on one database (loopback only)")
	flag.StringVar(&cfg.Token, "token", os.Getenv("HUIWU_ADMIN_TOKEN"), "admin `token`")
	flag.IntVar(&cfg.Kiosks, "kiosks", 20, "simulated kiosks")
	flag.Float64Var(&cfg.Rate, "rate", 500, "scans per second, all kiosks together")
	flag.IntVar(&cfg.Subscribers, "subscribers", 200, "websocket subscribers on the attendance topic")
	flag.DurationVar(&cfg.Duration, "duration", 60*time.Second, "how long to scan")
	flag.IntVar(&cfg.Seed, "seed-attendees", 0, "import this many generated attendees first")
	flag.StringVar(&cfg.DiskDir, "disk", os.TempDir(), "`directory` on the server's disk, for the raw commit rate")
	flag.IntVar(&cfg.ImportRows, "import-rows", 0, "import this many new attendees while scanning (0: none)")
	flag.DurationVar(&cfg.ImportAt, "import-at", 0, "when the import starts, from the first scan (default: a third of -duration)")
	flag.StringVar(&jsonOut, "json", "", "write the JSON report to `file` (default: huiwu-load-TIME.json in the temporary directory)")
	flag.BoolVar(&short, "short", false, "a few seconds at a low rate (CI)")
	flag.BoolVar(&table, "table", false, "run nothing: print the JSON reports named after the flags as one markdown table")
	flag.Parse()
	if table {
		if err := printTable(os.Stdout, flag.Args()); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	if short {
		cfg.Kiosks, cfg.Rate, cfg.Subscribers, cfg.Duration = 2, 50, 10, 3*time.Second
	}
	if cfg.ImportAt == 0 {
		cfg.ImportAt = cfg.Duration / 3
	}
	cfg.Servers = splitServers(servers)
	if len(cfg.Servers) == 0 {
		fmt.Fprintln(os.Stderr, "load: -server names no server")
		os.Exit(2)
	}
	for _, s := range cfg.Servers {
		if err := loopback.Check(s); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(2)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	rep.print(os.Stdout)
	if path := reportPath(jsonOut, time.Now()); path != "" {
		if err := writeReport(path, rep); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
	}
}

// splitServers reads -server's comma-separated list, without trailing
// slashes or empty entries.
func splitServers(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimRight(strings.TrimSpace(s), "/"); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// reportPath is where the JSON report goes: -json FILE as given, else a
// file named for the run's start in the system's temporary directory, so
// that a run started in a checkout never leaves a report in it.
func reportPath(flagValue string, now time.Time) string {
	if flagValue != "" {
		return flagValue
	}
	return filepath.Join(os.TempDir(), "huiwu-load-"+now.Format("20060102-150405")+".json")
}

// writeReport writes rep as JSON, readable by its owner only. The admin
// token is not in it (Config.Token is never marshalled).
func writeReport(path string, rep *Report) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "load: report written to", path)
	return nil
}
