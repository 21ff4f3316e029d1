// Offline: when the server does not answer, the kiosk keeps deciding with
// what it last synced — the signing keys and revocation list, checked by
// the Go core in the worker — and its own memory of whom it let through.
// Every scan is queued in IndexedDB and uploaded through /checkins/batch
// when the server is back; the server's scan_id idempotency makes a resend
// after a lost answer harmless, so each scan is logged exactly once.
import { call, token, Unreachable } from './api.js';
import { queue, passed, dayKey } from './store.js';

const KEYS_KEY = 'huiwu.kiosk.keys';
const CACHE_KEY = 'huiwu.kiosk.cache';
const BEAT_ONLINE_MS = 15000;
const BEAT_OFFLINE_MS = 3000; // probe often while away, to upload soon after the server is back
const KEYS_EVERY_MS = 120000; // keys, revocations and guidance
const BATCH = 200;

const ACCEPTED = new Set(['ok', 'already', 'reentry']);

/** Offline keeps the kiosk deciding and syncing. */
export class Offline {
  constructor(scanner, checkpoint, setOnline, timeZone, refresh) {
    this.refresh = refresh; // re-reads the device, so a move at the desk shows without a scan
    this.scanner = scanner;
    this.checkpoint = checkpoint;
    this.timeZone = timeZone;
    this.setOnline = setOnline;
    this.running = false;
    this.wasOffline = false;
    this.flushing = null;
    this.keysAt = 0;
    this.windows = [];
    const keys = localStorage.getItem(KEYS_KEY);
    const cache = localStorage.getItem(CACHE_KEY);
    if (cache) this.windows = JSON.parse(cache).windows || [];
    scanner.whenReady.then((ok) => {
      if (ok && keys) scanner.setKeys(keys);
      if (ok && cache) scanner.setCache(cache);
    });
  }

  /** start runs the heartbeat; safe to call again. */
  start() {
    if (this.running) return;
    this.running = true;
    this.beat();
  }

  async beat() {
    if (!token.get()) { // unpaired: nothing to report until paired again
      setTimeout(() => this.beat(), BEAT_OFFLINE_MS);
      return;
    }
    let online = false;
    try {
      const n = await queue.count();
      this.showQueue(n);
      await call('POST', '/device/status', { queued: n, offline: this.wasOffline });
      online = true;
    } catch (err) {
      online = !(err instanceof Unreachable);
    }
    this.setOnline(online);
    if (online) {
      this.wasOffline = false;
      await this.flush().catch(() => {});
      await this.refresh().catch(() => {});
      if (Date.now() - this.keysAt > KEYS_EVERY_MS) await this.syncKeys().catch(() => {});
    } else {
      this.wasOffline = true;
    }
    setTimeout(() => this.beat(), online ? BEAT_ONLINE_MS : BEAT_OFFLINE_MS);
  }

  /**
   * syncKeys fetches the keys and revocations, and the sealed guidance
   * cache for this checkpoint, and hands them to the core. Both are kept
   * in localStorage so a kiosk restarted without the server still decides.
   */
  async syncKeys() {
    const keys = JSON.stringify(await call('GET', '/keys'));
    localStorage.setItem(KEYS_KEY, keys);
    const doc = await call('GET', '/kiosk/cache', undefined, 20000);
    const cache = JSON.stringify(doc);
    localStorage.setItem(CACHE_KEY, cache);
    this.windows = doc.windows || [];
    this.keysAt = Date.now();
    if (await this.scanner.whenReady) {
      this.scanner.setKeys(keys);
      this.scanner.setCache(cache);
    }
  }

  showQueue(n) {
    const q = document.getElementById('queue');
    q.hidden = !n;
    q.textContent = `待上传 ${n} · queued`;
    q.dataset.count = String(n);
  }

  /** flush uploads the queue; one flush at a time. */
  flush() {
    if (!this.flushing) {
      this.flushing = this.upload().finally(() => { this.flushing = null; });
    }
    return this.flushing;
  }

  async upload() {
    for (;;) {
      const scans = (await queue.all()).slice(0, BATCH);
      if (!scans.length) break;
      let res;
      try {
        res = await call('POST', '/checkins/batch', { scans }, 15000);
      } catch (err) {
        if (err instanceof Unreachable) this.setOnline(false);
        throw err;
      }
      // A scan the server decided (a status) or refused for good (an
      // error entry: it would be refused again) is done; anything else
      // stays queued. A batch the server could not store fails whole
      // (the call above throws) and the queue is kept.
      const done = (res.results || []).map((r, i) => (r && (r.status || r.error) ? scans[i].scan_id : null)).filter(Boolean);
      await queue.remove(done);
      const dup = (res.results || []).filter((r) => r.flags && r.flags.includes('offline_duplicate'));
      if (dup.length) console.info('offline duplicates flagged by the server:', dup.length);
      this.showQueue(await queue.count());
    }
  }

  /** passKey names one pass: per session or meal when known, else per day. */
  passKey(cp, attendee, when, windowId) {
    return `${cp.id}|${attendee}|${windowId || dayKey(when)}`;
  }

  /** remember notes an online result, so a later offline scan knows it. */
  remember(res) {
    const cp = this.checkpoint();
    if (!cp || !res.attendee || !ACCEPTED.has(res.status) || cp.kind === 'exit') return;
    const at = res.first_at || res.scanned_at;
    passed.put({ key: this.passKey(cp, res.attendee.id, new Date(), res.session_id || res.meal_id), at }).catch(() => {});
  }

  /** decide judges a scan locally and queues it; answers a result like the server's. */
  async decide(req) {
    const cp = this.checkpoint() || {};
    await queue.add({ ...req, offline: true });
    this.showQueue(await queue.count());
    const v = await this.scanner.verify(req.token);
    const res = { status: v.ok ? 'ok' : v.status, code: v.code || '', offline: true, scan_id: req.scan_id,
      scanned_at: req.scanned_at, message: {} };
    if (!v.ok) return res;
    const when = new Date(req.scanned_at);
    const rec = v.record;
    let windowId = '';
    if (rec) {
      res.attendee = rec.attendee;
      if (rec.cancelled) return { ...res, status: 'cancelled' };
      const g = rec.guidance || {};
      if (cp.kind === 'lodging') {
        if (!g.lodging) return { ...res, status: 'not_entitled' };
        res.guidance = g.lodging;
      } else {
        const open = this.windows.filter((w) => when >= new Date(w.opens_at) && when <= new Date(w.closes_at));
        if (!open.length) return { ...res, status: 'outside_window' };
        const w = open.find((x) => g[x.id]);
        if (!w) {
          const hall = rec.wrong_hall && rec.wrong_hall[open[0].id];
          if (hall) res.message = { zh: `请到${hall}用餐`, en: `Your meal is served in ${hall}` };
          return { ...res, status: 'not_entitled' };
        }
        windowId = w.id;
        res.guidance = g[w.id];
        res.late = cp.kind === 'entrance' && when > new Date(w.starts_at);
      }
    }
    const key = this.passKey(cp, v.attendee, when, windowId);
    const prev = await passed.get(key);
    if (cp.kind === 'exit') {
      res.status = 'exit';
    } else if (prev) {
      // In the event's time zone, as the server words its answers.
      const t = new Date(prev.at).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false,
        timeZone: this.timeZone() || undefined });
      res.status = cp.kind === 'meal' ? 'meal_used' : 'already';
      res.first_at = prev.at;
      res.message = { zh: `本机已于 ${t} 记录`, en: `Recorded here at ${t}` };
    } else {
      await passed.put({ key, at: req.scanned_at });
    }
    return res;
  }
}
