package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"huiwu/badge/credential"
)

// TestTraitClasses: each trait class renders a frame with the texts it
// claims: ours (a real token) or another code of the named version, both
// codes for two and nested, none for nocode; and the traits are not in the
// default set, which the scanner's floors cover.
func TestTraitClasses(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a frame of every trait")
	}
	n := 0
	err := Generate(Config{Seed: 3, PerClass: 1, Classes: TraitClasses, Width: 320, Height: 240}, func(s Sample) error {
		n++
		if b := s.Image.Bounds(); b.Dx() != 320 || b.Dy() != 240 || s.Params == "" || len(s.JPEG) == 0 {
			t.Errorf("%s: incomplete sample %v %q", s.Name, b, s.Params)
		}
		ours := 0
		for _, text := range s.Texts {
			if _, _, err := credential.Parse(text); err == nil {
				ours++
			}
		}
		switch {
		case s.Class == "nocode":
			if s.Text != "" || len(s.Texts) != 0 {
				t.Errorf("%s: texts %q in a frame without a code", s.Name, s.Texts)
			}
		case !slices.Contains(s.Texts, s.Text):
			t.Errorf("%s: text %q not among texts %q", s.Name, s.Text, s.Texts)
		case s.Class == "two" || s.Class == "nested":
			if len(s.Texts) != 2 || ours != 1 || !strings.HasPrefix(s.Text, "HW1:") {
				t.Errorf("%s: want ours and one other code, ours expected; got %q, expected %q", s.Name, s.Texts, s.Text)
			}
		case s.Class[0] == 'v' || s.Class == "tiltv7":
			v := 7
			if s.Class != "tiltv7" {
				v, _ = strconv.Atoi(s.Class[1:])
			}
			if _, err := qrcode.NewWithForcedVersion(s.Text, v, qrcode.Medium); err != nil {
				t.Errorf("%s: text does not fit version %d: %v", s.Name, v, err)
			}
			if _, err := qrcode.NewWithForcedVersion(s.Text, v-1, qrcode.Medium); v > 1 && err == nil {
				t.Errorf("%s: text fits version %d, so the code is not version %d", s.Name, v-1, v)
			}
		case s.Class == "dense":
			if _, err := qrcode.NewWithForcedVersion(s.Text, 24, qrcode.Medium); err == nil || ours != 0 {
				t.Errorf("%s: not a code of version 25 or more", s.Name)
			}
		case ours != 1 || len(s.Texts) != 1:
			t.Errorf("%s: want our token alone, got %q", s.Name, s.Texts)
		}
		return nil
	})
	if err != nil || n != len(TraitClasses) {
		t.Fatalf("Generate: %d samples, %v", n, err)
	}
	for _, c := range TraitClasses {
		if slices.Contains(Classes, c) {
			t.Errorf("trait %s is also a default class", c)
		}
	}
}

// TestTraitDeterministic: a trait sample is the same rendered alone or
// among others, and the held-out seed gives other pictures than the
// tuning seed.
func TestTraitDeterministic(t *testing.T) {
	get := func(cfg Config, name string) Sample {
		var out Sample
		if err := Generate(cfg, func(s Sample) error {
			if s.Name == name {
				out = s
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	a := get(Config{Seed: TuningSeed, PerClass: 2, Classes: []string{"two", "blotin"}}, "blotin-001")
	b := get(Config{Seed: TuningSeed, First: 1, PerClass: 1, Classes: []string{"blotin"}}, "blotin-001")
	if len(a.JPEG) == 0 || !bytes.Equal(a.JPEG, b.JPEG) {
		t.Error("blotin-001 differs rendered on its own")
	}
	c := get(Config{Seed: HeldOutSeed, First: 1, PerClass: 1, Classes: []string{"blotin"}}, "blotin-001")
	if bytes.Equal(a.JPEG, c.JPEG) || a.Text == c.Text {
		t.Error("the held-out seed gave the tuning seed's picture")
	}
}

// TestHeldOutUnused: the scanner's tests and code never render the
// held-out seed, so its figures stay a measurement of pictures no tuning
// has seen.
func TestHeldOutUnused(t *testing.T) {
	files, err := filepath.Glob("../*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scanner sources: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("HeldOutSeed")) || bytes.Contains(data, []byte(strconv.FormatUint(HeldOutSeed, 10))) {
			t.Errorf("%s uses the held-out seed", f)
		}
	}
}
