// Command decoderate measures QR decode rates over a directory of images,
// for our scanner and the decoders it is compared with, side by side on the
// same files: per degradation class and overall, with time per image.
//
//	go run ./scripts/corpus -out /tmp/huiwu-corpus
//	go run ./scripts/decoderate -dir /tmp/huiwu-corpus -json /tmp/rates.json
//
// With a manifest.json in the directory (as scripts/corpus writes: samples
// with file, class and text) a decode counts as right only if it gives the
// expected text, and a different text is counted as wrong. Without one,
// every PNG, JPEG and GIF in the directory is measured as class
// "unlabelled" and the report says only whether something decoded, so a
// folder of real phone photos can be measured as it is.
//
// Decoders (-decoders, comma-separated):
//
//	ours     kiosk/scanner.Decode, in process, on the decoded image
//	before   the scanner before the preprocessing passes: gozxing, four binarizer passes
//	zbarimg  zbar-tools' zbarimg, QR only, one process per image
//	zxing    ZXing-C++'s ZXingReader (Debian zxing-cpp-tools), QR only
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
	File   string `json:"file"`
	Class  string `json:"class"`
	Text   string `json:"text,omitempty"` // "" when unknown
	Params string `json:"params,omitempty"`
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
