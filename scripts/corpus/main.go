// Command corpus writes the scanner's degraded-photo corpus to a directory:
// one JPEG per sample and a manifest.json naming each file's class,
// parameters and expected text (texts, when a frame holds more than one
// code), which scripts/decoderate reads.
//
//	go run ./scripts/corpus -out /tmp/huiwu-corpus -per-class 20
//
// -set traits writes the trait classes of issue 18 instead (steep tilt, 2–3
// pixels a module, versions 1–10, inverted, mirrored, blurred, blotted, two
// codes, nested codes, no code; see corpus.TraitClasses), and -set all
// both. Measure on the held-out seed, never on the seed used for tuning:
//
//	go run ./scripts/corpus -set traits -heldout -out /tmp/huiwu-traits
//	go run ./scripts/decoderate -dir /tmp/huiwu-traits -decoders ours,zxing,zbarimg
//
// The same flags always give the same bytes (see kiosk/scanner/corpus), so
// the corpus need not be committed: regenerate it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"huiwu/kiosk/scanner/corpus"
)

// Manifest is the file scripts/decoderate reads next to the images.
type Manifest struct {
	// Seed and PerClass reproduce the corpus.
	Seed uint64 `json:"seed"`
	// HeldOut is true for corpus.HeldOutSeed: pictures no tuning has seen.
	HeldOut  bool `json:"held_out"`
	PerClass int  `json:"per_class"`
	// Samples lists the images in generation order.
	Samples []Entry `json:"samples"`
}

// Entry is one image of the manifest.
type Entry struct {
	// File is relative to the manifest's directory.
	File string `json:"file"`
	corpus.Sample
}

func main() {
	out := flag.String("out", "corpus-out", "directory to write (created)")
	seed := flag.Uint64("seed", corpus.TuningSeed, fmt.Sprintf("corpus seed (%d is the tuning seed)", corpus.TuningSeed))
	heldOut := flag.Bool("heldout", false, fmt.Sprintf("use the held-out seed %d, never used for tuning (overrides -seed)", corpus.HeldOutSeed))
	per := flag.Int("per-class", 20, "samples per degradation class")
	contact := flag.String("contact", "", "also write a contact sheet (PNG: samples 0 and 1 of each class at half size) to this file")
	set := flag.String("set", "degraded", "which classes: degraded (corpus.Classes), traits (corpus.TraitClasses) or all")
	classes := flag.String("classes", "", "comma-separated classes, of either set (default: those of -set)")
	flag.Parse()
	if *heldOut {
		*seed = corpus.HeldOutSeed
	}
	list, err := classList(*set, *classes)
	if err == nil {
		err = run(*out, *seed, *per, list, *contact)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

// classList resolves -set and -classes to the classes to write.
func classList(set, classes string) ([]string, error) {
	if classes != "" {
		return strings.Split(classes, ","), nil
	}
	switch set {
	case "degraded":
		return corpus.Classes, nil
	case "traits":
		return corpus.TraitClasses, nil
	case "all":
		return append(append([]string{}, corpus.Classes...), corpus.TraitClasses...), nil
	}
	return nil, fmt.Errorf("unknown -set %q (degraded, traits, all)", set)
}

func run(out string, seed uint64, per int, classes []string, contact string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	cfg := corpus.Config{Seed: seed, PerClass: per, Classes: classes}
	m := Manifest{Seed: seed, HeldOut: seed == corpus.HeldOutSeed, PerClass: per}
	sheet := newSheet(len(classes))
	err := corpus.Generate(cfg, func(s corpus.Sample) error {
		if strings.HasSuffix(s.Name, "-000") || strings.HasSuffix(s.Name, "-001") {
			sheet.add(s.Image)
		}
		file := s.Name + ".jpg"
		m.Samples = append(m.Samples, Entry{File: file, Sample: s})
		return os.WriteFile(filepath.Join(out, file), s.JPEG, 0o644)
	})
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "manifest.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	if contact != "" {
		if err := sheet.write(contact); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d images and manifest.json to %s\n", len(m.Samples), out)
	return nil
}
