package scanner

import (
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
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
	viewCrisp              // lightly sharpened: viewDouble's source, and the small look's
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

// The first lookPasses passes run on every frame; the rest only when the
// frame shows a finder pattern, or something like one, at some scale
// (seenAny). A frame without a code, the kiosk's usual one, shows none
// and stops after about a quarter of the work of every pass.
const (
	lookPasses = 2
	lookStep   = 2 // findFinders' row step in the look
)

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

// attempt is one DecodeAll call's state: the views made so far, the work
// left.
type attempt struct {
	work   plane   // the image, or halved to fit maxSide
	larger []plane // the sizes between work and the image as given, smallest last
	views  [numViews]*plane
	means  [numViews]*plane // window means of views, for adaptive passes
	adapt  [numViews]*adaptiveBinarizer
	// full is the frame's hybrid binarizer, whose block statistics its
	// inverse shares.
	full    *hybridBinarizer
	left    int
	decoder *decoder.Decoder
	// texts are the codes read so far, in the order read; corners their
	// finder (and alignment) patterns in the work plane's pixels, so a
	// code is not read twice.
	texts   []string
	corners []gozxing.ResultPoint
	// unread are finder patterns of a code seen and not read yet (see
	// others): the passes go on while there are any.
	unread []*detector.FinderPattern
	// seen: a look pass found a finder pattern, or something like one.
	seen bool
}

func newAttempt(full plane) *attempt {
	a := &attempt{work: full, decoder: decoder.NewDecoder()}
	for max(a.work.w, a.work.h) > maxSide {
		a.larger = append(a.larger, a.work)
		a.work = a.work.half()
	}
	a.views[viewFull] = &a.work
	a.left = workBudget * a.work.w * a.work.h
	return a
}

// run tries the passes in order until one reads a code or the work runs
// out, and returns the texts of every code it read. A frame in which a code
// is read but another is seen and not read (a blurred badge beside a sharp
// poster, in a pass that reads only the poster) goes on through the passes
// until that one reads too or the work runs out.
func (a *attempt) run() []string {
	for i, p := range passes {
		if i == lookPasses && !a.seenAny() {
			break // no finder pattern at any scale: the fallbacks would find none
		}
		if a.cost(p.view) > a.left {
			continue // a cheaper pass further on may still fit
		}
		v := a.view(p.view)
		if v == nil {
			continue
		}
		a.left -= v.w * v.h
		scale := 1.0
		if p.view == viewDouble {
			scale = 0.5
		}
		a.try(a.binarizer(p.view, p.bin), p.redetect, scale, i < lookPasses)
		if len(a.texts) > 0 && len(a.unread) == 0 {
			return a.texts
		}
	}
	if len(a.texts) > 0 {
		return a.texts
	}
	// A small code in a large photo may not survive the halving: one plain
	// pass at each larger size, the cheaper first.
	for i := len(a.larger) - 1; i >= 0; i-- {
		a.try(newHybrid(a.larger[i], false), false, float64(a.work.w)/float64(a.larger[i].w), false)
		if len(a.texts) > 0 {
			return a.texts
		}
	}
	return nil
}

// seenAny tells whether the frame shows a finder pattern, after the look
// passes: findFinders (loose tolerances: tilted and blurred patterns too)
// finds one confirmed on enough rows (confirmed) in one of their matrices;
// else two of like size at a code's distance apart (likePair) in the
// adaptive matrix of the frame at half size, where a faint or shadowed
// code shows them; else in the lightly sharpened view's hybrid matrix,
// scanned on every row, where a code of modules under two pixels
// (viewDouble's) or a blurred one shows them and the frame does not. The
// adaptive and sharpened matrices turn sensor noise and print into single
// near-misses, hence a pair there (and no look at the adaptive inverse:
// noise makes pairs there, and no frame needed it). The adaptive look is
// at half size because a quarter of the frame reads as well, made a row at
// a time (halfAdaptiveMatrix); the sharpened one only in windows around
// the closed patterns of the first pass's matrix (crispFinders, look.go),
// where a code's patterns are. Over both corpus sets, tuning and held-out
// seeds, no frame that a later pass reads fails all of these (each frame
// reads as it did with the whole sharpened view); 35 of their 40 frames
// without a code as JPEG in the kiosk worker's grey do (30 before
// confirmed, 33 with the whole sharpened view), 35 of 40 as rendered (22
// with the whole view).
//
// The look's work is not charged: a frame it stops ends here, and one it
// lets on pays for viewDouble (made from viewCrisp) when it runs, as
// before there was a look.
func (a *attempt) seenAny() bool {
	if a.seen || len(a.texts) > 0 {
		return true
	}
	if a.work.w >= 2 && a.work.h >= 2 {
		m, err := halfAdaptiveMatrix(a.work, 2)
		if err == nil && likePair(findFinders(m, lookStep/2)) {
			return true
		}
	}
	if a.full != nil && a.full.matrix != nil {
		ws := crispWindows(a.work.w, a.work.h, closedCandidates(a.full.matrix, lookStep))
		if area(ws) < a.work.w*a.work.h {
			return likePair(crispFinders(a.work, ws))
		}
		// Closed patterns all over (a halftone, a sheet of codes): the
		// windows would cost more than the whole view.
	}
	// Else too (no matrix of the frame to find closed patterns in: its
	// binarizer saw too little contrast), the whole sharpened view.
	c := a.view(viewCrisp)
	if c == nil {
		return false
	}
	m, err := newHybrid(*c, false).GetBlackMatrix()
	return err == nil && likePair(findFinders(m, 1))
}

// confirmed tells whether f, found by findFinders scanning every
// lookStep'th row, is confirmed on enough of them to stand for a finder
// pattern alone: one row in ten of those through its centre square (three
// modules tall). A code's pattern blurred or mirrored past gozxing's
// detector is (over the corpus, both seeds) confirmed on a fifth of them
// or more; print and texture in frames without a code that pass
// findFinders' loose tolerances on one row of a tall candidate, on a tenth
// or less, and would otherwise send the frame through every fallback pass
// (10–18 ms) for nothing.
func confirmed(f finder) bool {
	return float64(10*lookStep*f.count) >= 3*f.my
}

// likePair tells whether two of fs could be finder patterns of one code:
// module sizes within 60% of each other (tilt and blur allowed), centres
// 8 to 200 modules apart.
func likePair(fs []finder) bool {
	for i := range fs {
		for j := i + 1; j < len(fs); j++ {
			a, b := fs[i], fs[j]
			sa, sb := math.Sqrt(a.mx*a.my), math.Sqrt(b.mx*b.my)
			if max(sa, sb) > 1.6*min(sa, sb) {
				continue
			}
			if d := math.Hypot(a.x-b.x, a.y-b.y) / ((sa + sb) / 2); d >= 8 && d <= 200 {
				return true
			}
		}
	}
	return false
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
	case viewCrisp:
		p = w.sharpen(1, 6)
	case viewDouble:
		// Interpolation softens what was already small: sharpen first,
		// at a quarter of the cost of sharpening the doubled copy.
		if c := a.view(viewCrisp); c != nil {
			p = c.double()
		}
	}
	if p.w == 0 || p.h == 0 {
		return nil
	}
	if v != viewCrisp { // made for viewDouble, part of its cost; seenAny charges its own
		a.left -= p.w * p.h
	}
	a.views[v] = &p
	return &p
}

// try reads the code gozxing's detector finds in bin (a view with scale
// of its pixels to one of the work plane's), with redetect's
// fallback if again, and looks for other codes (see others) once any code
// of the frame is read, or when the detector found a trio of finder
// patterns and could not read it: beside another code of the same module
// size it may have taken patterns from both, or stopped scanning before
// it reached the second code's. In a look pass (look) that reads nothing,
// it also looks for finder patterns for seenAny, and with three or more
// tries the perspective grid on them (readTiltedFrom): a code tilted past
// what gozxing's detector samples is then read from the frame's own
// matrix rather than after the fallback views (tiltx45: 12 → 1 ms).
func (a *attempt) try(bin gozxing.Binarizer, again bool, scale float64, look bool) {
	m, err := bin.GetBlackMatrix()
	if err != nil {
		return
	}
	read := false // by gozxing's detector or redetect, in this pass
	finder, info, err := find(m)
	if err == nil {
		if res, err := detector.NewDetector(m).ProcessFinderPatternInfo(info); err == nil {
			if dr, err := a.decoder.Decode(res.GetBits(), hints); err == nil {
				a.add(dr.GetText(), res.GetPoints(), scale)
				read = true
			}
		}
	}
	// The look: only a frame that nothing has been read in yet needs it
	// (a read frame ends, or goes on for a code seen unread).
	if look && !read && !a.seen && len(a.texts) == 0 {
		fs := findFinders(m, lookStep)
		a.seen = slices.ContainsFunc(fs, confirmed)
		// Three patterns or more that gozxing's detector could not
		// read: a tilted code, which the perspective grid may read
		// from this matrix already, before any fallback view is made.
		if len(fs) >= 3 {
			var text string
			var corners []gozxing.ResultPoint
			var ok bool
			if tiltStep(m) == lookStep {
				text, corners, ok = readTiltedFrom(m, fs)
			} else {
				text, corners, ok = readTilted(m)
			}
			if ok {
				a.add(text, corners, scale)
				read = true
			}
		}
	}
	if !read && again {
		a.left -= m.GetWidth() * m.GetHeight()
		if text, corners, ok := redetect(m); ok {
			a.add(text, corners, scale)
			read = true
		}
	}
	if read || len(a.texts) > 0 || len(finder.GetPossibleCenters()) >= 3 {
		seen := make([]gozxing.ResultPoint, len(a.corners))
		for i, p := range a.corners {
			seen[i] = gozxing.NewResultPoint(p.GetX()/scale, p.GetY()/scale)
		}
		texts, corners, unread := others(m, seen)
		for i, text := range texts {
			a.add(text, corners[i], scale)
		}
		// A pass that does not see the code seen unread before (the
		// inverse, for one) does not make it go away; a code read does,
		// and a code needs two patterns at least.
		for _, p := range unread {
			p = detector.NewFinderPattern(p.GetX()*scale, p.GetY()*scale, p.GetEstimatedModuleSize()*scale, p.GetCount())
			if !near(p, patternPoints(a.unread)) {
				a.unread = append(a.unread, p)
			}
		}
		a.unread = slices.DeleteFunc(a.unread, func(p *detector.FinderPattern) bool {
			return near(p, a.corners)
		})
		if len(a.unread) < 2 {
			a.unread = nil
		}
	}
}

// add records a code read, once, with its corners (in the view's pixels,
// scale of them to one of the work plane's); an empty one (a code can
// hold nothing) only as corners, since there is no text to act on.
func (a *attempt) add(text string, corners []gozxing.ResultPoint, scale float64) {
	for _, p := range corners {
		a.corners = append(a.corners, gozxing.NewResultPoint(p.GetX()*scale, p.GetY()*scale))
	}
	if text != "" && !slices.Contains(a.texts, text) {
		a.texts = append(a.texts, text)
	}
}

// binarizer makes a binarizer of kind k over view v.
func (a *attempt) binarizer(v view, k binKind) gozxing.Binarizer {
	p := *a.views[v]
	switch k {
	case hybridInverse:
		b := newHybrid(p, true)
		if v == viewFull && a.full != nil {
			b.stats = a.full.stats // the same blocks, seen inverted
		}
		return b
	case adaptive:
		// Made once a view: the window mean is the dear part.
		if a.adapt[v] == nil {
			if a.means[v] == nil {
				m := p.boxBlur(adaptiveRadius(p))
				a.means[v] = &m
			}
			a.adapt[v] = newAdaptive(p, *a.means[v], 2)
		}
		return a.adapt[v]
	case global:
		return gozxing.NewGlobalHistgramBinarizer(p.source())
	case globalInverse:
		return gozxing.NewGlobalHistgramBinarizer(p.source().Invert())
	}
	b := newHybrid(p, false)
	if v == viewFull {
		a.full = b
	}
	return b
}
