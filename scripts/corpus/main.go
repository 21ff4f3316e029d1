// Command corpus writes the scanner's degraded-photo corpus to a directory:
// one JPEG per sample and a manifest.json naming each file's class,
// parameters and expected text, which scripts/decoderate reads.
//
//	go run ./scripts/corpus -out /tmp/huiwu-corpus -per-class 20
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
	Seed     uint64 `json:"seed"`
	PerClass int    `json:"per_class"`
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
	seed := flag.Uint64("seed", 1, "corpus seed")
	per := flag.Int("per-class", 20, "samples per degradation class")
	contact := flag.String("contact", "", "also write a contact sheet (PNG: samples 0 and 1 of each class at half size) to this file")
	classes := flag.String("classes", "", "comma-separated classes (default all: "+strings.Join(corpus.Classes, ",")+")")
	flag.Parse()
	if err := run(*out, *seed, *per, *classes, *contact); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

func run(out string, seed uint64, per int, classes, contact string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	cfg := corpus.Config{Seed: seed, PerClass: per}
	if classes != "" {
		cfg.Classes = strings.Split(classes, ",")
	}
	m := Manifest{Seed: seed, PerClass: per}
	sheet := newSheet(len(cfg.Classes) + len(corpus.Classes)*boolInt(cfg.Classes == nil))
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
