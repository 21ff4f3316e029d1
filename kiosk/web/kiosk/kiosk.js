// The kiosk: pairing, then scanning with the camera or a USB scanner,
// deciding on the server when it answers and locally when it does not.
import { setup, token, Unreachable, APIError } from '/static/common/api.js';
import { h, bi } from '/static/common/dom.js';
import { Camera, problem } from './camera.js';
import { Scanner } from './scanner.js';
import { render, renderCheck, setPhoto, beep, tone, refusal, faceUnavailable } from './result.js';
import { FaceCheck, photoWait } from './face-check.js';
import { pair } from './pairing.js';
import { Offline } from './offline.js';
import { wipeStores } from './store.js';
import { EventWatch } from './watch.js';
import { servers } from './servers.js';

// The kiosk's device token; a call that has no answer in 4 s is Unreachable
// (3 s when another server could answer it: servers.js).
setup({ token: 'huiwu.kiosk.token', timeout: 4000 });

const $ = (id) => document.getElementById(id);
const DEVICE_KEY = 'huiwu.kiosk.device';
const WIPED_KEY = 'huiwu.kiosk.wiped'; // shown once on the pairing screen after a wipe
const RESULT_MS = 3000; // how long a result stays before scanning resumes
const SAME_CODE_MS = 2000; // the same code within this gap counts once

const state = {
  device: null, checkpoint: null, online: true, screen: 'boot', noEvent: false, wiping: false,
  last: { text: '', at: 0 }, resultTimer: 0,
};
const scanner = new Scanner((text, source) => onText(text, source));
const offline = new Offline(scanner, () => state.checkpoint, setOnline,
  () => loadDevice().catch(signedOut));
let camera = null;
// 刷脸 and the glance photo, where the event and this checkpoint ask for them.
const faces = new FaceCheck(scanner, () => !!(camera && camera.running));
// A change of the event definition (a window moved, this checkpoint moved
// to another door): read the device and the offline cache again at once.
let refreshing = null;
const watch = new EventWatch(() => {
  if (!refreshing) {
    refreshing = loadDevice(true).catch(signedOut).finally(() => { refreshing = null; });
  }
}, () => !state.noEvent);

// Tests and the operator's console read these: timings, the results shown,
// and the last codes seen (to tell "not read" from "read but deduplicated").
window.huiwuKiosk = { state, stats: scanner.stats, offline, watch, servers, results: [], sightings: [], face: faces.stats };
// Another server now: the websocket follows it at once.
servers.onMove(() => watch.reconnect());

function show(name) {
  // The result lies over the scan screen, which keeps its camera running
  // so the next person's badge is read at once.
  for (const id of ['boot', 'pair', 'scan', 'result', 'noevent']) $(id).hidden = !(id === name || (id === 'scan' && name === 'result'));
  state.screen = name;
  document.body.dataset.screen = name;
}

async function boot() {
  if (!token.get()) {
    const wiped = sessionStorage.getItem(WIPED_KEY);
    sessionStorage.removeItem(WIPED_KEY);
    return wiped ? startPairing('本机已被注销，存储的数据已清除；请重新配对', 'This kiosk was revoked and has wiped what it stored; pair it again')
      : startPairing('');
  }
  const cached = localStorage.getItem(DEVICE_KEY);
  if (cached) applyDevice(JSON.parse(cached));
  try {
    await loadDevice();
  } catch (err) {
    if (signedOut(err)) return;
    // Never having learnt its checkpoint, a kiosk cannot decide anything:
    // it waits for the server instead.
    if (!cached) return setTimeout(boot, 3000);
    setOnline(false);
  }
  startScanning();
}

/** isNoEvent tells the server's "no meeting set up yet" answer. */
const isNoEvent = (err) => err instanceof APIError && err.status === 404 && err.code === 'no_event';

/**
 * loadDevice reads who and where this kiosk is. resync also fetches the
 * keys and the offline cache, and waits for them: the event changed.
 */
async function loadDevice(resync = false) {
  const before = state.checkpoint && state.checkpoint.id;
  const wasNoEvent = state.noEvent;
  let self;
  try {
    self = await servers.call('GET', '/device');
  } catch (err) {
    if (isNoEvent(err)) return setNoEvent(true);
    throw err;
  }
  localStorage.setItem(DEVICE_KEY, JSON.stringify(self));
  servers.adopt(self.servers); // a change of the servers' -peers reaches the kiosk here
  applyDevice(self);
  if (!self.event || !self.event.id) {
    // No event in the answer: ask plainly whether the server has one.
    try {
      await servers.call('GET', '/event');
    } catch (err) {
      if (isNoEvent(err)) return setNoEvent(true);
      throw err;
    }
  }
  setNoEvent(false);
  // Keys and the guidance cache are per checkpoint: fetch them again when
  // the desk has moved this kiosk (the heartbeat refreshes them anyway).
  const now = self.checkpoint && self.checkpoint.id;
  if (resync) await offline.syncKeys();
  else if (!before || before !== now || wasNoEvent) offline.syncKeys().catch(() => {});
}

/** setNoEvent shows, or stops showing, that no meeting is set up yet. */
function setNoEvent(on) {
  state.noEvent = on;
  document.body.dataset.event = on ? 'none' : 'set';
  if (state.screen === 'scan' || state.screen === 'noevent') home();
}

/** home is the screen between scans: scanning, or why there is none. */
function home() {
  show(state.noEvent ? 'noevent' : 'scan');
  // A person's photo stays no longer than their result.
  $('result').dataset.scan = '';
  setPhoto($('result'), null);
}

function applyDevice(self) {
  state.device = self.device;
  state.event = self.event;
  state.checkpoint = self.checkpoint;
  faces.configure(self.event, self.checkpoint);
  const cp = self.checkpoint || {};
  const name = $('cp-name');
  // The door too, unless the name says it: a checkpoint moved to another
  // door shows at once.
  const door = cp.door && !(cp.name || '').includes(cp.door) ? ` · ${cp.door}` : '';
  name.replaceChildren(...bi((cp.name || '') + door, `${cp.name_en || ''} · ${self.device.name}`));
  name.dataset.kind = cp.kind || '';
  name.dataset.checkpoint = cp.id || '';
  name.dataset.door = cp.door || '';
  const dev = self.device || {};
  $('ne-device').textContent = dev.name ? `本机 ${dev.name} 已配对 · This kiosk (${dev.name}) is paired` : '';
}

function startPairing(msgZh, msgEn) {
  camera && camera.stop();
  show('pair');
  pair($('pair'), msgZh, msgEn, async (self) => {
    localStorage.setItem(DEVICE_KEY, JSON.stringify(self));
    await boot();
  });
}

/**
 * signedOut handles an answer saying this kiosk's token no longer counts,
 * and reports whether it was one.
 */
function signedOut(err) {
  if (!(err instanceof APIError) || err.status !== 401) return false;
  if (err.code === 'device_revoked') revoked();
  else unpaired();
  return true;
}

/** unpaired: the server does not know this token (its data was reset): pair again. */
function unpaired() {
  if (state.screen === 'pair' || state.wiping) return;
  token.clear();
  localStorage.removeItem(DEVICE_KEY);
  servers.forget();
  startPairing('本机需重新配对', 'This kiosk must be paired again');
}

/**
 * revoked: the desk revoked this kiosk, perhaps because it was stolen. It
 * hands in the scans it made before (the server takes those, and only
 * those, for a while), then forgets everything: its token, where it stood,
 * the keys, the sealed cache, its queue and the passes it saw. A reload
 * then starts a core that holds nothing.
 */
async function revoked() {
  if (state.wiping) return;
  state.wiping = true;
  camera && camera.stop();
  show('boot');
  offline.forget();
  try {
    await offline.flush();
  } catch (err) {
    if (err instanceof Unreachable) { // the queue is not handed in yet: try again
      state.wiping = false;
      setTimeout(revoked, 3000);
      return;
    }
  }
  await wipeStores().catch((err) => console.error('wipe:', err));
  token.clear();
  localStorage.removeItem(DEVICE_KEY);
  servers.forget();
  sessionStorage.setItem(WIPED_KEY, '1');
  location.reload();
}

async function startScanning() {
  home();
  servers.show();
  offline.start();
  watch.start();
  if (camera) {
    if (!camera.running) camera.start().catch(() => {}); // paired again after a revocation
    return;
  }
  // While a face is checked its frames go to the face engine, and no badge is decoded.
  camera = new Camera($('video'), $('cam-pick'), $('torch'), (bmp) => (faces.busy ? faces.frame(bmp) : scanner.frame(bmp)));
  try {
    await camera.start();
  } catch (err) {
    const [zh, en, howZh, howEn, flag] = problem(err);
    const box = $('cam-error');
    box.replaceChildren(h('b', {}, zh), h('span', { class: 'en' }, en), h('p', {}, howZh), h('p', { class: 'en' }, howEn));
    if (flag) box.append(h('code', {}, flag));
    box.dataset.error = window.isSecureContext && navigator.mediaDevices ? (err && err.name) || 'Error' : 'insecure';
    box.hidden = false;
    $('scan').querySelector('.prompt p').replaceChildren(...bi('请用扫码枪扫描证件', 'Scan your badge with the scanner'));
  }
}

/** setOnline shows plainly whether the server answers. */
function setOnline(on) {
  if (state.online === on) return;
  state.online = on;
  const net = $('net');
  net.className = 'net ' + (on ? 'online' : 'offline');
  net.replaceChildren(...bi(on ? '在线' : '离线', on ? 'Online' : 'Offline'));
  $('offline-banner').hidden = on;
}

/** onText takes a decoded or typed code; the same code within 2 s is one scan. */
function onText(raw, source) {
  const text = raw.trim();
  if (!text || state.screen === 'pair' || state.screen === 'boot' || state.screen === 'noevent' || faces.busy) return;
  const now = performance.now();
  const log = window.huiwuKiosk.sightings;
  log.push([Math.round(now), source, text.slice(-6)]);
  if (log.length > 100) log.shift();
  const same = text === state.last.text && now - state.last.at < SAME_CODE_MS;
  // A badge held in front of the camera keeps being seen: every sighting
  // extends the quiet time, so it counts again only after it has gone.
  state.last = { text, at: now };
  if (same) return;
  scan(text, source, now);
}

/** uuid is a random scan id; crypto.randomUUID needs a secure context. */
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * scan handles a badge read at readAt (performance.now()): the door's
 * checks of the person first — the face, whose outcome travels with the
 * scan, and the glance photo, fetched meanwhile — then the decision.
 */
async function scan(text, source, readAt = performance.now()) {
  const photo = faces.photo(text);
  const face = await faces.check(text, readAt, () => { clearTimeout(state.resultTimer); home(); });
  if (face && face.result === 'unavailable') return showResult(faceUnavailable(), source, { face: null, photo, readAt });
  const res = await decide(text, source, face);
  if (res) showResult(res, source, { face, photo, readAt });
}

/** decide answers a scan: the server's decision, else the kiosk's own offline; undefined when signed out. */
async function decide(text, source, face, moved = false) {
  const cp = state.checkpoint;
  const req = { token: text, checkpoint: cp ? cp.id : '', scan_id: uuid(), scanned_at: new Date().toISOString() };
  if (face) req.face = face.distance == null ? { result: face.result } : { result: face.result, distance: face.distance };
  let res;
  if (state.online) {
    try {
      res = await servers.call('POST', '/checkins', req);
    } catch (err) {
      // The desk moved this kiosk: take the new checkpoint and scan there
      // (once: a kiosk the server still places nowhere shows the refusal).
      if (err instanceof APIError && err.code === 'wrong_checkpoint' && !moved) {
        await loadDevice().catch(() => {});
        return decide(text, source, face, true);
      }
      if (signedOut(err)) return undefined;
      if (!(err instanceof Unreachable)) {
        // Refused, not decided: the person at the door must see it.
        console.warn('scan refused', err);
        return refusal(err);
      }
      setOnline(false);
    }
  }
  if (!res) res = await offline.decide(req);
  else offline.remember(res).catch(() => {});
  return res;
}

/** showResult shows res; check is the door's checks of the person ({face, photo, readAt}). */
async function showResult(res, source, check = {}) {
  const root = $('result');
  res.face_check = check.face || null;
  const photo = check.photo && res.attendee ? (await photoWait(check.photo)) || { state: 'pending' } : null;
  render(root, res, state.checkpoint ? state.checkpoint.kind : '');
  renderCheck(root, check.face || null, photo);
  if (photo && photo.state === 'pending') {
    // Put the photo in when it comes, if this person is still shown.
    check.photo.then((p) => { if (root.dataset.scan === res.scan_id) setPhoto(root, p); });
  }
  root.dataset.source = source;
  root.dataset.scan = res.scan_id || '';
  show('result');
  const at = performance.now();
  window.huiwuKiosk.results.push({ status: res.status, code: res.code || '', attendee: (res.attendee || {}).id || 0, seat: (res.guidance || {}).seat || '', source, scan: res.scan_id || '',
    offline: !!res.offline, flags: res.flags || [], at, face: check.face ? { ...check.face } : null, photo: photo ? photo.state : '',
    readMs: check.readAt ? Math.round(at - check.readAt) : 0 });
  beep(tone(res));
  const bar = $('r-bar');
  bar.className = '';
  bar.style.transitionDuration = '';
  void bar.offsetWidth; // restart the countdown bar
  bar.style.transitionDuration = RESULT_MS + 'ms';
  bar.className = 'run';
  clearTimeout(state.resultTimer);
  state.resultTimer = setTimeout(home, RESULT_MS);
}

// A USB scanner is a keyboard: it types the code and Enter. Keys are caught
// on the whole page, so no field needs focus; keys far apart (a person
// leaning on the keyboard) start a new code.
let typed = '';
let typedAt = 0;
document.addEventListener('keydown', (e) => {
  if (state.screen === 'pair') return; // the pairing screen takes digits itself
  const now = performance.now();
  if (now - typedAt > 500) typed = '';
  typedAt = now;
  if (e.key === 'Enter') {
    const t = typed;
    typed = '';
    if (t.length >= 4) onText(t, 'usb');
    e.preventDefault();
  } else if (e.key.length === 1 && typed.length < 512) {
    typed += e.key;
    e.preventDefault();
  }
});

// The service worker keeps the page and the core for a restart without the
// server; browsers allow it only on secure origins, like the camera.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/kiosk-sw.js', { scope: '/kiosk' }).catch((err) => console.warn('no offline restart:', err));
}

scanner.whenReady.then((ok) => {
  document.body.dataset.core = ok ? 'ready' : 'failed';
  if (!ok) console.error('scanner core failed:', scanner.failed);
});
boot();
