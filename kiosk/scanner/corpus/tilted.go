package corpus

import (
	"fmt"
	"image"
	"math/rand/v2"

	qrcode "github.com/skip2/go-qrcode"
)

// Tilted draws one w×h frame as the tilt trait classes do (tiltx…,
// tilty…), for tests that show a code to a whole camera pipeline rather
// than to the decoder: text's QR code as badges print it (go-qrcode at
// level M, four-module quiet zone) on paper, turned exactly angle degrees
// about the frame's x or y axis (about is 'x' or 'y') in true
// perspective. Which edge recedes, the roll, the module size and the light
// and sensor come from seed. It answers the frame and a description of
// the pose for the test's log.
func Tilted(text string, about byte, angle float64, w, h int, seed uint64) (*image.RGBA, string, error) {
	if about != 'x' && about != 'y' {
		return nil, "", fmt.Errorf("corpus: tilt about %q, want 'x' or 'y'", about)
	}
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, "", err
	}
	rng := rand.New(rand.NewPCG(seed, traitStream))
	sc := tiltScene(w, h, q.Bitmap(), rng, about, angle, 0)
	desc := fmt.Sprintf("tilt %.1f° about %c, axis %.0f°, roll %.1f°, module %.1f px face-on, version %d",
		deg(sc.tilt), about, deg(sc.axis), deg(sc.roll), sc.modulePx, q.VersionNumber)
	return sc.draw(rng), desc, nil
}
