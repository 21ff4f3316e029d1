package web_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"huiwu/kiosk"
	"huiwu/server/internal/testkit"
)

// TestKioskServiceWorkerFaceList: the service worker keeps every file of
// the vendored face engine (and nothing that is not there), the engine's
// two scripts, and the kiosk's face check module with the page's shell: a
// kiosk restarted without the server still opens, and still checks faces.
func TestKioskServiceWorkerFaceList(t *testing.T) {
	t.Parallel()
	b, err := fs.ReadFile(kiosk.Web, "kiosk/sw.js")
	if err != nil {
		t.Fatal(err)
	}
	sw := string(b)
	var vendored []string
	err = fs.WalkDir(kiosk.Web, "vendor/human", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		// Licences and notes are for people; the engine loads the rest.
		if base := d.Name(); base != "LICENSE" && !strings.HasSuffix(base, ".md") {
			vendored = append(vendored, "/static/"+p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	listed := testkit.ServiceWorkerList(t, sw, "FACE_VENDOR")
	slices.Sort(vendored)
	slices.Sort(listed)
	if !slices.Equal(vendored, listed) {
		t.Errorf("sw.js FACE_VENDOR\n  %v\nvendored files\n  %v", listed, vendored)
	}
	for _, p := range testkit.ServiceWorkerList(t, sw, "FACE_CODE") {
		name := strings.TrimPrefix(strings.TrimPrefix(p, "/static/"), "/")
		if _, err := fs.Stat(kiosk.Web, name); err != nil {
			t.Errorf("FACE_CODE names %s: %v", p, err)
		}
	}
	if !slices.Contains(testkit.ServiceWorkerList(t, sw, "SHELL"), "/static/kiosk/face-check.js") {
		t.Error("the shell lacks /static/kiosk/face-check.js, which kiosk.js imports: the page would not open offline")
	}
}
