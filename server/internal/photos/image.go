// Package photos takes attendees' photos in: it decodes an uploaded image
// within limits, turns it the right way up, crops it to the 证件照 ratio
// 3:4, shrinks it to at most 600×800 and encodes it again as a JPEG, so
// that nothing of the original file (EXIF, the camera, the place it was
// taken, comments, colour profiles) is kept; it reads a ZIP of such photos
// as a stranger's ZIP (import.go), and matches its file names to attendees
// by 编号, 身份证号 or name (match.go), with a report before anything is
// stored.
package photos

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

// The stored photo: a 证件照 (3 wide, 4 high), at most Width×Height, as
// a JPEG of Quality.
const (
	Width   = 600
	Height  = 800
	Quality = 85
)

// Limits on one image, checked before it is decoded.
const (
	// MaxFileBytes bounds one photo file: a phone's photo fits.
	MaxFileBytes = 8 << 20
	// MaxPixels bounds the pixels of one photo, read from its header
	// before it is decoded (image.DecodeConfig): a 24 MP camera fits, a
	// decompression bomb (a small file declaring 60000×60000) does not.
	MaxPixels = 24_000_000
	// minSide is the shortest side a photo may have: a thumbnail is no
	// use on a badge or at the door.
	minSide = 60
)

// pixelBudget is MaxPixels; the fuzz tests lower it, so that each of
// their inputs decodes in milliseconds rather than seconds.
var pixelBudget int64 = MaxPixels

// Problem is why an image or a ZIP cannot be taken, with a stable code
// and a sentence in Chinese and English.
type Problem struct {
	Code   string
	Zh, En string
}

func (p *Problem) Error() string { return p.Code + ": " + p.En }

func problem(code, zh, en string) *Problem { return &Problem{Code: code, Zh: zh, En: en} }

// Photo is a normalised photo, ready to store.
type Photo struct {
	JPEG          []byte
	Width, Height int
}

// Normalize checks data (a JPEG or PNG) against the limits, decodes it,
// turns it upright as its EXIF orientation says, crops it to 3:4 and
// shrinks it to fit Width×Height (never enlarging), and encodes it anew.
// The error is a *Problem.
func Normalize(data []byte) (Photo, error) {
	if len(data) > MaxFileBytes {
		return Photo{}, problem("photo_too_large",
			fmt.Sprintf("照片文件超过 %d MB", MaxFileBytes>>20), fmt.Sprintf("the photo file is larger than %d MB", MaxFileBytes>>20))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Photo{}, notImage()
	}
	// Other packages of the binary register more formats (GIF, WebP …);
	// only these two are taken, with decoders that honour the declared
	// size.
	var decode func([]byte) (image.Image, error)
	switch format {
	case "jpeg":
		decode = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
	case "png":
		decode = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
	default:
		return Photo{}, notImage()
	}
	if int64(cfg.Width)*int64(cfg.Height) > pixelBudget {
		return Photo{}, problem("photo_too_many_pixels",
			fmt.Sprintf("照片像素过多（%d×%d，上限 %d 万像素），请缩小后再导入", cfg.Width, cfg.Height, MaxPixels/10_000),
			fmt.Sprintf("the photo has too many pixels (%d×%d, at most %d MP); shrink it first", cfg.Width, cfg.Height, MaxPixels/1_000_000))
	}
	if cfg.Width < minSide || cfg.Height < minSide {
		return Photo{}, problem("photo_too_small",
			fmt.Sprintf("照片太小（%d×%d），至少 %d×%d", cfg.Width, cfg.Height, minSide, minSide),
			fmt.Sprintf("the photo is too small (%d×%d); at least %d×%d", cfg.Width, cfg.Height, minSide, minSide))
	}
	img, err := decode(data)
	if err != nil {
		return Photo{}, problem("photo_unreadable", "照片文件已损坏，无法读取", "the photo file is damaged and cannot be read")
	}
	if o := orientation(data); format == "jpeg" && o > 1 {
		// Turning pixels one by one is slow on a 24 MP photo: shrink
		// first (keeping the ratio), then turn, then crop.
		img = orient(shrink(img, 2*Height), o)
	}
	out := fit(img)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: Quality}); err != nil {
		return Photo{}, err
	}
	return Photo{JPEG: buf.Bytes(), Width: out.Bounds().Dx(), Height: out.Bounds().Dy()}, nil
}

// declaredPixels is the pixels an image's header declares, 0 when it has
// none readable.
func declaredPixels(data []byte) int64 {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0
	}
	return int64(cfg.Width) * int64(cfg.Height)
}

func notImage() *Problem {
	return problem("not_photo", "不是 JPEG 或 PNG 照片", "not a JPEG or PNG photo")
}

// shrink scales img down, keeping its ratio, so that neither side is
// longer than side.
func shrink(img image.Image, side int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return img
	}
	if w >= h {
		w, h = side, max(h*side/w, 1)
	} else {
		w, h = max(w*side/h, 1), side
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// fit crops img to 3:4 about its middle (a little higher than the middle
// when cutting height, where a portrait's face is) and scales it to fit
// Width×Height, on white where it was transparent.
func fit(img image.Image) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	crop := b
	if w*4 > h*3 { // too wide: cut the sides
		cw := h * 3 / 4
		x := b.Min.X + (w-cw)/2
		crop = image.Rect(x, b.Min.Y, x+cw, b.Max.Y)
	} else if w*4 < h*3 { // too tall: cut more below than above
		ch := w * 4 / 3
		y := b.Min.Y + (h-ch)/3
		crop = image.Rect(b.Min.X, y, b.Max.X, y+ch)
	}
	cw, ch := crop.Dx(), crop.Dy()
	if cw > Width || ch > Height {
		cw, ch = Width, Height
	}
	dst := image.NewRGBA(image.Rect(0, 0, max(cw, 1), max(ch, 1)))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, crop, draw.Over, nil)
	return dst
}
