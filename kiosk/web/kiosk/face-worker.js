// The face engine's worker: runs Human (@vladmandic/human, vendored under
// /static/vendor/human/) on tfjs's WebAssembly backend off the page's
// thread. Pages never talk to it directly: kiosk/web/common/face.js does.
// Served at /kiosk/face-worker.js (inside the kiosk's service-worker scope,
// so its fetches come from the cache when offline) with the kiosk's CSP,
// whose 'wasm-unsafe-eval' the backend needs. A classic worker: human.js
// is the IIFE build, loaded with importScripts.
//
// Messages in:  {type:'open', maxFaces, live, warm?: ImageBitmap}
//                 -> {type:'ready', backend, loadMs, warmMs} | {type:'failed', code, error}
//               {type:'analyse', id, bitmap, embed}
//                 -> {type:'result', id, result} | {type:'error', id, error}
// result: {ms, width, height, faces:[{box:{x,y,w,h}, score, real, live, embedding}]}
// with faces largest first and embedding (Int8Array(1024): round(127 × the
// L2-normalised descriptor)) on faces[0] only.
'use strict';

const BASE = '/static/vendor/human/';
const DIM = 1024;

let human = null;
// Frames are handled one at a time: Human keeps state between detections.
let queue = Promise.resolve();

function config(maxFaces, live) {
  return {
    backend: 'wasm',
    wasmPath: BASE + 'wasm/',
    modelBasePath: BASE + 'models/',
    // The models are embedded in the server and cached by the service
    // worker; no second copy in IndexedDB.
    cacheModels: false,
    // Human's own warm-up fetches a data: URL, which connect-src 'self'
    // refuses: warmUp below does it instead.
    warmup: 'none',
    // Every frame is a new decision: no reuse of an earlier frame's boxes.
    cacheSensitivity: 0,
    skipAllowed: false,
    debug: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { rotation: true, maxDetected: maxFaces, minConfidence: 0.5, skipFrames: 0, skipTime: 0, return: false },
      mesh: { enabled: true },
      attention: { enabled: false },
      iris: { enabled: false },
      emotion: { enabled: false },
      gear: { enabled: false },
      description: { enabled: true, skipFrames: 0, skipTime: 0 },
      antispoof: { enabled: live, skipFrames: 0, skipTime: 0 },
      liveness: { enabled: live, skipFrames: 0, skipTime: 0 },
    },
  };
}

async function open(m) {
  const t0 = performance.now();
  let h;
  try {
    importScripts(BASE + 'human.js');
    h = new Human.Human(config(m.maxFaces || 1, m.live !== false));
    await h.load();
  } catch (err) {
    self.postMessage({ type: 'failed', code: 'face_load', error: String(err && err.message || err) });
    return;
  }
  // Human quietly falls back to WebGL or the CPU when WebAssembly is
  // refused (a CSP without 'wasm-unsafe-eval', an old browser): seconds a
  // frame, far too slow to answer at a door.
  const backend = h.tf.getBackend();
  if (backend !== 'wasm') {
    self.postMessage({ type: 'failed', code: 'face_backend', error: 'backend ' + backend + ', not wasm' });
    return;
  }
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  try {
    human = h;
    await warmUp(m.warm);
  } catch (err) {
    human = null;
    self.postMessage({ type: 'failed', code: 'face_load', error: 'warm-up: ' + String(err && err.message || err) });
    return;
  }
  self.postMessage({ type: 'ready', backend, loadMs: Math.round(loadMs), warmMs: Math.round(performance.now() - t1) });
}

// warmUp runs each model once on zeros (as Human's own compile pass does)
// and the whole pipeline on a blank frame, and on a real one when the page
// gave one, so the first frame that matters is not the slow one.
async function warmUp(frame) {
  const tf = human.tf;
  for (const model of Object.values(human.models.models)) {
    if (!model || !model.inputs || !model.inputs[0]) continue;
    const shape = (model.inputs[0].shape || [1, 64, 64, 3]).map((d, i) => (d > 0 ? d : (i === 0 ? 1 : 64)));
    const input = tf.zeros(shape, model.inputs[0].dtype || 'float32');
    try {
      const out = model.execute(input);
      for (const t of Array.isArray(out) ? out : [out]) tf.dispose(t);
    } catch {
      // A model whose graph needs more than one input: the frames below
      // warm it.
    }
    tf.dispose(input);
  }
  const blank = new OffscreenCanvas(640, 480);
  const g = blank.getContext('2d');
  g.fillStyle = '#808080';
  g.fillRect(0, 0, 640, 480);
  await detect(blank, true);
  if (frame) {
    await detect(frame, true);
    frame.close();
  }
}

// quantise turns a descriptor into the reference wire format.
function quantise(desc) {
  if (!desc || desc.length !== DIM) return null;
  let n = 0;
  for (const v of desc) n += v * v;
  n = Math.sqrt(n);
  if (!(n > 0)) return null;
  const out = new Int8Array(DIM);
  for (let i = 0; i < DIM; i++) out[i] = Math.max(-127, Math.min(127, Math.round((127 * desc[i]) / n)));
  return out;
}

async function detect(input, embed) {
  const t0 = performance.now();
  const res = await human.detect(input, { face: { description: { enabled: embed } } });
  const ms = performance.now() - t0;
  const faces = (res.face || [])
    .map((f) => ({ f, area: f.box[2] * f.box[3] }))
    .sort((a, b) => b.area - a.area)
    .map(({ f }, i) => ({
      box: { x: Math.round(f.box[0]), y: Math.round(f.box[1]), w: Math.round(f.box[2]), h: Math.round(f.box[3]) },
      score: round(f.score),
      real: typeof f.real === 'number' ? round(f.real) : null,
      live: typeof f.live === 'number' ? round(f.live) : null,
      embedding: i === 0 && embed ? quantise(f.embedding) : null,
    }));
  return { ms: Math.round(ms), width: input.width, height: input.height, faces };
}

function round(v) {
  return Math.round(v * 1000) / 1000;
}

async function analyse(m) {
  try {
    const result = await detect(m.bitmap, m.embed !== false);
    m.bitmap.close();
    const moved = result.faces[0] && result.faces[0].embedding ? [result.faces[0].embedding.buffer] : [];
    self.postMessage({ type: 'result', id: m.id, result }, moved);
  } catch (err) {
    if (m.bitmap) m.bitmap.close();
    self.postMessage({ type: 'error', id: m.id, error: String(err && err.message || err) });
  }
}

self.onmessage = (ev) => {
  const m = ev.data;
  if (m.type === 'open') {
    queue = queue.then(() => open(m));
  } else if (m.type === 'analyse') {
    if (!human) {
      m.bitmap.close();
      self.postMessage({ type: 'error', id: m.id, error: 'not open' });
      return;
    }
    queue = queue.then(() => analyse(m));
  }
};
