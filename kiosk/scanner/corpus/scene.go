package corpus

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
)

// scene is one photograph to draw: a card (badge paper or phone screen)
// carrying the code, posed in front of a camera, and the light and sensor
// that record it. defaultScene fills in a mild, ordinary version of each
// property; the classes then push one of them to its limit.
type scene struct {
	w, h int
	bits [][]bool // the code's modules, quiet zone included; true is ink

	modulePx         float64 // pixels per module, seen face-on
	cx, cy           float64 // card centre in the frame
	roll, tilt, axis float64 // radians; see pose
	focal            float64 // pinhole focal length, pixels
	margin           float64 // paper beyond the quiet zone, in modules
	ink, paper       float32 // grey levels of the modules and the paper
	bg               [3]float32
	clutter          []rect
	exposure         float64                    // overall gain: <1 is a dark hall
	light            func(x, y float64) float64 // multiplicative light field
	lightName        string
	glare            []spot
	screen           *screen     // set for a photographed phone screen
	badge            *image.RGBA // set for a rendered badge: the card's face
	badgePx          float64     // the badge's width in the frame, face-on
	blur, noise      float64     // optics and sensor, pixels and grey levels
	blots            []blot      // occluders on the code, in module coordinates
}

// rect is clutter in the background: a sleeve, a lanyard, a door frame.
type rect struct {
	r   image.Rectangle
	col [3]float32
}

// spot is a specular highlight: lamp light reflected off a laminated badge
// or a phone's glass, added on top and saturating the sensor.
type spot struct{ x, y, r, amp float64 }

// screen is a phone display seen by the camera: an RGB subpixel grid,
// pxPerModule screen pixels to a module of the code it shows.
type screen struct {
	pxPerModule float64
	fill        float64 // lit share of each subpixel's width
}

func defaultScene(w, h int, bits [][]bool, rng *rand.Rand) *scene {
	sc := &scene{
		w: w, h: h, bits: bits,
		modulePx: 3 + rng.Float64()*2,
		roll:     rad(rng.Float64()*24 - 12),
		tilt:     rad(rng.Float64() * 10),
		axis:     rng.Float64() * 2 * math.Pi,
		focal:    1.1 * float64(w),
		margin:   1 + rng.Float64()*3,
		ink:      25 + float32(rng.Float64()*25),
		paper:    195 + float32(rng.Float64()*35),
		exposure: 1,
		blur:     0.5 + rng.Float64()*0.3,
		noise:    2 + rng.Float64()*2,
		light:    func(_, _ float64) float64 { return 1 },
	}
	g := 110 + float32(rng.Float64()*60)
	sc.bg = [3]float32{g, g - 5, g - 12}
	sc.cx = float64(w)/2 + (rng.Float64()-0.5)*float64(w)/4
	sc.cy = float64(h)/2 + (rng.Float64()-0.5)*float64(h)/5
	// A dark sleeve at the bottom and a red lanyard: edges and colour for
	// the binarizer to ignore.
	sc.clutter = []rect{
		{image.Rect(0, h-h/3+rng.IntN(40), w/3+rng.IntN(w/4), h), [3]float32{30, 30, 48}},
		{image.Rect(w*2/3+rng.IntN(w/5), 0, w*2/3+rng.IntN(w/5)+18, h), [3]float32{200, 40, 40}},
	}
	return sc
}

// codeSide is the code's side in modules, quiet zone included.
func (sc *scene) codeSide() float64 { return float64(len(sc.bits)) }

// codeWidth is the width of bits in modules: a sheet of two codes side by
// side (see twoCodes) is wider than it is tall.
func (sc *scene) codeWidth() float64 { return float64(len(sc.bits[0])) }

// draw renders the scene to an 8-bit frame.
func (sc *scene) draw(rng *rand.Rand) *image.RGBA {
	nw, n, m := sc.codeWidth(), sc.codeSide(), sc.margin
	corners := pose(sc.cx, sc.cy, sc.modulePx*(nw+2*m), sc.modulePx*(n+2*m), sc.roll, sc.tilt, sc.axis, sc.focal)
	toCard := solveHomography(corners, [4][2]float64{{-m, -m}, {nw + m, -m}, {nw + m, n + m}, {-m, n + m}})
	if b := sc.badge; b != nil {
		// Card coordinates are the badge image's pixels.
		tw, th := float64(b.Rect.Dx()), float64(b.Rect.Dy())
		corners = pose(sc.cx, sc.cy, sc.badgePx, sc.badgePx*th/tw, sc.roll, sc.tilt, sc.axis, sc.focal)
		toCard = solveHomography(corners, [4][2]float64{{0, 0}, {tw, 0}, {tw, th}, {0, th}})
	}
	// The sensor integrates each pixel's area: 3×3 samples. A screen gets
	// only 2×2, because the aliasing of its subpixel grid against the
	// sensor grid is exactly the moiré being imitated.
	ss := 3
	if sc.screen != nil {
		ss = 2
	}
	// Outside the card's bounding box one sample of background will do.
	box := image.Rectangle{Min: image.Pt(sc.w, sc.h)} // empty, grown below
	for _, c := range corners {
		box.Min.X, box.Min.Y = min(box.Min.X, int(c[0])-2), min(box.Min.Y, int(c[1])-2)
		box.Max.X, box.Max.Y = max(box.Max.X, int(c[0])+3), max(box.Max.Y, int(c[1])+3)
	}
	r := newRaster(sc.w, sc.h)
	var acc [3]float32
	for y := 0; y < sc.h; y++ {
		for x := 0; x < sc.w; x++ {
			acc = [3]float32{}
			if !image.Pt(x, y).In(box) {
				c := sc.background(x, y)
				lf := float32(sc.light(float64(x), float64(y)) * sc.exposure)
				for ch := 0; ch < 3; ch++ {
					r.c[ch][y*sc.w+x] = c[ch] * lf
				}
				continue
			}
			for j := 0; j < ss; j++ {
				for i := 0; i < ss; i++ {
					px := float64(x) + (float64(i)+0.5)/float64(ss)
					py := float64(y) + (float64(j)+0.5)/float64(ss)
					c := sc.sample(px, py, toCard)
					acc[0] += c[0]
					acc[1] += c[1]
					acc[2] += c[2]
				}
			}
			k := float32(ss * ss)
			lf := float32(sc.light(float64(x), float64(y)) * sc.exposure)
			for ch := 0; ch < 3; ch++ {
				r.c[ch][y*sc.w+x] = acc[ch] / k * lf
			}
		}
	}
	for _, s := range sc.glare {
		r.each(func(x, y, _ int, v float32) float32 {
			dx, dy := float64(x)-s.x, float64(y)-s.y
			return v + float32(s.amp*math.Exp(-(dx*dx+dy*dy)/(2*s.r*s.r)))
		})
	}
	r.blur(sc.blur)
	r.noise(rng, sc.noise)
	return r.rgba()
}

// sample is the light arriving from the scene at frame point (px, py).
func (sc *scene) sample(px, py float64, toCard homography) [3]float32 {
	u, v := toCard.apply(px, py)
	if b := sc.badge; b != nil {
		x, y := int(math.Floor(u)), int(math.Floor(v))
		if !image.Pt(x, y).In(b.Rect) {
			return sc.background(int(px), int(py))
		}
		c := b.RGBAAt(x, y)
		// Printed, not emitted: paper white is the scene's paper level.
		k := sc.paper / 255
		return [3]float32{float32(c.R) * k, float32(c.G) * k, float32(c.B) * k}
	}
	nw, n, m := sc.codeWidth(), sc.codeSide(), sc.margin
	if u < -m || v < -m || u >= nw+m || v >= n+m {
		return sc.background(int(px), int(py))
	}
	val := sc.paper
	if u >= 0 && v >= 0 && u < nw && v < n && sc.bits[int(v)][int(u)] {
		val = sc.ink
	}
	for _, b := range sc.blots {
		if b.covers(u, v) {
			val = b.grey
			break
		}
	}
	if sc.screen == nil {
		return [3]float32{val, val, val * 0.97}
	}
	// Subpixel stripes R, G, B across each screen pixel, dark gaps between
	// them and between rows; lit parts are brighter so the average matches.
	su, sv := (u+m)*sc.screen.pxPerModule, (v+m)*sc.screen.pxPerModule
	fx, fy := su-math.Floor(su), sv-math.Floor(sv)
	var out [3]float32
	if fy < 0.1 || fy > 0.9 {
		return out
	}
	ch := int(fx * 3)
	within := fx*3 - float64(ch)
	gap := (1 - sc.screen.fill) / 2
	if within < gap || within > 1-gap {
		return out
	}
	out[ch] = val * float32(1/(sc.screen.fill*0.8))
	return out
}

// background is the scene behind the card at pixel (x, y).
func (sc *scene) background(x, y int) [3]float32 {
	for _, c := range sc.clutter {
		if image.Pt(x, y).In(c.r) {
			return c.col
		}
	}
	return sc.bg
}

// unevenLight gives a light field that varies across the code: a strong
// gradient (a lamp to one side), a vignette, or a hard shadow (a hand or
// the kiosk's own frame) across part of the code.
func unevenLight(sc *scene, rng *rand.Rand) func(x, y float64) float64 {
	half := sc.modulePx * (sc.codeSide() + 2*sc.margin) / 2
	ang := rng.Float64() * 2 * math.Pi
	dx, dy := math.Cos(ang), math.Sin(ang)
	switch kind := rng.IntN(3); kind {
	case 0:
		lo := 0.15 + rng.Float64()*0.2
		sc.lightName = fmt.Sprintf("gradient %.2f to 1 across the code", lo)
		return func(x, y float64) float64 {
			t := ((x-sc.cx)*dx + (y-sc.cy)*dy) / (2 * half)
			t = min(max(t+0.5, 0), 1)
			return lo + (1-lo)*t
		}
	case 1:
		ox, oy := sc.cx+dx*half, sc.cy+dy*half
		rad := half * (0.8 + rng.Float64()*0.6)
		sc.lightName = fmt.Sprintf("vignette radius %.0f px off-centre", rad)
		return func(x, y float64) float64 {
			d2 := ((x-ox)*(x-ox) + (y-oy)*(y-oy)) / (rad * rad)
			return 0.15 + 0.95*math.Exp(-d2/1.5)
		}
	default:
		depth := 0.25 + rng.Float64()*0.2
		off := (rng.Float64() - 0.5) * half
		sc.lightName = fmt.Sprintf("hard shadow to %.2f", depth)
		return func(x, y float64) float64 {
			t := ((x-sc.cx)*dx + (y-sc.cy)*dy - off) / 3 // 3 px penumbra
			return depth + (1-depth)/(1+math.Exp(-t))
		}
	}
}

// addGlare puts one or two highlights on the code.
func addGlare(sc *scene, rng *rand.Rand) string {
	half := sc.modulePx * sc.codeSide() / 2
	k := 1 + rng.IntN(2)
	for i := 0; i < k; i++ {
		sc.glare = append(sc.glare, spot{
			x:   sc.cx + (rng.Float64()-0.5)*half*1.2,
			y:   sc.cy + (rng.Float64()-0.5)*half*1.2,
			r:   half * (0.12 + rng.Float64()*0.15),
			amp: 180 + rng.Float64()*150,
		})
	}
	return fmt.Sprintf("%d spot(s), radius %.0f px", k, sc.glare[0].r)
}

// screenMoire turns the card into a phone screen showing the code.
func screenMoire(sc *scene, rng *rand.Rand) string {
	sc.modulePx = 3 + rng.Float64()*3
	// Each camera pixel spans 1.2–2.8 screen pixels: a phone held 20–40 cm
	// from a 720p webcam.
	sc.screen = &screen{pxPerModule: sc.modulePx * (1.2 + rng.Float64()*1.6), fill: 0.7}
	sc.ink, sc.paper = 4, 215+float32(rng.Float64()*40)
	sc.margin = 0.5 + rng.Float64()*2
	sc.blur = 0.4 + rng.Float64()*0.4
	return fmt.Sprintf("%.1f screen px per module, %.1f camera px per module", sc.screen.pxPerModule, sc.modulePx)
}

// mixed is an ordinary bad frame: a bit of everything at once.
func mixed(sc *scene, rng *rand.Rand) string {
	sc.modulePx = 2.5 + rng.Float64()*1.5
	sc.tilt = rad(10 + rng.Float64()*20)
	sc.blur = 0.8 + rng.Float64()*0.8
	sc.noise = 4 + rng.Float64()*5
	sc.exposure = 0.5 + rng.Float64()*0.5
	lo := 0.45 + rng.Float64()*0.3
	ang := rng.Float64() * 2 * math.Pi
	dx, dy := math.Cos(ang), math.Sin(ang)
	sc.light = func(x, y float64) float64 {
		t := min(max(((x-sc.cx)*dx+(y-sc.cy)*dy)/300+0.5, 0), 1)
		return lo + (1-lo)*t
	}
	return fmt.Sprintf("module %.1f px, tilt %.0f°, blur %.1f, noise %.0f, exposure %.2f, light from %.2f",
		sc.modulePx, deg(sc.tilt), sc.blur, sc.noise, sc.exposure, lo)
}
