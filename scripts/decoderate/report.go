package main

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // register: a folder of photos may hold any of the three
	_ "image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"text/tabwriter"
	"time"
)

// Outcomes of one decoder on one image.
const (
	outOK      = "ok"      // the expected text (nothing, for a frame without a code)
	outOther   = "other"   // another code in the frame, not the expected one
	outWrong   = "wrong"   // a text not in the frame: worse than nothing at a door
	outFail    = "fail"    // nothing decoded
	outDecoded = "decoded" // something decoded, expected text unknown
)

// result is one decoder on one image.
type result struct {
	Outcome string   `json:"outcome"`
	Texts   []string `json:"texts,omitempty"`
	MS      float64  `json:"ms"`
}

// outcome judges the texts a decoder returned for it.
func outcome(it item, texts []string) string {
	if !it.Labelled {
		if len(texts) == 0 {
			return outFail
		}
		return outDecoded
	}
	inFrame := func(t string) bool { return t == it.Text || slices.Contains(it.Texts, t) }
	for _, t := range texts {
		if !inFrame(t) {
			return outWrong
		}
	}
	switch {
	case len(texts) == 0 && it.Text == "" && len(it.Texts) == 0:
		return outOK
	case len(texts) == 0:
		return outFail
	case it.Text != "" && slices.Contains(texts, it.Text):
		return outOK
	}
	return outOther
}

// row is one image with every decoder's result.
type row struct {
	item
	Results map[string]result `json:"results"`
}

// tally counts one decoder's outcomes over a class.
type tally struct {
	N       int     `json:"n"`
	OK      int     `json:"ok"`
	Other   int     `json:"other"` // read another code in the frame, not the expected one
	Wrong   int     `json:"wrong"`
	Decoded int     `json:"decoded"` // ok + other + wrong + decoded-unlabelled
	Rate    float64 `json:"rate"`    // ok/n, or decoded/n when unlabelled
	MeanMS  float64 `json:"mean_ms"`
	P50MS   float64 `json:"p50_ms"`
	MaxMS   float64 `json:"max_ms"`
	times   []time.Duration
}

// report is the whole measurement, as printed and as written to JSON.
type report struct {
	Dir      string                       `json:"dir"`
	Decoders []string                     `json:"decoders"`
	Overhead map[string]float64           `json:"process_overhead_ms"`
	Classes  []string                     `json:"classes"`
	Summary  map[string]map[string]*tally `json:"summary"` // class → decoder; class "all" too
	Images   []row                        `json:"images"`
}

func measure(dir string, items []item, decoders []decoder) *report {
	rep := &report{Dir: dir, Overhead: map[string]float64{}, Summary: map[string]map[string]*tally{}}
	for _, d := range decoders {
		rep.Decoders = append(rep.Decoders, d.name)
		rep.Overhead[d.name] = ms(d.overhead)
	}
	for _, it := range items {
		path := filepath.Join(dir, it.File)
		img := readImage(path)
		r := row{item: it, Results: map[string]result{}}
		for _, d := range decoders {
			texts, took := d.decode(path, img)
			out := outcome(it, texts)
			r.Results[d.name] = result{Outcome: out, Texts: texts, MS: ms(took)}
			for _, class := range []string{it.Class, "all"} {
				if rep.Summary[class] == nil {
					rep.Summary[class] = map[string]*tally{}
					if class != "all" {
						rep.Classes = append(rep.Classes, class)
					}
				}
				t := rep.Summary[class][d.name]
				if t == nil {
					t = &tally{}
					rep.Summary[class][d.name] = t
				}
				t.add(out, took)
			}
		}
		rep.Images = append(rep.Images, r)
	}
	for _, byDec := range rep.Summary {
		for _, t := range byDec {
			t.finish()
		}
	}
	return rep
}

func (t *tally) add(out string, took time.Duration) {
	t.N++
	switch out {
	case outOK:
		t.OK++
		t.Decoded++
	case outOther:
		t.Other++
		t.Decoded++
	case outWrong:
		t.Wrong++
		t.Decoded++
	case outDecoded:
		t.Decoded++
	}
	t.times = append(t.times, took)
}

func (t *tally) finish() {
	if t.N == 0 {
		return
	}
	good := t.OK
	if t.OK+t.Other+t.Wrong == 0 && t.Decoded > 0 {
		good = t.Decoded // unlabelled images: only "something decoded" is known
	}
	t.Rate = float64(good) / float64(t.N)
	var sum time.Duration
	for _, d := range t.times {
		sum += d
		t.MaxMS = max(t.MaxMS, ms(d))
	}
	t.MeanMS = ms(sum) / float64(t.N)
	t.P50MS = ms(median(t.times))
}

func (rep *report) printText(w io.Writer) {
	fmt.Fprintf(w, "Decode rate on %s (%d images): right text / images, wrong texts in brackets,\n"+
		"another code of the frame read instead as +N; ms is the mean time per image\n\n", rep.Dir, len(rep.Images))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "class\tn\t")
	for _, d := range rep.Decoders {
		fmt.Fprintf(tw, "%s\tms\t", d)
	}
	fmt.Fprintln(tw)
	for _, class := range append(append([]string{}, rep.Classes...), "all") {
		byDec := rep.Summary[class]
		fmt.Fprintf(tw, "%s\t%d\t", class, byDec[rep.Decoders[0]].N)
		for _, d := range rep.Decoders {
			t := byDec[d]
			cell := fmt.Sprintf("%.0f%%", 100*t.Rate)
			if t.Other > 0 {
				cell += fmt.Sprintf(" +%d", t.Other)
			}
			if t.Wrong > 0 {
				cell += fmt.Sprintf(" [%d]", t.Wrong)
			}
			fmt.Fprintf(tw, "%s\t%.1f\t", cell, t.MeanMS)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nTime per image, ms (mean / median / max):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, d := range rep.Decoders {
		t := rep.Summary["all"][d]
		note := "in process, decode only"
		if o := rep.Overhead[d]; o > 0 {
			note = fmt.Sprintf("per process; %.1f ms of it is start-up (blank image)", o)
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.1f\t  %s\n", d, t.MeanMS, t.P50MS, t.MaxMS, note)
	}
	tw.Flush()
	rep.printWrong(w)
}

// printWrong lists every misread: the file, the decoder and what it read.
func (rep *report) printWrong(w io.Writer) {
	n := 0
	for _, r := range rep.Images {
		for _, d := range rep.Decoders {
			if res := r.Results[d]; res.Outcome == outWrong {
				if n == 0 {
					fmt.Fprintln(w, "\nWrong texts:")
				}
				n++
				fmt.Fprintf(w, "  %-22s %-8s %q  (%s)\n", r.File, d, res.Texts, r.Params)
			}
		}
	}
	if n == 0 && len(rep.Images) > 0 && rep.Images[0].Labelled {
		fmt.Fprintln(w, "\nWrong texts: none")
	}
}

// printFailures lists the images dec did not read, with their parameters.
func (rep *report) printFailures(w io.Writer, dec string) {
	fmt.Fprintf(w, "\nNot read by %s:\n", dec)
	for _, r := range rep.Images {
		if res, ok := r.Results[dec]; ok && res.Outcome != outOK && res.Outcome != outDecoded {
			fmt.Fprintf(w, "  %-22s %-6s %s\n", r.File, res.Outcome, r.Params)
		}
	}
}

// readImage decodes path for the in-process decoders; nil if unreadable
// (the command-line decoders still get their try).
func readImage(path string) image.Image {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil
	}
	return img
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func encodePNG(buf *bytes.Buffer, img image.Image) { _ = png.Encode(buf, img) }
