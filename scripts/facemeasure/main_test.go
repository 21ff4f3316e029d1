package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportCounts: false accepts count impostor distances at or under a
// threshold, false rejects genuine ones above it, per variant too.
func TestReportCounts(t *testing.T) {
	var m measured
	err := json.Unmarshal([]byte(`{"model":"human-3.3.6/faceres","threshold":0.3,"open":{"Backend":"wasm"},
		"identities":[{"id":"a"},{"id":"b"}],
		"probes":[
		  {"id":"a","variant":"near","ms":100,"d":{"a":0.10,"b":0.29}},
		  {"id":"a","variant":"blur","ms":200,"d":{"a":0.31,"b":0.60}},
		  {"id":"b","variant":"near","ms":300,"d":{"a":0.70,"b":0.05}}],
		"ms":[100,200,300],"blankMs":[40],"noface":["b blur"]}`), &m)
	if err != nil {
		t.Fatal(err)
	}
	r := m.report([]string{"test"})
	for _, want := range []string{
		"| 0.30 **(THRESHOLD)** | 1/3 (33.33 %) | 1/3 (33.3 %) |",
		"| 0.35 | 1/3 (33.33 %) | 0/3 (0.0 %) |",
		"| 0.25 | 0/3 (0.00 %) | 1/3 (33.3 %) |",
		"blur 1/1, near 0/2",
		"no face found in 1 (b blur)",
		"p50 200 ms, p90 200 ms, max 300 ms over 3 frames",
	} {
		if !strings.Contains(r, want) {
			t.Errorf("the report lacks %q:\n%s", want, r)
		}
	}

	doc := filepath.Join(t.TempDir(), "doc.md")
	os.WriteFile(doc, []byte("# x\n<!-- facemeasure:begin -->\nold\n<!-- facemeasure:end -->\nafter\n"), 0o644)
	if err := intoDoc(doc, "new\n"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(doc); string(b) != "# x\n<!-- facemeasure:begin -->\nnew\n<!-- facemeasure:end -->\nafter\n" {
		t.Errorf("intoDoc wrote %q", b)
	}
}
