package corpus

import (
	"fmt"
	"math"
	"math/rand/v2"

	qrcode "github.com/skip2/go-qrcode"
)

// Seeds. The scanner's tests and any tuning of its passes use TuningSeed;
// HeldOutSeed is for measuring only (scripts/corpus -seed, then
// scripts/decoderate), so a pass tuned until the tuning corpus reads well
// is judged on pictures it has never seen. Nothing in kiosk/scanner may
// render HeldOutSeed.
const (
	TuningSeed  uint64 = 1
	HeldOutSeed uint64 = 18_2026
)

// TraitClasses are the traits of real phone photos that the scanner missed
// and ZXing-C++ read (issue 18), one class each, generated only when named
// in Config.Classes:
//
//	tiltx30…tiltx70  code plane turned 30/45/60/70° about the frame's x axis (true perspective)
//	tilty30…tilty70  the same about the y axis
//	tiltv7           a version-7 code (not ours) turned 45–60° about any axis
//	px2, px3         our code at 2 and 3 pixels a module
//	v01…v10          another code of version 1…10, ordinary conditions
//	dense            another code of version 25–34 at 2–2.6 pixels a module
//	invert           light modules on a dark phone, 2.5–4 px a module, tilted up to 35°
//	mirror           the code mirrored (a selfie camera, the back of glass)
//	mirrorblur       mirrored and blurred (sigma 1.2–2 px)
//	blur1…blur3      gaussian blur sigma 1.0–1.4, 1.6–2.0, 2.2–2.6 px at 3.5–4.5 px a module
//	blotin           a blot over part of the data that error correction can recover
//	blotout          a blot over more than error correction can recover: a read is
//	                 unlikely, a wrong text is the risk
//	two              ours beside another code (a poster's URL) in one frame
//	nested           ours printed inside the centre of another code (level H)
//	nocode           a blank card, no code: any text is a misread
//
// The "can recover" of the blot classes is checked, not estimated: the
// blotted module grid must (blotin) or must not (blotout) decode to the
// text with gozxing's decoder before the picture is drawn.
var TraitClasses = []string{
	"tiltx30", "tiltx45", "tiltx60", "tiltx70", "tilty30", "tilty45", "tilty60", "tilty70",
	"tiltv7", "px2", "px3",
	"v01", "v02", "v03", "v04", "v05", "v06", "v07", "v08", "v09", "v10", "dense",
	"invert", "mirror", "mirrorblur", "blur1", "blur2", "blur3",
	"blotin", "blotout", "two", "nested", "nocode",
}

// traitStream is the first random-stream number of the trait classes.
const traitStream = 1000

// renderTrait draws one sample of a trait class. tok is a Huiwu credential:
// ours, in the frame unless the class shows another code instead.
func renderTrait(cfg Config, class string, i int, tok string, rng *rand.Rand) (Sample, error) {
	w, h := cfg.Width, cfg.Height
	k := min(float64(w)/640, float64(h)/480) // sizes below are for 640×480
	s := Sample{Class: class, Text: tok, Texts: []string{tok}}
	ours, err := qrcode.New(tok, qrcode.Medium)
	if err != nil {
		return Sample{}, err
	}
	bits := ours.Bitmap()
	var sc *scene
	switch class {
	case "tiltx30", "tiltx45", "tiltx60", "tiltx70", "tilty30", "tilty45", "tilty60", "tilty70":
		var angle float64
		fmt.Sscanf(class[5:], "%f", &angle)
		sc = tiltScene(w, h, bits, rng, class[4], angle, 1)
		s.Params = fmt.Sprintf("tilt %.1f° about %c, axis %.0f°, module %.1f px face-on", deg(sc.tilt), class[4], deg(sc.axis), sc.modulePx)
	case "tiltv7":
		text, q, err := versionCode(rng, 7, qrcode.Medium)
		if err != nil {
			return Sample{}, err
		}
		s.Text, s.Texts = text, []string{text}
		sc = defaultScene(w, h, q.Bitmap(), rng)
		sc.tilt = rad(45 + rng.Float64()*15)
		sc.axis = rng.Float64() * 2 * math.Pi
		sc.modulePx = k * (4.5 + rng.Float64()*1.5)
		sc.margin = 1 + rng.Float64()
		sc.cx, sc.cy = float64(w)/2, float64(h)/2
		s.Params = fmt.Sprintf("version 7, tilt %.0f° about axis %.0f°, module %.1f px face-on", deg(sc.tilt), deg(sc.axis), sc.modulePx)
	case "px2", "px3":
		sc = defaultScene(w, h, bits, rng)
		nominal := float64(class[2] - '0')
		sc.modulePx = k * nominal * (0.95 + rng.Float64()*0.1)
		s.Params = fmt.Sprintf("module %.2f px", sc.modulePx)
	case "v01", "v02", "v03", "v04", "v05", "v06", "v07", "v08", "v09", "v10":
		v := int(class[1]-'0')*10 + int(class[2]-'0')
		text, q, err := versionCode(rng, v, qrcode.Medium)
		if err != nil {
			return Sample{}, err
		}
		s.Text, s.Texts = text, []string{text}
		sc = defaultScene(w, h, q.Bitmap(), rng)
		sc.modulePx *= k
		s.Params = fmt.Sprintf("version %d, %d bytes, module %.1f px, tilt %.0f°", v, len(text), sc.modulePx, deg(sc.tilt))
	case "dense":
		v := 25 + rng.IntN(10)
		text, q, err := versionCode(rng, v, qrcode.Medium)
		if err != nil {
			return Sample{}, err
		}
		s.Text, s.Texts = text, []string{text}
		sc = defaultScene(w, h, q.Bitmap(), rng)
		sc.modulePx = min(k*(2+rng.Float64()*0.6), 0.92*float64(h)/(sc.codeSide()+2*sc.margin))
		sc.roll, sc.tilt = rad(rng.Float64()*10-5), rad(rng.Float64()*5)
		sc.cy = float64(h) / 2
		s.Params = fmt.Sprintf("version %d, module %.2f px", v, sc.modulePx)
	case "invert":
		sc = defaultScene(w, h, bits, rng)
		sc.ink, sc.paper = 190+float32(rng.Float64()*50), 10+float32(rng.Float64()*30)
		sc.modulePx = k * (2.5 + rng.Float64()*1.5)
		sc.tilt = rad(rng.Float64() * 35)
		sc.blur = 0.6 + rng.Float64()*0.6
		s.Params = fmt.Sprintf("light %.0f on dark %.0f, module %.1f px, tilt %.0f°, blur %.1f", sc.ink, sc.paper, sc.modulePx, deg(sc.tilt), sc.blur)
	case "mirror", "mirrorblur":
		sc = defaultScene(w, h, mirrored(bits), rng)
		sc.modulePx *= k
		s.Params = fmt.Sprintf("mirrored, module %.1f px", sc.modulePx)
		if class == "mirrorblur" {
			sc.blur = 1.2 + rng.Float64()*0.8
			s.Params += fmt.Sprintf(", blur sigma %.1f", sc.blur)
		}
	case "blur1", "blur2", "blur3":
		sc = defaultScene(w, h, bits, rng)
		sc.modulePx = k * (3.5 + rng.Float64())
		sc.blur = 0.4 + 0.6*float64(class[4]-'0') + rng.Float64()*0.4
		s.Params = fmt.Sprintf("gaussian sigma %.2f px, module %.1f px", sc.blur, sc.modulePx)
	case "blotin", "blotout":
		sc = defaultScene(w, h, bits, rng)
		sc.modulePx = k * (3.5 + rng.Float64()*1.5)
		sc.blur = 0.8 + rng.Float64()*0.6
		b, frac, err := placeBlot(rng, bits, tok, class == "blotin", sc.ink, sc.paper)
		if err != nil {
			return Sample{}, err
		}
		sc.blots = []blot{b}
		s.Params = fmt.Sprintf("blot over %.0f%% of the symbol, grey %.0f, blur %.1f", 100*frac, b.grey, sc.blur)
	case "two":
		poster, q, err := versionCode(rng, 4+rng.IntN(3), qrcode.Medium)
		if err != nil {
			return Sample{}, err
		}
		s.Texts = append(s.Texts, poster)
		pair, desc := twoCodes(rng, bits, q.Bitmap())
		sc = defaultScene(w, h, pair, rng)
		fit := 0.85 * min(float64(w)/(sc.codeWidth()+2*sc.margin), float64(h)/(sc.codeSide()+2*sc.margin))
		sc.modulePx = min(k*(2.8+rng.Float64()*1.4), fit)
		sc.tilt = rad(rng.Float64() * 25)
		sc.cx, sc.cy = float64(w)/2, float64(h)/2
		s.Params = fmt.Sprintf("%s, module %.1f px, tilt %.0f°", desc, sc.modulePx, deg(sc.tilt))
	case "nested":
		outer, composite, v, err := nest(rng, bits)
		if err != nil {
			return Sample{}, err
		}
		s.Texts = append(s.Texts, outer)
		sc = defaultScene(w, h, composite, rng)
		sc.margin = 1 + rng.Float64()*2
		fit := 0.9 * float64(h) / (sc.codeSide() + 2*sc.margin)
		sc.modulePx = min(k*(2.4+rng.Float64()*0.5), fit)
		sc.roll = rad(rng.Float64()*10 - 5)
		sc.cx, sc.cy = float64(w)/2, float64(h)/2
		s.Params = fmt.Sprintf("ours inside a version-%d code at level H, our module %.1f px, outer %.1f px", v, sc.modulePx, 2*sc.modulePx)
	case "nocode":
		sc = defaultScene(w, h, textCard(rng, len(bits)), rng)
		sc.modulePx *= k
		s.Text, s.Texts = "", nil
		s.Params = "a card with print and no code"
	default:
		return Sample{}, fmt.Errorf("corpus: no trait %q", class)
	}
	return photograph(sc, rng, 88, s, i)
}

// tiltScene is the scene of the tilt classes: bits turned angle±jitter
// degrees about the frame's x or y axis (about), either edge receding,
// near the frame's centre at 5–6.5 pixels a module face-on (for 640×480).
func tiltScene(w, h int, bits [][]bool, rng *rand.Rand, about byte, angle, jitter float64) *scene {
	k := min(float64(w)/640, float64(h)/480)
	sc := defaultScene(w, h, bits, rng)
	sc.tilt = rad(angle + jitter*rng.Float64()*2 - jitter)
	sc.axis = float64(rng.IntN(2)) * math.Pi // which edge recedes
	if about == 'y' {
		sc.axis += math.Pi / 2
	}
	sc.roll = rad(rng.Float64()*12 - 6)
	sc.modulePx = k * (5 + rng.Float64()*1.5)
	sc.margin = 1 + rng.Float64()
	sc.cx = float64(w)/2 + (rng.Float64()-0.5)*float64(w)/16
	sc.cy = float64(h)/2 + (rng.Float64()-0.5)*float64(h)/32
	return sc
}

// versionCode makes a code of exactly version v holding text that a poster
// or a payment sticker might: a lower-case URL, long enough that version
// v-1 would not hold it.
func versionCode(rng *rand.Rand, v int, level qrcode.RecoveryLevel) (string, *qrcode.QRCode, error) {
	lo, hi := capacity(v-1, level)+1, capacity(v, level)
	for n := lo + rng.IntN(hi-lo+1); n >= lo; n-- {
		text := urlText(rng, n)
		if q, err := qrcode.NewWithForcedVersion(text, v, level); err == nil {
			return text, q, nil
		}
	}
	return "", nil, fmt.Errorf("corpus: no text fits version %d", v)
}

// capacity is the longest lower-case text a code of version v holds (0
// for version 0).
func capacity(v int, level qrcode.RecoveryLevel) int {
	if v < 1 {
		return 0
	}
	lo, hi := 0, 3000
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if _, err := qrcode.NewWithForcedVersion(urlFill(mid), v, level); err == nil {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func urlFill(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return string(b)
}

// urlText is n bytes of a plausible URL: lower case, so byte mode.
func urlText(rng *rand.Rand, n int) string {
	const prefix = "https://rd.yj.cn/p/"
	const alphabet = "abcdefghijkmnopqrstuvwxyz-_/"
	b := make([]byte, 0, n)
	if n > 2*len(prefix) {
		b = append(b, prefix...)
	}
	for len(b) < n {
		b = append(b, alphabet[rng.IntN(len(alphabet))])
	}
	return string(b)
}

// mirrored flips a bitmap left to right.
func mirrored(bits [][]bool) [][]bool {
	out := make([][]bool, len(bits))
	for y, row := range bits {
		out[y] = make([]bool, len(row))
		for x, v := range row {
			out[y][len(row)-1-x] = v
		}
	}
	return out
}

// grid is a blank bitmap of w×h modules.
func grid(w, h int) [][]bool {
	out := make([][]bool, h)
	for y := range out {
		out[y] = make([]bool, w)
	}
	return out
}

// paste copies src into dst with its top-left module at (x, y), each
// module of src becoming scale×scale modules of dst.
func paste(dst, src [][]bool, x, y, scale int) {
	for j, row := range src {
		for i, v := range row {
			for dy := 0; dy < scale; dy++ {
				for dx := 0; dx < scale; dx++ {
					dst[y+j*scale+dy][x+i*scale+dx] = v
				}
			}
		}
	}
}

// twoCodes lays ours and another code (both with their quiet zones) side
// by side or one above the other, in either order, a few modules apart.
func twoCodes(rng *rand.Rand, ours, other [][]bool) ([][]bool, string) {
	a, b := ours, other
	order := "ours first"
	if rng.IntN(2) == 1 {
		a, b, order = other, ours, "other first"
	}
	gap := rng.IntN(5)
	na, nb := len(a), len(b)
	off := rng.IntN(abs(na-nb) + 1)
	if rng.IntN(3) == 0 {
		g := grid(max(na, nb), na+gap+nb)
		paste(g, a, 0, 0, 1)
		paste(g, b, off*boolInt(na > nb), na+gap, 1)
		return g, "above each other, " + order
	}
	g := grid(na+gap+nb, max(na, nb))
	paste(g, a, 0, off*boolInt(nb > na), 1)
	paste(g, b, na+gap, off*boolInt(na > nb), 1)
	return g, "side by side, " + order
}

// nest prints ours (its quiet zone cut to two modules) in the centre of a
// code of version 10–14 at level H, two of our modules to one of its, and
// returns the outer code's text, the composite and the outer version. The
// hole must leave the outer code readable on its own module grid.
func nest(rng *rand.Rand, ours [][]bool) (string, [][]bool, int, error) {
	inner := make([][]bool, 0, len(ours)-4)
	for _, row := range ours[2 : len(ours)-2] {
		inner = append(inner, row[2:len(row)-2])
	}
	ni := len(inner)
	for v := 10 + rng.IntN(3); v <= 14; v++ {
		text, q, err := versionCode(rng, v, qrcode.Highest)
		if err != nil {
			return "", nil, 0, err
		}
		outer := q.Bitmap()
		n := len(outer)
		g := grid(2*n, 2*n)
		paste(g, outer, 0, 0, 2)
		hole := (ni + 1) / 2
		at := 2 * ((n - hole) / 2)
		for y := at; y < at+2*hole; y++ {
			for x := at; x < at+2*hole; x++ {
				g[y][x] = false
			}
		}
		paste(g, inner, at, at, 1)
		// The outer code as its own sampling grid sees it.
		seen := grid(n, n)
		for y := range seen {
			for x := range seen[y] {
				seen[y][x] = g[2*y][2*x]
			}
		}
		if idealDecode(seen) == text {
			return text, g, v, nil
		}
	}
	return "", nil, 0, fmt.Errorf("corpus: no outer code survives the nested one")
}

// textCard is a card of n×n modules with lines of print and no code.
func textCard(rng *rand.Rand, n int) [][]bool {
	g := grid(n, n)
	for y := 6; y+2 < n-6; y += 5 {
		for x := 4; x < n-4; {
			word := 2 + rng.IntN(6)
			for i := x; i < min(x+word, n-4); i++ {
				g[y][i], g[y+1][i] = rng.IntN(4) > 0, rng.IntN(4) > 0
			}
			x += word + 1 + rng.IntN(2)
		}
	}
	return g
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
