// The face engine, the only way pages use faces (issue 15): finds faces in
// a frame and computes the descriptor a reference is made of, in a worker
// (/kiosk/face-worker.js) running Human on tfjs's WebAssembly backend, all
// from files this server embeds. Nothing leaves the browser through here:
// pages send a reference or a judge() answer where the task says.
//
//   const engine = await openFace();            // loads and warms up, ~1 s
//   const r = await engine.analyse(bitmapOrCanvasOrBlobOrVideo);
//   judge(r, fromBase64(holder.face))           // {result:'pass'|'fail'|'noface', distance}
//
// A reference travels as base64 of 1024 signed bytes: round(127 × the
// L2-normalised descriptor), made by this MODEL only.

/** The descriptor model and version; references of another MODEL are not comparable. */
export const MODEL = 'human-3.3.6/faceres';

/**
 * Cosine distance at or under which two descriptors are taken as one
 * person (docs/dev/face-spike.md: measured on augmented captures of single
 * photos, so the real false-reject rate with old ID photos is higher).
 */
export const THRESHOLD = 0.30;

const DIM = 1024;

/** The face check cannot run here: .code, .zh and .en say why. */
export class FaceUnavailable extends Error {
  constructor(code, zh, en, detail) {
    super(en + (detail ? ' (' + detail + ')' : ''));
    this.name = 'FaceUnavailable';
    this.code = code;
    this.zh = zh;
    this.en = en;
  }
}

const words = {
  face_unsupported: ['此浏览器无法进行人脸核验', 'this browser cannot run the face check'],
  face_load: ['人脸核验模型未能加载', 'the face check models could not be loaded'],
  face_backend: ['此设备无法以 WebAssembly 运行人脸核验（过慢），请人工核对', 'this device cannot run the face check in WebAssembly (too slow); check by eye'],
  face_timeout: ['人脸核验模型加载超时', 'the face check models took too long to load'],
  face_closed: ['人脸核验已关闭', 'the face check is closed'],
  face_failed: ['人脸核验出错', 'the face check failed'],
};

function unavailable(code, detail) {
  const [zh, en] = words[code] || words.face_failed;
  return new FaceUnavailable(code, zh, en, detail);
}

/**
 * Starts the engine and answers it once its models are loaded and warmed
 * up. opts:
 *   maxFaces (default 1, the fastest: the detector's most certain face;
 *     with more, faces[0] is the largest, i.e. the nearest person, and the
 *     desk's photo check can see that only one face is in the picture, at
 *     the cost of the mesh and descriptor again for each extra face);
 *   live (default true: the advisory antispoof and liveness scores);
 *   warm (an image of a face to warm up with); worker (its URL); timeoutMs.
 * Throws FaceUnavailable.
 */
export async function openFace(opts = {}) {
  const { maxFaces = 1, live = true, warm = null, worker: url = '/kiosk/face-worker.js', timeoutMs = 60000 } = opts;
  if (typeof Worker !== 'function' || typeof createImageBitmap !== 'function' ||
      typeof OffscreenCanvas !== 'function' || typeof WebAssembly !== 'object') {
    throw unavailable('face_unsupported');
  }
  const warmBitmap = warm ? await createImageBitmap(warm) : null;
  const w = new Worker(url);
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(unavailable('face_timeout')), timeoutMs);
    function fail(err) {
      clearTimeout(timer);
      w.terminate();
      reject(err);
    }
    w.onerror = (ev) => { ev.preventDefault(); fail(unavailable('face_load', ev.message || 'the worker did not start')); };
    w.onmessage = (ev) => {
      const m = ev.data;
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m);
      } else if (m.type === 'failed') {
        fail(unavailable(m.code, m.error));
      }
    };
    w.postMessage({ type: 'open', maxFaces, live, warm: warmBitmap }, warmBitmap ? [warmBitmap] : []);
  });
  return new FaceEngine(w, ready);
}

/** A running engine, from openFace. */
export class FaceEngine {
  #worker;
  #pending = new Map();
  #seq = 0;
  #closed = false;

  constructor(worker, ready) {
    this.#worker = worker;
    /** What the worker said when ready: backend ('wasm'), loadMs, warmMs. */
    this.info = { backend: ready.backend, loadMs: ready.loadMs, warmMs: ready.warmMs };
    worker.onmessage = (ev) => {
      const m = ev.data;
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.result);
      else p.reject(unavailable('face_failed', m.error));
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      this.#failAll(unavailable('face_failed', ev.message));
    };
  }

  /**
   * Finds faces in src (an ImageBitmap, canvas, video element or Blob; the
   * caller keeps it) and answers {ms, width, height, faces}: ms is the time
   * the worker took; faces, largest first, each {box: {x, y, w, h} in px,
   * score, real, live, embedding}, where embedding is an Int8Array(1024)
   * on faces[0] only, and null with {embed: false}.
   */
  async analyse(src, { embed = true } = {}) {
    if (this.#closed) throw unavailable('face_closed');
    const bitmap = await createImageBitmap(src); // a copy, moved to the worker
    if (this.#closed) {
      bitmap.close();
      throw unavailable('face_closed');
    }
    const id = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ type: 'analyse', id, bitmap, embed }, [bitmap]);
    });
  }

  /** Stops the worker; pending analyses reject with FaceUnavailable. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker.terminate();
    this.#failAll(unavailable('face_closed'));
  }

  #failAll(err) {
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}

/** The cosine distance (0 same direction … 2 opposite) of two references. */
export function distance(a, b) {
  if (!(a instanceof Int8Array) || !(b instanceof Int8Array) || a.length !== DIM || b.length !== DIM) {
    throw new TypeError('distance: two Int8Array(' + DIM + ') references');
  }
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < DIM; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) return 1;
  return 1 - dot / Math.sqrt(na * nb);
}

/** The wire format of a reference: base64 of its 1024 signed bytes. */
export function toBase64(ref) {
  if (!(ref instanceof Int8Array) || ref.length !== DIM) throw new TypeError('toBase64: an Int8Array(' + DIM + ')');
  const bytes = new Uint8Array(ref.buffer, ref.byteOffset, ref.byteLength);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** A reference from its wire format; throws TypeError on anything else. */
export function fromBase64(str) {
  let s;
  try {
    s = atob(String(str));
  } catch {
    throw new TypeError('fromBase64: not base64');
  }
  if (s.length !== DIM) throw new TypeError('fromBase64: ' + s.length + ' bytes, want ' + DIM);
  const out = new Int8Array(DIM);
  for (let i = 0; i < DIM; i++) out[i] = (s.charCodeAt(i) << 24) >> 24;
  return out;
}

/**
 * Compares an analyse() answer's largest face with a reference (an
 * Int8Array or its base64): pass at a distance ≤ THRESHOLD, fail above,
 * noface (distance null) when no face with a descriptor was found.
 */
export function judge(result, ref) {
  const face = result && result.faces && result.faces[0];
  if (!face || !face.embedding) return { result: 'noface', distance: null };
  const d = distance(face.embedding, typeof ref === 'string' ? fromBase64(ref) : ref);
  return { result: d <= THRESHOLD ? 'pass' : 'fail', distance: Math.round(d * 1000) / 1000 };
}
