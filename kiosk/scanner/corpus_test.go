package scanner

import (
	"fmt"
	"testing"

	"huiwu/kiosk/scanner/corpus"
)

// corpusFloors are the decode rates (of corpusPerClass samples) that Decode
// must reach on each class of the degraded corpus. They sit a little under
// what it reads (scripts/decoderate gives the full figures), so a change of
// pass order or budget that loses a class fails here. The scanner before
// the preprocessing passes (gozxing's hybrid and global binarizers on the
// frame and its inverse) read 0 of these 6 low-contrast samples, 1 small
// code, 1 moiré screen and 0 mixed frames (scripts/decoderate -decoders
// before): the floors for those classes guard the preprocessing passes.
var corpusFloors = map[string]int{
	"clean":       6,
	"blur":        3,
	"tilt":        4,
	"rotate":      5,
	"small":       4,
	"dark":        6,
	"uneven":      6,
	"glare":       4,
	"noise":       5,
	"jpeg":        5,
	"lowcontrast": 5,
	"inverted":    6,
	"moire":       3,
	"mixed":       2,
	"badge":       4,
}

// guardClasses are the classes the first scanner failed on most, run even
// under the race detector (with clean, the fast path).
var guardClasses = []string{"clean", "small", "lowcontrast", "moire"}

const corpusPerClass = 6

// TestCorpusDecodeRates decodes a slice of the corpus (JPEG bytes, as the
// decode endpoint and a phone would hand them over) and checks each class
// against its floor, and that no picture ever decodes to a wrong text: a
// misread badge at a door is worse than a retry. The corpus and the decoder
// are both deterministic (the decoder's limit is work, not time), so the
// counts do not vary from run to run or machine to machine.
func TestCorpusDecodeRates(t *testing.T) {
	if testing.Short() {
		t.Skip("renders and decodes about eighty camera frames")
	}
	classes := corpus.Classes
	if raceEnabled {
		classes = guardClasses
	}
	got := map[string]int{}
	cfg := corpus.Config{Seed: 1, PerClass: corpusPerClass, Classes: classes}
	err := corpus.Generate(cfg, func(s corpus.Sample) error {
		text, err := DecodeBytes(s.JPEG, 0, 0)
		switch {
		case err == nil && text == s.Text:
			got[s.Class]++
		case err == nil:
			t.Errorf("%s (%s) decoded to a wrong text %q", s.Name, s.Params, text)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, class := range classes {
		floor, ok := corpusFloors[class]
		if !ok {
			t.Errorf("class %s has no floor", class)
			continue
		}
		msg := fmt.Sprintf("%-11s %d/%d (floor %d)", class, got[class], corpusPerClass, floor)
		if got[class] < floor {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

// BenchmarkDecodeDegraded decodes the first corpus sample of each class, a
// 640×480 camera frame as the kiosk hands it over: the fast path for clean
// frames, the fallbacks for the rest. A sample the decoder misses shows the
// cost of a frame that fails every pass within the budget.
func BenchmarkDecodeDegraded(b *testing.B) {
	benchFirstOfEach(b, corpus.Classes)
}
