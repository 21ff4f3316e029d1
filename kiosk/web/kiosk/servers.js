// The servers this kiosk may use (issue 17.4). Several Huiwu servers share
// one database; the kiosk learns their base URLs when it pairs and from
// every GET /device, and holds them here, the one it paired with (the
// page's own origin) first. Every call of the kiosk goes through this
// module to the current server. A call that gets no answer — refused,
// timed out (3 s when there is somewhere else to go) or 502/503/504 —
// moves the kiosk to the next server and is sent there once more; the
// scan_id makes a scan sent twice count once. Away from the first server,
// the kiosk asks the first's /api/v1/health every 30 s and moves back when
// it answers. When no server answers, the call throws Unreachable as
// before and the offline queue takes the scans (offline.js).
//
// The page stays on its own origin: the other servers are called across
// origins with the bearer token (their CORS admits the peers' pages), and
// the websocket (watch.js) follows the current server.
import { API, call, fetchBlob, Unreachable } from '/static/common/api.js';
import { bi } from '/static/common/dom.js';

const LIST_KEY = 'huiwu.kiosk.servers'; // localStorage: the list, kept across reloads
const PROBE_KEY = 'huiwu.kiosk.probe_ms'; // localStorage: the probe interval, for tests
const PROBE_MS = 30000;
const MOVE_TIMEOUT_MS = 3000; // a call's bound when another server could answer it
const HOME = location.origin;

/** origin is the origin of a base URL, or '' for anything but http(s). */
function origin(u) {
  try {
    const x = new URL(u);
    return x.protocol === 'http:' || x.protocol === 'https:' ? x.origin : '';
  } catch {
    return '';
  }
}

/** ordered puts the page's own origin first, drops what is not a server and repeats. */
function ordered(list) {
  const out = [HOME];
  for (const u of list || []) {
    const o = origin(u);
    if (o && !out.includes(o)) out.push(o);
  }
  return out;
}

/** Servers holds the list and the one in use; `servers` below is the kiosk's. */
export class Servers {
  constructor() {
    let saved = [];
    try { saved = JSON.parse(localStorage.getItem(LIST_KEY) || '[]'); } catch { saved = []; }
    this.list = ordered(saved);
    this.current = 0;
    this.moves = []; // [{from, to, why, at}], for tests and the operator's console
    this.listeners = [];
    this.timer = 0;
  }

  /** origin is the server in use. */
  get origin() { return this.list[this.current]; }

  /** base is the prefix of the current server's API: relative on the page's own server. */
  base(prefix = API, at = this.origin) { return at === HOME ? prefix : at + prefix; }

  /** adopt takes the list a server answered; the server in use stays in use if listed. */
  adopt(list) {
    if (!Array.isArray(list)) return;
    const next = ordered(list);
    if (next.join(' ') === this.list.join(' ')) return;
    const using = this.origin;
    this.list = next;
    localStorage.setItem(LIST_KEY, JSON.stringify(next));
    const i = next.indexOf(using);
    if (i >= 0) {
      this.current = i;
      this.show();
    } else {
      this.moveTo(0, 'dropped');
    }
  }

  /** forget drops the list: the kiosk was unpaired or revoked. */
  forget() {
    localStorage.removeItem(LIST_KEY);
    this.list = [HOME];
    this.moveTo(0, 'forgotten');
    this.show();
  }

  /** onMove calls fn(origin) whenever the kiosk moves to another server. */
  onMove(fn) { this.listeners.push(fn); }

  moveTo(i, why) {
    clearTimeout(this.timer);
    this.timer = 0;
    if (i !== this.current) {
      this.moves.push({ from: this.origin, to: this.list[i], why, at: Date.now() });
      if (this.moves.length > 50) this.moves.shift();
      this.current = i;
      console.info(`kiosk server: now ${this.origin} (${why})`);
      this.show();
      for (const fn of this.listeners) fn(this.origin);
    }
    // Away from the first server, look every so often whether it is back.
    if (this.current !== 0) this.timer = setTimeout(() => this.probe(), this.interval());
  }

  interval() { return Number(localStorage.getItem(PROBE_KEY)) || PROBE_MS; }

  /** probe asks the first server's health and moves back to it when it answers. */
  async probe() {
    this.timer = 0;
    if (this.current === 0) return;
    const first = this.list[0];
    let back = false;
    try {
      const h = await call('GET', '/health', undefined, { base: this.base(API, first), timeout: MOVE_TIMEOUT_MS });
      back = !!(h && h.ok);
    } catch {
      back = false;
    }
    if (this.current === 0 || this.timer) return; // moved meanwhile
    if (back) this.moveTo(0, 'back');
    else this.timer = setTimeout(() => this.probe(), this.interval());
  }

  /**
   * via runs send(base, opts) at the current server; with no answer there
   * it moves to the next and sends once more. opts carries the bound.
   */
  async via(send, opts = {}) {
    if (this.list.length < 2) return send(this.base(), opts);
    // A bound the caller chose (a big upload's) stays; otherwise 3 s.
    const bounded = { ...opts, timeout: opts.timeout || MOVE_TIMEOUT_MS };
    const at = this.current;
    try {
      return await send(this.base(), bounded);
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      // Another call may have moved already: then only follow it.
      if (this.current === at) this.moveTo((at + 1) % this.list.length, 'unreachable');
      return send(this.base(), bounded);
    }
  }

  /** call is api.js's call at the current server, moving on as via does. */
  call(method, path, body, opts = {}) {
    return this.via((base, o) => call(method, path, body, { ...o, base }), opts);
  }

  /** blob is api.js's fetchBlob at the current server. */
  blob(method, path, body, opts = {}) {
    return this.via((base, o) => fetchBlob(method, path, body, { ...o, base }), opts);
  }

  /** socketURL is the current server's websocket address for path. */
  socketURL(path) {
    const u = new URL(path, this.origin);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    return u;
  }

  /** show writes the server in use into the status line, when there is a choice. */
  show() {
    const el = document.getElementById('server');
    if (!el) return;
    const host = new URL(this.origin).host;
    el.hidden = this.list.length < 2;
    el.dataset.origin = this.origin;
    el.dataset.index = String(this.current);
    el.classList.toggle('fallback', this.current !== 0);
    el.title = this.list.join('\n');
    el.replaceChildren(...bi(`服务器 ${host}${this.current ? '（备用）' : ''}`, `server ${this.current + 1} of ${this.list.length}`));
  }
}

export const servers = new Servers();
