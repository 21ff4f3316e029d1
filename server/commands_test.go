package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skip2/go-qrcode"
	"golang.org/x/text/encoding/simplifiedchinese"

	"huiwu/server/internal/eventdef/example"
)

// TestImportCommand sets up a meeting with `huiwu event`, then imports a
// GBK CSV as Excel on Chinese Windows saves it, then the same list again:
// updated, not duplicated. A broken file stores nothing and exits 1, and so
// does an import before any meeting is set up.
func TestImportCommand(t *testing.T) {
	data := t.TempDir()
	def := filepath.Join(t.TempDir(), "event.json")
	b, _ := json.Marshal(example.Small(time.Now()))
	os.WriteFile(def, b, 0o600)
	csv := "姓名,单位,职务,类别,代表团,手机\r\n钱学林,省科学院,院长,代表,云州代表团,13912345678\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(csv)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "名单.csv")
	os.WriteFile(file, []byte(gbk), 0o600)
	if code := importCommand([]string{"-data", data, file}); code != 1 {
		t.Fatalf("import without a meeting: exit %d, want 1", code)
	}
	if code := eventCommand([]string{"-data", data, "-dry-run", def}); code != 0 {
		t.Fatalf("event -dry-run exit %d", code)
	}
	if code := importCommand([]string{"-data", data, file}); code != 1 {
		t.Fatalf("a dry run set the meeting up: import exit %d, want 1", code)
	}
	if code := eventCommand([]string{"-data", data, def}); code != 0 {
		t.Fatalf("event exit %d", code)
	}
	if code := importCommand([]string{"-data", data, file}); code != 0 {
		t.Fatalf("import exit %d", code)
	}
	if code := importCommand([]string{"-data", data, file}); code != 0 {
		t.Fatalf("re-import exit %d", code)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("姓名,类别\n张三,外星人\n"), 0o600)
	if code := importCommand([]string{"-data", data, bad}); code != 1 {
		t.Fatalf("bad import exit %d, want 1", code)
	}
}

// TestDecodeCommand prints a QR's text, and fails on an image without one.
func TestDecodeCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	png, err := qrcode.Encode("HW1:TESTTEXT", qrcode.Medium, 256)
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.png")
	os.WriteFile(good, png, 0o600)
	blank := filepath.Join(dir, "blank.png")
	os.WriteFile(blank, bytes.Repeat([]byte{0}, 10), 0o600) // not an image at all
	cmd := exec.Command(huiwuBinary(t), "decode", good, blank)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if strings.TrimSpace(stdout.String()) != "HW1:TESTTEXT" {
		t.Errorf("stdout %q", stdout.String())
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "blank.png") {
		t.Errorf("exit %v, stderr %q", err, stderr.String())
	}
}
