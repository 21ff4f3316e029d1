// face-alerts.js — the kiosks' face-check alerts (刷脸, issue 15.4) as the
// usher's tablet and the registration desk both show them: a face that did
// not match the badge, or a person a door refused for their face. The
// open alerts are followed live (topic `faces`, each message fetches the
// list again); each is a card with the person's photo, where and when,
// whether the door let them in, and 已核实 to close it.
import { call } from '/static/common/api.js';
import { h, fmtTime } from '/static/common/dom.js';
import { Live } from '/static/common/live.js';

const TOPIC = 'faces';
const RETRY_MS = 30000; // the server was unreachable at the start: ask again

export const RESULT_WORDS = {
  fail: ['人脸核验未通过', 'face does not match'],
  noface: ['未检测到人脸', 'no face seen'],
  pass: ['人脸核验通过', 'face verified'],
};

/** verdictWords is what the door did: [zh, en]. */
export function verdictWords(a) {
  return a.refused ? ['未放行', 'not let in'] : ['已放行，请核对', 'let in: please check'];
}

/** whereWords is the kiosk, checkpoint and door of an alert. */
export function whereWords(a) {
  return [a.device_name || a.device, a.checkpoint_name || a.checkpoint, a.door].filter(Boolean).join(' · ');
}

/**
 * alertCard is an open alert's card: photo (an element, see the pages'
 * own photo()), name, what the check found and what the door did, where
 * and when, and the 已核实 button that calls done(id, button).
 */
export function alertCard(a, photo, done) {
  const [zh, en] = RESULT_WORDS[a.result] || RESULT_WORDS.fail;
  const verdict = verdictWords(a);
  return h('li', { class: 'face-alert' + (a.refused ? ' refused' : ''), 'data-id': a.id, 'data-attendee': a.attendee_id },
    photo,
    h('div', { class: 'fa-text' },
      h('b', { class: 'fa-name' }, a.name || ''),
      h('div', { class: 'fa-result' }, `${zh} · ${verdict[0]}`, h('span', { class: 'en' }, `${en} · ${verdict[1]}`)),
      h('div', { class: 'fa-where' }, whereWords(a), ' ', h('small', {}, a.at ? fmtTime(a.at) : '')),
      h('button', { type: 'button', class: 'fa-done', onclick: (ev) => done(a.id, ev.currentTarget) },
        '已核实', h('span', { class: 'en' }, 'Checked'))));
}

/** resolveAlert closes alert id (who and when are recorded by the server); it throws the server's error. */
export function resolveAlert(id) {
  return call('POST', `/faces/alerts/${encodeURIComponent(id)}/resolve`);
}

/**
 * AlertFeed follows the open alerts: show(items) is called with the list
 * now and after every message of the faces topic, one fetch at a time (a
 * burst of messages fetches once more at the end). A server that has no
 * face check, or a sign-in not allowed to see them, shows nothing; an
 * unreachable one is asked again later.
 */
export class AlertFeed {
  constructor(show) {
    this.show = show;
    this.live = null;
    this.loading = null;
    this.again = false;
    this.denied = false; // the server said this sign-in may not see alerts
    this.closed = false;
    this.timer = 0;
  }

  async start() {
    if (this.closed) return;
    if (!(await this.load())) {
      if (!this.denied && !this.closed) this.timer = setTimeout(() => this.start(), RETRY_MS);
      return;
    }
    if (this.closed) return;
    this.live = new Live([TOPIC], { snapshot: () => this.load(), delta: () => this.load() });
  }

  close() {
    this.closed = true;
    if (this.live) this.live.close();
    this.live = null;
    clearTimeout(this.timer);
  }

  /** load fetches the open alerts and shows them; false if they could not be had. */
  load() {
    if (this.loading) { this.again = true; return this.loading; }
    this.loading = (async () => {
      let ok = true;
      try {
        const r = await call('GET', '/faces/alerts');
        await this.show((r && r.items) || []);
      } catch (e) {
        ok = false;
        this.denied = e.status === 403 || e.status === 404;
        if (!this.denied) console.warn('face alerts:', e);
      }
      this.loading = null;
      if (this.again) { this.again = false; this.load(); }
      return ok;
    })();
    return this.loading;
  }
}

let audio = null;

/** ping sounds twice, low: a new alert on a tablet held at the door. */
export function ping() {
  try {
    audio = audio || new AudioContext();
    if (audio.state === 'suspended') audio.resume();
    for (let i = 0; i < 2; i++) {
      const at = audio.currentTime + i * 0.25;
      const o = audio.createOscillator();
      const g = audio.createGain();
      o.frequency.value = 440;
      g.gain.setValueAtTime(0.0001, at);
      g.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
      o.connect(g).connect(audio.destination);
      o.start(at);
      o.stop(at + 0.22);
    }
  } catch {
    // No audio: the red card still shows.
  }
}
