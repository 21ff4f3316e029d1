// The page's side of the scanner worker: frames in, decoded text out, and
// the Go core's offline work — verifying tokens with the keys last synced,
// deciding scans with kiosk/rules.

/** Scanner wraps the worker running the Go scanner core. */
export class Scanner {
  constructor(onText) {
    this.onText = onText;
    this.ready = false;
    this.failed = '';
    this.pending = null; // the frame being decoded
    this.calls = new Map(); // id -> resolve, for verify, decide and passOf
    this.nextId = 1;
    this.stats = { decodeMs: [], hitMs: [], grabMs: [], firstDecodeAt: 0, readyMs: 0 };
    this.whenReady = new Promise((resolve) => { this.resolveReady = resolve; });
    this.worker = new Worker('/kiosk/worker.js');
    this.worker.onmessage = (ev) => this.receive(ev.data);
    this.worker.onerror = (ev) => { this.failed = ev.message || 'worker error'; this.resolveReady(false); };
  }

  receive(m) {
    if (m.type === 'ready') {
      this.ready = true;
      this.stats.readyMs = m.loadMs;
      this.resolveReady(true);
    } else if (m.type === 'failed') {
      this.failed = m.error;
      this.resolveReady(false);
    } else if (m.type === 'frame') {
      if (typeof m.ms === 'number') {
        push(this.stats.decodeMs, m.ms);
        push(this.stats.grabMs, m.grabMs);
      }
      if (m.text) {
        push(this.stats.hitMs, m.ms); // frames that held a code, apart: misses try every binarizer
        if (!this.stats.firstDecodeAt) this.stats.firstDecodeAt = performance.now();
        this.onText(m.text, 'camera');
      }
      const p = this.pending;
      this.pending = null;
      if (p) p();
    } else if (m.type === 'answer') {
      const r = this.calls.get(m.id);
      this.calls.delete(m.id);
      if (r) r(m.value);
    }
  }

  /** frame hands one ImageBitmap over and resolves when it is decoded. */
  frame(bmp) {
    if (!this.ready || this.pending) { bmp.close(); return Promise.resolve(); }
    return new Promise((resolve) => {
      this.pending = resolve;
      this.worker.postMessage({ type: 'frame', bitmap: bmp }, [bmp]);
    });
  }

  /** setKeys gives the core the /keys document (text). */
  setKeys(json) { this.worker.postMessage({ type: 'keys', json }); }

  /** setCache gives the core the sealed guidance cache (text). */
  setCache(json) { this.worker.postMessage({ type: 'cache', json }); }

  /** verify checks a token offline: {ok, status, code, attendee, serial}. */
  verify(text) { return this.call('verify', [text]); }

  /**
   * decide answers a scan offline with the rules, from the cached facts of
   * the badge at checkpoint here ({id, kind, venue, door}) and passes (this
   * kiosk's own of its holder): {result, pass?}.
   */
  decide(scan, here, passes) {
    return this.call('decide', [JSON.stringify(scan), JSON.stringify(here), JSON.stringify(passes)]);
  }

  /** passOf is the pass to keep of a server's answer, or null. */
  passOf(res) { return this.call('passOf', [JSON.stringify(res)]); }

  async call(fn, args) {
    await this.whenReady;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.calls.set(id, resolve);
      this.worker.postMessage({ type: 'call', id, fn, args });
    });
  }
}

// push keeps the last 200 timings.
function push(list, v) {
  list.push(v);
  if (list.length > 200) list.shift();
}
