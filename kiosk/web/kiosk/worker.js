// The kiosk's scanner worker: runs the Go scanner core (kiosk/wasm) off the
// page's thread, so decoding never makes the screen stutter. A classic
// worker, because wasm_exec.js is loaded with importScripts.
//
// Messages in:  {type:'frame', bitmap}        -> {type:'frame', text, ms, grabMs} | {type:'frame', error}
//               {type:'keys', json}           -> {type:'keys', error}
//               {type:'cache', json}          -> {type:'cache', error}
//               {type:'call', id, fn, args}   -> {type:'answer', id, value}
//                 fn verify(text) -> verdict; decide(scanJSON, checkpointJSON, passesJSON) -> {result, pass?};
//                 passOf(resultJSON) -> pass | null
// Out, once:    {type:'ready', loadMs} or {type:'failed', error}
'use strict';

const started = performance.now();
let canvas = null;
let ctx = null;

self.huiwuScannerReady = () => {
  self.postMessage({ type: 'ready', loadMs: Math.round(performance.now() - started) });
};

async function boot() {
  try {
    importScripts('/kiosk/wasm_exec.js');
    const go = new Go();
    const resp = fetch('/kiosk/scanner.wasm');
    const { instance } = await WebAssembly.instantiateStreaming(resp, go.importObject);
    // go.run resolves only when the Go program exits, which it never does:
    // readiness comes from huiwuScannerReady instead.
    go.run(instance);
  } catch (err) {
    self.postMessage({ type: 'failed', error: String(err && err.message || err) });
  }
}

// grey turns a frame into the 8-bit luminance plane the core reads, with
// the scanner's own weights (R+2G+B)/4.
function grey(bitmap) {
  const w = bitmap.width, h = bitmap.height;
  if (!canvas || canvas.width !== w || canvas.height !== h) {
    canvas = new OffscreenCanvas(w, h);
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  }
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const out = new Uint8Array(w * h);
  for (let i = 0, j = 0; j < out.length; i += 4, j++) {
    out[j] = (rgba[i] + 2 * rgba[i + 1] + rgba[i + 2]) >> 2;
  }
  return { pix: out, w, h };
}

self.onmessage = (ev) => {
  const m = ev.data;
  const core = self.huiwuScanner;
  if (m.type === 'frame') {
    if (!core) { m.bitmap.close(); self.postMessage({ type: 'frame', error: 'not ready' }); return; }
    const t0 = performance.now();
    const g = grey(m.bitmap);
    const grabMs = performance.now() - t0;
    const r = core.decode(g.pix, g.w, g.h);
    self.postMessage({ type: 'frame', text: r.text || '', ms: r.ms, grabMs, error: r.error });
  } else if (m.type === 'keys') {
    const err = core ? core.setKeys(m.json) : 'not ready';
    self.postMessage({ type: 'keys', error: err });
  } else if (m.type === 'cache') {
    const err = core ? core.setCache(m.json) : 'not ready';
    self.postMessage({ type: 'cache', error: err });
  } else if (m.type === 'call') {
    self.postMessage({ type: 'answer', id: m.id, value: call(core, m.fn, m.args) });
  }
};

// call runs one of the core's JSON functions; without the core, a scan is
// invalid (not_ready), as it would be with no keys.
function call(core, fn, args) {
  if (fn === 'verify') {
    return core ? JSON.parse(core.verify(args[0])) : { ok: false, status: 'invalid', code: 'not_ready' };
  }
  if (fn === 'decide') {
    const out = core ? JSON.parse(core.decide(args[0], args[1], args[2])) : { error: 'not ready' };
    if (!out.error) return out;
    const scan = JSON.parse(args[0]);
    return { result: { status: 'invalid', code: 'not_ready', offline: true, scan_id: scan.scan_id,
      scanned_at: scan.scanned_at, message: {} } };
  }
  if (fn === 'passOf') {
    const p = core ? core.passOf(args[0]) : '';
    return p ? JSON.parse(p) : null;
  }
  return null;
}

boot();
