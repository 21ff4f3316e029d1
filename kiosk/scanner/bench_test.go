package scanner

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"

	"huiwu/kiosk/scanner/corpus"
)

// corpusFrame renders the first sample of class at the tuning seed: a
// 640×480 camera frame as the kiosk hands it over.
func corpusFrame(b *testing.B, class string) corpus.Sample {
	b.Helper()
	var s corpus.Sample
	err := corpus.Generate(corpus.Config{Seed: corpus.TuningSeed, PerClass: 1, Classes: []string{class}}, func(got corpus.Sample) error {
		s = got
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkCorpusFrame is one corpus frame with a badge code in it, read
// by the first pass.
func BenchmarkCorpusFrame(b *testing.B) {
	s := corpusFrame(b, "clean")
	for b.Loop() {
		if text, err := Decode(s.Image); err != nil || text != s.Text {
			b.Fatalf("Decode = %q, %v", text, err)
		}
	}
}

// BenchmarkCorpusFrameNoCode is one corpus frame with a printed card and
// no code: the kiosk's common case between badges, which pays for every
// pass within the work budget.
func BenchmarkCorpusFrameNoCode(b *testing.B) {
	s := corpusFrame(b, "nocode")
	for b.Loop() {
		if text, err := Decode(s.Image); !errors.Is(err, ErrNoCode) {
			b.Fatalf("Decode = %q, %v", text, err)
		}
	}
}

// BenchmarkGrey decodes frames as the kiosk's worker hands them to the
// scanner (kiosk/wasm): grey bytes, workerGrey of the camera's RGBA. One
// badge code (clean), a printed card and no code (nocode: most of the
// frames the kiosk sees) and a code tilted 45° about the vertical axis
// (tiltx45), the first tuning-seed sample of each. ZXing-C++ on the same
// grey frames: scripts/decoderate/zxingbench, which prints the best and
// the median decode; so does this (best-ms, median-ms), beside the mean
// (ns/op), which a busy machine's stalls and the garbage collector raise.
func BenchmarkGrey(b *testing.B) {
	for _, class := range []string{"clean", "nocode", "tiltx45"} {
		s := corpusFrame(b, class)
		g := workerGrey(s.Image)
		b.Run(class, func(b *testing.B) {
			var ms []float64
			for b.Loop() {
				start := time.Now()
				texts, err := DecodeAll(g)
				ms = append(ms, float64(time.Since(start))/float64(time.Millisecond))
				if s.Text == "" && !errors.Is(err, ErrNoCode) || s.Text != "" && (err != nil || texts[0] != s.Text) {
					b.Fatalf("DecodeAll = %q, %v", texts, err)
				}
			}
			slices.Sort(ms)
			b.ReportMetric(ms[0], "best-ms")
			b.ReportMetric(ms[len(ms)/2], "median-ms")
		})
	}
}

// BenchmarkDecodeTraits decodes the first tuning-seed sample of each trait
// class (corpus.TraitClasses): what a frame of each trait costs, read or
// not.
func BenchmarkDecodeTraits(b *testing.B) {
	benchFirstOfEach(b, corpus.TraitClasses)
}

// benchFirstOfEach decodes the first tuning-seed sample of each class, one
// sub-benchmark a class.
func benchFirstOfEach(b *testing.B, classes []string) {
	err := corpus.Generate(corpus.Config{Seed: corpus.TuningSeed, PerClass: 1, Classes: classes}, func(s corpus.Sample) error {
		b.Run(s.Class, func(b *testing.B) {
			for b.Loop() {
				_, _ = Decode(s.Image)
			}
		})
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkHybrid binarizes a 640×480 frame with gozxing's hybrid
// binarizer and with hybridBinarizer, which gives the same matrix.
func BenchmarkHybrid(b *testing.B) {
	p := luminance(corpusFrame(b, "nocode").Image)
	b.Run("gozxing", func(b *testing.B) {
		for b.Loop() {
			_, _ = gozxing.NewHybridBinarizer(p.source()).GetBlackMatrix()
		}
	})
	b.Run("ours", func(b *testing.B) {
		for b.Loop() {
			_, _ = newHybrid(p, false).GetBlackMatrix()
		}
	})
}
