package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The tests that run the real huiwu binary (TestKillDuringScans,
// TestDecodeCommand) share one build of it, made the first time one asks.
// It is built with this test binary's own flags (scripts/race.flags under
// -race), so every package comes from the build cache and only the link
// is new: a plain `go build` beside a race test binary compiled the whole
// tree a second time, 30–50 s of the package's run on two cores.
var built struct {
	once sync.Once
	dir  string // removed by TestMain
	bin  string
	out  []byte
	err  error
}

// huiwuBinary returns the path of the built server, building it once.
func huiwuBinary(t *testing.T) string {
	t.Helper()
	var flags []string
	if raceBuild {
		flags = raceFlags(t)
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "huiwu-bin-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "huiwu")
		build := exec.Command("go", append(append([]string{"build", "-o", built.bin}, flags...), ".")...)
		build.Env = append(os.Environ(), "CGO_ENABLED=1") // -race needs cgo
		built.out, built.err = build.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// removeBuilt deletes the shared build, if one was made.
func removeBuilt() {
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
}
