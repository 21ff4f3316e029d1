package faces

import (
	"io/fs"
	"regexp"
	"testing"

	"huiwu/kiosk"
)

// TestModelIsFaceJS: the server's model name is face.js's MODEL, so that
// the references the desk computes are the ones the server searches, and
// its length the one face.js makes.
func TestModelIsFaceJS(t *testing.T) {
	js, err := fs.ReadFile(kiosk.Web, "common/face.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`export const MODEL = '([^']+)'`).FindSubmatch(js)
	if m == nil || string(m[1]) != Model {
		t.Errorf("face.js's MODEL is %q, the server's %q", m, Model)
	}
	if d := regexp.MustCompile(`const DIM = (\d+)`).FindSubmatch(js); d != nil && string(d[1]) != "1024" {
		t.Errorf("face.js's references have %s bytes, the server's %d", d[1], RefLen)
	}
}
