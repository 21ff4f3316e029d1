package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"huiwu/kiosk/scanner"
	"huiwu/server/internal/apierr"
	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
	"huiwu/server/internal/imports"
	"huiwu/server/internal/store"
)

// importCommand is `huiwu import [-data DIR] [-db URL] [-dry-run] FILE`: the same
// import as POST /api/v1/import, for the desk's laptop before the server is
// up. Exit status 1 when the file has errors (nothing stored).
func importCommand(args []string) int {
	fs := flag.NewFlagSet("huiwu import", flag.ContinueOnError)
	dataDir := fs.String("data", env("HUIWU_DATA", "data/run"), "data `directory`")
	var dbURL string
	dbFlag(fs, &dbURL)
	dry := fs.Bool("dry-run", false, "check the file and report, store nothing")
	if fs.Parse(args) != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: huiwu import [-data DIR] [-db URL] [-dry-run] FILE")
		return 2
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Dir: *dataDir, URL: dbURL})
	if err != nil {
		fmt.Fprintln(os.Stderr, "huiwu import:", err)
		return 1
	}
	defer db.Close()
	if has, err := db.HasEvent(ctx); err != nil || !has {
		fmt.Fprintln(os.Stderr, "huiwu import: 尚未建立会议，请先用 huiwu event 或报到处的“会议设置”建立 / no meeting is set up yet: run huiwu event FILE or use the desk's set-up first", err)
		return 1
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "huiwu import:", err)
		return 1
	}
	defer f.Close()
	rep, err := imports.Run(ctx, db, f.Name(), f, *dry, "cli")
	var ae apierr.Error // an *importer.Error: the file cannot be read as a list
	if errors.As(err, &ae) {
		zh, en := ae.Text()
		fmt.Fprintf(os.Stderr, "huiwu import: %s\n%s\n%s\n", ae.ErrorCode(), zh, en)
		return 1
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "huiwu import:", err)
		return 1
	}
	for _, is := range rep.Errors {
		fmt.Fprintf(os.Stderr, "错误 error  第%d行 %s列 %s [%s] %s / %s\n", is.Row, is.Column, is.Header, is.Code, is.Message, is.MessageEn)
	}
	for _, is := range rep.Warnings {
		fmt.Fprintf(os.Stderr, "提示 warning 第%d行 %s列 %s [%s] %s / %s\n", is.Row, is.Column, is.Header, is.Code, is.Message, is.MessageEn)
	}
	out, _ := json.Marshal(map[string]any{"created": rep.Created, "updated": rep.Updated, "dry_run": rep.DryRun,
		"errors": rep.ErrorCount, "warnings": rep.WarningCount, "format": rep.Format})
	fmt.Println(string(out))
	if !rep.OK() {
		fmt.Fprintln(os.Stderr, "名单有错误，未导入任何数据 / the file has errors; nothing was stored")
		return 1
	}
	return 0
}

// eventCommand is `huiwu event [-data DIR] [-db URL] [-dry-run] FILE.json`: sets up
// or changes the meeting from an event definition, as PUT /api/v1/event
// does, and prints the report. Exit 1 on errors (nothing stored).
// `huiwu event -example` prints a small meeting's definition laid around
// now, to start from.
func eventCommand(args []string) int {
	fs := flag.NewFlagSet("huiwu event", flag.ContinueOnError)
	dataDir := fs.String("data", env("HUIWU_DATA", "data/run"), "data `directory`")
	var dbURL string
	dbFlag(fs, &dbURL)
	dry := fs.Bool("dry-run", false, "report what would change, store nothing")
	ex := fs.Bool("example", false, "print a small meeting's definition, its doors open now, and exit")
	if fs.Parse(args) != nil {
		return 2
	}
	if *ex {
		b, _ := json.MarshalIndent(example.Small(time.Now()), "", "  ")
		fmt.Println(string(b))
		return 0
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: huiwu event [-data DIR] [-db URL] [-dry-run] FILE.json")
		return 2
	}
	body, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "huiwu event:", err)
		return 1
	}
	def, given, err := eventdef.Parse(body)
	ctx := context.Background()
	var rep eventdef.Report
	if err == nil {
		var db *store.DB
		if db, err = store.Open(ctx, store.Config{Dir: *dataDir, URL: dbURL}); err != nil {
			fmt.Fprintln(os.Stderr, "huiwu event:", err)
			return 1
		}
		defer db.Close()
		rep, err = db.ApplyDefinition(ctx, def, given, store.ApplyOptions{DryRun: *dry, Actor: "cli"})
	}
	var errs eventdef.Errors
	var conflict *store.Conflict
	switch {
	case errors.As(err, &errs):
		for _, e := range errs {
			fmt.Fprintf(os.Stderr, "错误 error  %s [%s] %s / %s\n", e.Path, e.Code, e.Message.Zh, e.Message.En)
		}
		fmt.Fprintln(os.Stderr, "会议设置有错误，未做任何修改 / the definition has errors; nothing was stored")
		return 1
	case errors.As(err, &conflict):
		for _, it := range conflict.Items {
			fmt.Fprintf(os.Stderr, "冲突 in use %s %s：%s / %s\n", it.Part, it.Name, it.Reason.Zh, it.Reason.En)
		}
		return 1
	case err != nil:
		fmt.Fprintln(os.Stderr, "huiwu event:", err)
		return 1
	}
	for _, c := range rep.Changes {
		fmt.Println(c.Words.Zh, "/", c.Words.En)
	}
	for _, e := range rep.Effects {
		fmt.Println(e.Zh, "/", e.En)
	}
	if rep.Unchanged {
		fmt.Println("没有变化 / unchanged")
	}
	return 0
}

// backupCommand is `huiwu backup [-data DIR] DEST`: a consistent copy of
// the data directory into the new directory DEST, safe while the server
// runs: the database (which holds the signing key, sealed) and the master
// key file that opens it when the data directory keeps one. Restore by
// stopping the server and copying DEST's files into an empty data
// directory. A master key given by HUIWU_KEY or -key-file is not in the
// data directory and so not in the backup: it is kept separately, and the
// command says so.
func backupCommand(args []string) int {
	fs := flag.NewFlagSet("huiwu backup", flag.ContinueOnError)
	dataDir := fs.String("data", env("HUIWU_DATA", "data/run"), "data `directory`")
	if fs.Parse(args) != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: huiwu backup [-data DIR] DEST")
		return 2
	}
	if os.Getenv("HUIWU_DB") != "" {
		fmt.Fprintln(os.Stderr, "huiwu backup: 数据库是 PostgreSQL（HUIWU_DB），请用 pg_dump 备份 / the database is PostgreSQL (HUIWU_DB): back it up with pg_dump")
		return 1
	}
	if err := backup(context.Background(), *dataDir, fs.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "huiwu backup:", err)
		return 1
	}
	fmt.Println("backed up", *dataDir, "to", fs.Arg(0))
	if _, err := os.Stat(filepath.Join(fs.Arg(0), "master.key")); err != nil {
		fmt.Fprintln(os.Stderr, "huiwu backup: 备份中没有主密钥文件：若主密钥由 HUIWU_KEY 或 -key-file 提供，请另行妥善保管，恢复时没有它就解不开签名密钥，已印胸卡须全部重印 / "+
			"the backup holds no master key file: if the master key is given by HUIWU_KEY or -key-file, keep it safe separately; "+
			"a restore cannot open the signing key without it, and every printed badge would have to be reprinted")
	}
	return 0
}

// backupKeyFiles are the data directory's key files a backup carries when
// present: master.key opens the signing key sealed in the database (kept
// there on a single machine without HUIWU_KEY / -key-file), and signing.key
// is the signing key itself in a data directory no server of schema v21
// has started on yet (a start moves it into the database).
var backupKeyFiles = []string{"master.key", "signing.key"}

func backup(ctx context.Context, dataDir, dest string) error {
	if _, err := os.Stat(filepath.Join(dataDir, "huiwu.db")); err != nil {
		return fmt.Errorf("no database in %s: %w", dataDir, err)
	}
	if err := os.Mkdir(dest, 0o700); err != nil {
		return err
	}
	db, err := store.Open(ctx, store.Config{Dir: dataDir})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, filepath.Join(dest, "huiwu.db")); err != nil {
		return err
	}
	// Without the key files every printed badge would have to be
	// reprinted after a restore.
	for _, name := range backupKeyFiles {
		b, err := os.ReadFile(filepath.Join(dataDir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dest, name), b, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

// migrateCommand is `huiwu migrate [-db URL] [-data DIR]`: migrates the
// database to this program's schema and prints the version before and
// after. Every server migrates when it starts; this does it beforehand,
// once, before several servers start on a new PostgreSQL or after an
// upgrade. A database a newer program wrote is refused (exit 1) and left
// as it is. On PostgreSQL the data directory plays no part.
func migrateCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("huiwu migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data", env("HUIWU_DATA", "data/run"), "data `directory` (SQLite)")
	var dbURL string
	dbFlag(fs, &dbURL)
	if fs.Parse(args) != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: huiwu migrate [-db URL] [-data DIR]")
		return 2
	}
	cfg := store.Config{Dir: *dataDir, URL: dbURL}
	if dbURL != "" {
		cfg.Dir = ""
	}
	m, err := store.Migrate(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(stderr, "huiwu migrate:", err)
		return 1
	}
	if m.Before == m.After {
		fmt.Fprintf(stdout, "数据库已是最新版本 %d / the database is at schema version %d already\n", m.After, m.After)
		return 0
	}
	fmt.Fprintf(stdout, "数据库版本 %d → %d / schema version %d → %d\n", m.Before, m.After, m.Before, m.After)
	return 0
}

// decodeCommand is `huiwu decode FILE...`: each image's QR text on its own
// line; exit 1 if any image has none.
func decodeCommand(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: huiwu decode FILE...")
		return 2
	}
	status := 0
	for _, name := range args {
		data, err := os.ReadFile(name)
		if err == nil {
			var text string
			text, err = scanner.DecodeBytes(data, 20<<20, 40_000_000)
			if err == nil {
				fmt.Println(text)
				continue
			}
		}
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		status = 1
	}
	return status
}
