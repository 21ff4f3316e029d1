package scanner

import (
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// A pass is one way of looking at a frame: a view of it (the frame itself,
// or a preprocessed copy) and a binarizer. Each fallback exists because the
// corpus (kiosk/scanner/corpus, measured with scripts/decoderate) has a
// class of photographs that the passes before it miss.
type pass struct {
	view view
	bin  binKind
	// redetect: when gozxing finds no code, look again for finder patterns
	// and try the sizes near its estimate (see redetect).
	redetect bool
}

type view int

const (
	viewFull   view = iota // the frame as it came
	viewSmooth             // 3×3 mean: a phone screen's subpixel moiré, sensor noise
	viewSharp              // unsharp-masked: defocus
	viewDouble             // twice the size, then sharpened: modules of 1.5–2 pixels
	numViews
)

type binKind int

const (
	hybrid        binKind = iota // gozxing's block thresholds: fast, clean frames
	hybridInverse                // the same, light modules on dark (dark-mode phones)
	// There is no adaptive inverse: over the corpus it read nothing the
	// hybrid inverse did not, so it is not worth its time.
	adaptive      // per-pixel window mean: low contrast, shadows, glare
	global        // one histogram threshold: faded, flat codes
	globalInverse // the same, light on dark: a dimmed phone in dark mode
)

// passes in the order tried: the usual frame first, then what fails most
// often on real cameras for the least work. Over the 280-frame corpus
// (seed 1) the first pass reads 166 frames; the sharpened views 36 more
// (blur, glare, tilt), the adaptive ones 24 (every low-contrast frame, most
// moiré), the doubled view 9 (small codes). Passes that read nothing the
// others did not (an adaptive inverse, a half-size view) were dropped; the
// global inverse reads nothing there either, but it is the one pass for a
// faint light-on-dark code (TestDecodeLowContrast) and costs a millisecond.
var passes = []pass{
	{viewFull, hybrid, false},
	{viewFull, hybridInverse, false},
	{viewSharp, hybrid, false},
	{viewFull, adaptive, false},
	{viewSharp, adaptive, true},
	{viewSmooth, adaptive, false},
	{viewDouble, hybrid, false},
	{viewSmooth, hybrid, false},
	{viewFull, global, false},
	{viewFull, globalInverse, false},
}

// Work limits. A unit is one pixel through one pass (binarize and detect);
// making a view costs its pixels too. A 640×480 frame that fails every pass
// stays under about 60 ms natively with these; a clean one stops after the
// first pass.
const (
	// workBudget is in frames' worth of work.
	workBudget = 20
	// maxSide: larger images (phone photos from the decode endpoint) are
	// halved until they fit before the passes run, with one last plain try
	// at each larger size if all fail; camera frames are already smaller.
	maxSide = 1600
)

// attempt is one Decode call's state: the views made so far and the work
// left.
type attempt struct {
	work   plane   // the image, or halved to fit maxSide
	larger []plane // the sizes between work and the image as given, smallest last
	views  [numViews]*plane
	means  [numViews]*plane // window means of views, for adaptive passes
	left   int
	reader gozxing.Reader
}

func newAttempt(full plane) *attempt {
	a := &attempt{work: full, reader: qrcode.NewQRCodeReader()}
	for max(a.work.w, a.work.h) > maxSide {
		a.larger = append(a.larger, a.work)
		a.work = a.work.half()
	}
	a.views[viewFull] = &a.work
	a.left = workBudget * a.work.w * a.work.h
	return a
}

// run tries the passes in order until one reads a code or the work runs out.
func (a *attempt) run() (string, bool) {
	for _, p := range passes {
		if a.cost(p.view) > a.left {
			continue // a cheaper pass further on may still fit
		}
		v := a.view(p.view)
		if v == nil {
			continue
		}
		a.left -= v.w * v.h
		if text, ok := a.try(a.binarizer(p.view, p.bin), p.redetect); ok {
			return text, true
		}
	}
	// A small code in a large photo may not survive the halving: one plain
	// pass at each larger size, the cheaper first.
	for i := len(a.larger) - 1; i >= 0; i-- {
		if text, ok := a.try(gozxing.NewHybridBinarizer(a.larger[i].source()), false); ok {
			return text, true
		}
	}
	return "", false
}

// cost is the work a pass over v takes, making v included if it is new.
func (a *attempt) cost(v view) int {
	n := a.work.w * a.work.h
	switch v {
	case viewDouble:
		n *= 4
	}
	if a.views[v] == nil {
		n *= 2 // making a view costs about as much as a pass over it
	}
	return n
}

// view returns v, making it on first use (nil if the image is too small
// for it).
func (a *attempt) view(v view) *plane {
	if a.views[v] != nil {
		return a.views[v]
	}
	w := a.work
	var p plane
	switch v {
	case viewSmooth:
		p = w.boxBlur(1)
	case viewSharp:
		// Strong and wide: a defocused module has lost its edge to
		// neighbours up to two pixels away.
		p = w.sharpen(2, 12)
	case viewDouble:
		// Interpolation softens what was already small: sharpen first,
		// at a quarter of the cost of sharpening the doubled copy.
		p = w.sharpen(1, 6).double()
	}
	if p.w == 0 || p.h == 0 {
		return nil
	}
	a.left -= p.w * p.h
	a.views[v] = &p
	return &p
}

func (a *attempt) try(bin gozxing.Binarizer, again bool) (string, bool) {
	bmp, err := gozxing.NewBinaryBitmap(bin)
	if err != nil {
		return "", false
	}
	res, err := a.reader.Decode(bmp, hints)
	if err == nil {
		return res.GetText(), true
	}
	if !again {
		return "", false
	}
	m, err := bmp.GetBlackMatrix() // kept by bmp: not thresholded twice
	if err != nil {
		return "", false
	}
	a.left -= m.GetWidth() * m.GetHeight()
	return redetect(m)
}

// binarizer makes a binarizer of kind k over view v.
func (a *attempt) binarizer(v view, k binKind) gozxing.Binarizer {
	p := *a.views[v]
	switch k {
	case hybridInverse:
		return gozxing.NewHybridBinarizer(p.source().Invert())
	case adaptive:
		if a.means[v] == nil {
			m := p.boxBlur(adaptiveRadius(p))
			a.means[v] = &m
		}
		return newAdaptive(p, *a.means[v], 2)
	case global:
		return gozxing.NewGlobalHistgramBinarizer(p.source())
	case globalInverse:
		return gozxing.NewGlobalHistgramBinarizer(p.source().Invert())
	}
	return gozxing.NewHybridBinarizer(p.source())
}
