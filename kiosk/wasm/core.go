package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"time"

	"huiwu/badge/credential"
	"huiwu/kiosk/rules"
	"huiwu/kiosk/scanner"
)

// maxFramePixels bounds what a frame may claim, so a bad message from the
// page cannot make the core allocate without limit. 1920×1080 fits.
const maxFramePixels = 1920 * 1080

// core is the state the worker's calls share: the grey frame buffer, reused
// between frames to spare the garbage collector, and the offline kiosk
// (keys, revocations and the facts cache last synced, and the rules).
type core struct {
	frame *image.Gray
	kiosk *rules.Kiosk
}

func newCore() *core {
	return &core{kiosk: rules.NewKiosk()}
}

// decodeGrey reads the QR code in a w×h grey plane; of several, the one
// choose picks.
func (c *core) decodeGrey(pix []byte, w, h int) (string, error) {
	if w <= 0 || h <= 0 || w*h > maxFramePixels || len(pix) < w*h {
		return "", fmt.Errorf("bad frame %dx%d with %d bytes", w, h, len(pix))
	}
	if c.frame == nil || c.frame.Rect.Dx() != w || c.frame.Rect.Dy() != h {
		c.frame = image.NewGray(image.Rect(0, 0, w, h))
	}
	copy(c.frame.Pix, pix[:w*h])
	texts, err := scanner.DecodeAll(c.frame)
	if err != nil {
		return "", err
	}
	return c.choose(texts), nil
}

// choose is the text of a frame's codes (at least one) that the kiosk acts
// on (issue 18: a poster or a phone's other app in view beside the badge):
// a badge the keyring admits; else a Huiwu token that fails verification
// (revoked, another event's, forged), so that its holder is told why; else
// a token of a newer server; else the first read, which the kiosk answers
// as not a badge. Ties go to the first read.
func (c *core) choose(texts []string) string {
	if len(texts) == 1 {
		return texts[0] // the usual frame: no verification twice
	}
	best, rank := texts[0], 0
	for _, t := range texts {
		r := 0
		_, _, err := credential.Parse(t)
		switch {
		case err == nil && c.verify(t).OK:
			r = 3
		case err == nil:
			r = 2
		case errors.Is(err, credential.ErrVersion):
			r = 1
		}
		if r > rank {
			best, rank = t, r
		}
	}
	return best
}

// setKeys replaces the keyring and revocation list (GET /api/v1/keys).
func (c *core) setKeys(doc []byte) error { return c.kiosk.SetKeys(doc) }

// setCache replaces the offline facts cache (GET /api/v1/kiosk/cache).
func (c *core) setCache(doc []byte) error { return c.kiosk.SetCache(doc) }

// verify checks a token's signature, event and revocation.
func (c *core) verify(text string) rules.Verdict { return c.kiosk.Verify(text) }

// Decision is decide's answer: the result to show, and the pass the kiosk
// keeps of it, if any.
type Decision struct {
	Result rules.Result `json:"result"`
	Pass   *rules.Pass  `json:"pass,omitempty"`
}

// decide answers a scan offline: scan is the request the kiosk queues
// ({token, checkpoint, scan_id, scanned_at}), here the checkpoint the desk
// last put the kiosk at ({id, kind, venue, door}), passes the kiosk's own
// passes of the badge's holder.
func (c *core) decide(scan, here, passes []byte) (Decision, error) {
	var s rules.Scan
	if err := json.Unmarshal(scan, &s); err != nil {
		return Decision{}, fmt.Errorf("scan: %w", err)
	}
	var cp rules.Checkpoint
	if len(here) > 0 {
		if err := json.Unmarshal(here, &cp); err != nil {
			return Decision{}, fmt.Errorf("checkpoint: %w", err)
		}
	}
	var own []rules.Pass
	if len(passes) > 0 {
		if err := json.Unmarshal(passes, &own); err != nil {
			return Decision{}, fmt.Errorf("passes: %w", err)
		}
	}
	res, p := c.kiosk.Decide(s, cp, own)
	return Decision{Result: res, Pass: p}, nil
}

// passOf is the pass the kiosk keeps of the server's answer, if any.
func (c *core) passOf(result []byte) (*rules.Pass, error) {
	var r rules.Result
	if err := json.Unmarshal(result, &r); err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	return c.kiosk.PassOf(&r), nil
}

// since is milliseconds since t, for the worker's timing figures.
func since(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }
