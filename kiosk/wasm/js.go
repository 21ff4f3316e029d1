//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"syscall/js"
	"time"

	"huiwu/kiosk/scanner"
)

// jsDecode is huiwuScanner.decode(grey, width, height). It answers an
// object rather than throwing: a Go panic escaping into JavaScript would stop
// the runtime, and with it every later scan.
func (c *core) jsDecode(_ js.Value, args []js.Value) any {
	out := js.Global().Get("Object").New()
	if len(args) < 3 {
		out.Set("error", "decode(grey, width, height)")
		return out
	}
	start := time.Now()
	w, h := args[1].Int(), args[2].Int()
	n := args[0].Get("length").Int()
	if w <= 0 || h <= 0 || w*h > maxFramePixels || n < w*h {
		out.Set("error", "bad frame size")
		return out
	}
	buf := make([]byte, w*h)
	js.CopyBytesToGo(buf, args[0])
	text, err := c.decodeGrey(buf, w, h)
	out.Set("ms", since(start))
	switch {
	case err == nil:
		out.Set("text", text)
	case errors.Is(err, scanner.ErrNoCode):
		out.Set("text", "")
	default:
		out.Set("error", err.Error())
	}
	return out
}

// jsSetKeys is huiwuScanner.setKeys(json): "" or the error.
func (c *core) jsSetKeys(_ js.Value, args []js.Value) any {
	if len(args) < 1 {
		return "setKeys(json)"
	}
	if err := c.setKeys([]byte(args[0].String())); err != nil {
		return err.Error()
	}
	return ""
}

// jsSetCache is huiwuScanner.setCache(json): "" or the error.
func (c *core) jsSetCache(_ js.Value, args []js.Value) any {
	if len(args) < 1 {
		return "setCache(json)"
	}
	if err := c.setCache([]byte(args[0].String())); err != nil {
		return err.Error()
	}
	return ""
}

// jsVerify is huiwuScanner.verify(text): the Verdict as JSON text.
func (c *core) jsVerify(_ js.Value, args []js.Value) any {
	if len(args) < 1 {
		return `{"ok":false,"status":"invalid","code":"malformed_token"}`
	}
	b, _ := json.Marshal(c.verify(args[0].String()))
	return string(b)
}

// jsDecide is huiwuScanner.decide(scanJSON, checkpointJSON, passesJSON):
// {result, pass?} as JSON text, or {"error"} for arguments it cannot read.
func (c *core) jsDecide(_ js.Value, args []js.Value) any {
	if len(args) < 3 {
		return `{"error":"decide(scan, checkpoint, passes)"}`
	}
	d, err := c.decide([]byte(args[0].String()), []byte(args[1].String()), []byte(args[2].String()))
	if err != nil {
		b, _ := json.Marshal(map[string]string{"error": err.Error()})
		return string(b)
	}
	b, _ := json.Marshal(d)
	return string(b)
}

// jsPassOf is huiwuScanner.passOf(resultJSON): the pass to keep of a
// server's answer as JSON text, or "" when it tells nothing.
func (c *core) jsPassOf(_ js.Value, args []js.Value) any {
	if len(args) < 1 {
		return ""
	}
	p, err := c.passOf([]byte(args[0].String()))
	if err != nil || p == nil {
		return ""
	}
	b, _ := json.Marshal(p)
	return string(b)
}
