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

// TestReportLabelled: with labels (photo → person), a probe against the
// reference of another photo of the same person is a cross-photo genuine
// pair: counted in its own false-reject column and per person, and never
// as an impostor; frames of one video are counted apart from different
// photos; faces of unlabelled photos stay each their own person.
func TestReportLabelled(t *testing.T) {
	var m measured
	err := json.Unmarshal([]byte(`{"model":"human-3.3.6/faceres","threshold":0.3,"open":{"Backend":"wasm"},
		"identities":[{"id":"cage.jpg#1"},{"id":"cage2.jpg#1"},{"id":"other.jpg#1"},{"id":"f1.jpg#1"},{"id":"f2.jpg#1"}],
		"probes":[
		  {"id":"cage.jpg#1","variant":"near","ms":100,"d":{"cage.jpg#1":0.10,"cage2.jpg#1":0.28,"other.jpg#1":0.50}},
		  {"id":"cage2.jpg#1","variant":"near","ms":100,"d":{"cage.jpg#1":0.40,"cage2.jpg#1":0.05,"other.jpg#1":0.60}},
		  {"id":"other.jpg#1","variant":"near","ms":100,"d":{"cage.jpg#1":0.70,"cage2.jpg#1":0.29,"other.jpg#1":0.08}},
		  {"id":"f1.jpg#1","variant":"near","ms":100,"d":{"f1.jpg#1":0.02,"f2.jpg#1":0.12}}],
		"ms":[100,100,100,100],"blankMs":[40]}`), &m)
	if err != nil {
		t.Fatal(err)
	}
	m.Labels = map[string]string{"cage.jpg": "cage", "cage2.jpg": "cage", "f1.jpg": "F", "f2.jpg": "F"}
	m.OneVideo = map[string]bool{"F": true}
	r := m.report([]string{"test"})
	for _, want := range []string{
		"Faces: 5 of 3 people",
		"4 same-photo genuine (a probe against its own photo's reference), 2 cross-photo genuine (against the reference of another photo of the same person), 1 of another frame of one video, 4 impostor",
		"| threshold | FAR (impostor ≤ t) | FRR, same photo (> t) | FRR, another photo (> t) | FRR, another frame of one video (> t) |",
		"| 0.30 **(THRESHOLD)** | 1/4 (25.00 %) | 0/4 (0.0 %) | 1/2 (50.0 %) | 0/1 (0.0 %) |",
		"| 0.45 | 1/4 (25.00 %) | 0/4 (0.0 %) | 0/2 (0.0 %) | 0/1 (0.0 %) |",
		"cage: 2 photos, 2 pairs, 0.280–0.400 (median 0.280), 1 over THRESHOLD",
	} {
		if !strings.Contains(r, want) {
			t.Errorf("the report lacks %q:\n%s", want, r)
		}
	}
}
