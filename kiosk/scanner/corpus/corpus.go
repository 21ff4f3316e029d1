// Package corpus renders a deterministic set of camera-like photographs of
// badge QR codes, each degraded in one way a kiosk camera degrades them
// (blur, tilt, rotation, small codes, darkness, uneven light, glare, noise,
// JPEG, low contrast, dark-mode phones, a phone screen's moiré), and whole
// badges as badge/render prints them, with the text each must decode to.
// The trait classes (TraitClasses: steep perspective, 2–3 pixels a module,
// versions 1–10, inverted, mirrored, blurred, blotted, two codes in a
// frame, a code nested in another, no code) are drawn only when named, and
// measured on HeldOutSeed, never tuned on.
//
// It backs scripts/corpus (which writes the set to a directory with a
// manifest for scripts/decoderate, zbarimg and ZXingReader) and the scanner's
// decode-rate tests, so the figures in reports and the floors the tests
// guard come from the same pictures. The codes carry real HW1 tokens signed
// by a key drawn from the seed, printed as badges print them: go-qrcode at
// error correction M with a four-module quiet zone.
package corpus

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"

	qrcode "github.com/skip2/go-qrcode"

	"huiwu/badge/credential"
)

// Sample is one rendered photograph and what it must decode to.
type Sample struct {
	// Name is unique in a corpus and usable as a file name stem:
	// "<class>-<index>".
	Name string `json:"name"`
	// Class is the degradation, one of Classes.
	Class string `json:"class"`
	// Text is the exact text of the code in the picture: a Huiwu
	// credential, except in the trait classes of other codes (v01–v10,
	// dense, tiltv7). "" in class nocode, which shows none.
	Text string `json:"text"`
	// Texts are the texts of every code in the picture, Text among them:
	// more than one in classes two and nested. A decoder that returns one
	// of them other than Text has read a real code, not ours; one that
	// returns a text not in Texts has misread.
	Texts []string `json:"texts"`
	// Params describes the degradation's parameters, for reading failures.
	Params string `json:"params"`
	// JPEG is the photograph, as a camera or phone would hand it over.
	JPEG []byte `json:"-"`
	// Image is the same photograph before JPEG compression.
	Image *image.RGBA `json:"-"`
}

// Config selects a corpus. The same Config always gives the same bytes.
type Config struct {
	// Seed drives the signing key, the tokens and every random choice.
	Seed uint64
	// PerClass is the number of samples of each class (default 20).
	PerClass int
	// First is the index of each class's first sample (default 0): with
	// PerClass 1, one named sample ("tilt-016" is First 16) on its own.
	First int
	// Classes restricts the set (default: all of Classes; the trait
	// classes, TraitClasses, only when named).
	Classes []string
	// Width and Height are the frame size (default 640×480, the size the
	// kiosk's camera.js scales frames to).
	Width, Height int
}

// Classes lists the degradation classes in corpus order.
var Classes = []string{
	"clean", "blur", "tilt", "rotate", "small", "dark", "uneven", "glare",
	"noise", "jpeg", "lowcontrast", "inverted", "moire", "mixed", "badge",
}

// Generate renders the corpus, calling fn for each sample in order. It stops
// at fn's first error and returns it.
func Generate(cfg Config, fn func(Sample) error) error {
	if cfg.PerClass <= 0 {
		cfg.PerClass = 20
	}
	if len(cfg.Classes) == 0 {
		cfg.Classes = Classes
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		cfg.Width, cfg.Height = 640, 480
	}
	signer, err := credential.GenerateKey(rand.NewChaCha8(seedBytes(cfg.Seed)))
	if err != nil {
		return err
	}
	for _, class := range cfg.Classes {
		ci := classIndex(class)
		if ci < 0 {
			return fmt.Errorf("corpus: unknown class %q (known: %v and %v)", class, Classes, TraitClasses)
		}
		for i := cfg.First; i < cfg.First+cfg.PerClass; i++ {
			// One stream per sample: a sample does not change when the
			// per-class count or the class list does.
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(ci)<<32|uint64(i)))
			attendee := 1 + rng.Int64N(20000)
			tok, err := signer.Sign(credential.Claims{Event: "demo-20261126", Attendee: attendee, Serial: attendee + 100000})
			if err != nil {
				return err
			}
			s, err := renderSample(cfg, class, i, tok, rng)
			if err != nil {
				return err
			}
			if err := fn(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// classIndex numbers class for its samples' random streams: the trait
// classes from traitStream on, so adding one changes no other class.
func classIndex(class string) int {
	for i, c := range Classes {
		if c == class {
			return i
		}
	}
	for i, c := range TraitClasses {
		if c == class {
			return traitStream + i
		}
	}
	return -1
}

func seedBytes(seed uint64) [32]byte {
	var b [32]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(seed >> (8 * i))
	}
	copy(b[8:], "huiwu-corpus-signing-key")
	return b
}

// renderSample draws one sample of class: a scene with defaults drawn from rng,
// then the class's degradation on top.
func renderSample(cfg Config, class string, i int, text string, rng *rand.Rand) (Sample, error) {
	if classIndex(class) >= traitStream {
		return renderTrait(cfg, class, i, text, rng)
	}
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return Sample{}, err
	}
	sc := defaultScene(cfg.Width, cfg.Height, q.Bitmap(), rng)
	quality := 88
	var params string
	switch class {
	case "clean":
		params = "no degradation"
	case "blur":
		sc.blur = []float64{1.0, 1.5, 2.0, 2.5, 3.0}[i%5]
		sc.modulePx = 3.5 + rng.Float64()*2
		params = fmt.Sprintf("gaussian sigma %.1f px", sc.blur)
	case "tilt":
		sc.tilt = rad(25 + rng.Float64()*20)
		sc.axis = rng.Float64() * 2 * 3.14159
		sc.modulePx = 4 + rng.Float64()*1.5
		params = fmt.Sprintf("tilt %.0f°", deg(sc.tilt))
	case "rotate":
		sc.roll = rng.Float64() * 2 * 3.14159
		params = fmt.Sprintf("roll %.0f°", deg(sc.roll))
	case "small":
		sc.modulePx = 1.5 + rng.Float64()*0.7
		params = fmt.Sprintf("module %.2f px", sc.modulePx)
	case "dark":
		sc.exposure = 0.12 + rng.Float64()*0.2
		sc.noise = 3 + rng.Float64()*3
		params = fmt.Sprintf("exposure %.2f, noise %.1f", sc.exposure, sc.noise)
	case "uneven":
		sc.light = unevenLight(sc, rng)
		params = sc.lightName
	case "glare":
		params = addGlare(sc, rng)
	case "noise":
		sc.noise = 12 + rng.Float64()*14
		params = fmt.Sprintf("noise sigma %.0f", sc.noise)
	case "jpeg":
		quality = 6 + rng.IntN(16)
		sc.modulePx = 2.5 + rng.Float64()*1.5
		params = fmt.Sprintf("quality %d, module %.1f px", quality, sc.modulePx)
	case "lowcontrast":
		mid := 70 + rng.Float64()*110
		diff := 18 + rng.Float64()*22
		sc.ink, sc.paper = float32(mid-diff/2), float32(mid+diff/2)
		params = fmt.Sprintf("ink %.0f paper %.0f", sc.ink, sc.paper)
	case "inverted":
		sc.ink, sc.paper = 200+float32(rng.Float64()*40), 15+float32(rng.Float64()*25)
		sc.margin = 1 + rng.Float64()*3
		params = fmt.Sprintf("light %.0f on dark %.0f", sc.ink, sc.paper)
	case "moire":
		params = screenMoire(sc, rng)
	case "mixed":
		params = mixed(sc, rng)
		quality = 50 + rng.IntN(30)
	case "badge":
		if params, err = badgeScene(sc, text, rng); err != nil {
			return Sample{}, err
		}
	}
	return photograph(sc, rng, quality, Sample{Class: class, Text: text, Texts: []string{text}, Params: params}, i)
}

// photograph draws sc and completes s with its name and the frame, as an
// image and as a JPEG of the given quality.
func photograph(sc *scene, rng *rand.Rand, quality int, s Sample, i int) (Sample, error) {
	img := sc.draw(rng)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return Sample{}, err
	}
	s.Name, s.JPEG, s.Image = fmt.Sprintf("%s-%03d", s.Class, i), buf.Bytes(), img
	return s, nil
}

func rad(d float64) float64 { return d * 3.141592653589793 / 180 }
func deg(r float64) float64 { return r * 180 / 3.141592653589793 }
