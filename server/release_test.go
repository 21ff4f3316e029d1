package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"huiwu/kiosk/wasmbuild"
)

// TestReleaseBinaryServesScanner: the binary scripts/build makes serves the
// kiosk's scanner core on a machine with no Go, no source tree and an empty
// home — the same bytes the server would build from this tree, with the
// same headers — and leaves that home untouched.
func TestReleaseBinaryServesScanner(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a release binary")
	}
	if runtime.GOOS == "windows" {
		t.Skip("scripts/build is a bash script")
	}
	start := time.Now()
	dist := t.TempDir()
	target := runtime.GOOS + "/" + runtime.GOARCH
	build := exec.Command("scripts/build", "-o", dist, target)
	build.Dir = ".."
	if raceBuild {
		// Built as this test binary was (scripts/race.flags): the
		// compiled packages are reused and only the link is new, where a
		// release build's own flags would compile everything again.
		build.Env = append(os.Environ(), "CGO_ENABLED=1", "HUIWU_BUILD_FLAGS="+strings.Join(raceFlags(t), " "))
	}
	out, err := build.CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/build: %v\n%s", err, out)
	}
	t.Logf("scripts/build %s in %s: %s", target, time.Since(start).Round(time.Second), bytes.TrimSpace(out))
	bin := filepath.Join(dist, "huiwu-"+runtime.GOOS+"-"+runtime.GOARCH)

	// What go run ./server would serve: built afresh from the same tree.
	fresh := t.TempDir()
	if err := wasmbuild.Build(context.Background(), fresh); err != nil {
		t.Fatal(err)
	}
	wantWasm := mustRead(t, filepath.Join(fresh, wasmbuild.WasmFile))
	wantExec := mustRead(t, filepath.Join(fresh, wasmbuild.ExecFile))

	home, noGo := t.TempDir(), t.TempDir()
	addr := freeAddr(t)
	srv := exec.Command(bin, "-demo", "-admin-token", adminToken, "-addr", addr, "-data", t.TempDir())
	srv.Dir = t.TempDir() // no source tree beside it
	srv.Env = []string{"PATH=" + noGo, "HOME=" + home}
	var log bytes.Buffer
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			srv.Process.Kill()
			<-exited
		}
	})
	waitServing(t, "http://"+addr, exited, &log)

	// Go's client would ask for gzip and unpack it unseen; ask by hand to
	// see both encodings the server sends.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	for _, enc := range []string{"", "gzip"} {
		body, h := fetchEncoded(t, client, "http://"+addr+"/kiosk/scanner.wasm", enc)
		if h.Get("Content-Encoding") != enc {
			t.Fatalf("Accept-Encoding %q: Content-Encoding %q", enc, h.Get("Content-Encoding"))
		}
		if enc == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if h.Get("Content-Type") != "application/wasm" || h.Get("Cache-Control") != "no-cache" || h.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("scanner.wasm headers: %v", h)
		}
		if !bytes.HasPrefix(body, []byte("\x00asm")) || !bytes.Equal(body, wantWasm) {
			t.Fatalf("Accept-Encoding %q: served %d bytes, not the %d of a fresh build", enc, len(body), len(wantWasm))
		}
	}
	js, h := fetchEncoded(t, client, "http://"+addr+"/kiosk/wasm_exec.js", "")
	if !bytes.Equal(js, wantExec) || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") {
		t.Fatalf("wasm_exec.js: %d bytes, %s; want the toolchain's %d", len(js), h.Get("Content-Type"), len(wantExec))
	}

	stopped = true
	srv.Process.Signal(os.Interrupt)
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("server exit: %v\n%s", err, log.String())
		}
	case <-time.After(15 * time.Second):
		srv.Process.Kill()
		<-exited
		t.Fatalf("server did not stop on interrupt\n%s", log.String())
	}
	if !strings.Contains(log.String(), "source=embedded") {
		t.Fatalf("the log does not say the core was embedded:\n%s", log.String())
	}
	if left, _ := os.ReadDir(home); len(left) > 0 {
		t.Fatalf("the server wrote into its home: %s", left[0].Name())
	}
	t.Logf("whole test %s", time.Since(start).Round(time.Second))
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitServing waits for the server to answer, failing early if it exits.
func waitServing(t *testing.T, base string, exited <-chan error, log *bytes.Buffer) {
	t.Helper()
	deadline := time.After(time.Minute)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := http.Get(base + "/api/v1/health"); err == nil {
			resp.Body.Close()
			return
		}
		select {
		case err := <-exited:
			t.Fatalf("server exited: %v\n%s", err, log.String())
		case <-deadline:
			t.Fatalf("server did not answer in a minute (a race build; CI's loaded machine took over 30 s)")
		case <-tick.C:
		}
	}
}

// fetchEncoded GETs url with the given Accept-Encoding (none when empty) and
// expects 200.
func fetchEncoded(t *testing.T, client *http.Client, url, enc string) ([]byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if enc != "" {
		req.Header.Set("Accept-Encoding", enc)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d %s", url, resp.StatusCode, b)
	}
	return b, resp.Header
}

// raceFlags are the suite's race build flags, from scripts/race.flags.
func raceFlags(t *testing.T) []string {
	t.Helper()
	var flags []string
	for line := range strings.Lines(string(mustRead(t, "../scripts/race.flags"))) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			flags = append(flags, line)
		}
	}
	return flags
}
