package corpus

import (
	"fmt"
	"image"
	"image/draw"
	"math/rand/v2"
	"sync"

	"huiwu/badge/render"
)

// badgeRenderer is the project's badge renderer, made once: parsing the
// fonts is the slow part.
var badgeRenderer = sync.OnceValues(render.Default)

// badgeNames are printed on the corpus badges: hard glyphs included, as on
// real ones.
var badgeNames = []string{"张伟", "刘䶮", "王喆", "阿卜杜拉·买买提", "欧阳晓燕", "李建国"}

// badgeScene makes the card a badge as the project prints it (badge/render,
// the CR80, A7, A6 or lanyard layout), holding text, the category band and
// the QR, seen whole in the frame as a kiosk camera sees a badge held up
// at arm's length. The QR is then only 1.5–4 pixels a module.
func badgeScene(sc *scene, text string, rng *rand.Rand) (string, error) {
	r, err := badgeRenderer()
	if err != nil {
		return "", err
	}
	size := []string{"cr80", "a7", "a6", "lanyard"}[rng.IntN(4)]
	b := &render.Badge{
		Event: "云江省第十四届人民代表大会第三次会议", Name: badgeNames[rng.IntN(len(badgeNames))],
		Title: "代表", Organization: "云江省人民代表大会常务委员会", Delegation: "北湖代表团",
		Seat: "主会场 A区5排12座", Category: "deputy", CategoryName: "代表", Color: "#C8102E",
		Token: text, Serial: 1 + rng.Int64N(99999),
	}
	// 150 dpi leaves two or more badge pixels to each camera pixel.
	img, err := r.BadgeImage(b, render.Options{Size: size, DPI: 150})
	if err != nil {
		return "", err
	}
	rgba := image.NewRGBA(img.Bounds().Sub(img.Bounds().Min))
	draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	sc.badge = rgba
	sc.badgePx = float64(sc.w) * (0.45 + rng.Float64()*0.4)
	if h := sc.badgePx * float64(rgba.Rect.Dy()) / float64(rgba.Rect.Dx()); h > 0.9*float64(sc.h) {
		sc.badgePx *= 0.9 * float64(sc.h) / h // a tall layout still fits
	}
	sc.cx, sc.cy = float64(sc.w)/2+(rng.Float64()-0.5)*float64(sc.w)/8, float64(sc.h)/2
	return fmt.Sprintf("%s badge %.0f px wide, tilt %.0f°", size, sc.badgePx, deg(sc.tilt)), nil
}
