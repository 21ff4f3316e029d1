// The kiosk's face check (刷脸, issue 15.4) and glance photo (15.3).
//
// When the event verifies faces and this checkpoint asks for it, the face
// engine (common/face.js, a worker) is loaded and warmed at page start.
// After a badge is read, if the badge's sealed guidance carries its
// holder's reference (they consented, and it is of this engine's model),
// the camera's next frames go to the engine instead of the QR decoder
// until one matches or the time is up; the scan then carries
// {result, distance}. Without a reference the person is checked by the
// glance photo where the checkpoint shows it, or by hand.
//
// The whole decision must be on screen within a second of the badge being
// read: frames are analysed only while there is time for one more.
import { APIError } from '/static/common/api.js';
import { servers } from './servers.js';
import { bi } from '/static/common/dom.js';

// From the badge read to the face decision; the check-in call and the
// result screen take the rest of the second.
const BUDGET_MS = 700;
// A first frame slower than the budget (a kiosk under load) is still waited
// for, up to here: a late answer beats refusing a person whose face was
// never looked at.
const FIRST_FRAME_MS = 2000;
// Faces judged another person's in this many frames decide it: one bad
// frame (a blink, a turn) does not, and the rest of the budget is saved.
const FAILS_TO_DECIDE = 2;
// How long a badge read while the engine still loads waits for it.
const LOAD_WAIT_MS = 5000;
// How long the glance photo may hold the result screen back; a later photo
// is put in when it comes.
const PHOTO_WAIT_MS = 150;

/** FaceCheck loads the engine when the checkpoint needs it and checks one person at a time. */
export class FaceCheck {
  /**
   * scanner verifies badges offline (verify(text) -> {ok, face, face_model});
   * cameraLive tells whether the camera gives frames.
   */
  constructor(scanner, cameraLive) {
    this.scanner = scanner;
    this.cameraLive = cameraLive;
    this.mod = null; // common/face.js, imported only when needed
    this.engine = null;
    this.loading = null;
    this.wanted = false;
    this.photoCheck = false;
    this.active = null; // the check in progress
    this.claimed = false; // a badge is being looked up for a check
    // What tests and the operator's console read.
    this.stats = { state: 'off', error: '', loadMs: 0, frameMs: [], checks: [] };
  }

  /** busy: a check is under way (the camera's frames are its, no other badge is taken). */
  get busy() { return this.claimed || !!this.active; }

  /**
   * configure follows the device's answer: the engine is loaded when the
   * event verifies faces and this checkpoint's face is advise or enforce,
   * and closed when it no longer is.
   */
  configure(event, cp) {
    this.photoCheck = !!(cp && cp.photo_check);
    this.wanted = !!(event && event.face_verification && cp && cp.face && cp.face !== 'off');
    this.enforce = this.wanted && cp.face === 'enforce';
    if (this.wanted) this.load();
    else if (this.engine || this.loading) this.unload();
    else this.setState('off');
  }

  setState(s, error = '') {
    this.stats.state = s;
    this.stats.error = error;
    document.body.dataset.face = s;
    const box = document.getElementById('face-state');
    if (!box) return;
    const words = {
      loading: ['刷脸准备中', 'Face check loading'],
      ready: ['刷脸核验', 'Face check on'],
      unavailable: ['刷脸不可用', 'Face check unavailable'],
    }[s];
    box.hidden = !words;
    if (words) {
      box.className = 'face-state ' + s;
      box.replaceChildren(...bi(words[0], words[1]));
      box.title = error;
    }
  }

  load() {
    if (this.engine || this.loading) return this.loading;
    this.setState('loading');
    const t0 = performance.now();
    // Offline, the service worker serves the engine's files: ask it to keep them.
    if (navigator.serviceWorker) {
      navigator.serviceWorker.ready.then((r) => r.active && r.active.postMessage({ type: 'face-assets' })).catch(() => {});
    }
    this.loading = (async () => {
      try {
        this.mod = this.mod || await import('/static/common/face.js');
        // No antispoof or liveness scores: advisory at best (docs/dev/face-spike.md),
        // and a third of each frame's time, which the door's second cannot spare.
        const engine = await this.mod.openFace({ live: false, maxFaces: 2 }); // two: faces[0] is then the largest, the person at the kiosk
        if (!this.wanted) { engine.close(); return; } // the desk turned it off meanwhile
        this.engine = engine;
        this.stats.loadMs = Math.round(performance.now() - t0);
        this.setState('ready');
      } catch (err) {
        // The kiosk still scans; the desk sees why faces are not checked.
        console.error('face engine unavailable:', err);
        this.setState('unavailable', (err && (err.zh || err.message)) || String(err));
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  unload() {
    if (this.engine) this.engine.close();
    this.engine = null;
    this.setState('off');
  }

  /**
   * check verifies the face of the badge text's holder, the badge read at
   * readAt (performance.now()). It answers null when no face check applies
   * (faces off here, no reference for this person; no engine or no camera
   * unless the door enforces the check), {result: 'unavailable'} when the
   * door enforces it and this kiosk cannot look, else
   * {result: 'pass'|'fail'|'noface', distance, frames, ms}. onStart
   * runs when the person is asked to look at the camera.
   */
  async check(text, readAt, onStart) {
    if (this.wanted && this.loading) {
      // The engine is still starting (the kiosk just started): a door that
      // checks faces waits for it rather than letting the person by unchecked.
      await Promise.race([this.loading, new Promise((r) => setTimeout(r, LOAD_WAIT_MS))]);
      readAt = Math.max(readAt, performance.now());
    }
    if (!this.wanted || this.busy) return null;
    // Where the door enforces the check, a kiosk that cannot look (no
    // engine, no camera) must not let a person with a reference by
    // unchecked: it says so and sends them to the staff.
    const able = !!this.engine && this.cameraLive();
    if (!able && !this.enforce) return null;
    this.claimed = true;
    let ref = null;
    try {
      const v = await this.scanner.verify(text);
      if (v && v.ok && v.face && !able) return { result: 'unavailable' };
      if (v && v.ok && v.face && v.face_model === this.mod.MODEL) ref = this.mod.fromBase64(v.face);
    } catch {
      // A damaged reference is no reference.
    } finally {
      this.claimed = false;
    }
    if (!ref) return null;
    onStart();
    prompt(true);
    const out = await new Promise((resolve) => {
      const a = { ref, readAt, frames: 0, sent: 0, fails: 0, firstMs: 0, best: null, inFlight: false, resolve, timer: 0 };
      this.active = a;
      a.timer = setTimeout(() => this.timeUp(a), Math.max(0, readAt + BUDGET_MS - performance.now()));
    });
    prompt(false);
    out.ms = Math.round(performance.now() - readAt);
    this.stats.checks.push(out);
    if (this.stats.checks.length > 100) this.stats.checks.shift();
    return out;
  }

  timeUp(a) {
    if (this.active !== a) return;
    const left = readAtLeft(a.readAt, FIRST_FRAME_MS);
    if (!a.frames && a.inFlight && left > 0) { // the first frame is on its way: wait for it
      a.timer = setTimeout(() => this.finish(a), left);
      return;
    }
    this.finish(a);
  }

  finish(a) {
    if (this.active !== a) return;
    clearTimeout(a.timer);
    this.active = null;
    const b = a.best || { result: 'noface', distance: null };
    a.resolve({ result: b.result, distance: b.distance, frames: a.frames, sent: a.sent, firstMs: a.firstMs });
  }

  /**
   * frame takes one camera frame (an ImageBitmap, then owned here) while a
   * check runs; the camera waits for it before grabbing the next.
   */
  async frame(bmp) {
    const a = this.active;
    if (!a) { bmp.close(); return; }
    // No time left for another frame: leave the rest to the timer.
    const typical = median(this.stats.frameMs) || 200;
    if (a.frames && performance.now() + typical > a.readAt + BUDGET_MS) {
      bmp.close();
      return new Promise((r) => setTimeout(r, 20));
    }
    a.inFlight = true;
    a.sent++;
    let r;
    try {
      r = await this.engine.analyse(bmp, { embed: true }); // the engine takes a copy
    } catch (err) {
      console.warn('face frame failed:', err);
      return;
    } finally {
      a.inFlight = false;
      bmp.close();
    }
    push(this.stats.frameMs, r.ms);
    if (this.active !== a) return; // decided without this frame
    if (!a.frames) a.firstMs = Math.round(performance.now() - a.readAt);
    a.frames++;
    const j = this.mod.judge(r, a.ref);
    a.best = better(a.best, j);
    if (j.result === 'fail') a.fails++;
    if (j.result === 'pass' || a.fails >= FAILS_TO_DECIDE) this.finish(a);
    else if (performance.now() >= a.readAt + BUDGET_MS) this.finish(a);
  }

  /**
   * photo fetches the badge holder's photo for the glance check, when this
   * checkpoint shows it: a promise of {state: 'shown', url} (a data: URL,
   * which the kiosk's policy allows for images), 'none' (no photo on
   * file, or not for this badge) or 'offline'; null when the checkpoint
   * shows none.
   */
  photo(text) {
    if (!this.photoCheck) return null;
    return fetchPhoto(text);
  }
}

/** photoWait is the photo if it comes within PHOTO_WAIT_MS, else null (still on its way). */
export function photoWait(p) {
  if (!p) return Promise.resolve(null);
  return Promise.race([p, new Promise((r) => setTimeout(() => r(null), PHOTO_WAIT_MS))]);
}

async function fetchPhoto(text) {
  let blob;
  try {
    blob = await servers.blob('POST', '/kiosk/photo', { token: text }, { timeout: 3000 });
  } catch (err) {
    // No photo here for this badge (none stored, or refused) is not "offline".
    return err instanceof APIError ? { state: 'none', code: String(err.status) } : { state: 'offline' };
  }
  if (!blob.type.startsWith('image/jpeg')) return { state: 'none', code: 'type' };
  const url = await new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => resolve(fr.result);
    fr.onerror = () => reject(fr.error);
    fr.readAsDataURL(blob);
  }).catch(() => '');
  return url ? { state: 'shown', url } : { state: 'none', code: 'read' };
}

/** prompt shows or hides 请看摄像头 over the camera picture. */
function prompt(on) {
  const p = document.getElementById('face-prompt');
  if (p) p.hidden = !on;
  document.body.dataset.facecheck = on ? 'on' : '';
}

// better keeps the most telling judgement of a person's frames: a pass,
// else the closest fail, else no face.
function better(a, b) {
  if (!a) return b;
  const rank = { pass: 2, fail: 1, noface: 0 };
  if (rank[b.result] !== rank[a.result]) return rank[b.result] > rank[a.result] ? b : a;
  return b.result === 'fail' && b.distance < a.distance ? b : a;
}

function readAtLeft(readAt, ms) { return readAt + ms - performance.now(); }

function median(list) {
  if (!list.length) return 0;
  return [...list].sort((x, y) => x - y)[list.length >> 1];
}

function push(list, v) {
  list.push(v);
  if (list.length > 200) list.shift();
}
