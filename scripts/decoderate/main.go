// Command decoderate measures QR decode rates over a directory of images,
// for our scanner and the decoders it is compared with, side by side on the
// same files: per degradation class and overall, with time per image.
//
//	go run ./scripts/corpus -out /tmp/huiwu-corpus
//	go run ./scripts/decoderate -dir /tmp/huiwu-corpus -json /tmp/rates.json
//
// With a manifest.json in the directory (as scripts/corpus writes: samples
// with file, class, text and texts) a decode counts as right only if it
// gives the expected text (for a frame with two codes, ours); a text of
// another code in the frame (texts) counts as "other", and any text not in
// the frame as wrong. A decoder that returns several codes (ZXingReader,
// zbarimg) is right if one of them is the expected text, and wrong if any
// of them is not in the frame: a misread is worse than no read. A frame
// with no code (empty text and texts) is right when nothing is read.
// Without one,
// every PNG, JPEG and GIF in the directory is measured as class
// "unlabelled" and the report says only whether something decoded, so a
// folder of real phone photos can be measured as it is.
//
// Decoders (-decoders, comma-separated):
//
//	ours     kiosk/scanner.DecodeAll, in process, on the decoded image
//	before   the scanner before the preprocessing passes: gozxing, four binarizer passes
//	zbarimg  zbar-tools' zbarimg, QR only, one process per image
//	zxing    ZXing-C++'s ZXingReader (Debian zxing-cpp-tools), QR only, every code
//	         it finds; bookworm's 1.4.0 has no pass for light-on-dark codes
//
// In-process times exclude reading and decoding the image file, as the
// kiosk hands frames over already decoded (with -repeat N, the fastest of N
// runs, which keeps a busy machine's stalls out of the figures); the command-line decoders' times
// are wall-clock per process and include starting it and reading the file
// (the report prints that fixed cost, measured on a blank image, to
// subtract by eye).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// item is one image to measure.
type item struct {
	File   string   `json:"file"`
	Class  string   `json:"class"`
	Text   string   `json:"text,omitempty"`  // "" when unknown or no code
	Texts  []string `json:"texts,omitempty"` // every code in the frame
	Params string   `json:"params,omitempty"`
	// Labelled: the image came with a manifest, so Text and Texts are
	// known ("" and none: the frame has no code).
	Labelled bool `json:"labelled"`
}

func main() {
	dir := flag.String("dir", "", "directory of images (with manifest.json, or plain images)")
	decs := flag.String("decoders", "before,ours,zbarimg,zxing", "decoders to run, comma-separated")
	jsonOut := flag.String("json", "", "write full results as JSON to this file")
	failures := flag.String("failures", "", "list the files this decoder failed on (e.g. ours)")
	repeat := flag.Int("repeat", 1, "decode each image this many times in process and keep the fastest (the machine's other load out of the figures)")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "decoderate: -dir is required")
		os.Exit(2)
	}
	if err := run(*dir, strings.Split(*decs, ","), *jsonOut, *failures, max(*repeat, 1)); err != nil {
		fmt.Fprintln(os.Stderr, "decoderate:", err)
		os.Exit(1)
	}
}

func run(dir string, names []string, jsonOut, failures string, repeat int) error {
	items, err := load(dir)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return fmt.Errorf("no images in %s", dir)
	}
	var decoders []decoder
	for _, n := range names {
		d, err := newDecoder(strings.TrimSpace(n), repeat)
		if err != nil {
			return err
		}
		decoders = append(decoders, d)
	}
	rep := measure(dir, items, decoders)
	rep.printText(os.Stdout)
	if failures != "" {
		rep.printFailures(os.Stdout, failures)
	}
	if jsonOut != "" {
		data, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(jsonOut, append(data, '\n'), 0o644)
	}
	return nil
}

// load reads dir's manifest.json, or lists its images when there is none.
func load(dir string) ([]item, error) {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err == nil {
		var m struct {
			Samples []item `json:"samples"`
		}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("manifest.json: %w", err)
		}
		for i := range m.Samples {
			m.Samples[i].Labelled = true
			if m.Samples[i].Class == "" {
				m.Samples[i].Class = "unlabelled"
			}
		}
		return m.Samples, nil
	}
	if !os.IsNotExist(err) {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var items []item
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".jpg", ".jpeg", ".png", ".gif":
			items = append(items, item{File: e.Name(), Class: "unlabelled"})
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].File < items[j].File })
	return items, nil
}
