package corpus

import (
	"bytes"
	"strings"
	"testing"

	"huiwu/badge/credential"
)

// TestDeterministic: the same seed gives the same bytes, and a sample does
// not change when the per-class count or the class list around it does, so
// a failure named in a report can be regenerated on its own.
func TestDeterministic(t *testing.T) {
	collect := func(cfg Config) map[string]Sample {
		out := map[string]Sample{}
		if err := Generate(cfg, func(s Sample) error { out[s.Name] = s; return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	a := collect(Config{Seed: 7, PerClass: 2, Classes: []string{"small", "moire"}})
	b := collect(Config{Seed: 7, PerClass: 1, Classes: []string{"moire"}})
	if !bytes.Equal(a["moire-000"].JPEG, b["moire-000"].JPEG) || a["moire-000"].Text != b["moire-000"].Text {
		t.Error("moire-000 differs between runs")
	}
	if d := collect(Config{Seed: 7, First: 1, PerClass: 1, Classes: []string{"small"}}); !bytes.Equal(d["small-001"].JPEG, a["small-001"].JPEG) {
		t.Error("small-001 rendered on its own differs")
	}
	c := collect(Config{Seed: 8, PerClass: 1, Classes: []string{"moire"}})
	if bytes.Equal(a["moire-000"].JPEG, c["moire-000"].JPEG) {
		t.Error("seeds 7 and 8 gave the same picture")
	}
}

// TestEveryClass: each class renders a JPEG of the configured size with a
// real HW1 token and a description, and an unknown class is refused.
func TestEveryClass(t *testing.T) {
	n := 0
	err := Generate(Config{Seed: 1, PerClass: 1, Width: 320, Height: 240}, func(s Sample) error {
		n++
		if !strings.HasPrefix(s.Name, s.Class+"-") || s.Params == "" || len(s.JPEG) == 0 {
			t.Errorf("%s: incomplete sample %+v", s.Name, s)
		}
		if b := s.Image.Bounds(); b.Dx() != 320 || b.Dy() != 240 {
			t.Errorf("%s: %v", s.Name, b)
		}
		if _, _, err := credential.Parse(s.Text); err != nil {
			t.Errorf("%s: text is not a token: %v", s.Name, err)
		}
		return nil
	})
	if err != nil || n != len(Classes) {
		t.Fatalf("Generate: %d samples, %v", n, err)
	}
	if err := Generate(Config{Classes: []string{"fog"}}, func(Sample) error { return nil }); err == nil {
		t.Error("unknown class accepted")
	}
}
