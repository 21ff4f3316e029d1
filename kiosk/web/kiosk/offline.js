// Offline: when the server does not answer, the kiosk keeps deciding with
// what it last synced — the signing keys and revocation list, and the
// sealed facts cache — and its own memory of the passes it saw. The Go core
// in the worker decides, with the same rules (kiosk/rules) the server runs;
// this file only stores, queues and syncs. Every scan is queued in
// IndexedDB and uploaded through /checkins/batch when the server is back;
// the server's scan_id idempotency makes a resend after a lost answer
// harmless, so each scan is logged exactly once.
import { token, Unreachable } from '/static/common/api.js';
import { servers } from './servers.js';
import { queue, passed, synced } from './store.js';

const KEYS_KEY = 'huiwu.kiosk.keys'; // localStorage
const CACHE_KEY = 'huiwu.kiosk.cache'; // IndexedDB (store.js synced); localStorage before 刷脸
const BEAT_ONLINE_MS = 15000;
const BEAT_OFFLINE_MS = 3000; // probe often while away, to upload soon after the server is back
const KEYS_EVERY_MS = 120000; // keys, revocations and guidance
const BATCH = 200;

/** ended tells a cache whose event is over: the kiosk must not keep it. */
const ended = (doc) => !!doc.expires_at && Date.now() >= Date.parse(doc.expires_at);

/** Offline keeps the kiosk deciding and syncing. */
export class Offline {
  constructor(scanner, checkpoint, setOnline, refresh) {
    this.refresh = refresh; // re-reads the device, so a move at the desk shows without a scan
    this.scanner = scanner;
    this.checkpoint = checkpoint;
    this.setOnline = setOnline;
    this.running = false;
    this.wasOffline = false;
    this.flushing = null;
    this.keysAt = 0;
    this.expiresAt = 0; // when the event ends; the cache goes then
    // The cache's windows, in the clear, for the operator's console and
    // tests to read; the core decides with its own copy.
    this.windows = [];
    this.handout = []; // the items a scan here hands out (资料发放), named on offline results
    const keys = localStorage.getItem(KEYS_KEY);
    // The cache is read back from IndexedDB (a kiosk from before kept it
    // in localStorage: it moves over); one whose event is over goes.
    this.restored = this.restore();
    this.fresh = false; // a sync has handed the core newer keys and cache
    Promise.all([scanner.whenReady, this.restored]).then(([ok, cache]) => {
      if (!ok || this.fresh) return;
      if (keys) scanner.setKeys(keys);
      if (cache) scanner.setCache(cache);
    });
  }

  async restore() {
    try {
      let cache = localStorage.getItem(CACHE_KEY);
      if (cache) {
        await synced.put(CACHE_KEY, cache);
        localStorage.removeItem(CACHE_KEY);
      } else {
        cache = await synced.get(CACHE_KEY);
      }
      if (!cache) return null;
      const doc = JSON.parse(cache);
      if (ended(doc)) {
        await synced.remove(CACHE_KEY);
        return null;
      }
      this.hold(doc);
      return cache;
    } catch (err) {
      console.warn('offline cache unreadable:', err);
      return null;
    }
  }

  /** hold notes the cache's parts in the clear; the page says until when it holds one. */
  hold(doc) {
    this.windows = doc.windows || [];
    this.handout = doc.handout || [];
    this.expiresAt = Date.parse(doc.expires_at || '') || 0;
    document.body.dataset.cacheExpires = doc.expires_at || '';
  }

  /** start runs the heartbeat; safe to call again. */
  start() {
    if (this.running) return;
    this.running = true;
    this.beat();
  }

  async beat() {
    if (this.expiresAt && Date.now() >= this.expiresAt) this.forgetCache(); // the event is over
    if (!token.get()) { // unpaired: nothing to report until paired again
      setTimeout(() => this.beat(), BEAT_OFFLINE_MS);
      return;
    }
    let online = false;
    try {
      const n = await queue.count();
      this.showQueue(n);
      await servers.call('POST', '/device/status', { queued: n, offline: this.wasOffline });
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
   * syncKeys fetches the keys and revocations, and the sealed facts cache
   * for this checkpoint, and hands them to the core. The keys are kept in
   * localStorage and the cache in IndexedDB, so a kiosk restarted without
   * the server still decides.
   */
  async syncKeys() {
    const keys = JSON.stringify(await servers.call('GET', '/keys'));
    localStorage.setItem(KEYS_KEY, keys);
    const doc = await servers.call('GET', '/kiosk/cache', undefined, { timeout: 20000 });
    this.keysAt = Date.now();
    await this.restored;
    this.fresh = true; // the cache read back at start must not land after this one
    if (ended(doc)) {
      this.forgetCache();
      if (await this.scanner.whenReady) this.scanner.setKeys(keys);
      return;
    }
    const cache = JSON.stringify(doc);
    this.hold(doc);
    if (await this.scanner.whenReady) {
      this.scanner.setKeys(keys);
      this.scanner.setCache(cache);
    }
    await synced.put(CACHE_KEY, cache).catch((err) => console.warn('offline cache not stored:', err));
  }

  /** forget drops the cache and the keys: the kiosk was revoked. */
  forget() {
    localStorage.removeItem(KEYS_KEY);
    this.forgetCache();
  }

  /** forgetCache drops the sealed cache, from storage and from the core: the event is over. */
  forgetCache() {
    localStorage.removeItem(CACHE_KEY);
    this.restored.finally(() => synced.remove(CACHE_KEY)).catch(() => {});
    delete document.body.dataset.cacheExpires;
    this.windows = [];
    this.expiresAt = 0;
    this.scanner.whenReady.then((ok) => { if (ok) this.scanner.setCache(''); });
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
        res = await servers.call('POST', '/checkins/batch', { scans }, { timeout: 15000 });
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

  /** remember keeps what a server's answer tells of a pass, so a later offline scan knows it. */
  async remember(res) {
    const pass = await this.scanner.passOf(res);
    if (pass) await passed.put(res.scan_id, pass);
  }

  /**
   * decide queues a scan and has the core decide it: the rules over the
   * badge's cached facts and this kiosk's passes of its holder. Answers a
   * result like the server's.
   */
  async decide(req) {
    await queue.add({ ...req, offline: true });
    this.showQueue(await queue.count());
    const v = await this.scanner.verify(req.token);
    const passes = v.ok && v.attendee ? await passed.of(v.attendee).catch(() => []) : [];
    // Where the desk last put this kiosk: the core decides with the cache
    // only if it is this checkpoint's.
    const cp = this.checkpoint() || {};
    const here = { id: cp.id || '', kind: cp.kind || '', venue: cp.venue_id || '', door: cp.door || '' };
    const { result, pass } = await this.scanner.decide(req, here, passes);
    if (pass) await passed.put(req.scan_id, pass).catch(() => {});
    if (this.handout.length) result.handout_here = this.handout; // handout.js: what to check on the sign sheet
    return result;
  }
}
