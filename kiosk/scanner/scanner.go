// Package scanner finds and reads the QR code in an image.
//
// It is the one decoding core behind the kiosk's camera (compiled to
// WebAssembly and fed video frames), the server's /api/v1/decode endpoint and
// the `decode FILE...` command, so a code that one of them reads, all of them
// read. Like the credential package it does no I/O: callers hand it pixels or
// bytes. The text it returns is untrusted until a credential.Keyring has
// verified it.
package scanner

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // register: phones and desks send all three formats
	_ "image/jpeg" // register
	_ "image/png"  // register
	"strings"

	"github.com/makiuchi-d/gozxing"

	"huiwu/badge/credential"
)

var (
	// ErrNoCode: no readable QR code in the image. For a camera frame this
	// is the normal case between badges, not a failure worth logging.
	ErrNoCode = errors.New("scanner: no QR code found")

	// ErrTooLarge: the data or the image it declares exceeds the caller's
	// limits. Refused before decoding, so a small file that declares a huge
	// image cannot make us allocate it.
	ErrTooLarge = errors.New("scanner: image too large")

	// ErrFormat: the data is not a PNG, JPEG or GIF image, or is corrupt.
	ErrFormat = errors.New("scanner: not a readable PNG, JPEG or GIF image")
)

// Default limits for callers without their own (see DecodeBytes).
const (
	// DefaultMaxBytes fits a full-resolution phone photo.
	DefaultMaxBytes = 10 << 20
	// DefaultMaxPixels is 4096×4096: a 12-megapixel phone photo fits, and the
	// decoded image plus its luminance stay under about 100 MB.
	DefaultMaxPixels = 4096 * 4096
)

// hints are gozxing's decoding options, shared read-only by all calls.
var hints = map[gozxing.DecodeHintType]interface{}{
	// Badges are held at angles and under hall lighting; the few extra
	// milliseconds are worth fewer "hold still" moments at the door.
	gozxing.DecodeHintType_TRY_HARDER: true,
	// No CHARACTER_SET hint: for byte-mode text without an ECI header (how
	// go-qrcode and most phones write Chinese) gozxing's guess picks UTF-8
	// whenever the bytes are valid UTF-8, and a fixed hint would only break
	// the rare Latin-1 code.
}

// Decode returns the text of the QR code in img, or ErrNoCode. Of several
// codes in the frame (see DecodeAll) it returns the first that looks like
// a Huiwu credential (credential.Prefix), or else the first read: a poster
// beside a badge does not hide the badge from a caller that wants one text.
func Decode(img image.Image) (string, error) {
	texts, err := DecodeAll(img)
	if err != nil {
		return "", err
	}
	return pick(texts), nil
}

// DecodeAll returns the texts of the QR codes in img, each once, in the
// order read, or ErrNoCode: a badge beside a poster's code, or printed
// inside a larger code, gives both texts, and the caller chooses (the
// kiosk takes the one its keyring verifies).
//
// It tries the cheap, usual case first and only then the fallbacks of
// passes.go, so a clear badge costs one pass of a few milliseconds, and a
// frame without a code stops at a fixed amount of work (see workBudget)
// rather than a clock: the kiosk decodes about ten frames a second in
// WebAssembly, where a frame that tries everything must not hold up the
// next.
func DecodeAll(img image.Image) (texts []string, err error) {
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return nil, ErrNoCode
	}
	// gozxing was ported from Java, where a bug throws; here it could panic,
	// and in the kiosk's WebAssembly a panic stops scanning for good. A frame
	// that crashes the decoder is a frame without a readable code.
	defer func() {
		if r := recover(); r != nil {
			texts, err = nil, fmt.Errorf("%w (decoder panic: %v)", ErrNoCode, r)
		}
	}()
	if texts := newAttempt(luminance(img)).run(); len(texts) > 0 {
		return texts, nil
	}
	return nil, ErrNoCode
}

// pick is the text of texts (at least one) most likely a badge's: the
// first with the token prefix. Only a keyring can tell whether it is
// genuine; a caller that has one (the kiosk) chooses from DecodeAll.
func pick(texts []string) string {
	for _, t := range texts {
		if strings.HasPrefix(t, credential.Prefix) {
			return t
		}
	}
	return texts[0]
}

// DecodeBytes decodes a PNG, JPEG or GIF image and returns the text of its QR
// code (of several, the one Decode picks). The data comes from the network
// or a user's file, so both limits are checked before the image is
// decoded: data longer than maxBytes, or an image
// declaring more than maxPixels pixels, gives ErrTooLarge. A limit of zero or
// less means the default (DefaultMaxBytes, DefaultMaxPixels), never "no
// limit": forgetting to set one must not open a hole.
func DecodeBytes(data []byte, maxBytes, maxPixels int) (string, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	if len(data) > maxBytes {
		return "", fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), maxBytes)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrFormat, err)
	}
	// Other packages in the same binary may register more formats; only the
	// three we chose (and whose decoders honour the declared size) are used.
	switch format {
	case "png", "jpeg", "gif":
	default:
		return "", fmt.Errorf("%w: format %s", ErrFormat, format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return "", fmt.Errorf("%w: empty %dx%d image", ErrFormat, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > int64(maxPixels) {
		return "", fmt.Errorf("%w: %dx%d pixels, limit %d", ErrTooLarge, cfg.Width, cfg.Height, maxPixels)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return Decode(img)
}
